package ui

import (
	"errors"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"roster/crm"
)

// This file holds what actions do. Each returns a command that calls the
// service; results come back as messages handled in model.go.

func (m *Model) quit() tea.Cmd {
	dirty := (m.screen == screenForm && m.form.dirty()) || (m.screen == screenNotes && m.notes.dirty()) || m.sendDirty()
	return m.askDiscard(dirty, "You have unsaved changes. Quit and lose them?", "quit", func(m *Model) tea.Cmd {
		m.quitting = true
		return tea.Quit
	})
}

func (m *Model) reload() tea.Cmd {
	cmds := []tea.Cmd{m.loadBoard()}
	if m.detail.loaded() && m.screen != screenBoard {
		cmds = append(cmds, loadDetailCmd(m.c.Svc, m.detail.creatorID()))
	}
	return tea.Batch(cmds...)
}

func (m *Model) toggleHelp() { m.help.open = !m.help.open; m.help.top = 0 }

func (m *Model) openSelected() tea.Cmd {
	card, ok := m.board.selected()
	if !ok {
		return nil
	}
	m.screen = screenDetail
	tab := tabProfile
	if !card.Turn.LastAt.IsZero() {
		tab = tabMail // the conversation is what a manager opens a card for
	}
	m.detail.open(card.Creator, card.Deal, tab)
	return loadDetailCmd(m.c.Svc, card.Creator.ID)
}

func (m *Model) openAddForm() tea.Cmd {
	m.form = newCreatorForm(m.c, nil)
	m.screen = screenForm
	return m.form.focus()
}

func (m *Model) openEditForm() tea.Cmd {
	if !m.detail.loaded() {
		return nil
	}
	c := m.detail.d.Creator
	m.form = newCreatorForm(m.c, &c)
	m.screen = screenForm
	return m.form.focus()
}

func (m *Model) openNotes() tea.Cmd {
	if !m.detail.loaded() {
		return nil
	}
	m.notes = newNotes(m.c, m.detail.d.Creator)
	m.screen = screenNotes
	return m.notes.focus()
}

// creatorSaved closes the form after a successful save, or keeps it open
// with the error on a failure so nothing typed is lost.
func (m *Model) creatorSaved(msg creatorSavedMsg) tea.Cmd {
	if msg.err != nil {
		if errors.Is(msg.err, crm.ErrConflict) {
			m.confirm = conflictDialog(msg.creator.ID)
			updated := func(k crm.EventKind) bool { return k == crm.CreatorUpdated }
			return nameConflict(m.c.Svc, m.confirm, msg.creator.ID, "", updated, func(by, change string) string {
				return fmt.Sprintf("%s saved this creator while you were editing: %s.", by, change)
			})
		}
		if m.screen == screenForm {
			m.form.err = sanitize(msg.err.Error())
			if i := m.form.fieldOf(msg.err); i >= 0 {
				m.form.errField, m.form.focusIdx = i, i
				return m.form.focus()
			}
		} else {
			m.setErr(msg.err)
		}
		return nil
	}
	if msg.card != nil {
		m.screen = screenBoard
		m.board.upsert(*msg.card)
		m.board.selectDeal(msg.card.Deal.ID)
		m.setStatus("added " + sanitize(msg.creator.Name))
		return nil
	}
	m.screen = screenDetail
	m.setStatus("saved " + sanitize(msg.creator.Name))
	return tea.Batch(loadDetailCmd(m.c.Svc, msg.creator.ID), loadCardsCmd(m.c.Svc, m.board.dealsOfCreator(msg.creator.ID)))
}

// conflictDialog offers the two honest ways out of a lost race: take the
// other person's version, or save yours over it knowingly. It names the
// other person once the log is read (nameConflict).
func conflictDialog(id crm.ID) *confirmModel {
	return &confirmModel{
		text: "Someone else saved this creator while you were editing.",
		choices: []choice{
			{key: "r", label: "reload theirs (your edits are dropped)", run: func(m *Model) tea.Cmd {
				m.screen = screenDetail
				return loadDetailCmd(m.c.Svc, id)
			}},
			{key: "o", label: "overwrite with yours", run: func(m *Model) tea.Cmd { return m.overwrite(id) }},
			{key: "esc", label: "keep editing"},
		},
	}
}

