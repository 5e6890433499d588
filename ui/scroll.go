package ui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// Every screen that shows a page of text longer than the terminal (the
// creator, the review, the outreach stepper, the pager, an open mail in
// the outbox or the unmatched list) scrolls with the same keys
// (scrollActions, scrollKeys; the help overlay too) and draws the same
// way (scrolled, scrollPage).

// scrollEnd is a top beyond any text; the view clamps it to the last page.
const scrollEnd = 1 << 30

// scroller is what the scroll keys move: a text's first shown line, or,
// on a list that opens its items, the cursor until one is open.
type scroller interface {
	// scroll moves d lines down (up when d is negative).
	scroll(d int)
	// scrollTo goes to line v; scrollEnd is past the last.
	scrollTo(v int)
}

// textTop scrolls a text by its first shown line; the view clamps it to
// the text when drawing (scrolled does), so the keys need not know how
// long the text is.
type textTop struct{ top *int }

func (t textTop) scroll(d int)   { *t.top = max(0, *t.top+d) }
func (t textTop) scrollTo(v int) { *t.top = v }

// scrollHelp is the help of the six scroll keys, in scrollKeys' order.
type scrollHelp [6]string

// scrollActions are the scrolling keys of a page of text whose first
// shown line is top. See scrollKeys.
func scrollActions(prefix string, top func(m *Model) *int, pageFooter string) []Action {
	return scrollKeys(prefix, func(m *Model) scroller { return textTop{top(m)} },
		scrollHelp{"scroll down", "scroll up", "scroll a page down", "scroll a page up", "to the top", "to the end"}, pageFooter)
}

// scrollKeys are the scrolling keys: j/k a line, ctrl+d/ctrl+u (pgdn,
// pgup, space) a page, g/G the ends, of whatever target returns. They are
// named prefix-down, prefix-up, prefix-page-down, prefix-page-up,
// prefix-top and prefix-bottom, and described by help. pageFooter, when
// set, is page-down's footer label.
func scrollKeys(prefix string, target func(m *Model) scroller, help scrollHelp, pageFooter string) []Action {
	step := func(lines, pages int) func(m *Model, _ []string) tea.Cmd {
		return func(m *Model, _ []string) tea.Cmd {
			target(m).scroll(lines + pages*max(1, m.c.Height-6))
			return nil
		}
	}
	to := func(v int) func(m *Model, _ []string) tea.Cmd {
		return func(m *Model, _ []string) tea.Cmd { target(m).scrollTo(v); return nil }
	}
	return []Action{
		{Name: prefix + "-down", Binding: bind("↓/j", help[0], "down", "j"), Run: step(1, 0)},
		{Name: prefix + "-up", Binding: bind("↑/k", help[1], "up", "k"), Run: step(-1, 0)},
		{Name: prefix + "-page-down", Binding: bind("ctrl+d/pgdn/space", help[2], "ctrl+d", "pgdown", "space"), Footer: pageFooter, Run: step(0, 1)},
		{Name: prefix + "-page-up", Binding: bind("ctrl+u/pgup", help[3], "ctrl+u", "pgup"), Run: step(0, -1)},
		{Name: prefix + "-top", Binding: bind("g/home", help[4], "g", "home"), Run: to(0)},
		{Name: prefix + "-bottom", Binding: bind("G/end", help[5], "G", "end"), Run: to(scrollEnd)},
	}
}

// scrolled draws heads (a title and a rule or a blank line) and, below
// them, body scrolled from *top into w×h cells, clamping *top so the last
// page is full.
func scrolled(heads []string, body []string, top *int, w, h int) string {
	bodyH := max(1, h-len(heads))
	*top = max(0, min(*top, len(body)-bodyH))
	body = body[*top:min(len(body), *top+bodyH)]
	out := make([]string, 0, h)
	for _, l := range heads {
		out = append(out, fit(l, w))
	}
	for _, l := range body {
		out = append(out, " "+fit(l, w-1))
	}
	for len(out) < h {
		out = append(out, "")
	}
	return strings.Join(out[:h], "\n")
}

// scrollPage draws a page of text: the title line (scrollHead), under it
// a rule or "", then body scrolled from *top. The title's position and
// the body below it are clamped alike because one function lays out both.
func scrollPage(st *Styles, title, hint, under string, body []string, top *int, w, h int) string {
	return scrolled([]string{scrollHead(st, title, hint, top, len(body), w, h), under}, body, top, w, h)
}

// scrollHead is a scrolled page's title line. When the text (n lines)
// runs past the h-line screen its right edge says where the page is
// ("lines 1–20 of 34", as less does), so nobody takes the first page for
// the whole; otherwise it reminds of the keys (hint) if both fit, the
// footer listing them too. It clamps *top as scrolled does with two
// head lines (scrollPage).
func scrollHead(st *Styles, title, hint string, top *int, n, w, h int) string {
	room := max(1, h-2)
	*top = max(0, min(*top, n-room))
	if n > room {
		return fitRight(title, st.Muted.Render(pagePosition(*top, min(n, *top+room), n)), w)
	}
	if hint == "" || lipgloss.Width(title)+lipgloss.Width(hint)+2 > w {
		return title
	}
	return fitRight(title, hint+" ", w)
}

// pagePosition says which lines are shown: "lines 1–20 of 34".
func pagePosition(top, end, n int) string {
	return fmt.Sprintf("lines %d–%d of %d ", top+1, end, n)
}
