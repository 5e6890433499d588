package crm

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"
)

// MailChanged is the kind of the notification mail sync publishes: views
// refresh, the activity log is not written (mail is not a person's
// action, and the conversation view shows it).
const MailChanged EventKind = "mail.changed"

// subjectWindow bounds the subject fallback of threading: mail without
// references joins a same-subject thread of the same creator only when it
// is this close in time.
const subjectWindow = 30 * 24 * time.Hour

// IngestResult counts what one batch did.
type IngestResult struct {
	// New messages stored, Located copies of known messages added,
	// Bodies filled in for header-only messages.
	New, Located, Bodies int
	// Matched of the new messages belong to a creator; the others are
	// unmatched.
	Matched int
	// Pending are the new messages of a creator stored without their
	// body, as PendingBodies would list them but holding only the copy
	// just read: the sync fetches their bodies next without reading the
	// records back. Messages that gained a creator otherwise (a thread
	// claimed or merged) are left to PendingBodies.
	Pending []Message

	// replies are the incoming messages from a creator, for followReplies.
	replies []reply
}

// MailboxState returns a mailbox's sync cursor; ok is false before the
// first sync.
func (s *Service) MailboxState(account, mailbox string) (st MailboxState, ok bool, err error) {
	err = s.repo.View(func(tx Tx) (err error) {
		st, ok, err = tx.MailboxState(account, mailbox)
		return err
	})
	return st, ok, err
}

// KnownUIDs maps the UIDs roster holds for a mailbox to messages, for
// finding what vanished on the server.
func (s *Service) KnownUIDs(account, mailbox string) (map[uint32]ID, error) {
	var out map[uint32]ID
	err := s.repo.View(func(tx Tx) (err error) {
		out, err = tx.LocationsIn(account, mailbox)
		return err
	})
	return out, err
}

// IngestMail stores a batch of messages read from one mailbox and moves
// its cursor to st, all in one transaction: killed at any moment, a sync
// either has the batch and the cursor or neither, so it never loses or
// duplicates mail. A message already known (same Message-ID) only gains a
// location, and its body when this copy has one.
func (s *Service) IngestMail(id Identity, batch []ParsedMessage, st MailboxState) (IngestResult, error) {
	var res IngestResult
	err := s.repo.Update(func(tx Tx) error {
		res = IngestResult{}
		w := s.writer(tx, "roster")
		touched := map[ID]bool{}
		for i := range batch {
			creator, err := w.ingest(id, &batch[i], &res)
			if err != nil {
				return err
			}
			touched[creator] = true
		}
		if err := tx.PutMailboxState(st); err != nil {
			return err
		}
		for c := range touched {
			tx.Notify(Event{Kind: MailChanged, CreatorID: c, At: w.now})
		}
		// follow.go: a reply moves a contacted deal on.
		return s.followReplies(w, res.replies)
	})
	res.replies = nil
	return res, err
}

