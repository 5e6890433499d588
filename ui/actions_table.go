package ui

import (
	"strings"

	tea "charm.land/bubbletea/v2"
)

func globalActions() []Action {
	return []Action{
		{Name: "help", Binding: bind("?", "show or hide every key", "?"), Footer: "? help",
			Run: func(m *Model, _ []string) tea.Cmd { m.toggleHelp(); return nil }},
		{Name: "command", Binding: bind(":", "command line (try :help)", ":"), Footer: ": command",
			Run: func(m *Model, _ []string) tea.Cmd { return m.openPrompt(promptCommand, "") }},
		{Name: "quit", Aliases: []string{"q", "exit"}, Binding: bind("ctrl+c", "quit roster", "ctrl+c"),
			Run: func(m *Model, _ []string) tea.Cmd { return m.quit() }},
		{Name: "campaign", Args: "NAME", Binding: bind("", "switch to the campaign NAME's board"),
			Run: func(m *Model, args []string) tea.Cmd { return m.switchCampaign(strings.Join(args, " ")) }},
		{Name: "new-campaign", Args: "NAME", Binding: bind("", "create a campaign and switch to it"),
			Run: func(m *Model, args []string) tea.Cmd { return m.newCampaign(strings.Join(args, " ")) }},
		{Name: "report", Binding: bind("#", "the report: funnel, days per stage, spend against budget", "#"),
			Run: func(m *Model, _ []string) tea.Cmd { return m.showReport() }},
		{Name: "budget", Args: "AMOUNT", Binding: bind("", "set this campaign's budget, as in :budget 15000 USD (none clears it)"),
			Run: func(m *Model, args []string) tea.Cmd { return m.setBudget(args) }},
		{Name: "campaigns", Binding: bind("", "list campaigns in the status line"),
			Run: func(m *Model, _ []string) tea.Cmd { return m.listCampaigns() }},
		{Name: "backup", Args: "FILE", Binding: bind("", "copy the database to FILE, consistently"),
			Run: func(m *Model, args []string) tea.Cmd { return m.backup(strings.Join(args, " ")) }},
		{Name: "reload", Binding: bind("ctrl+r", "reload from the database", "ctrl+r"),
			Run: func(m *Model, _ []string) tea.Cmd { return m.reload() }},
		{Name: "sync", Binding: bind("s", "sync mail now", "s"), Footer: "s sync",
			Run: func(m *Model, _ []string) tea.Cmd { return m.syncNow() }},
	}
}

