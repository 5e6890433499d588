package ui

import (
	"strings"
	"testing"

	"roster/crm"
)

// TestMoveWorksOnTheCreatorScreen: :move STAGE on the creator screen
// moves that creator's deal, as it moves the selected card on the board,
// rather than calling itself an unknown command.
func TestMoveWorksOnTheCreatorScreen(t *testing.T) {
	m := newSeeded(t, 120, 30)
	card, _ := m.board.selected()
	press(t, m, "enter")
	typeCommand(t, m, "move nowhere")
	if s := frame(m); !strings.Contains(s, `"nowhere" is not a board stage`) {
		t.Fatalf(":move with a bad stage on the creator screen:\n%s", s)
	}
	typeCommand(t, m, "move negotiating")
	c, err := m.c.Svc.Card(card.Deal.ID)
	if err != nil || c.Deal.Stage != crm.Negotiating {
		t.Fatalf(":move negotiating on the creator screen left the deal in %s (%v):\n%s", c.Deal.Stage, err, frame(m))
	}
	if m.screen != screenDetail {
		t.Fatal(":move on the creator screen left it")
	}
}
