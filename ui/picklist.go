package ui

import (
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"roster/crm"
)

// pickList is a list the cursor walks, one item of which can be opened
// and read in full: the unmatched mail and the outbox are two of them.
// One type holds the cursor, the scrolling and the reload rules, so the
// screens cannot drift apart in how j, k, enter and esc behave.
type pickList[T any] struct {
	items  []T
	loaded bool
	sel    int
	// first is the first row the list shows; the view keeps sel in it.
	first int
	// open shows the selected item in full, scrolled by readTop (the
	// scroll keys scroll it then, so the end of a long mail can be read).
	open    bool
	readTop int
}

// column is one column of the rows from..to shown, text of each item,
// sanitised and cut or padded to the widest of them, at least lo cells
// and at most hi: a list gives its addresses the room there is, where a
// fixed width cut them at 120 columns with half the screen empty.
func (p *pickList[T]) column(from, to, lo, hi int, text func(*T) string) []string {
	cells := make([]string, 0, to-from)
	w := lo
	for i := from; i < to; i++ {
		c := sanitize(text(&p.items[i]))
		cells = append(cells, c)
		w = max(w, ansi.StringWidth(c))
	}
	w = min(w, hi)
	for i := range cells {
		cells[i] = fit(cells[i], w)
	}
	return cells
}

// set replaces the items, keeping the cursor on the item it was on (by
// id) when a reload moved it, else on the nearest row.
func (p *pickList[T]) set(items []T, id func(*T) crm.ID) {
	var keep crm.ID
	if cur, ok := p.selected(); ok {
		keep = id(cur)
	}
	p.items, p.loaded = items, true
	p.sel = min(p.sel, max(0, len(items)-1))
	for i := range items {
		if keep != "" && id(&items[i]) == keep {
			p.sel = i
		}
	}
}

func (p *pickList[T]) selected() (*T, bool) {
	if p.sel < 0 || p.sel >= len(p.items) {
		return nil, false
	}
	return &p.items[p.sel], true
}

// scroll goes d items down the list, or d lines down the open item (the
// view clamps the end).
func (p *pickList[T]) scroll(d int) {
	if p.open {
		p.readTop = max(0, p.readTop+d)
		return
	}
	p.scrollTo(p.sel + d)
}

// scrollTo selects item v, or shows the open item from line v.
func (p *pickList[T]) scrollTo(v int) {
	if p.open {
		p.readTop = v
		return
	}
	p.sel = min(max(0, v), max(0, len(p.items)-1))
}

// toggle opens the selected item at its top, or closes it.
func (p *pickList[T]) toggle() { p.open, p.readTop = !p.open, 0 }

// close closes an open item and reports whether one was open.
func (p *pickList[T]) close() bool {
	was := p.open
	p.open = false
	return was
}

// window is the rows [from, to) the list shows in rows lines, scrolled
// only as far as it takes to keep the cursor in sight.
func (p *pickList[T]) window(rows int) (from, to int) {
	rows = max(1, rows)
	if p.sel < p.first {
		p.first = p.sel
	}
	if p.sel >= p.first+rows {
		p.first = p.sel - rows + 1
	}
	p.first = max(0, min(p.first, len(p.items)-rows))
	return p.first, min(len(p.items), p.first+rows)
}

// pickNav is what the shared keys need of a pickList, whatever it holds.
type pickNav interface {
	scroller
	toggle()
	close() bool
}

// pickActions are the keys every pickList screen has: the scroll keys
// walk the list (j/k an item, space or pgdn a page, g/G the ends) or,
// with an item open, scroll it as every page of text scrolls; esc closes
// the open item or leaves. They are named prefix-down, prefix-up,
// prefix-page-down, prefix-page-up, prefix-top, prefix-bottom and
// prefix-back; noun says what the list holds ("message"). The screen's
// own actions go between, in footer order, with back last.
func pickActions(prefix, noun string, list func(m *Model) pickNav, leave func(m *Model), own ...Action) []Action {
	acts := scrollKeys(prefix, func(m *Model) scroller { return list(m) }, scrollHelp{
		"next " + noun + " (reading one: scroll down)", "previous " + noun + " (reading one: scroll up)",
		"a page down the list (reading one: scroll a page down)", "a page up the list (reading one: scroll a page up)",
		"first " + noun + " (reading one: its top)", "last " + noun + " (reading one: its end)",
	}, "")
	acts = append(acts, own...)
	return append(acts, Action{Name: prefix + "-back", Aliases: []string{"back"}, Binding: bind("esc/q", "close the "+noun+", or go back", "esc", "q"), Footer: "esc back",
		Run: func(m *Model, _ []string) tea.Cmd {
			if !list(m).close() {
				leave(m)
			}
			return nil
		}})
}
