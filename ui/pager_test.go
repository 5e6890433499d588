package ui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// TestPagerScrollsLongTextAt80x24: a report longer than the terminal is
// read whole by scrolling, never cut off; esc goes back where it was.
func TestPagerScrollsLongTextAt80x24(t *testing.T) {
	m, _ := termsModel(t)
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	var lines []string
	for i := 1; i <= 60; i++ {
		lines = append(lines, fmt.Sprintf("line %02d of the report", i))
	}
	m.openPager("Report", strings.Join(lines, "\n"))
	s := frame(m)
	if !strings.Contains(s, "line 01") || strings.Contains(s, "line 60") || !strings.Contains(s, "lines 1–") {
		t.Fatalf("the first page, with where it is:\n%s", s)
	}
	if n := strings.Count(s, "\n") + 1; n > 24 {
		t.Fatalf("the screen is %d lines tall at 80×24", n)
	}
	press(t, m, "G")
	if s := frame(m); !strings.Contains(s, "line 60") || !strings.Contains(s, "of 60") {
		t.Fatalf("G should show the end:\n%s", s)
	}
	press(t, m, "g", "space")
	if s := frame(m); strings.Contains(s, "line 01") {
		t.Fatalf("space should page down:\n%s", s)
	}
	for range 100 {
		press(t, m, "k")
	}
	if m.pager.top != 0 {
		t.Fatalf("scrolling up stops at the top: %d", m.pager.top)
	}
	press(t, m, "esc")
	if m.screen != screenBoard {
		t.Fatalf("esc should return to the board, not %v", m.screen)
	}
}
