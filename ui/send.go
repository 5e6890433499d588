package ui

import (
	"errors"
	"fmt"

	tea "charm.land/bubbletea/v2"

	"roster/crm"
)

// sendState is the root model's part for sending mail: the compose screen
// and its review, the outbox screen, the outreach stepper, the template
// chooser and the board's marks. Model embeds it, so the hooks below are
// all model.go needs to know about sending.
type sendState struct {
	compose  composeModel
	outbox   outboxModel
	outreach outreachModel
	chooser  *chooserModel
	// marks are the deals marked for outreach; a mark whose deal left the
	// board is forgotten when the marks are next read.
	marks map[crm.ID]bool
	// lastQueued is the mail this program queued last: its delivery is
	// reported in the status line.
	lastQueued crm.ID
	// unsent is how many mails in the outbox failed or are in doubt,
	// waiting for a retry or a cancel: the header's count. It is read
	// from the outbox on every outbox change, not taken from the worker's
	// last pass, which a cancel or retry does not touch.
	unsent int
}

// draftMsg carries a draft made by the service (reply, blank, template).
type draftMsg struct {
	draft crm.Draft
	err   error
}

// sendKey takes the keys of the sending screens that are not plain
// registry dispatch: the chooser overlay, typing in compose, and the
// screens where a global key would leave a draft or plan behind.
func (m *Model) sendKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	if m.chooser != nil {
		return m.chooser.handle(m, msg), true
	}
	if m.help.open || m.prompt.active() {
		return nil, false
	}
	switch m.screen {
	case screenCompose:
		return m.compose.handle(m, msg), true
	case screenPreview, screenOutreach:
		// Only help, the command line and quit from here: O or s would
		// walk away from the mail being reviewed.
		cmd, _ := dispatch(m, msg, m.reg.screenScope(m.screen), m.globalScope())
		return cmd, true
	}
	return nil, false
}

// globalScope is the global actions that work on the current screen:
// on the review and the outreach stepper only reviewGlobals, so no key,
// `:` command or help line leads away from the mail being reviewed.
func (m *Model) globalScope() Scope {
	if m.screen == screenPreview || m.screen == screenOutreach {
		return m.reg.Global.only(reviewGlobals...)
	}
	return m.reg.Global
}

// footerGlobals are the global actions the footer offers.
func (m *Model) footerGlobals() []Action { return m.globalScope().Actions }

// reviewGlobals are the global actions that work while a mail or a plan
// is being reviewed.
var reviewGlobals = []string{"help", "command", "quit"}

// sendResult applies the results of the sending commands.
func (m *Model) sendResult(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case templatesMsg:
		return m.templatesReady(msg), true
	case draftMsg:
		if msg.err != nil {
			m.setErr(msg.err)
			return nil, true
		}
		return m.startCompose(msg.draft), true
	case mailQueuedMsg:
		return m.mailQueued(msg), true
	case editorDoneMsg:
		return m.editorDone(msg), true
	case outboxLoadedMsg:
		if msg.err != nil {
			m.setErr(msg.err)
		} else {
			m.outbox.set(msg.mails, outboxMailID)
		}
		return nil, true
	case outboxDoneMsg:
		return m.outboxDone(msg), true
	case unsentMsg:
		if msg.err == nil {
			m.unsent = msg.n
		}
		return nil, true
	case outreachPlannedMsg:
		return m.outreachPlanned(msg), true
	case outreachQueuedMsg:
		return m.outreachQueued(msg), true
	}
	return nil, false
}

// sendDirty reports whether quitting now would lose a mail being written.
func (m *Model) sendDirty() bool {
	return (m.screen == screenCompose || m.screen == screenPreview) && m.compose.dirty()
}

// replySelected starts a reply to the Mail tab's selected message.
func (m *Model) replySelected(all bool) tea.Cmd {
	msg, ok := m.detail.selectedMessage()
	if !ok {
		m.setErr(errors.New("no message to reply to: the Mail tab (2) lists them, c writes a new mail"))
		return nil
	}
	svc, id := m.c.Svc, msg.ID
	return func() tea.Msg {
		d, err := svc.ReplyDraft(id, all)
		return draftMsg{draft: d, err: err}
	}
}

// detailDealID is the open creator's deal on this board's campaign.
func (m *Model) detailDealID() crm.ID {
	if d, ok := m.detail.deal(); ok {
		return d.ID
	}
	return ""
}

// composeTo asks blank or which template, then opens compose to the
// creator. A template that cannot be filled in for them says which field
// and queues nothing.
//
// A creator marked Do not contact is asked about first, naming the flag:
// it keeps them out of outreach, and a new mail to them is most likely a
// slip. It is a question, not a refusal, because a manager sometimes must
// write anyway (a payment or contract on a running deal), and turning
// the flag off to do so risks leaving it off. A reply to their own mail
// (r) is not asked about: they wrote first.
func (m *Model) composeTo(cr crm.Creator, deal crm.ID) tea.Cmd {
	creator, name := cr.ID, cr.Name
	if creator == "" {
		return nil
	}
	if cr.DoNotContact {
		m.confirm = &confirmModel{text: fmt.Sprintf("%s is marked Do not contact (never include in outreach).\nWrite to them anyway? (e on their profile changes the flag)", sanitize(name)),
			choices: []choice{
				{key: "y", label: "write anyway", run: func(m *Model) tea.Cmd { return m.chooseComposition(creator, name, deal) }},
				{key: "n", label: "do not write"},
			}}
		return nil
	}
	return m.chooseComposition(creator, name, deal)
}

// chooseComposition offers a blank mail or a template to the creator.
func (m *Model) chooseComposition(creator crm.ID, name string, deal crm.ID) tea.Cmd {
	return withTemplates(m.c.Svc, func(m *Model, names, notes []string) tea.Cmd {
		svc := m.c.Svc
		options := append([]string{blankMail}, names...)
		m.chooser = &chooserModel{title: "Write to " + sanitize(name), options: options,
			notes: append([]string{""}, notes...),
			pick: func(m *Model, i int) tea.Cmd {
				option := options[i]
				return func() tea.Msg {
					if option == blankMail {
						d, err := svc.ComposeDraft(creator, deal, "")
						return draftMsg{draft: d, err: err}
					}
					if deal == "" {
						return draftMsg{err: fmt.Errorf("%s has no deal on this campaign's board; templates are filled in for a deal", name)}
					}
					d, err := svc.TemplateDraft(option, deal, "")
					if err != nil {
						err = fmt.Errorf("template %s not used, nothing queued: %w", option, err)
					}
					return draftMsg{draft: d, err: err}
				}
			}}
		return nil
	})
}

// only is the scope's actions of those names.
func (s Scope) only(names ...string) Scope {
	out := Scope{Name: s.Name}
	for _, a := range s.Actions {
		for _, n := range names {
			if a.Name == n {
				out.Actions = append(out.Actions, a)
			}
		}
	}
	return out
}
