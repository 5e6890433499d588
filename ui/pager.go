package ui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
)

// pagerModel shows a long read-only text (the report, the due view) as a
// screen of its own that scrolls, so nothing is cut off at 80×24 the way
// an overlay would be.
type pagerModel struct {
	title string
	lines []string
	top   int
	back  screen
}

// openPager shows text on the pager screen; esc returns to where the
// user was.
func (m *Model) openPager(title, text string) {
	back := m.screen
	if back == screenPager {
		back = m.pager.back
	}
	m.pager = pagerModel{title: title, lines: strings.Split(sanitizeBlock(strings.TrimRight(text, "\n")), "\n"), back: back}
	m.screen = screenPager
}

func (p *pagerModel) view(c *Common, w, h int) string {
	st := &c.Styles
	head := " " + st.Bold.Render(p.title)
	room := max(1, h-2)
	p.top = max(0, min(p.top, len(p.lines)-room))
	if len(p.lines) > room {
		head = fitRight(head, st.Muted.Render(pagerPosition(p.top, min(len(p.lines), p.top+room), len(p.lines))), w)
	}
	return scrolled([]string{head, ""}, p.lines, &p.top, w, h)
}

// pagerPosition says which lines are shown: "lines 1–20 of 34".
func pagerPosition(top, end, n int) string {
	return fmt.Sprintf("lines %d–%d of %d ", top+1, end, n)
}

func pagerActions() []Action {
	return append(scrollActions("pager", func(m *Model) *int { return &m.pager.top }, "space page"),
		Action{Name: "pager-back", Binding: bind("esc/q", "back", "esc", "q"), Footer: "esc back",
			Run: func(m *Model, _ []string) tea.Cmd { m.screen = m.pager.back; return nil }})
}
