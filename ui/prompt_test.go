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

// TestCommandOfAnotherScreenSaysWhere: a command the board's command line
// does not know but the creator's screen does is named with where it
// works, not called unknown; the creator's screen then runs it.
func TestCommandOfAnotherScreenSaysWhere(t *testing.T) {
	m := newSeeded(t, 120, 30)
	typeCommand(t, m, "save-attachment")
	if s := oneLine(frame(m)); !strings.Contains(s, ":save-attachment works on the Creator screen, not here") {
		t.Fatalf("a creator-screen command on the board should say where it works:\n%s", frame(m))
	}
	typeCommand(t, m, "unignore x@y.example")
	if s := oneLine(frame(m)); !strings.Contains(s, ":unignore works on the Unmatched mail screen, not here") {
		t.Fatalf("an unmatched-list command on the board should say where it works:\n%s", frame(m))
	}
	press(t, m, "enter")
	typeCommand(t, m, "save")
	if s := frame(m); strings.Contains(s, "not here") || strings.Contains(s, "unknown command") {
		t.Fatalf("on the creator's screen :save is known:\n%s", s)
	}
}

// TestCommandWithoutArgumentsRefusesWords: words after a command that
// takes none are refused, not dropped: ":terms-edit 5" must not open a
// form for new terms as if "5" meant nothing.
func TestCommandWithoutArgumentsRefusesWords(t *testing.T) {
	m := newSeeded(t, 120, 30)
	press(t, m, "enter")
	typeCommand(t, m, "terms-edit 5")
	if s := oneLine(frame(m)); !strings.Contains(s, `:terms-edit takes no arguments; "5" was not used`) {
		t.Fatalf("words after :terms-edit should be refused:\n%s", frame(m))
	}
	if m.screen != screenDetail {
		t.Fatal("the terms form opened anyway")
	}
	typeCommand(t, m, "terms-edit")
	if m.screen != screenForm {
		t.Fatalf(":terms-edit alone should open the terms form:\n%s", frame(m))
	}
}
