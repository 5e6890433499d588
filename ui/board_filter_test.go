package ui

import (
	"strings"
	"testing"

	"roster/crm"
)

// TestFilterSelectsTheBestMatch: after filtering, the cursor is on the
// card that matches best, in whichever column holds it, not on a weak
// fuzzy match that happened to be selected before or on a column with
// nothing in it.
func TestFilterSelectsTheBestMatch(t *testing.T) {
	m := newSeeded(t, 120, 30)
	if _, err := m.c.Svc.AddCreator("tess", crm.Creator{Name: "Rachel Adeyemi", Emails: []string{"rachel@adeyemi.example"}},
		m.board.data.Campaign.ID, crm.Negotiating); err != nil {
		t.Fatal(err)
	}
	run(t, m, m.loadBoard())
	press(t, m, "/")
	typeText(t, m, "Adeyemi")
	press(t, m, "enter")
	if c, ok := m.board.selected(); !ok || c.Creator.Name != "Rachel Adeyemi" {
		t.Fatalf("/Adeyemi selected %+v (ok %v), want Rachel Adeyemi:\n%s", c, ok, frame(m))
	}
	press(t, m, "esc", "g")
	m.board.col = 0
	press(t, m, "/")
	typeText(t, m, "#baking")
	press(t, m, "enter")
	c, ok := m.board.selected()
	if !ok || !strings.Contains(strings.Join(c.Creator.Tags, ","), "baking") {
		t.Fatalf("/#baking left the cursor in column %d with nothing (ok %v):\n%s", m.board.col, ok, frame(m))
	}
}
