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

// scroll moves the view by n lines, staying within the text.
func (p *pagerModel) scroll(n, height int) {
	p.top = max(0, min(p.top+n, len(p.lines)-height))
}

func (p *pagerModel) view(c *Common, w, h int) string {
	st := &c.Styles
	head := " " + st.Bold.Render(p.title)
	room := max(1, h-2)
	p.top = max(0, min(p.top, len(p.lines)-room))
	end := min(len(p.lines), p.top+room)
	if len(p.lines) > room {
		head = fitRight(head, st.Muted.Render(pagerPosition(p.top, end, len(p.lines))), w)
	}
	out := []string{fit(head, w), ""}
	for _, l := range p.lines[p.top:end] {
		out = append(out, fit(" "+l, w))
	}
	return strings.Join(out, "\n")
}

// pagerPosition says which lines are shown: "lines 1–20 of 34".
func pagerPosition(top, end, n int) string {
	return fmt.Sprintf("lines %d–%d of %d ", top+1, end, n)
}

func pagerActions() []Action {
	page := func(m *Model) int { return max(1, m.c.Height-6) }
	return []Action{
		{Name: "pager-down", Binding: bind("↓/j", "scroll down", "down", "j"),
			Run: func(m *Model, _ []string) tea.Cmd { m.pager.scroll(1, page(m)); return nil }},
		{Name: "pager-up", Binding: bind("↑/k", "scroll up", "up", "k"),
			Run: func(m *Model, _ []string) tea.Cmd { m.pager.scroll(-1, page(m)); return nil }},
		{Name: "pager-page-down", Binding: bind("ctrl+d/pgdn/space", "a page down", "ctrl+d", "pgdown", "space"), Footer: "space page",
			Run: func(m *Model, _ []string) tea.Cmd { m.pager.scroll(page(m), page(m)); return nil }},
		{Name: "pager-page-up", Binding: bind("ctrl+u/pgup", "a page up", "ctrl+u", "pgup"),
			Run: func(m *Model, _ []string) tea.Cmd { m.pager.scroll(-page(m), page(m)); return nil }},
		{Name: "pager-top", Binding: bind("g/home", "to the top", "g", "home"),
			Run: func(m *Model, _ []string) tea.Cmd { m.pager.top = 0; return nil }},
		{Name: "pager-bottom", Binding: bind("G/end", "to the end", "G", "end"),
			Run: func(m *Model, _ []string) tea.Cmd { m.pager.scroll(len(m.pager.lines), page(m)); return nil }},
		{Name: "pager-back", Binding: bind("esc/q", "back", "esc", "q"), Footer: "esc back",
			Run: func(m *Model, _ []string) tea.Cmd { m.screen = m.pager.back; return nil }},
	}
}
