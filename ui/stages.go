package ui

import (
	"errors"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"roster/crm"
)

// A deal's stage changes (one stage on or back, to a named stage,
// declined with a reason, reopened) work alike on the board's selected
// card and on the open creator's deal. This is their one implementation;
// a dealSource says which deal a key means.

// dealTarget is the deal a key acts on, with its creator's name for the
// messages about it.
type dealTarget struct {
	deal crm.Deal
	name string
}

// dealSource finds the deal a key means: onCard or onDetail.
type dealSource func(m *Model) (dealTarget, bool)

// onCard is the board's selected card.
func onCard(m *Model) (dealTarget, bool) {
	card, ok := m.board.selected()
	if !ok {
		return dealTarget{}, false
	}
	return dealTarget{deal: card.Deal, name: card.Creator.Name}, true
}

// onDetail is the open creator's deal in the board's campaign.
func onDetail(m *Model) (dealTarget, bool) {
	d, ok := m.detailDeal()
	return dealTarget{deal: d, name: m.detail.name()}, ok
}

// stepDeal moves the deal one stage on (delta 1) or back (-1).
func (m *Model) stepDeal(src dealSource, delta int) tea.Cmd {
	t, ok := src(m)
	if !ok {
		return nil
	}
	if t.deal.Stage == crm.Declined {
		m.setErr(fmt.Errorf("%s is declined; o reopens the deal", sanitize(t.name)))
		return nil
	}
	to, ok := t.deal.Stage.Step(delta)
	if !ok {
		end := "first"
		if delta > 0 {
			end = "last"
		}
		m.setErr(fmt.Errorf("%s is already in %s, the %s stage", sanitize(t.name), t.deal.Stage, end))
		return nil
	}
	return m.moveDeal(t, to)
}

// moveDeal moves the deal to a stage.
func (m *Model) moveDeal(t dealTarget, to crm.Stage) tea.Cmd {
	svc, actor, id := m.c.Svc, m.c.Actor, t.deal.ID
	return dealOpCmd(svc, t.deal, fmt.Sprintf("move %s to %s", t.name, to), func(v uint64) (crm.Deal, error) { return svc.MoveDeal(actor, id, v, to) })
}

// moveToStage moves the deal src means (the selected card, the open
// creator's deal) to the stage named on the command line (:move
// negotiating).
func (m *Model) moveToStage(src dealSource, arg string) tea.Cmd {
	t, ok := src(m)
	if !ok {
		m.setErr(errors.New("move: no deal selected"))
		return nil
	}
	if strings.TrimSpace(arg) == "" {
		m.setErr(errors.New("move: name the stage, as in :move negotiating"))
		return nil
	}
	st, err := crm.ParseStage(arg)
	if err != nil || st == crm.Declined {
		m.setErr(fmt.Errorf("move: %q is not a board stage (prospect, contacted, negotiating, active, paid)", arg))
		return nil
	}
	return m.moveDeal(t, st)
}

// declineDeal declines the deal, asking for the reason unless the
// command line gave one; the domain refuses a decline without one anyway.
func (m *Model) declineDeal(src dealSource, reason string) tea.Cmd {
	t, ok := src(m)
	if !ok {
		return nil
	}
	if t.deal.Stage == crm.Declined {
		m.setErr(errors.New("already declined; o reopens the deal"))
		return nil
	}
	if strings.TrimSpace(reason) == "" {
		m.prompt.target = t
		return m.openPrompt(promptDecline, "")
	}
	return m.declineWith(t, reason)
}

// declineWith declines the deal for reason.
func (m *Model) declineWith(t dealTarget, reason string) tea.Cmd {
	svc, actor, id := m.c.Svc, m.c.Actor, t.deal.ID
	return dealOpCmd(svc, t.deal, "decline "+t.name, func(v uint64) (crm.Deal, error) { return svc.DeclineDeal(actor, id, v, reason) })
}

// reopenDeal puts a declined deal back on the board.
func (m *Model) reopenDeal(src dealSource) tea.Cmd {
	t, ok := src(m)
	if !ok {
		return nil
	}
	if t.deal.Stage != crm.Declined {
		m.setErr(fmt.Errorf("%s is %s, not declined (D on the board shows declined deals)", sanitize(t.name), t.deal.Stage))
		return nil
	}
	svc, actor, id := m.c.Svc, m.c.Actor, t.deal.ID
	return dealOpCmd(svc, t.deal, "reopen "+t.name, func(v uint64) (crm.Deal, error) { return svc.ReopenDeal(actor, id, v) })
}
