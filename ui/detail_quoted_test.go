package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// TestQuotedToggleKeepsTheSelectedMessageInView: z expands every
// message's quoted history, which pushes the selected message far down;
// the Mail tab follows it instead of showing whatever now sits at the old
// scroll position.
func TestQuotedToggleKeepsTheSelectedMessageInView(t *testing.T) {
	m := newSeeded(t, 100, 40)
	card, _ := m.board.selected()
	email := card.Creator.PrimaryEmail()
	quote := strings.Repeat("> an old line of the thread\n", 25)
	for i := range 4 {
		ref := []string{}
		if i > 0 {
			ref = append(ref, fmt.Sprintf("m%d@x.example", i-1))
		}
		ingestMail(t, m.c.Svc, mailMsg(fmt.Sprintf("m%d@x.example", i), email, "sam@glowbrand.example", "Rates",
			fmt.Sprintf("Message number %d.\n\nOn Mon, Sam wrote:\n%s", i, quote), testNow.Add(time.Duration(i-10)*time.Hour), uint32(i+1), ref...))
	}
	run(t, m, waitChangeCmd(m.c.Ctx, m.sub))
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 20})
	pressSync(t, m, "enter")
	press(t, m, "2", "[", "[")
	sel, ok := m.detail.selectedMessage()
	if !ok {
		t.Fatal("no message selected")
	}
	want := strings.SplitN(sel.Text, "\n", 2)[0]
	if s := frame(m); !strings.Contains(s, want) {
		t.Fatalf("%q should be in view before z:\n%s", want, s)
	}
	press(t, m, "z")
	if s := frame(m); !strings.Contains(s, want) || !strings.Contains(s, "> an old line") {
		t.Fatalf("after z the selected message (%q) should stay in view, quotes shown:\n%s", want, s)
	}
	press(t, m, "z")
	if s := frame(m); !strings.Contains(s, want) {
		t.Fatalf("after z again the selected message (%q) should stay in view:\n%s", want, s)
	}
}
