package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"roster/crm"
)

// unmatchedModel lists mail from senders who are no creator yet: a pitch
// from a creator, a loyal customer asking about the ambassador programme.
// From here a sender becomes a prospect (p), is linked to a creator (l) or
// is ignored (x) until X lists their mail again. Newsletters and list mail
// never show up here.
type unmatchedModel struct {
	pickList[crm.Message]
	// reads holds the header-only messages whose text read (opening one)
	// asked the mail server for, each on its own: running, or why it
	// failed. A read that worked leaves, and the list reloads with the
	// text. Kept per message, a second message opened while the first
	// is read is read too, and a failure is said on the message it was.
	reads map[crm.ID]bodyRead
}

// bodyRead is one read of a message's text: running, or failed with err.
type bodyRead struct {
	running bool
	err     string
}

// bodyFetchedMsg ends a read of an unmatched message's text.
type bodyFetchedMsg struct {
	id  crm.ID
	err error
}

// readUnmatched opens or closes the selected message; opening one synced
// headers only asks mail sync for its text, off the UI loop, so a pitch
// from someone unknown can be read before deciding what they are.
func (m *Model) readUnmatched() tea.Cmd {
	u := &m.unmatched
	u.toggle()
	msg, ok := u.selected()
	if !u.open || !ok || !msg.HeaderOnly || u.reads[msg.ID].running {
		return nil
	}
	svc, ctx, target := m.c.Svc, m.c.Ctx, *msg
	if u.reads == nil {
		u.reads = map[crm.ID]bodyRead{}
	}
	u.reads[target.ID] = bodyRead{running: true}
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		defer cancel()
		return bodyFetchedMsg{id: target.ID, err: svc.FetchBody(ctx, target)}
	}
}

// bodyFetched shows the text read (by reloading the list, which the
// change feed would also do) or why it could not be had.
func (m *Model) bodyFetched(msg bodyFetchedMsg) tea.Cmd {
	if msg.err != nil {
		m.unmatched.reads[msg.id] = bodyRead{err: sanitize(msg.err.Error())}
		return nil
	}
	delete(m.unmatched.reads, msg.id)
	return loadUnmatchedCmd(m.c.Svc)
}

type unmatchedLoadedMsg struct {
	msgs []crm.Message
	err  error
}

const unmatchedLimit = 500

func loadUnmatchedCmd(svc *crm.Service) tea.Cmd {
	return func() tea.Msg {
		msgs, err := svc.Unmatched(unmatchedLimit)
		return unmatchedLoadedMsg{msgs: msgs, err: err}
	}
}

func (m *Model) openUnmatched() tea.Cmd {
	m.screen = screenUnmatched
	m.unmatched.close()
	return loadUnmatchedCmd(m.c.Svc)
}

func messageID(x *crm.Message) crm.ID { return x.ID }

func (m *Model) prospectFromMail() tea.Cmd {
	msg, ok := m.unmatched.selected()
	if !ok {
		return nil
	}
	svc, actor, id, campaign, board := m.c.Svc, m.c.Actor, msg.ID, m.board.data.Campaign.ID, m.campaignName
	return func() tea.Msg {
		card, err := svc.MakeProspect(actor, id, campaign)
		if err != nil {
			return statusMsg{err: err}
		}
		svc.SyncNow() // their mail's text is fetched now that they are a creator
		return statusMsg{text: fmt.Sprintf("%s is now a prospect on the %s board", card.Creator.Name, board)}
	}
}

// ignoreSender asks, naming the sender and what ignoring does, then keeps
// their mail out of this list, now and later, until X (unignore) lifts
// it: a sender ignored by mistake would otherwise lose their pitches
// unseen, so it asks as cancelling a mail and discarding changes do.
func (m *Model) ignoreSender() tea.Cmd {
	msg, ok := m.unmatched.selected()
	if !ok {
		return nil
	}
	svc, actor, id, from := m.c.Svc, m.c.Actor, msg.ID, msg.From.Email
	who := sanitize(formatAddr(msg.From))
	m.confirm = &confirmModel{text: fmt.Sprintf("Ignore %s?\nTheir mail leaves this list, and later mail from them does not show here\nuntil X on this list lists them again; the mail stays in your mailbox.", who),
		choices: []choice{
			{key: "y", label: "ignore this sender", run: func(*Model) tea.Cmd {
				return func() tea.Msg {
					if err := svc.IgnoreSender(actor, id); err != nil {
						return statusMsg{err: err}
					}
					return statusMsg{text: "mail from " + sanitize(from) + " will not be listed again (X undoes this)"}
				}
			}},
			{key: "n", label: "keep them listed"},
		}}
	return nil
}

// linkPrompt asks which creator the sender is, completing names from the
// board.
func (m *Model) linkPrompt() tea.Cmd {
	if _, ok := m.unmatched.selected(); !ok {
		return nil
	}
	cmd := m.openPrompt(promptLink, "")
	var names []string
	for i := range maxCols {
		for _, c := range m.board.cards(i) {
			names = append(names, c.Creator.Name)
		}
	}
	m.prompt.input.ShowSuggestions = true
	m.prompt.input.SetSuggestions(names)
	return cmd
}

