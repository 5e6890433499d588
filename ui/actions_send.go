package ui

import (
	tea "charm.land/bubbletea/v2"
)

// The actions of sending: reply and compose in the creator's Mail tab,
// marks and outreach on the board, the review, the outbox and the
// outreach stepper. They live in the one registry with the others.

func globalSendActions() []Action {
	return []Action{
		{Name: "outbox", Binding: bind("O", "the outbox: queued, sent, failed and in-doubt mail", "O"), Footer: "O outbox",
			Run: func(m *Model, _ []string) tea.Cmd { return m.openOutbox() }},
	}
}

func detailSendActions() []Action {
	return []Action{
		{Name: "reply", Binding: bind("r", "reply to the selected message", "r"), Footer: "r reply",
			Run: func(m *Model, _ []string) tea.Cmd { return m.replySelected(false) }},
		{Name: "reply-all", Binding: bind("R", "reply to everyone on the selected message", "R"),
			Run: func(m *Model, _ []string) tea.Cmd { return m.replySelected(true) }},
		{Name: "compose", Binding: bind("c", "new mail to the creator: blank or from a template (asks first when they are marked Do not contact)", "c"), Footer: "c compose",
			Run: func(m *Model, _ []string) tea.Cmd {
				return m.composeTo(m.detail.creator(), m.detailDealID())
			}},
		{Name: "next-message", Binding: bind("]/J", "select the next message (Mail tab)", "]", "J"),
			Run: func(m *Model, _ []string) tea.Cmd { m.detail.stepMessage(1); return nil }},
		{Name: "prev-message", Binding: bind("[/K", "select the previous message (Mail tab)", "[", "K"),
			Run: func(m *Model, _ []string) tea.Cmd { m.detail.stepMessage(-1); return nil }},
	}
}

func boardSendActions() []Action {
	return []Action{
		{Name: "mark", Binding: bind("space", "mark or unmark the card for outreach", "space"), Footer: "space mark",
			Run: func(m *Model, _ []string) tea.Cmd { return m.toggleMark() }},
		{Name: "clear-marks", Binding: bind("M", "clear every mark", "M"),
			Run: func(m *Model, _ []string) tea.Cmd { return m.clearMarks() }},
		{Name: "outreach", Binding: bind("b", "bulk outreach to the marked (or filtered) cards from a template", "b"), Footer: "b outreach",
			Run: func(m *Model, _ []string) tea.Cmd { return m.startOutreach() }},
		{Name: "compose-card", Binding: bind("c", "new mail to the card's creator (asks first when they are marked Do not contact)", "c"),
			Run: func(m *Model, _ []string) tea.Cmd {
				card, ok := m.board.selected()
				if !ok {
					return nil
				}
				return m.composeTo(card.Creator, card.Deal.ID)
			}},
	}
}

func previewActions() []Action {
	acts := []Action{
		{Name: "send", Binding: bind("y", "send: queue the mail exactly as shown", "y"), Footer: "y send",
			Run: func(m *Model, _ []string) tea.Cmd { return m.sendDraft() }},
		{Name: "editor", Binding: bind("e", "edit headers and body in $VISUAL/$EDITOR (not over ssh)", "e"), Footer: "e editor",
			Run: func(m *Model, _ []string) tea.Cmd { return m.openEditor() }},
		{Name: "edit-inline", Binding: bind("enter/i", "edit in roster", "enter", "i"), Footer: "enter edit",
			Run: func(m *Model, _ []string) tea.Cmd { return m.editInline() }},
		{Name: "discard", Binding: bind("esc/q", "discard the mail (asks when edited)", "esc", "q"), Footer: "esc discard",
			Run: func(m *Model, _ []string) tea.Cmd { return m.discardDraft() }},
	}
	return append(acts, scrollActions("preview", func(m *Model) *int { return &m.compose.top }, "")...)
}

func outboxActions() []Action {
	return pickActions("outbox", "mail", func(m *Model) pickNav { return &m.outbox }, func(m *Model) { m.screen = m.outbox.back },
		Action{Name: "outbox-open", Binding: bind("enter", "show the mail in full", "enter"), Footer: "enter show",
			Run: func(m *Model, _ []string) tea.Cmd { m.outbox.toggle(); return nil }},
		Action{Name: "retry", Binding: bind("r", "send a failed or in-doubt mail again", "r"), Footer: "r retry",
			Run: func(m *Model, _ []string) tea.Cmd { return m.outboxManage(true) }},
		Action{Name: "cancel-mail", Binding: bind("x", "cancel a queued, failed or in-doubt mail", "x"), Footer: "x cancel",
			Run: func(m *Model, _ []string) tea.Cmd { return m.outboxManage(false) }},
	)
}

func outreachActions() []Action {
	acts := []Action{
		{Name: "outreach-next", Binding: bind("n/→/l", "next mail", "n", "right", "l"), Footer: "n/p next/prev",
			Run: func(m *Model, _ []string) tea.Cmd { m.outreach.step(1); return nil }},
		{Name: "outreach-prev", Binding: bind("p/←/h", "previous mail", "p", "left", "h"),
			Run: func(m *Model, _ []string) tea.Cmd { m.outreach.step(-1); return nil }},
		{Name: "outreach-list", Binding: bind("tab", "list skipped creators and problems", "tab"), Footer: "tab skipped",
			Run: func(m *Model, _ []string) tea.Cmd {
				m.outreach.list, m.outreach.top = !m.outreach.list, 0
				return nil
			}},
		{Name: "queue-all", Binding: bind("y", "queue every mail (asks once, with the count)", "y"), Footer: "y queue all",
			Run: func(m *Model, _ []string) tea.Cmd { return m.queueOutreach() }},
		{Name: "outreach-cancel", Binding: bind("esc/q", "back to the board; nothing is sent", "esc", "q"), Footer: "esc cancel",
			Run: func(m *Model, _ []string) tea.Cmd { m.screen = screenBoard; return nil }},
	}
	return append(acts, scrollActions("outreach", func(m *Model) *int { return &m.outreach.top }, "")...)
}