// ingest stores one message and returns the creator it belongs to ("" for
// unmatched).
func (w *writer) ingest(id Identity, pm *ParsedMessage, res *IngestResult) (ID, error) {
	mid := NormalizeMessageID(pm.MessageIDRaw)
	if mid == "" {
		mid = SyntheticMessageID(pm.From.Email, pm.Date, pm.Subject, pm.Size)
	}
	if existing, ok, err := w.tx.MessageByMessageID(mid); err != nil {
		return "", err
	} else if ok {
		return w.addCopy(existing, pm, res)
	}
	m := Message{
		ID: w.ids.New(), MessageID: mid, Account: id.Account,
		From: cleanAddr(pm.From), To: cleanAddrs(pm.To), Cc: cleanAddrs(pm.Cc), ReplyTo: cleanAddrs(pm.ReplyTo),
		Date: pm.Date.UTC(), Subject: SanitizeLine(pm.Subject), Bulk: pm.Bulk,
		References: ParseMessageIDs(pm.ReferencesRaw), HeaderOnly: pm.HeaderOnly,
		Text: SanitizeText(pm.Text), Attachments: pm.Attachments, Problems: pm.Problems,
		Locations: []Location{pm.Location},
	}
	if irt := ParseMessageIDs(pm.InReplyToRaw); len(irt) > 0 {
		m.InReplyTo = irt[0]
	}
	m.Direction = In
	if id.Owns(m.From.Email) {
		m.Direction = Out
	}
	creator, err := w.matchCreator(&m, pm)
	if err != nil {
		return "", err
	}
	th, linked, err := w.threadFor(&m, creator)
	if err != nil {
		return "", err
	}
	before := *th
	if creator == "" {
		creator = th.CreatorID
	}
	m.CreatorID = creator
	m.ThreadID = th.ID
	if th.CreatorID == "" && creator != "" {
		// The conversation now has a creator: so do its earlier,
		// unmatched messages.
		th.CreatorID = creator
		if err := w.claimThread(th.ID, creator); err != nil {
			return "", err
		}
	}
	if !m.Date.Before(th.LastAt) {
		th.LastAt, th.LastDirection = m.Date, m.Direction
	}
	if th.Subject == "" {
		th.Subject = TopicOf(m.Subject)
	}
	// A sync reads mail newest first, so most messages leave their
	// thread as it was: rewriting it anyway dirtied a page of the thread
	// bucket per message, a sixth of what a header batch commits.
	if th.Version == 0 || !sameThread(&before, th) {
		if err := w.tx.PutThread(th); err != nil {
			return "", err
		}
	}
	if err := w.tx.PutMessage(&m); err != nil {
		return "", err
	}
	if err := w.tx.PutLocation(pm.Location, m.ID); err != nil {
		return "", err
	}
	for _, ref := range refsOf(&m) {
		// A long References list mostly names messages already in
		// this thread: rewriting those entries would be most of a
		// sync's index writes.
		if slices.Contains(linked, ref) {
			continue
		}
		if err := w.tx.PutThreadRef(ref, th.ID); err != nil {
			return "", err
		}
	}
	res.New++
	res.noteReply(&m)
	if creator != "" {
		res.Matched++
		if m.HeaderOnly {
			res.Pending = append(res.Pending, Message{ID: m.ID, MessageID: m.MessageID, Account: m.Account,
				CreatorID: creator, Locations: []Location{pm.Location}, HeaderOnly: true})
		}
	}
	return creator, nil
}

// addCopy records another location of a known message and fills its body
// if this copy has one and the stored message does not.
func (w *writer) addCopy(mid ID, pm *ParsedMessage, res *IngestResult) (ID, error) {
	m, err := w.tx.Message(mid)
	if err != nil {
		return "", err
	}
	changed := false
	if !slices.Contains(m.Locations, pm.Location) {
		m.Locations = append(m.Locations, pm.Location)
		if err := w.tx.PutLocation(pm.Location, m.ID); err != nil {
			return "", err
		}
		res.Located++
		changed = true
	}
	if m.HeaderOnly && !pm.HeaderOnly {
		m.Text, m.Attachments, m.Problems, m.HeaderOnly = SanitizeText(pm.Text), pm.Attachments, pm.Problems, false
		res.Bodies++
		changed = true
	}
	if changed {
		if err := w.tx.PutMessage(&m); err != nil {
			return "", err
		}
	}
	res.noteReply(&m)
	return m.CreatorID, nil
}

// matchCreator finds the creator a message is with: for incoming mail its
// sender (From, then Sender and Reply-To), for outgoing mail its
// recipients (To, then Cc).
func (w *writer) matchCreator(m *Message, pm *ParsedMessage) (ID, error) {
	var cands []Address
	if m.Direction == In {
		cands = append(append([]Address{m.From}, pm.Sender...), m.ReplyTo...)
	} else {
		cands = append(slices.Clone(m.To), m.Cc...)
	}
	for _, a := range cands {
		if a.Email == "" {
			continue
		}
		id, ok, err := w.tx.CreatorByEmail(a.Email)
		if err != nil || ok {
			return id, err
		}
	}
	return "", nil
}

// refsOf is every Message-ID that ties a message to its thread.
func refsOf(m *Message) []string {
	out := append([]string{m.MessageID}, m.References...)
	if m.InReplyTo != "" {
		out = append(out, m.InReplyTo)
	}
	return out
}

