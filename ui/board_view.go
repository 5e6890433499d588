package ui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"roster/crm"
)

const (
	minColWidth = 24 // narrower and a card's handle line no longer fits
	cardHeight  = 3
	cardGap     = 1
)

// layout works out how many columns fit and which is first, so the
// focused column is always on screen; at 80 columns three stages show and
// the rest scroll into view.
func (b *boardModel) layout(width int) (first, count, colWidth int) {
	count = max(1, min(b.ncols(), width/minColWidth))
	first = 0
	if b.col >= count {
		first = b.col - count + 1
	}
	colWidth = width / count
	return first, count, colWidth
}

// viewBoard draws the visible columns into width × height cells. Only the
// cards that fit are rendered, whatever the board's size.
func (m *Model) viewBoard(width, height int) string {
	b := &m.board
	st := &m.c.Styles
	if !b.loaded {
		return lipgloss.Place(width, height, lipgloss.Center, lipgloss.Center, st.Muted.Render("loading…"))
	}
	first, count, colWidth := b.layout(width)
	now := m.c.Svc.Clock().Now()
	cols := make([]string, 0, count)
	for i := first; i < first+count; i++ {
		w := colWidth
		if i == first+count-1 {
			w = width - colWidth*(count-1)
		}
		cols = append(cols, m.viewColumn(i, w, height, now, i == first && first > 0, i == first+count-1 && first+count < b.ncols()))
	}
	return lipgloss.JoinHorizontal(lipgloss.Top, cols...)
}

func (m *Model) viewColumn(i, width, height int, now time.Time, moreLeft, moreRight bool) string {
	b := &m.board
	st := &m.c.Styles
	inner := width - 2 // one cell of margin on each side
	title := "Declined"
	if i < numCols {
		title = crm.BoardStages[i].Title()
	}
	tstyle := st.ColumnTitle
	if i == b.col {
		tstyle = st.ColumnActive
	}
	count := fmt.Sprintf("%d", len(b.view[i]))
	if b.filter != "" {
		count = fmt.Sprintf("%d/%d", len(b.view[i]), len(b.cards(i)))
	}
	head := tstyle.Render(title) + " " + st.ColumnCount.Render(count)
	if moreLeft {
		head = st.Muted.Render("◀ ") + head
	}
	if moreRight {
		head = fitRight(head, st.Muted.Render(" ▶"), inner)
	}
	lines := make([]string, 0, height)
	lines = append(lines, " "+fit(head, inner)+" ")

	rows := height - 1
	perCard := cardHeight + cardGap
	visible := max(1, (rows-1)/perCard) // keep a line for "n more"
	// Scroll so the selection is visible.
	if b.sel[i] < b.top[i] {
		b.top[i] = b.sel[i]
	}
	if b.sel[i] >= b.top[i]+visible {
		b.top[i] = b.sel[i] - visible + 1
	}
	b.top[i] = max(0, min(b.top[i], max(0, len(b.view[i])-visible)))
	end := min(len(b.view[i]), b.top[i]+visible)
	if b.top[i] > 0 {
		lines = append(lines, " "+fit(st.Muted.Render(fmt.Sprintf("↑ %d more", b.top[i])), inner)+" ")
	} else {
		lines = append(lines, "")
	}
	for r := b.top[i]; r < end; r++ {
		card := &b.cards(i)[b.view[i][r]]
		sel := i == b.col && r == b.sel[i]
		lines = append(lines, m.cachedCard(card, inner, sel, now)...)
		lines = append(lines, "")
	}
	if len(b.view[i]) == 0 {
		msg := "no cards"
		if b.filter != "" {
			msg = "no match"
		}
		lines = append(lines, " "+st.Muted.Render(msg))
	}
	if rest := len(b.view[i]) - end; rest > 0 {
		for len(lines) < height-1 {
			lines = append(lines, "")
		}
		lines = append(lines[:height-1], " "+fit(st.Muted.Render(fmt.Sprintf("↓ %d more", rest)), inner)+" ")
	}
	for len(lines) < height {
		lines = append(lines, "")
	}
	lines = lines[:height]
	for k, l := range lines {
		lines[k] = pad(l, width)
	}
	return strings.Join(lines, "\n")
}

// cachedCard returns a card's lines, drawing it only when something it
// shows has changed.
func (m *Model) cachedCard(c *crm.Card, width int, selected bool, now time.Time) []string {
	b := &m.board
	key := cardKey{dealV: c.Deal.Version, creatorV: c.Creator.Version, width: width, selected: selected,
		hour: now.Unix() / 3600, styles: m.stylesGen, mailAt: c.Turn.LastAt.UnixNano(), replyOwed: c.Turn.ReplyOwed,
		here: m.othersAt(c.Creator.ID), marked: m.marks[c.Deal.ID], flag: cardFlag(c)}
	if r, ok := b.rendered[c.Deal.ID]; ok && r.key == key && key.dealV != 0 {
		return r.lines
	}
	lines := m.renderCard(c, width, selected, now)
	if b.rendered == nil || len(b.rendered) > 4096 {
		b.rendered = map[crm.ID]renderedCard{}
	}
	b.rendered[c.Deal.ID] = renderedCard{key: key, lines: lines}
	return lines
}

