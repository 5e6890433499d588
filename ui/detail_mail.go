package ui

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"

	"roster/crm"
)

// mailLines draws the creator's conversations: threads newest first, each
// message with direction, sender, date, body (quoted history collapsed
// unless z expands it) and attachments.
func (d *detailModel) mailLines(c *Common, w int) []string {
	st := &c.Styles
	if !d.hasMail {
		return []string{st.Muted.Render("loading mail…")}
	}
	if len(d.convs) == 0 {
		return []string{st.Muted.Render("No mail with this creator yet."), "",
			st.Muted.Render("Mail is linked by address: any of the creator's emails in From, To or Cc.")}
	}
	loc := c.Svc.Clock().Now().Location()
	width := max(20, w)
	var lines []string
	d.msgs, d.msgLine = d.msgs[:0], d.msgLine[:0]
	sel := d.selectedIndex()
	for ti, cv := range d.convs {
		if ti > 0 {
			lines = append(lines, "")
		}
		head := fmt.Sprintf("%s  %s", st.Bold.Render(sanitize(cv.Thread.Subject)), st.Muted.Render(crm.Count(len(cv.Messages), "message")))
		lines = append(lines, fit(head, width), st.Rule.Render(strings.Repeat("─", width)))
		for mi, m := range cv.Messages {
			if ti == 0 && mi == len(cv.Messages)-1 {
				d.latestLine = max(0, len(lines)-1)
			}
			arrow, who := st.Accent.Render("← in "), m.From.String()
			if m.Direction == crm.Out {
				arrow, who = st.OK.Render("→ out"), "to "+addrList(m.To)
			}
			stamp := st.Muted.Render(m.Date.In(loc).Format("Mon 2 Jan 2006 15:04"))
			marker := "  "
			if len(d.msgs) == sel {
				marker = st.CardMarker.Render("▌") + " "
			}
			d.msgs, d.msgLine = append(d.msgs, &cv.Messages[mi]), append(d.msgLine, len(lines))
			lines = append(lines, fitRight(marker+arrow+" "+sanitize(who), stamp, width))
			if m.HeaderOnly {
				lines = append(lines, "  "+st.Muted.Render("(body not fetched yet)"))
			}
			fresh, quoted := crm.SplitQuoted(sanitizeBlock(m.Text))
			for _, l := range wrapLines(fresh, width-2) {
				lines = append(lines, "  "+l)
			}
			if quoted != "" {
				if d.showQuoted {
					for _, l := range wrapLines(quoted, width-2) {
						lines = append(lines, "  "+st.Muted.Render(l))
					}
				} else {
					n := strings.Count(quoted, "\n") + 1
					lines = append(lines, "  "+st.Muted.Render("… "+crm.Count(n, "quoted line")+" (z shows them)"))
				}
			}
			for _, a := range m.Attachments {
				lines = append(lines, "  "+st.Warn.Render("📎 "+sanitize(a.Name))+st.Muted.Render(fmt.Sprintf(" %s, %s", a.Type, crm.ByteSize(a.Size))))
			}
			for _, p := range m.Problems {
				lines = append(lines, "  "+st.Muted.Render("⚠ "+sanitize(p)))
			}
			lines = append(lines, "")
		}
	}
	return lines
}

// wrapLines wraps text to w columns for the screen. A quoted line keeps
// its quote marks ("> ", ">> ") on every piece it is wrapped into, so a
// long quoted line never reads as if the person replying wrote its tail.
func wrapLines(text string, w int) []string {
	if strings.TrimSpace(text) == "" {
		return nil
	}
	w = max(10, w)
	var out []string
	for _, line := range strings.Split(text, "\n") {
		quote := quotePrefix(line)
		if quote == "" || lipgloss.Width(line) <= w {
			out = append(out, strings.Split(lipgloss.Wrap(line, w, ""), "\n")...)
			continue
		}
		for _, piece := range strings.Split(lipgloss.Wrap(line[len(quote):], max(10, w-lipgloss.Width(quote)), ""), "\n") {
			out = append(out, quote+piece)
		}
	}
	return out
}

// quotePrefix is the run of quote marks and spaces a quoted line starts
// with ("> ", ">> ", "> > "), or "" for a line that is not quoted.
func quotePrefix(line string) string {
	end := 0
	for i, c := range line {
		if c == '>' {
			end = i + 1
		} else if c != ' ' {
			break
		}
	}
	if end == 0 {
		return ""
	}
	if end < len(line) && line[end] == ' ' {
		end++
	}
	return line[:end]
}

func addrList(as []crm.Address) string {
	parts := make([]string, 0, len(as))
	for _, a := range as {
		if a.Name != "" {
			parts = append(parts, a.Name)
		} else {
			parts = append(parts, a.Email)
		}
	}
	return strings.Join(parts, ", ")
}
