package ui

import (
	"errors"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"roster/crm"
)

// Bulk outreach from the board: mark cards with space (or filter with /),
// b picks a template, every rendered mail can be stepped through, and y
// queues them all in one go. The plan comes from crm (PlanOutreach), so
// the board and `roster outreach` skip the same creators for the same
// reasons.

// outreachModel is the stepper over a plan.
type outreachModel struct {
	plan crm.OutreachPlan
	// from says how the deals were chosen ("5 marked cards").
	from string
	cur  int
	top  int
	// list shows the skipped creators and the problems instead of a mail.
	list bool
}

type outreachPlannedMsg struct {
	plan crm.OutreachPlan
	from string
	err  error
}

type outreachQueuedMsg struct {
	mails []crm.OutboxMail
	asked int
	err   error
}

// toggleMark marks or unmarks the selected card.
func (m *Model) toggleMark() tea.Cmd {
	card, ok := m.board.selected()
	if !ok {
		return nil
	}
	if m.marks == nil {
		m.marks = map[crm.ID]bool{}
	}
	if m.marks[card.Deal.ID] {
		delete(m.marks, card.Deal.ID)
	} else {
		m.marks[card.Deal.ID] = true
	}
	m.board.move(0, 1)
	m.setStatus(fmt.Sprintf("%d marked (b writes to them, M clears)", len(m.markedDeals())))
	return nil
}

func (m *Model) clearMarks() tea.Cmd {
	n := len(m.markedDeals())
	m.marks = nil
	m.setStatus(crm.Count(n, "mark") + " cleared")
	return nil
}

// markedDeals lists the marked deals still on the board, in board order,
// forgetting marks whose deal has gone.
func (m *Model) markedDeals() []crm.ID {
	if len(m.marks) == 0 {
		return nil
	}
	var out []crm.ID
	seen := map[crm.ID]bool{}
	for i := range maxCols {
		for _, c := range m.board.cards(i) {
			if m.marks[c.Deal.ID] {
				out = append(out, c.Deal.ID)
				seen[c.Deal.ID] = true
			}
		}
	}
	for id := range m.marks {
		if !seen[id] {
			delete(m.marks, id)
		}
	}
	return out
}

// outreachDeals is whom b writes to: the marked cards, else the cards the
// filter shows.
func (m *Model) outreachDeals() ([]crm.ID, string, error) {
	if ids := m.markedDeals(); len(ids) > 0 {
		return ids, crm.Count(len(ids), "marked card"), nil
	}
	if m.board.filter == "" {
		return nil, "", errors.New("mark cards with space, or filter with /, then b writes to them")
	}
	var ids []crm.ID
	for i := range numCols {
		for _, j := range m.board.view[i] {
			ids = append(ids, m.board.cards(i)[j].Deal.ID)
		}
	}
	if len(ids) == 0 {
		return nil, "", fmt.Errorf("no card matches /%s", sanitize(m.board.filter))
	}
	return ids, fmt.Sprintf("%s matching /%s", crm.Count(len(ids), "card"), sanitize(m.board.filter)), nil
}

// startOutreach asks for the template, then plans.
func (m *Model) startOutreach() tea.Cmd {
	ids, from, err := m.outreachDeals()
	if err != nil {
		m.setErr(err)
		return nil
	}
	return withTemplates(m.c.Svc, func(m *Model, names, notes []string) tea.Cmd {
		if len(names) == 0 {
			m.setErr(errors.New("no templates; docs/templates.md shows how to write one"))
			return nil
		}
		svc := m.c.Svc
		plan := func(m *Model, name, account string) tea.Cmd {
			m.setStatus("rendering " + name + " for " + from + "…")
			return func() tea.Msg {
				p, err := svc.PlanOutreach(crm.OutreachQuery{Deals: ids, Template: name, Account: account})
				return outreachPlannedMsg{plan: p, from: from, err: err}
			}
		}
		m.chooser = &chooserModel{title: "Outreach to " + from + " with which template?", options: names, notes: notes,
			pick: func(m *Model, i int) tea.Cmd {
				name := names[i]
				accts := svc.SendingAccounts()
				if len(accts) < 2 {
					return plan(m, name, "")
				}
				// With several accounts the manager says which one the
				// creators will see the mail from.
				var opts, emails []string
				for _, a := range accts {
					opts, emails = append(opts, a.Name), append(emails, a.Email)
				}
				m.chooser = &chooserModel{title: "Send " + name + " from which account?", options: opts, notes: emails,
					pick: func(m *Model, i int) tea.Cmd { return plan(m, name, opts[i]) }}
				return nil
			}}
		return nil
	})
}