// tierLabel is the tier of an audience, coloured; "" when the followers
// are not known (0: the form's followers left empty), which is no tier
// rather than nano.
func tierLabel(st *Styles, followers int64) string {
	t := string(crm.TierFor(followers))
	if t == "" {
		return ""
	}
	return st.Tier[t].Render(t)
}

// renderCard draws one card: name and age, best handle with audience, tier
// and owner. A marker, not only colour, shows the selection, so it
// survives NO_COLOR.
func (m *Model) renderCard(c *crm.Card, width int, selected bool, now time.Time) []string {
	st := &m.c.Styles
	marker := "  "
	name := st.CardName
	if selected {
		marker = st.CardMarker.Render("▌") + " "
		name = st.CardNameSel
	}
	if m.marks[c.Deal.ID] {
		// A mark, not only colour, shows a card marked for outreach.
		marker = marker[:len(marker)-1] + st.Accent.Render("✓")
	}
	w := width - 2
	age := st.CardMuted.Render(ago(now, c.LastActivity()))
	if f := cardFlag(c); f != "" {
		age = cardFlagStyle(st, f).Render(f) + " " + age
	}
	line1 := fitRight(name.Render(ansi.Truncate(sanitize(c.Creator.Name), w-lipgloss.Width(age)-1, "…")), age, w)
	var line2, line3 string
	if h, ok := c.Creator.BestHandle(); ok {
		line2 = st.CardLine.Render(fmt.Sprintf("%s @%s", h.Platform.Short(), sanitize(h.Handle)))
		if h.Followers > 0 {
			line2 = fitRight(ansi.Truncate(line2, w-8, "…"), st.CardLine.Render(crm.FormatFollowers(h.Followers)), w)
		}
		line3 = tierLabel(st, h.Followers)
	} else if e := c.Creator.PrimaryEmail(); e != "" {
		line2 = st.CardMuted.Render(ansi.Truncate(sanitize(e), w, "…"))
	} else {
		line2 = st.CardMuted.Render("no handle")
	}
	turn := ""
	if l := c.Turn.Label(); l != "" && c.Deal.Stage != crm.Declined {
		style := st.CardMuted
		if c.Turn.ReplyOwed {
			style = st.Warn
		}
		turn = style.Render(l + " " + ago(now, c.Turn.LastAt))
	}
	var extra []string
	if c.Deal.Stage == crm.Declined {
		line3 = st.Warn.Render(ansi.Truncate(sanitize(c.Deal.DeclineReason), w, "…"))
	} else if c.Creator.DoNotContact {
		extra = append(extra, st.Error.Render("do not contact"))
	}
	if len(c.Creator.Tags) > 0 {
		extra = append(extra, st.CardMuted.Render("#"+sanitize(c.Creator.Tags[0])))
	}
	if len(extra) > 0 {
		if line3 != "" {
			line3 += st.CardMuted.Render(" · ")
		}
		line3 += strings.Join(extra, st.CardMuted.Render(" · "))
	}
	if turn != "" {
		// Whose turn it is matters more than the tag: it leads the line,
		// the tier keeps its place on the right.
		tier := ""
		if h, ok := c.Creator.BestHandle(); ok {
			tier = tierLabel(st, h.Followers)
		}
		if ansi.StringWidth(turn)+1+ansi.StringWidth(tier) > w {
			tier = "" // a narrow card keeps "reply owed today" whole
		}
		line3 = fitRight(turn, tier, w)
	}
	if here := m.othersAt(c.Creator.ID); here != "" {
		// A teammate has this creator open: say who before anyone
		// answers them twice.
		line3 = st.Warn.Render(ansi.Truncate("◆ "+here, w, "…"))
	}
	return []string{
		marker + fit(line1, w),
		marker + fit(line2, w),
		marker + fit(line3, w),
	}
}

// ago prints the time since t as a card does: "today", "1d", "12d", "3mo".
func ago(now, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	d := int(now.Sub(t).Hours() / 24)
	switch {
	case d <= 0:
		return "today"
	case d < 60:
		return fmt.Sprintf("%dd", d)
	case d < 730:
		return fmt.Sprintf("%dmo", d/30)
	default:
		return fmt.Sprintf("%dy", d/365)
	}
}

// fit truncates or pads s to exactly w cells. The "…" marks text cut
// off, so it is drawn only when what falls past w holds some: blanks a
// view padded itself with (the command line's input pads to its width
// and then adds the completion's cells on top) are dropped unmarked.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if n := lipgloss.Width(s); n > w {
		if strings.TrimSpace(ansi.Strip(ansi.Cut(s, w, n))) == "" {
			return pad(ansi.Truncate(s, w, ""), w)
		}
		return ansi.Truncate(s, w, "…")
	}
	return pad(s, w)
}

// pad right-pads s with spaces to w cells.
func pad(s string, w int) string {
	if n := lipgloss.Width(s); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s
}

// fitRight puts right at the right edge of a w-cell line after left.
func fitRight(left, right string, w int) string {
	lw, rw := lipgloss.Width(left), lipgloss.Width(right)
	if lw+rw+1 > w {
		left = ansi.Truncate(left, max(0, w-rw-1), "…")
		lw = lipgloss.Width(left)
	}
	return left + strings.Repeat(" ", max(1, w-lw-rw)) + right
}