// overwrite saves the open editor over the latest stored version.
func (m *Model) overwrite(id crm.ID) tea.Cmd {
	svc, actor := m.c.Svc, m.c.Actor
	var apply func(c crm.Creator) crm.Creator
	switch m.screen {
	case screenForm:
		edited, err := m.form.creator()
		if err != nil {
			m.form.err = err.Error()
			return nil
		}
		apply = func(c crm.Creator) crm.Creator {
			edited.Version = c.Version
			edited.CreatedAt = c.CreatedAt
			return edited
		}
	case screenNotes:
		text := m.notes.value()
		apply = func(c crm.Creator) crm.Creator { c.Notes = text; return c }
	default:
		return nil
	}
	return func() tea.Msg {
		d, err := svc.CreatorDetail(id)
		if err != nil {
			return creatorSavedMsg{err: err}
		}
		saved, err := svc.UpdateCreator(actor, apply(d.Creator))
		return creatorSavedMsg{creator: saved, err: err}
	}
}

func (m *Model) switchCampaign(name string) tea.Cmd {
	name = strings.TrimSpace(name)
	if name == "" {
		return m.listCampaigns()
	}
	for _, c := range m.campaigns {
		if strings.EqualFold(c.Name, name) {
			m.board = boardModel{}
			m.campaignName = c.Name
			return loadBoardCmd(m.c.Svc, c.ID)
		}
	}
	m.setErr(fmt.Errorf("campaign %q not found; :campaigns lists them, :new-campaign %s creates it", name, name))
	return nil
}

func (m *Model) newCampaign(name string) tea.Cmd {
	svc, actor := m.c.Svc, m.c.Actor
	return func() tea.Msg {
		c, err := svc.CreateCampaign(actor, crm.Campaign{Name: name})
		if err != nil {
			return statusMsg{err: err}
		}
		b, err := svc.Board(c.ID)
		cs, _ := svc.Campaigns()
		return boardLoadedMsg{board: b, campaigns: cs, err: err}
	}
}

// setBudget sets the board's campaign budget from ":budget 15000 USD"
// (the currency defaults to the budget's own, else the one currency the
// campaign's fees are in, else USD); "none" or 0 clears it. The header and
// the report then measure spend against it, in its currency only, so a
// budget in another currency than the fees is set but said to measure
// nothing of them.
func (m *Model) setBudget(args []string) tea.Cmd {
	camp := m.board.data.Campaign
	money := m.board.data.Money
	text := strings.TrimSpace(strings.Join(args, " "))
	if text == "" {
		m.setErr(errors.New("budget: give an amount, as in :budget 15000 USD (:budget none clears it)"))
		return nil
	}
	var budget crm.Money
	if !strings.EqualFold(text, "none") {
		cur := camp.Budget.Currency
		if cur == "" {
			cur = "USD"
			if len(money.Committed) == 1 {
				for c := range money.Committed {
					cur = c
				}
			}
		}
		var err error
		if budget, err = crm.ParseMoney("budget", text, cur); err != nil {
			m.setErr(err)
			return nil
		}
	}
	svc, actor := m.c.Svc, m.c.Actor
	return func() tea.Msg {
		c, err := svc.SetCampaignBudget(actor, camp.ID, budget)
		if err != nil {
			return statusMsg{err: err}
		}
		if c.Budget.AmountMinor == 0 {
			return statusMsg{text: sanitize(c.Name) + " has no budget now"}
		}
		text := fmt.Sprintf("%s's budget is %s", sanitize(c.Name), c.Budget)
		money.Campaign = c
		if off := money.OffBudget(); len(off) > 0 {
			text += fmt.Sprintf(", but it counts %s only and the campaign's money is in %s", c.Budget.Currency, strings.Join(off, " and "))
		}
		return statusMsg{text: text}
	}
}

func (m *Model) listCampaigns() tea.Cmd {
	names := make([]string, 0, len(m.campaigns))
	for _, c := range m.campaigns {
		n := sanitize(c.Name)
		if c.ID == m.board.data.Campaign.ID {
			n = "[" + n + "]"
		}
		names = append(names, n)
	}
	m.setStatus("campaigns: " + strings.Join(names, ", ") + " — :campaign NAME switches")
	return nil
}

func (m *Model) backup(path string) tea.Cmd {
	return backupCmd(m.c.Svc, strings.TrimSpace(path), false)
}

// confirmBackupOverwrite asks before :backup writes over a file.
func (m *Model) confirmBackupOverwrite(path string) {
	svc := m.c.Svc
	m.confirm = &confirmModel{text: fmt.Sprintf("%s exists. Write this backup over it?", sanitize(path)),
		choices: []choice{
			{key: "y", label: "write over it", run: func(*Model) tea.Cmd { return backupCmd(svc, path, true) }},
			{key: "n", label: "keep it (name another file)"},
		}}
}

// detailDeal is the deal the creator screen acts on: the one in the
// board's campaign.
func (m *Model) detailDeal() (crm.Deal, bool) {
	if !m.detail.loaded() {
		return crm.Deal{}, false
	}
	return m.detail.deal()
}