func boardActions() []Action {
	mv := func(dc, dr int) func(m *Model, _ []string) tea.Cmd {
		return func(m *Model, _ []string) tea.Cmd { m.board.move(dc, dr); return nil }
	}
	return []Action{
		{Name: "left", Binding: bind("←/h", "previous column", "left", "h"), Run: mv(-1, 0)},
		{Name: "right", Binding: bind("→/l", "next column", "right", "l"), Run: mv(1, 0)},
		{Name: "up", Binding: bind("↑/k", "previous card", "up", "k"), Run: mv(0, -1)},
		{Name: "down", Binding: bind("↓/j", "next card", "down", "j"), Run: mv(0, 1)},
		{Name: "top", Binding: bind("g/home", "first card", "g", "home"),
			Run: func(m *Model, _ []string) tea.Cmd { m.board.jump(false); return nil }},
		{Name: "bottom", Binding: bind("G/end", "last card", "G", "end"),
			Run: func(m *Model, _ []string) tea.Cmd { m.board.jump(true); return nil }},
		{Name: "page-down", Binding: bind("ctrl+d/pgdn", "half a page down", "ctrl+d", "pgdown"), Run: func(m *Model, _ []string) tea.Cmd { m.board.page(1); return nil }},
		{Name: "page-up", Binding: bind("ctrl+u/pgup", "half a page up", "ctrl+u", "pgup"), Run: func(m *Model, _ []string) tea.Cmd { m.board.page(-1); return nil }},
		{Name: "prev", Aliases: []string{"move-left"}, Binding: bind("H/shift+←", "move the card to the previous stage", "H", "shift+left"),
			Run: func(m *Model, _ []string) tea.Cmd { return m.stepDeal(onCard, -1) }},
		{Name: "next", Aliases: []string{"move-right"}, Binding: bind("L/shift+→", "move the card to the next stage", "L", "shift+right"), Footer: "H/L move",
			Run: func(m *Model, _ []string) tea.Cmd { return m.stepDeal(onCard, +1) }},
		{Name: "move", Args: "STAGE", Binding: bind("", "move the card to STAGE"),
			Run: func(m *Model, args []string) tea.Cmd { return m.moveToStage(onCard, strings.Join(args, " ")) }},
		{Name: "decline", Args: "[REASON]", Binding: bind("d", "decline the deal, with a reason", "d"), Footer: "d decline",
			Run: func(m *Model, args []string) tea.Cmd { return m.declineDeal(onCard, strings.Join(args, " ")) }},
		{Name: "unmatched", Binding: bind("u", "unmatched mail: senders who are no creator yet", "u"), Footer: "u unmatched",
			Run: func(m *Model, _ []string) tea.Cmd { return m.openUnmatched() }},
		{Name: "declined", Binding: bind("D", "show or hide declined deals", "D"),
			Run: func(m *Model, _ []string) tea.Cmd { m.board.toggleDeclined(); return nil }},
		{Name: "reopen-card", Aliases: []string{"reopen"}, Binding: bind("o", "reopen a declined deal", "o"),
			Run: func(m *Model, _ []string) tea.Cmd { return m.reopenDeal(onCard) }},
		{Name: "open", Binding: bind("enter", "open the creator", "enter"), Footer: "enter open",
			Run: func(m *Model, _ []string) tea.Cmd { return m.openSelected() }},
		{Name: "add", Binding: bind("a", "add a creator", "a"), Footer: "a add",
			Run: func(m *Model, _ []string) tea.Cmd { return m.openAddForm() }},
		{Name: "next-campaign", Binding: bind("C", "switch to the next campaign's board", "C"),
			Run: func(m *Model, _ []string) tea.Cmd { return m.nextCampaign() }},
		{Name: "due", Binding: bind("!", "deliverables overdue or due this week, on every board", "!"),
			Run: func(m *Model, _ []string) tea.Cmd { return m.showDue() }},
		{Name: "filter", Args: "[TEXT]", Binding: bind("/", "filter by name, handle, email or tag", "/"), Footer: "/ filter",
			Run: func(m *Model, args []string) tea.Cmd {
				if len(args) > 0 {
					m.board.setFilter(strings.Join(args, " "))
					return nil
				}
				return m.openPrompt(promptFilter, m.board.filter)
			}},
		{Name: "clear-filter", Binding: bind("esc", "clear the filter", "esc"),
			Run: func(m *Model, _ []string) tea.Cmd { m.board.setFilter(""); return nil }},
		{Name: "quit-board", Aliases: []string{"close"}, Binding: bind("q", "quit", "q"), Footer: "q quit",
			Run: func(m *Model, _ []string) tea.Cmd { return m.quit() }},
	}
}

func unmatchedActions() []Action {
	return pickActions("unmatched", "message", func(m *Model) pickNav { return &m.unmatched }, func(m *Model) { m.screen = screenBoard },
		Action{Name: "read", Binding: bind("enter", "read the message (its text is fetched from the server if sync kept headers only)", "enter"), Footer: "enter read",
			Run: func(m *Model, _ []string) tea.Cmd { return m.readUnmatched() }},
		Action{Name: "prospect", Binding: bind("p", "make the sender a prospect on this board", "p"), Footer: "p prospect",
			Run: func(m *Model, _ []string) tea.Cmd { return m.prospectFromMail() }},
		Action{Name: "link", Args: "[CREATOR]", Binding: bind("l", "link the sender to an existing creator", "l"), Footer: "l link",
			Run: func(m *Model, args []string) tea.Cmd {
				if len(args) > 0 {
					return m.linkTo(strings.Join(args, " "))
				}
				return m.linkPrompt()
			}},
		Action{Name: "ignore", Binding: bind("x", "ignore this sender: their mail, now and later, leaves the list (asks first)", "x"), Footer: "x ignore",
			Run: func(m *Model, _ []string) tea.Cmd { return m.ignoreSender() }},
		Action{Name: "unignore", Args: "[ADDRESS]", Binding: bind("X", "stop ignoring a sender: their mail is listed again", "X"),
			Run: func(m *Model, args []string) tea.Cmd {
				if len(args) > 0 {
					return m.unignore(strings.Join(args, " "))
				}
				return m.unignorePrompt()
			}},
	)
}

