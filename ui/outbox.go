package ui

import (
	"bytes"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"roster/crm"
)

// outboxModel is the O screen: every mail roster queued, newest first,
// with where it stands and the server's words when it did not go. It
// reloads whenever the change feed says a mail moved.
type outboxModel struct {
	pickList[crm.OutboxMail]
	back screen
}

type outboxLoadedMsg struct {
	mails []crm.OutboxMail
	err   error
}

// outboxDoneMsg is the answer to a retry or cancel.
type outboxDoneMsg struct {
	what string
	mail crm.OutboxMail
	err  error
}

// unsentMsg is the outbox's count of mail that did not go.
type unsentMsg struct {
	n   int
	err error
}

// loadUnsentCmd counts the failed and in-doubt mail for the header.
func loadUnsentCmd(svc *crm.Service) tea.Cmd {
	return func() tea.Msg {
		ms, err := svc.Outbox(crm.OutboxQuery{States: []crm.OutboxState{crm.OutboxFailed, crm.OutboxInDoubt}})
		return unsentMsg{n: len(ms), err: err}
	}
}

func loadOutboxCmd(svc *crm.Service) tea.Cmd {
	return func() tea.Msg {
		ms, err := svc.Outbox(crm.OutboxQuery{})
		return outboxLoadedMsg{mails: ms, err: err}
	}
}

// openOutbox shows the outbox (O); esc goes back to the screen O was
// pressed on: the board, a creator, the unmatched mail. O on a report
// leaves it as esc would, returning to what the report was opened from,
// and on a report opened from the outbox it is that outbox again, where
// it was. So back never leads in a circle.
func (m *Model) openOutbox() tea.Cmd {
	back := m.screen
	if back == screenPager {
		back = m.pager.back
	}
	if back != screenOutbox {
		m.outbox = outboxModel{back: back, pickList: pickList[crm.OutboxMail]{items: m.outbox.items, loaded: m.outbox.loaded}}
	}
	m.screen = screenOutbox
	return loadOutboxCmd(m.c.Svc)
}

func outboxMailID(x *crm.OutboxMail) crm.ID { return x.ID }

// outboxManage asks before retrying or cancelling the selected mail.
func (m *Model) outboxManage(retry bool) tea.Cmd {
	om, ok := m.outbox.selected()
	if !ok {
		return nil
	}
	svc, actor, id := m.c.Svc, m.c.Actor, om.ID
	what, verb := "cancel", "Cancel"
	run := func() (crm.OutboxMail, error) { return svc.CancelMail(actor, id) }
	if retry {
		if om.State != crm.OutboxFailed && om.State != crm.OutboxInDoubt {
			m.setErr(fmt.Errorf("this mail is %s; only failed or in-doubt mail can be retried", om.State))
			return nil
		}
		what, verb = "retry", "Send again"
		run = func() (crm.OutboxMail, error) { return svc.RetryMail(actor, id) }
	} else if om.State != crm.OutboxQueued && om.State != crm.OutboxFailed && om.State != crm.OutboxInDoubt {
		m.setErr(fmt.Errorf("this mail is %s and cannot be cancelled", om.State))
		return nil
	}
	text := fmt.Sprintf("%s %q to %s?", verb, sanitize(om.Subject), sanitize(om.ToLine()))
	if retry && om.State == crm.OutboxInDoubt {
		text += "\nIt may already have arrived: the server never confirmed it. The same Message-ID is sent again."
	}
	m.confirm = &confirmModel{text: text, choices: []choice{
		{key: "y", label: what, run: func(m *Model) tea.Cmd {
			return func() tea.Msg {
				r, err := run()
				return outboxDoneMsg{what: what, mail: r, err: err}
			}
		}},
		{key: "n", label: "leave it"},
	}}
	return nil
}

func (m *Model) outboxDone(msg outboxDoneMsg) tea.Cmd {
	if msg.err != nil {
		m.setErr(fmt.Errorf("%s: %w", msg.what, msg.err))
		return nil
	}
	m.setStatus(fmt.Sprintf("%q to %s is now %s", sanitize(msg.mail.Subject), sanitize(msg.mail.ToLine()), msg.mail.State))
	return loadOutboxCmd(m.c.Svc)
}

// outboxEvent reports whether an event concerns the outbox.
func outboxEvent(k crm.EventKind) bool {
	switch k {
	case crm.MailQueued, crm.MailSent, crm.MailFailed, crm.MailInDoubt, crm.MailCancelled, crm.MailRetried, crm.OutboxChanged:
		return true
	}
	return false
}

// outboxChanges reloads the outbox screen and the header's count when
// mail moved, and tells the status line what became of the mail this
// program queued last.
func (m *Model) outboxChanges(evs []crm.Event, reset bool) tea.Cmd {
	changed, moved := reset, false
	for _, e := range evs {
		if !outboxEvent(e.Kind) {
			continue
		}
		changed, moved = true, true
		if m.lastQueued != "" && (e.Kind == crm.MailSent || e.Kind == crm.MailFailed || e.Kind == crm.MailInDoubt) &&
			bytes.Contains(e.After, []byte(`"`+string(m.lastQueued)+`"`)) {
			if e.Kind == crm.MailSent {
				m.setStatus(sanitize(e.Summary))
			} else {
				m.setErr(fmt.Errorf("%s (O shows the outbox)", sanitize(e.Summary)))
			}
		}
	}
	var cmds []tea.Cmd
	if changed && m.screen == screenOutbox {
		cmds = append(cmds, loadOutboxCmd(m.c.Svc))
	}
	if moved {
		// A reset alone reloads the board, which recounts.
		cmds = append(cmds, loadUnsentCmd(m.c.Svc))
	}
	return tea.Batch(cmds...)
}

