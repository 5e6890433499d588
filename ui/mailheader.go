package ui

import (
	"strings"
	"time"

	"roster/crm"
)

// mailHead is a mail's headers as roster shows them: a draft on the review
// (no Date or Message-ID yet), a queued mail in the outbox, a received one
// among the unmatched mail. One drawing serves all three, so a header
// reads the same wherever the manager meets it.
type mailHead struct {
	From       crm.Address
	To, Cc     []crm.Address
	Subject    string
	Date       time.Time // zero for a draft
	MessageID  string
	InReplyTo  string
	References []string
}

// headerLabelWidth is the label column of every header line.
const headerLabelWidth = 13

// headerLine is one header: the label in its column, the value sanitised.
func headerLine(st *Styles, label, value string) string {
	return st.Label.Render(pad(label, headerLabelWidth)) + sanitize(value)
}

// lines draws the headers that are set, in the order a mail client shows
// them; References wrap to w under their label.
func (h *mailHead) lines(c *Common, w int) []string {
	st := &c.Styles
	lines := []string{headerLine(st, "From", h.From.String()), headerLine(st, "To", addrLine(h.To))}
	if len(h.Cc) > 0 {
		lines = append(lines, headerLine(st, "Cc", addrLine(h.Cc)))
	}
	lines = append(lines, headerLine(st, "Subject", h.Subject))
	if !h.Date.IsZero() {
		lines = append(lines, headerLine(st, "Date", stamp(c, h.Date)))
	}
	if h.MessageID != "" {
		lines = append(lines, headerLine(st, "Message-ID", "<"+h.MessageID+">"))
	}
	if h.InReplyTo != "" {
		lines = append(lines, headerLine(st, "In-Reply-To", "<"+h.InReplyTo+">"))
	}
	if len(h.References) > 0 {
		refs := make([]string, len(h.References))
		for i, r := range h.References {
			refs[i] = "<" + r + ">"
		}
		for i, l := range wrapLines(strings.Join(refs, " "), max(20, w-headerLabelWidth)) {
			label := ""
			if i == 0 {
				label = "References"
			}
			lines = append(lines, headerLine(st, label, l))
		}
	}
	return lines
}

// addrLine writes addresses as a header does: "Maya Chen
// <maya@x.example>, ana@y.example".
func addrLine(as []crm.Address) string {
	parts := make([]string, len(as))
	for i, a := range as {
		parts[i] = a.String()
	}
	return strings.Join(parts, ", ")
}

// stamp is a moment as the mail screens write it, in the program's time
// zone; "—" for one that has not happened.
func stamp(c *Common, t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(c.Svc.Clock().Now().Location()).Format("Mon 2 Jan 2006 15:04")
}
