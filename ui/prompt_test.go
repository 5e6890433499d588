package ui

import (
	"strings"
	"testing"
)

// TestCommandLineRemembersARefusedLine: a mistyped command is not lost;
// : then Up brings it back to be corrected, and Down returns to what was
// being typed.
func TestCommandLineRemembersARefusedLine(t *testing.T) {
	m := newSeeded(t, 80, 24)
	typeCommand(t, m, "mvoe contacted")
	if s := frame(m); !strings.Contains(s, `unknown command "mvoe"`) {
		t.Fatalf("the mistyped command should be refused:\n%s", s)
	}
	press(t, m, ":", "up")
	if got := m.prompt.input.Value(); got != "mvoe contacted" {
		t.Fatalf(": then up gave %q, want the refused line", got)
	}
	press(t, m, "down")
	if got := m.prompt.input.Value(); got != "" {
		t.Fatalf("down after up gave %q, want the empty line again", got)
	}
	press(t, m, "esc", "/")
	press(t, m, "up")
	if got := m.prompt.input.Value(); got == "mvoe contacted" {
		t.Fatal("the filter prompt offered the command line's history")
	}
}

// TestLinkPromptRemembersARefusedName: a creator name that matched nobody
// comes back with Up when l is pressed again.
func TestLinkPromptRemembersARefusedName(t *testing.T) {
	m := newSeeded(t, 120, 40)
	ingestMail(t, m.c.Svc, ritaPitch("Hi"))
	press(t, m, "u", "l")
	typeText(t, m, "Maya Chn")
	press(t, m, "enter")
	if s := frame(m); !strings.Contains(s, `no creator named "Maya Chn"`) {
		t.Fatalf("an unknown name should be refused:\n%s", s)
	}
	press(t, m, "l", "up")
	if got := m.prompt.input.Value(); got != "Maya Chn" {
		t.Fatalf("l then up gave %q, want the refused name", got)
	}
}
