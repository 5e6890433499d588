package ui

import (
	"slices"
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

// TestFilterMatchesAsTypedBeforeFuzzily: a word some card holds shows only
// the cards that hold it (not every card with its letters in order); a
// word no card holds, a typo, falls back to close matches and the header
// says so.
func TestFilterMatchesAsTypedBeforeFuzzily(t *testing.T) {
	m := newSeeded(t, 120, 30)
	shown := func() (names []string, all bool) {
		all = true
		for i := range m.board.view {
			for _, j := range m.board.view[i] {
				c := m.board.cards(i)[j]
				names = append(names, c.Creator.Name)
				all = all && strings.Contains(strings.ToLower(searchText(&c)), "maya")
			}
		}
		return names, all
	}
	press(t, m, "/")
	typeText(t, m, "maya")
	names, all := shown()
	if len(names) == 0 || !all || strings.Contains(frame(m), "close matches") {
		t.Fatalf("/maya should show only cards that say maya, got %q:\n%s", names, frame(m))
	}
	press(t, m, "esc", "/")
	typeText(t, m, "mya")
	if m.board.anyHolds("mya") {
		t.Fatal("the test needs a word no card holds")
	}
	names, _ = shown()
	if !slices.Contains(names, "Maya Chen") || !strings.Contains(frame(m), "(close matches)") {
		t.Fatalf("/mya should show close matches, Maya Chen among them, and say so; got %q:\n%s", names, frame(m))
	}
}

// TestFilterWordOnlyOnAHiddenDeclinedCardMatchesClosely: a word only a
// declined card holds, while declined deals are hidden, does not empty
// the shown columns; shown, the declined card matches as typed.
func TestFilterWordOnlyOnAHiddenDeclinedCardMatchesClosely(t *testing.T) {
	m := newSeeded(t, 120, 30)
	if len(m.board.data.Declined) == 0 {
		t.Fatal("the seeded board should have declined deals")
	}
	name := strings.ToLower(m.board.data.Declined[0].Creator.Name)
	for i := range numCols {
		for _, c := range m.board.cards(i) {
			if strings.Contains(strings.ToLower(searchText(&c)), name) {
				t.Fatalf("the test needs a name only a declined card has, %q is on the board", name)
			}
		}
	}
	press(t, m, "/")
	typeText(t, m, name)
	press(t, m, "enter")
	if !m.board.approx {
		t.Fatalf("with declined deals hidden, %q should match closely:\n%s", name, frame(m))
	}
	press(t, m, "D")
	if m.board.approx || len(m.board.view[declinedCol]) == 0 {
		t.Fatalf("with declined deals shown, %q should match as typed:\n%s", name, frame(m))
	}
}