func detailActions() []Action {
	tab := func(t detailTab) func(m *Model, _ []string) tea.Cmd {
		return func(m *Model, _ []string) tea.Cmd { m.detail.setTab(t); return nil }
	}
	acts := []Action{
		{Name: "back", Binding: bind("esc/q", "back to the board", "esc", "q"), Footer: "esc back",
			Run: func(m *Model, _ []string) tea.Cmd { m.screen = screenBoard; return nil }},
		{Name: "next-tab", Binding: bind("tab", "next tab", "tab"), Footer: "tab/1-5 tabs",
			Run: func(m *Model, _ []string) tea.Cmd { m.detail.cycleTab(1); return nil }},
		{Name: "prev-tab", Binding: bind("shift+tab", "previous tab", "shift+tab"),
			Run: func(m *Model, _ []string) tea.Cmd { m.detail.cycleTab(-1); return nil }},
		{Name: "profile", Binding: bind("1", "profile tab", "1"), Run: tab(tabProfile)},
		{Name: "mail", Aliases: []string{"conversation"}, Binding: bind("2", "mail tab: every thread with the creator", "2"), Run: tab(tabMail)},
		{Name: "notes", Binding: bind("3", "notes tab", "3"), Run: tab(tabNotes)},
		{Name: "activity", Aliases: []string{"log"}, Binding: bind("4", "activity log tab", "4"), Run: tab(tabActivity)},
		{Name: "terms", Binding: bind("5", "terms tab: agreed terms, versions and changes, money, deliverables", "5"), Run: tab(tabTerms)},
		{Name: "terms-edit", Binding: bind("t", "record new terms (on the Mail tab: agreed in the selected message)", "t"),
			Run: func(m *Model, _ []string) tea.Cmd { return m.openTermsEditor() }},
		{Name: "payment", Binding: bind("P", "record a payment on this deal", "P"),
			Run: func(m *Model, _ []string) tea.Cmd { return m.openPaymentForm() }},
		{Name: "diff", Args: "V1 V2", Binding: bind("", "show what changed between two terms versions, as in :diff 1 3"),
			Run: func(m *Model, args []string) tea.Cmd { return m.diffVersions(args) }},
		{Name: "deliverable", Args: "N STATUS [URL]", Binding: bind("", "move deliverable N on (planned, drafted, approved, posted, late), with its URL once posted"),
			Run: func(m *Model, args []string) tea.Cmd { return m.setDeliverable(args) }},
		{Name: "deliverable-add", Args: "[N] PLATFORM KIND [by DATE]", Binding: bind("", "add a deliverable to the deal outside the terms, as in :deliverable-add 1 instagram story by 2026-12-05"),
			Run: func(m *Model, args []string) tea.Cmd { return m.addDeliverable(args) }},
		{Name: "void-payment", Args: "N REASON", Binding: bind("", "take back payment N, recorded by mistake, saying why (it stays in the ledger, no longer counted)"),
			Run: func(m *Model, args []string) tea.Cmd { return m.voidPayment(args) }},
		{Name: "confirm-terms", Binding: bind("S", "send the creator a confirmation of the current terms, as a reply in their thread", "S"),
			Run: func(m *Model, _ []string) tea.Cmd { return m.confirmTerms() }},
		{Name: "save-attachment", Aliases: []string{"save"}, Binding: bind("a", "save the selected message's attachments to your Downloads directory (a list to pick from when there are several)", "a"),
			Run: func(m *Model, _ []string) tea.Cmd { return m.saveAttachments() }},
		{Name: "quoted", Binding: bind("z", "show or hide quoted history in mail", "z"),
			Run: func(m *Model, _ []string) tea.Cmd { m.detail.toggleQuoted(); return nil }},
		{Name: "edit", Binding: bind("e", "edit the profile", "e"), Footer: "e edit",
			Run: func(m *Model, _ []string) tea.Cmd { return m.openEditForm() }},
		{Name: "edit-notes", Binding: bind("n", "edit notes", "n"), Footer: "n notes",
			Run: func(m *Model, _ []string) tea.Cmd { return m.openNotes() }},
		{Name: "detail-prev", Binding: bind("H/shift+←", "move this deal to the previous stage", "H", "shift+left"),
			Run: func(m *Model, _ []string) tea.Cmd { return m.stepDeal(onDetail, -1) }},
		{Name: "detail-next", Binding: bind("L/shift+→", "move this deal to the next stage", "L", "shift+right"), Footer: "H/L move",
			Run: func(m *Model, _ []string) tea.Cmd { return m.stepDeal(onDetail, +1) }},
		{Name: "detail-move", Aliases: []string{"move"}, Args: "STAGE", Binding: bind("", "move this deal to STAGE"),
			Run: func(m *Model, args []string) tea.Cmd { return m.moveToStage(onDetail, strings.Join(args, " ")) }},
		{Name: "detail-decline", Binding: bind("d", "decline this deal, with a reason", "d"),
			Run: func(m *Model, args []string) tea.Cmd { return m.declineDeal(onDetail, strings.Join(args, " ")) }},
		{Name: "reopen-deal", Aliases: []string{"reopen"}, Binding: bind("o", "reopen a declined deal", "o"),
			Run: func(m *Model, _ []string) tea.Cmd { return m.reopenDeal(onDetail) }},
	}
	return append(acts, scrollActions("scroll", func(m *Model) *int { return &m.detail.top }, "")...)
}