// threadFor finds or makes the thread of a new message. Any known id among
// its own, its References and In-Reply-To (ghosts included) decides; when
// they point at several threads those are merged, so the order in which
// mail arrives does not matter. Mail with no references at all may join a
// same-subject thread of the same creator within subjectWindow.
//
// linked lists the ids already recorded as the returned thread's, whose
// index entries need no rewriting.
func (w *writer) threadFor(m *Message, creator ID) (th *Thread, linked []string, err error) {
	var found []ID
	refs := refsOf(m)
	owners := make([]ID, len(refs))
	for i, ref := range refs {
		tid, ok, err := w.tx.ThreadByRef(ref)
		if err != nil {
			return nil, nil, err
		}
		if !ok {
			continue
		}
		owners[i] = tid
		if !slices.Contains(found, tid) {
			found = append(found, tid)
		}
	}
	if len(found) == 0 && len(m.References) == 0 && m.InReplyTo == "" && creator != "" {
		ths, err := w.tx.ThreadsOf(creator)
		if err != nil {
			return nil, nil, err
		}
		subj := NormalizeSubject(m.Subject)
		for _, t := range ths {
			if subj != "" && NormalizeSubject(t.Subject) == subj && absDur(t.LastAt.Sub(m.Date)) <= subjectWindow {
				found = append(found, t.ID)
				break
			}
		}
	}
	if len(found) == 0 {
		return &Thread{ID: w.ids.New(), CreatorID: creator, Subject: TopicOf(m.Subject)}, nil, nil
	}
	slices.Sort(found)
	keep, err := w.tx.Thread(found[0])
	if err != nil {
		return nil, nil, err
	}
	for _, other := range found[1:] {
		if err := w.mergeThread(&keep, other); err != nil {
			return nil, nil, err
		}
	}
	for i, ref := range refs {
		if owners[i] == keep.ID {
			linked = append(linked, ref)
		}
	}
	return &keep, linked, nil
}

// mergeThread moves every message of thread from into keep and deletes it.
func (w *writer) mergeThread(keep *Thread, from ID) error {
	other, err := w.tx.Thread(from)
	if err != nil {
		return err
	}
	msgs, err := w.tx.MessagesOfThread(from)
	if err != nil {
		return err
	}
	for i := range msgs {
		m := &msgs[i]
		m.ThreadID = keep.ID
		if m.CreatorID == "" {
			m.CreatorID = keep.CreatorID
		}
		if err := w.tx.PutMessage(m); err != nil {
			return err
		}
		for _, ref := range refsOf(m) {
			if err := w.tx.PutThreadRef(ref, keep.ID); err != nil {
				return err
			}
		}
	}
	if other.LastAt.After(keep.LastAt) {
		keep.LastAt, keep.LastDirection = other.LastAt, other.LastDirection
	}
	if keep.CreatorID == "" {
		keep.CreatorID = other.CreatorID
	}
	if err := w.tx.DeleteThread(from); err != nil {
		return err
	}
	return w.tx.PutThread(keep)
}

// sameThread reports whether ingesting a message left a thread's stored
// fields as they were.
func sameThread(a, b *Thread) bool {
	return a.CreatorID == b.CreatorID && a.Subject == b.Subject && a.LastAt.Equal(b.LastAt) && a.LastDirection == b.LastDirection
}

// claimThread links a thread's unmatched messages to creator.
func (w *writer) claimThread(thread, creator ID) error {
	msgs, err := w.tx.MessagesOfThread(thread)
	if err != nil {
		return err
	}
	for i := range msgs {
		if msgs[i].CreatorID != "" {
			continue
		}
		msgs[i].CreatorID = creator
		if err := w.tx.PutMessage(&msgs[i]); err != nil {
			return err
		}
	}
	return nil
}

func cleanAddr(a Address) Address {
	return Address{Name: SanitizeLine(a.Name), Email: SanitizeLine(a.Email)}
}