// outboxLine is the header's word on sending: the worker's progress
// while it sends, else how much mail in the outbox did not go.
func (m *Model) outboxLine() string {
	st := &m.c.Styles
	s := m.c.Svc.OutboxStatus()
	switch {
	case s.Running && s.Total > 0:
		line := fmt.Sprintf("✉ sending %d/%d", s.Done, s.Total)
		if s.Failed > 0 {
			line += fmt.Sprintf(", %d failed", s.Failed)
		}
		return st.Accent.Render(line)
	case m.unsent > 0:
		return st.Error.Render(fmt.Sprintf("✉ %d not sent (O)", m.unsent))
	}
	return ""
}

// stateLabel words a state for the list, with a mark that survives
// NO_COLOR.
func (m *Model) stateLabel(s crm.OutboxState) string {
	st := &m.c.Styles
	switch s {
	case crm.OutboxSent:
		return st.OK.Render("✓ sent")
	case crm.OutboxFailed:
		return st.Error.Render("✗ failed")
	case crm.OutboxInDoubt:
		return st.Warn.Render("? in-doubt")
	case crm.OutboxSending:
		return st.Accent.Render("→ sending")
	case crm.OutboxCancelled:
		return st.Muted.Render("– cancelled")
	}
	return st.Muted.Render("· queued")
}

func (m *Model) viewOutbox(w, h int) string {
	st := &m.c.Styles
	o := &m.outbox
	counts := map[crm.OutboxState]int{}
	for _, x := range o.items {
		counts[x.State]++
	}
	var parts []string
	for _, s := range crm.OutboxStates {
		if counts[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[s], s))
		}
	}
	head := " " + st.Bold.Render("Outbox") + st.Muted.Render("  "+strings.Join(parts, " · "))
	if o.open {
		if om, ok := o.selected(); ok {
			lines := m.outboxMailLines(om, w-2)
			return scrollPage(st, head, "", "", lines, &o.readTop, w, h)
		}
	}
	loc := m.c.Svc.Clock().Now().Location()
	var lines []string
	if !o.loaded {
		lines = []string{st.Muted.Render("loading…")}
	} else if len(o.items) == 0 {
		lines = []string{st.Muted.Render("Nothing sent from roster yet. r replies in a creator's Mail tab, c writes a new mail, b sends outreach to marked cards.")}
	}
	from, to := o.window(h - 2)
	// Recipients take up to two fifths of the screen.
	recipients := o.column(from, to, 12, max(26, w*2/5), (*crm.OutboxMail).ToLine)
	for i := from; i < to; i++ {
		x := &o.items[i]
		when := x.CreatedAt
		if x.State == crm.OutboxSent && !x.SentAt.IsZero() {
			when = x.SentAt
		}
		marker := "  "
		if i == o.sel {
			marker = st.CardMarker.Render("▌ ")
		}
		left := marker + pad(m.stateLabel(x.State), 12) + st.Muted.Render(pad(when.In(loc).Format("2 Jan 15:04"), 12)) + "  " +
			recipients[i-from] + "  " + sanitize(x.Subject)
		if x.LastError != "" && x.State != crm.OutboxSent {
			left += st.Error.Render("  " + sanitize(x.LastError))
		}
		lines = append(lines, left)
	}
	out := []string{fit(head, w), ""}
	for _, l := range lines {
		out = append(out, fit(l, w))
	}
	for len(out) < h {
		out = append(out, "")
	}
	return strings.Join(out[:h], "\n")
}

// outboxMailLines shows one mail in full, as the outbox holds it.
func (m *Model) outboxMailLines(x *crm.OutboxMail, w int) []string {
	st := &m.c.Styles
	field := func(label, value string) string { return headerLine(st, label, value) }
	head := mailHead{From: x.From, To: x.To, Cc: x.Cc, Subject: x.Subject, Date: x.Date, MessageID: x.MessageID,
		InReplyTo: x.InReplyTo, References: x.References}
	lines := append([]string{field("State", "") + m.stateLabel(x.State)}, head.lines(m.c, w)...)
	lines = append(lines, field("Account", x.Account), field("Queued by", x.QueuedBy+" at "+stamp(m.c, x.CreatedAt)),
		field("Attempts", fmt.Sprint(x.Attempts)))
	if x.State == crm.OutboxQueued && x.Attempts > 0 {
		lines = append(lines, field("Next try", stamp(m.c, x.NextAt)))
	}
	if x.State == crm.OutboxSent {
		lines = append(lines, field("Sent", stamp(m.c, x.SentAt)))
	}
	if x.LastError != "" {
		lines = append(lines, field("Error", "")+st.Error.Render(sanitize(x.LastError)))
	}
	if x.Response != "" {
		lines = append(lines, field("Server said", x.Response))
	}
	if x.SentCopy != "" {
		lines = append(lines, field("Sent copy", x.SentCopy))
	}
	lines = append(lines, st.Rule.Render(strings.Repeat("─", max(1, w))))
	return append(lines, bodyLines(x.Text, w)...)
}
