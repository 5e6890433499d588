package ui

import (
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// pagerModel shows a long read-only text (the report, the due view, a
// terms diff) as a screen of its own that scrolls, so nothing is cut off
// at 80×24 the way an overlay would be. A line wider than the screen
// wraps rather than losing its end.
type pagerModel struct {
	title string
	text  []string
	top   int
	back  screen
	// lines is text wrapped for width, redone when the width changes.
	lines []string
	width int
}

// openPager shows text on the pager screen; esc returns to where the
// user was.
func (m *Model) openPager(title, text string) {
	back := m.screen
	if back == screenPager {
		back = m.pager.back
	}
	m.pager = pagerModel{title: title, text: strings.Split(sanitizeBlock(strings.TrimRight(text, "\n")), "\n"), back: back}
	m.screen = screenPager
}

// wrap fits the text to w cells, wrapping only the lines that need it
// (tables and bars stay as they are).
func (p *pagerModel) wrap(w int) []string {
	if p.lines != nil && p.width == w {
		return p.lines
	}
	p.lines, p.width = p.lines[:0], w
	for _, l := range p.text {
		if lipgloss.Width(l) <= w {
			p.lines = append(p.lines, l)
			continue
		}
		p.lines = append(p.lines, wrapLines(l, w)...)
	}
	return p.lines
}

func (p *pagerModel) view(c *Common, w, h int) string {
	st := &c.Styles
	lines := p.wrap(w - 1)
	return scrollPage(st, " "+st.Bold.Render(p.title), "", "", lines, &p.top, w, h)
}

func pagerActions() []Action {
	return append(scrollActions("pager", func(m *Model) *int { return &m.pager.top }, "space page"),
		Action{Name: "pager-back", Binding: bind("esc/q", "back", "esc", "q"), Footer: "esc back",
			Run: func(m *Model, _ []string) tea.Cmd { m.screen = m.pager.back; return nil }})
}
