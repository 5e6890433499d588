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
	// Typos: a letter too many, a wrong one, two swapped.
	for _, typo := range []string{"majya", "mayq", "cehn"} {
		press(t, m, "esc", "/")
		typeText(t, m, typo)
		if m.board.anyHolds(typo) {
			t.Fatalf("the test needs a word no card holds, %q is held", typo)
		}
		names, _ = shown()
		if !slices.Contains(names, "Maya Chen") || len(names) > 3 || !strings.Contains(frame(m), "(close matches)") {
			t.Fatalf("/%s should show Maya Chen as a close match, and say so; got %q:\n%s", typo, names, frame(m))
		}
	}
	// Nothing near: no cards, and no claim of close matches.
	press(t, m, "esc", "/")
	typeText(t, m, "zzzzqqq")
	if names, _ = shown(); len(names) != 0 || strings.Contains(frame(m), "close matches") {
		t.Fatalf("/zzzzqqq should match nothing and not claim close matches; got %q:\n%s", names, frame(m))
	}
}

// TestFilterNamesDeclinedMatchesWhileHidden: a name only a declined
// card holds, while declined deals are hidden, shows no stranger in the
// shown columns; the header says D shows it, and with D it is there and
// counted.
func TestFilterNamesDeclinedMatchesWhileHidden(t *testing.T) {
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
	if _, shown := m.board.total(); shown != 0 || !strings.Contains(frame(m), "D shows 1 declined") {
		t.Fatalf("with declined deals hidden, %q should show no card and point at D:\n%s", name, frame(m))
	}
	press(t, m, "D")
	if _, shown := m.board.total(); shown != 1 || m.board.approx || !strings.Contains(frame(m), "1 of ") {
		t.Fatalf("with declined deals shown, %q should match and be counted:\n%s", name, frame(m))
	}
}