// linkTo links the selected message's sender to the creator named name.
func (m *Model) linkTo(name string) tea.Cmd {
	msg, ok := m.unmatched.selected()
	if !ok {
		return nil
	}
	var target *crm.Creator
	for i := range maxCols {
		for _, c := range m.board.cards(i) {
			if strings.EqualFold(c.Creator.Name, strings.TrimSpace(name)) {
				target = &c.Creator
			}
		}
	}
	if target == nil {
		m.setErr(fmt.Errorf("no creator named %q on this board (tab completes names)", name))
		return nil
	}
	svc, actor, id, cid, from := m.c.Svc, m.c.Actor, msg.ID, target.ID, msg.From.Email
	return func() tea.Msg {
		c, err := svc.LinkSender(actor, id, cid)
		if err != nil {
			return statusMsg{err: err}
		}
		svc.SyncNow()
		return statusMsg{text: fmt.Sprintf("%s is now one of %s's addresses; their mail is linked", from, c.Name)}
	}
}

func (u *unmatchedModel) view(c *Common, w, h int) string {
	st := &c.Styles
	head := " " + st.Bold.Render("Unmatched mail") + st.Muted.Render("  "+crm.Count(len(u.items), "message")+" from senders who are no creator yet")
	rule := st.Rule.Render(strings.Repeat("─", w))
	lines := []string{fit(head, w), rule}
	body := h - 2
	if !u.loaded {
		lines = append(lines, " "+st.Muted.Render("loading…"))
	} else if len(u.items) == 0 {
		lines = append(lines, " "+st.Muted.Render("Nothing unmatched: every message belongs to a creator (newsletters are kept out of here)."))
	} else if u.open {
		msg := u.items[u.sel]
		hdr := mailHead{From: msg.From, To: msg.To, Cc: msg.Cc, Subject: msg.Subject, Date: msg.Date}
		read := append(hdr.lines(c, w-2), "")
		if msg.HeaderOnly {
			note := "The text is not downloaded: roster syncs the text of creators' mail only."
			switch r := u.reads[msg.ID]; {
			case r.running:
				note = "Reading the text from the mail server…"
			case r.err != "":
				note = "The text could not be read from the mail server: " + r.err + ". enter twice tries again."
			}
			for _, l := range wrapLines(note, w-2) {
				read = append(read, st.Muted.Render(l))
			}
		}
		read = append(read, bodyLines(msg.Text, w-2)...)
		return scrollPage(st, head, "", rule, read, &u.readTop, w, h)
	} else {
		loc := c.Svc.Clock().Now().Location()
		from, to := u.window(body)
		// Senders take up to half the screen.
		senders := u.column(from, to, 12, max(20, (w-12)/2), func(m *crm.Message) string { return m.From.String() })
		for i := from; i < to; i++ {
			msg := u.items[i]
			marker := "  "
			if i == u.sel {
				marker = st.CardMarker.Render("▌ ")
			}
			date := st.Muted.Render(msg.Date.In(loc).Format("2 Jan"))
			line := marker + senders[i-from] + "  " + sanitize(msg.Subject)
			lines = append(lines, fitRight(fit(line, w-9), date, w))
		}
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	for i := range lines {
		lines[i] = fit(lines[i], w)
	}
	return strings.Join(lines[:h], "\n")
}

// ignoredLoadedMsg carries the ignored senders to the unignore prompt.
type ignoredLoadedMsg struct {
	senders []string
	err     error
}

// unignorePrompt loads the ignored senders (a read, so off the UI loop)
// and then asks which one to list again, completing their addresses.
func (m *Model) unignorePrompt() tea.Cmd {
	svc := m.c.Svc
	return func() tea.Msg {
		senders, err := svc.IgnoredSenders()
		return ignoredLoadedMsg{senders: senders, err: err}
	}
}

func (m *Model) ignoredLoaded(msg ignoredLoadedMsg) tea.Cmd {
	switch {
	case msg.err != nil:
		m.setErr(msg.err)
		return nil
	case len(msg.senders) == 0:
		m.setStatus("no sender is ignored")
		return nil
	case m.screen != screenUnmatched || m.prompt.active():
		return nil // the user moved on meanwhile
	}
	offer := ""
	if len(msg.senders) == 1 {
		offer = msg.senders[0]
	}
	cmd := m.openPrompt(promptUnignore, offer)
	m.prompt.input.ShowSuggestions = true
	m.prompt.input.SetSuggestions(msg.senders)
	return cmd
}

// unignore lifts the ignore on addr: their mail, what came meanwhile
// included, is listed here again (the list reloads on the change).
func (m *Model) unignore(addr string) tea.Cmd {
	if strings.TrimSpace(addr) == "" {
		return nil
	}
	svc, actor := m.c.Svc, m.c.Actor
	return func() tea.Msg {
		if err := svc.UnignoreSender(actor, addr); err != nil {
			return statusMsg{err: err}
		}
		return statusMsg{text: "mail from " + sanitize(crm.NormalizeEmail(addr)) + " is listed again"}
	}
}
