package ui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"roster/crm"
)

// The review: exactly what will be sent, and the one key (y) that sends
// it. Message-ID and Date are not shown because they do not exist yet:
// the outbox fixes them when the mail is queued, and every retry reuses
// them.

// mailQueuedMsg is the answer to the review's y.
type mailQueuedMsg struct {
	mail crm.OutboxMail
	err  error
	// status, when set, is the status line's word instead of the
	// plain "queued"; reload is a creator whose screen the mail changed
	// (a confirmation marks their terms confirmed).
	status string
	reload crm.ID
}

// startCompose opens the compose screen on a draft.
func (m *Model) startCompose(d crm.Draft) tea.Cmd {
	back := m.screen
	if back != screenDetail {
		back = screenBoard
	}
	if d.CreatorName == "" && back == screenDetail && d.CreatorID == m.detail.creatorID() {
		d.CreatorName = m.detail.name()
	}
	m.compose = newCompose(m.c, d, back)
	m.screen = screenCompose
	return m.compose.setFocus(m.compose.focus)
}

// reviewDraft checks the fields and shows the preview; a problem stays on
// the compose screen with the field named.
func (m *Model) reviewDraft() tea.Cmd {
	k := &m.compose
	d, err := k.draft()
	if err != nil {
		k.showErr(err)
		m.screen = screenCompose
		return k.setFocus(max(0, k.errField))
	}
	k.err, k.errField, k.review, k.top = "", -1, d, 0
	m.screen = screenPreview
	return nil
}

// editInline goes back from the review to the fields.
func (m *Model) editInline() tea.Cmd {
	m.screen = screenCompose
	return m.compose.setFocus(m.compose.focus)
}

// discardDraft leaves compose, asking first when something was written.
func (m *Model) discardDraft() tea.Cmd {
	back := m.compose.back
	return m.askDiscard(m.compose.dirty(), "Discard this mail? What you wrote is lost.", "discard it", func(m *Model) tea.Cmd {
		m.screen = back
		m.setStatus("mail discarded")
		return nil
	})
}

// sendDraft queues the reviewed mail. The delivery worker sends it in the
// background; the header shows its progress and O the outbox.
// While the editor's text is kept unread, the review shows an older
// draft than the user's, so y refuses rather than send it.
func (m *Model) sendDraft() tea.Cmd {
	if k := &m.compose; k.kept != "" {
		m.setErr(fmt.Errorf("not sent: your edited text has a problem (%s) and the review shows the draft from before it — e fixes it, esc discards the mail", k.keptErr))
		return nil
	}
	svc, actor, d, terms := m.c.Svc, m.c.Actor, m.compose.review, m.compose.terms
	m.setStatus("queueing…")
	return func() tea.Msg {
		if terms != nil {
			return terms.queue(svc, actor, d)
		}
		om, err := svc.QueueMail(actor, d)
		return mailQueuedMsg{mail: om, err: err}
	}
}

func (m *Model) mailQueued(msg mailQueuedMsg) tea.Cmd {
	if msg.err != nil {
		m.setErr(fmt.Errorf("not queued: %w", msg.err))
		return nil
	}
	m.lastQueued = msg.mail.ID
	m.screen = m.compose.back
	m.compose = composeModel{}
	if msg.status != "" {
		m.setStatus(msg.status)
	} else {
		m.setStatus(fmt.Sprintf("queued %q to %s; sending in the background (O shows the outbox)", sanitize(msg.mail.Subject), sanitize(msg.mail.ToLine())))
	}
	if msg.reload != "" {
		return loadDetailCmd(m.c.Svc, msg.reload)
	}
	return nil
}

// previewLines draws a draft as it will go: the headers that will be in
// it and the body, wrapped only for the screen.
func previewLines(c *Common, d *crm.Draft, w int) []string {
	st := &c.Styles
	h := mailHead{From: d.From, To: d.To, Cc: d.Cc, Subject: d.Subject, InReplyTo: d.InReplyTo, References: d.References}
	lines := h.lines(c, w)
	// The note sits in the value column, wrapped there like References.
	for _, l := range wrapLines("Message-ID and Date are set when the mail is queued and stay the same on every retry.", max(20, w-headerLabelWidth)) {
		lines = append(lines, st.Muted.Render(pad("", headerLabelWidth)+l))
	}
	lines = append(lines, st.Rule.Render(strings.Repeat("─", max(1, w))))
	return append(lines, bodyLines(d.Text, w)...)
}

// bodyLines is a mail's text for the screen: sanitised, every line kept
// (blank ones too), long ones wrapped.
func bodyLines(text string, w int) []string {
	var lines []string
	for _, l := range strings.Split(strings.TrimRight(sanitizeBlock(text), "\n"), "\n") {
		if l == "" {
			lines = append(lines, "")
			continue
		}
		lines = append(lines, wrapLines(l, w)...)
	}
	return lines
}

// viewPreview is the review screen.
func (m *Model) viewPreview(w, h int) string {
	st := &m.c.Styles
	k := &m.compose
	head := " " + st.Bold.Render("Review: "+sanitize(k.title()))
	hint := st.Muted.Render("y send · e $EDITOR · enter edit · esc discard")
	if m.c.Remote {
		hint = st.Muted.Render("y send · enter edit · esc discard")
	}
	body := previewLines(m.c, &k.review, w-2)
	if k.terms != nil {
		var ask []string
		for _, l := range wrapLines(fmt.Sprintf("Send this confirmation of the current terms? y queues it and marks terms v%d confirmed by it.", k.terms.n), w-2) {
			ask = append(ask, st.Warn.Render(l))
		}
		body = append(append(ask, ""), body...)
	}
	return scrollPage(st, head, hint, "", body, &k.top, w, h)
}