func (m *Model) outreachPlanned(msg outreachPlannedMsg) tea.Cmd {
	if msg.err != nil {
		m.setErr(msg.err)
		return nil
	}
	m.outreach = outreachModel{plan: msg.plan, from: msg.from, list: len(msg.plan.Drafts) == 0}
	m.screen = screenOutreach
	m.setStatus("")
	return nil
}

func (o *outreachModel) step(d int) {
	if n := len(o.plan.Drafts); n > 0 {
		o.cur, o.top, o.list = min(max(0, o.cur+d), n-1), 0, false
	}
}

// queueOutreach asks once, naming the count, then queues the whole plan.
func (m *Model) queueOutreach() tea.Cmd {
	p := m.outreach.plan
	n := len(p.Drafts)
	if n == 0 {
		m.setErr(errors.New("nothing to send: every chosen creator is skipped or has a problem (tab lists them)"))
		return nil
	}
	svc, actor := m.c.Svc, m.c.Actor
	m.confirm = &confirmModel{text: fmt.Sprintf("Queue %s from %s now?", crm.Count(n, "mail"), sanitize(p.Drafts[0].From.String())), choices: []choice{
		{key: "y", label: fmt.Sprintf("queue all %d", n), run: func(m *Model) tea.Cmd {
			m.setStatus(fmt.Sprintf("queueing %d mails…", n))
			return func() tea.Msg {
				ms, err := svc.QueueOutreach(actor, p)
				return outreachQueuedMsg{mails: ms, asked: n, err: err}
			}
		}},
		{key: "n", label: "not yet"},
	}}
	return nil
}

func (m *Model) outreachQueued(msg outreachQueuedMsg) tea.Cmd {
	if msg.err != nil {
		m.setErr(fmt.Errorf("nothing queued: %w", msg.err))
		return nil
	}
	text := fmt.Sprintf("queued %s; sending in the background (O shows the outbox)", crm.Count(len(msg.mails), "outreach mail"))
	if d := msg.asked - len(msg.mails); d > 0 {
		text += fmt.Sprintf("; %d left out, contacted meanwhile", d)
	}
	m.marks = nil
	m.screen = screenBoard
	m.setStatus(text)
	return nil
}

// skipSummary counts the skipped creators by reason: "2 do-not-contact,
// 1 declined".
func skipSummary(p *crm.OutreachPlan) string {
	var parts []string
	for _, r := range []string{crm.SkipDoNotContact, crm.SkipContacted, crm.SkipDeclined, crm.SkipInTalks} {
		if n := p.SkipCount(r); n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, r))
		}
	}
	return strings.Join(parts, ", ")
}

func (m *Model) viewOutreach(w, h int) string {
	st := &m.c.Styles
	o := &m.outreach
	p := &o.plan
	n := len(p.Drafts)
	counter := "no mail to send"
	if n > 0 {
		counter = fmt.Sprintf("%d of %d", o.cur+1, n)
	}
	head := " " + st.Bold.Render("Outreach · "+sanitize(p.Campaign.Name)) + st.Muted.Render(" · "+o.from+" · ") + st.Bold.Render(counter)
	var sum []string
	if len(p.Skipped) > 0 {
		sum = append(sum, fmt.Sprintf("%d skipped (%s)", len(p.Skipped), skipSummary(p)))
	}
	if len(p.Problems) > 0 {
		sum = append(sum, fmt.Sprintf("%d with problems", len(p.Problems)))
	}
	var body []string
	if len(sum) > 0 {
		body = append(body, st.Warn.Render(strings.Join(sum, " · ")+" — tab lists them"), "")
	}
	if o.list || n == 0 {
		body = append(body, st.Bold.Render(fmt.Sprintf("Skipped (%d)", len(p.Skipped))))
		for _, s := range p.Skipped {
			body = append(body, "  "+sanitize(s.Creator)+st.Muted.Render(" — "+s.Reason))
		}
		body = append(body, "", st.Bold.Render(fmt.Sprintf("Problems (%d)", len(p.Problems))))
		for _, pr := range p.Problems {
			body = append(body, "  "+sanitize(pr.Creator)+st.Error.Render(" — "+sanitize(pr.Err.Error())))
		}
	} else {
		body = append(body, previewLines(m.c, &p.Drafts[o.cur], w-2)...)
	}
	hint := st.Muted.Render("n/p next/prev · y queue all · esc cancel")
	return scrollPage(st, head, hint, "", body, &o.top, w, h)
}
