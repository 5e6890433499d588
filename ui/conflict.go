package ui

import (
	"errors"
	"fmt"

	tea "charm.land/bubbletea/v2"

	"roster/crm"
)

// dealOp is a deal change made against a version: the version the user
// saw, or, after they chose to overwrite, the one stored now.
type dealOp func(version uint64) (crm.Deal, error)

// dealConflictMsg says a deal change met the version check: someone else
// changed the deal since this screen read it.
type dealConflictMsg struct {
	what    string   // "move Maya Chen to contacted"
	current crm.Card // the deal as it is now
	by      string   // who changed it last, from the activity log
	change  string   // what they did, in words
	retry   dealOp
}

// dealOpCmd runs op at the version the user saw. A conflict comes back as
// a dealConflictMsg with the current state and who made it, so the user
// chooses; success reloads the card it produced.
func dealOpCmd(svc *crm.Service, d crm.Deal, what string, op dealOp) tea.Cmd {
	return func() tea.Msg {
		saved, err := op(d.Version)
		if errors.Is(err, crm.ErrConflict) {
			msg := dealConflictMsg{what: what, retry: op}
			if msg.current, err = svc.Card(d.ID); err != nil {
				return dealSavedMsg{err: err}
			}
			msg.by, msg.change = lastChange(svc, msg.current.Creator.ID, d.ID, nil)
			return msg
		}
		if err != nil {
			return dealSavedMsg{err: err}
		}
		c, err := svc.Card(saved.ID)
		return dealSavedMsg{card: c, err: err}
	}
}

// dealOpAtCurrent runs op at the version stored now: for a change the
// user chose to make over what changed meanwhile (a conflict's "anyway",
// marking a deal paid while money is owed), so the version they saw no
// longer counts.
func dealOpAtCurrent(svc *crm.Service, id crm.ID, what string, op dealOp) tea.Cmd {
	return func() tea.Msg {
		cur, err := svc.Card(id)
		if err != nil {
			return dealSavedMsg{err: err}
		}
		return dealOpCmd(svc, cur.Deal, what, op)()
	}
}

// dealConflict shows the current card and offers the two honest ways on:
// keep what the other person did, or apply this change over it knowingly.
func (m *Model) dealConflict(msg dealConflictMsg) tea.Cmd {
	m.board.upsert(msg.current)
	text := "Someone else changed this deal while you were looking at it"
	if msg.by != "" {
		text = fmt.Sprintf("%s changed this deal meanwhile: %s", sanitize(msg.by), sanitize(msg.change))
	}
	text += fmt.Sprintf(" (it is %s now).", msg.current.Deal.Stage)
	kept := "kept the deal as it is now"
	if msg.by != "" {
		kept = "kept the deal as " + sanitize(msg.by) + " left it"
	}
	svc, id := m.c.Svc, msg.current.Deal.ID
	m.confirm = &confirmModel{
		text: text,
		choices: []choice{
			{key: "r", label: "keep theirs", run: func(m *Model) tea.Cmd {
				m.setStatus(kept)
				return m.reload()
			}},
			{key: "o", label: sanitize(msg.what) + " anyway", run: func(m *Model) tea.Cmd {
				return dealOpAtCurrent(svc, id, msg.what, msg.retry)
			}},
			{key: "esc", label: "decide later (nothing is changed)"},
		},
	}
	return nil
}

// lastChange is who made the newest change in creator's activity log that
// touches deal (any, when deal is empty) and is of a kind that bumps the
// version the conflict was about (any, when kind is nil), and that change
// in words: the teammate a conflict names. Both are empty when the log
// cannot be read.
func lastChange(svc *crm.Service, creator, deal crm.ID, kind func(crm.EventKind) bool) (by, change string) {
	det, err := svc.CreatorDetail(creator)
	if err != nil {
		return "", ""
	}
	for _, e := range det.Events {
		if (deal == "" || e.DealID == deal) && (kind == nil || kind(e.Kind)) {
			return e.Actor, e.Summary
		}
	}
	return "", ""
}

// conflictByMsg names who won the race a conflict dialog reports, once
// the activity log has been read off the UI loop: text replaces the
// dialog's words if it is still the one on screen.
type conflictByMsg struct {
	dialog *confirmModel
	text   string
}

// nameConflict reads who made the newest change of a kind to creator (in
// deal, when set) and has the dialog say so with say(who, what); the
// dialog keeps its "someone else" words when the log names nobody.
func nameConflict(svc *crm.Service, dialog *confirmModel, creator, deal crm.ID, kind func(crm.EventKind) bool, say func(by, change string) string) tea.Cmd {
	return func() tea.Msg {
		by, change := lastChange(svc, creator, deal, kind)
		if by == "" {
			return nil
		}
		return conflictByMsg{dialog: dialog, text: say(sanitize(by), sanitize(change))}
	}
}

// conflictNamed puts the teammate's name in the dialog it was read for.
func (m *Model) conflictNamed(msg conflictByMsg) {
	if m.confirm == msg.dialog {
		m.confirm.text = msg.text
	}
}
