package ui

import (
	"strings"
	"testing"

	"roster/crm"
)

// TestMoveConflictOffersKeepOrOverwrite: bob moves a card while tess's
// board still shows the old stage; tess's move meets the version check
// and she is told who did what, then chooses.
func TestMoveConflictOffersKeepOrOverwrite(t *testing.T) {
	for _, choice := range []string{"r", "o"} {
		t.Run(choice, func(t *testing.T) {
			m := newSeeded(t, 120, 30)
			card, _ := m.board.selected()
			if _, err := m.c.Svc.MoveDeal("bob", card.Deal.ID, card.Deal.Version, crm.Active); err != nil {
				t.Fatal(err)
			}
			press(t, m, "L") // tess's board still has the old version
			if m.confirm == nil || !strings.Contains(frame(m), "bob changed this deal meanwhile") || !strings.Contains(frame(m), "it is active now") {
				t.Fatalf("conflict not offered:\n%s", frame(m))
			}
			press(t, m, choice)
			got, err := m.c.Svc.Card(card.Deal.ID)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := card.Deal.Stage.Step(1)
			if choice == "r" {
				want = crm.Active
			}
			if got.Deal.Stage != want {
				t.Fatalf("after %q the deal is %s, want %s", choice, got.Deal.Stage, want)
			}
			d, _ := m.c.Svc.CreatorDetail(card.Creator.ID)
			if choice == "o" && (d.Events[0].Actor != "tess" || d.Events[1].Actor != "bob") {
				t.Errorf("both moves should be in the log, bob's first: %+v", d.Events[:2])
			}
		})
	}
}

// TestAnUnnamedConflictKeepsTheirsInPlainWords: when the log names nobody
// the dialog says "someone else", and keeping theirs says so without a
// gap where the name would be.
func TestAnUnnamedConflictKeepsTheirsInPlainWords(t *testing.T) {
	m := newSeeded(t, 120, 30)
	card, _ := m.board.selected()
	m.dealConflict(dealConflictMsg{what: "move it", current: *card})
	if !strings.Contains(frame(m), "Someone else changed this deal") {
		t.Fatalf("an unnamed conflict:\n%s", frame(m))
	}
	press(t, m, "r")
	if m.status != "kept the deal as it is now" {
		t.Fatalf("status %q", m.status)
	}
}