func cleanAddrs(as []Address) []Address {
	out := make([]Address, 0, len(as))
	for _, a := range as {
		out = append(out, cleanAddr(a))
	}
	return out
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// PendingBodies lists matched messages whose body is still to be fetched.
func (s *Service) PendingBodies(account string, limit int) ([]Message, error) {
	var out []Message
	err := s.repo.View(func(tx Tx) (err error) {
		out, err = tx.PendingBodies(account, limit)
		return err
	})
	return out, err
}

// FetchedBody is a body the sync read for a message PendingBodies listed.
type FetchedBody struct {
	// Message is the message as PendingBodies returned it.
	Message Message
	// Parsed is the whole message as read; only its text, attachments
	// and problems are used. A body that cannot be had carries just a
	// problem saying why, so it is not asked for again.
	Parsed ParsedMessage
}

// SetBodies fills in bodies fetched after the header pass. A message that
// has its body by now (another copy brought it) is left alone. It returns
// how many bodies were stored.
func (s *Service) SetBodies(bodies []FetchedBody) (int, error) {
	// Sanitising and encoding happen before the write transaction, so
	// the writer holds it only to write.
	prepared := make([]Body, len(bodies))
	enc, _ := s.repo.(BodyEncoder)
	for i := range bodies {
		pm := &bodies[i].Parsed
		b := &prepared[i]
		*b = Body{Text: SanitizeText(pm.Text), Attachments: pm.Attachments, Problems: pm.Problems}
		if enc != nil {
			var err error
			if b.Encoded, err = enc.EncodeBody(b); err != nil {
				return 0, fmt.Errorf("message %s: %w", bodies[i].Message.ID, err)
			}
		}
	}
	n := 0
	err := s.repo.Update(func(tx Tx) error {
		n = 0
		touched := map[ID]bool{}
		for i := range bodies {
			m := &bodies[i].Message
			stored, err := tx.PutBody(m, &prepared[i])
			if err != nil {
				return err
			}
			if !stored {
				continue
			}
			touched[m.CreatorID] = true
			n++
		}
		for c := range touched {
			tx.Notify(Event{Kind: MailChanged, CreatorID: c})
		}
		return nil
	})
	return n, err
}

// ForgetVanished drops the copies roster knows in a mailbox that are not
// among onServer (the UIDs the server has now), moves the cursor to st,
// and reports how many went. It reads the known copies in the same
// transaction that drops them, once. The messages themselves stay: CRM
// history is not deleted because a server copy went away.
func (s *Service) ForgetVanished(account, mailbox string, onServer map[uint32]bool, st MailboxState) (int, error) {
	n := 0
	err := s.repo.Update(func(tx Tx) error {
		n = 0
		known, err := tx.LocationsIn(account, mailbox)
		if err != nil {
			return err
		}
		old, _, err := tx.MailboxState(account, mailbox)
		if err != nil {
			return err
		}
		for _, uid := range slices.Sorted(maps.Keys(known)) {
			if onServer[uid] {
				continue
			}
			loc := Location{Account: account, Mailbox: mailbox, UIDValidity: old.UIDValidity, UID: uid}
			if err := dropLocation(tx, known[uid], loc); err != nil {
				return err
			}
			n++
		}
		return tx.PutMailboxState(st)
	})
	return n, err
}

func dropLocation(tx Tx, mid ID, loc Location) error {
	if err := tx.DeleteLocation(loc); err != nil {
		return err
	}
	m, err := tx.Message(mid)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	m.Locations = slices.DeleteFunc(m.Locations, func(l Location) bool { return l == loc })
	return tx.PutMessage(&m)
}

// RemapMailbox handles a UIDVALIDITY change: the server renumbered the
// mailbox. found maps every new UID to its raw Message-ID; messages roster
// knows are re-located without downloading them again, old locations are
// dropped (never the messages), and the UIDs of unknown messages are
// returned for the caller to fetch. The cursor moves to st.
func (s *Service) RemapMailbox(account, mailbox string, found map[uint32]string, st MailboxState) (missing []uint32, err error) {
	err = s.repo.Update(func(tx Tx) error {
		missing = missing[:0]
		old, _, err := tx.MailboxState(account, mailbox)
		if err != nil {
			return err
		}
		known, err := tx.LocationsIn(account, mailbox)
		if err != nil {
			return err
		}
		for uid, mid := range known {
			if err := dropLocation(tx, mid, Location{Account: account, Mailbox: mailbox, UIDValidity: old.UIDValidity, UID: uid}); err != nil {
				return err
			}
		}
		for _, uid := range slices.Sorted(maps.Keys(found)) {
			mid := NormalizeMessageID(found[uid])
			id, ok, err := tx.MessageByMessageID(mid)
			if err != nil {
				return err
			}
			if mid == "" || !ok {
				missing = append(missing, uid)
				continue
			}
			loc := Location{Account: account, Mailbox: mailbox, UIDValidity: st.UIDValidity, UID: uid}
			m, err := tx.Message(id)
			if err != nil {
				return err
			}
			m.Locations = append(m.Locations, loc)
			if err := tx.PutMessage(&m); err != nil {
				return err
			}
			if err := tx.PutLocation(loc, id); err != nil {
				return err
			}
		}
		if len(missing) > 0 && missing[0] < st.UIDNext {
			// Keep the cursor behind what is not stored yet: killed now,
			// the next sync fetches the missing messages again.
			st.UIDNext = missing[0]
		}
		tx.Notify(Event{Kind: MailChanged})
		return tx.PutMailboxState(st)
	})
	return missing, err
}
