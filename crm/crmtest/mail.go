package crmtest

import (
	"encoding/binary"
	"fmt"
	"maps"
	"slices"
	"strings"

	"roster/crm"
)

// The mail half of the transaction, by scans: Memory holds the tens of
// records a unit test needs, and a scan cannot fall out of step with the
// records the way an index can. The store keeps indexes instead; the
// contract in contract.go holds both to the same answers.

var (
	_ crm.Tx         = (*tx)(nil)
	_ crm.Repository = (*Memory)(nil)
)

// location is one entry of the location index.
type location struct {
	Location crm.Location `json:"location"`
	Message  crm.ID       `json:"message"`
}

func mailboxKey(account, mailbox string) string { return account + "\x00" + mailbox }

func locationKey(l crm.Location) string {
	var b [8]byte
	binary.BigEndian.PutUint32(b[:], l.UIDValidity)
	binary.BigEndian.PutUint32(b[4:], l.UID)
	return mailboxKey(l.Account, l.Mailbox) + "\x00" + string(b[:])
}

// checkMailbox refuses what the store refuses.
func checkMailbox(account, mailbox string) error {
	switch {
	case account == "", mailbox == "":
		return &crm.FieldError{Field: "mailbox", Msg: "has no account or name"}
	case strings.ContainsRune(account+mailbox, 0):
		return &crm.FieldError{Field: "mailbox", Msg: "holds a NUL byte"}
	}
	return nil
}

func checkID(kind string, id crm.ID) error {
	if id == "" || strings.ContainsAny(string(id), "/\x00") {
		return fmt.Errorf("%w: %s id %q is not a roster id", crm.ErrInvalid, kind, id)
	}
	return nil
}

func (t *tx) Message(id crm.ID) (crm.Message, error) {
	m, ok := t.s.Messages[id]
	if !ok {
		return m, notFound("message", id)
	}
	return deep(m), nil
}

func (t *tx) MessageByMessageID(mid string) (crm.ID, bool, error) {
	for _, id := range sortedKeys(t.s.Messages) {
		if mid != "" && t.s.Messages[id].MessageID == mid {
			return id, true, nil
		}
	}
	return "", false, nil
}

func (t *tx) PutMessage(m *crm.Message) error {
	t.mustWrite()
	if err := checkID("message", m.ID); err != nil {
		return err
	}
	if err := checkID("thread", m.ThreadID); err != nil {
		return err
	}
	if m.MessageID == "" {
		return &crm.FieldError{Field: "message_id", Msg: "is empty"}
	}
	old, ok := t.s.Messages[m.ID]
	if err := checkVersion("message", m.ID, old.Version, ok, m.Version); err != nil {
		return err
	}
	if id, found, _ := t.MessageByMessageID(m.MessageID); found && id != m.ID {
		return &crm.DuplicateError{Key: "message-id " + m.MessageID, Owner: id}
	}
	m.Version++
	rec := deep(*m)
	if rec.HeaderOnly {
		// As a store keeps it: a message without its body has none.
		rec.Text, rec.Attachments = "", nil
	}
	t.s.Messages[m.ID] = rec
	return nil
}

// messages lists the messages keep selects, in ID order.
func (t *tx) messages(keep func(*crm.Message) bool) []crm.Message {
	var out []crm.Message
	for _, id := range sortedKeys(t.s.Messages) {
		if m := t.s.Messages[id]; keep(&m) {
			out = append(out, deep(m))
		}
	}
	return out
}

func (t *tx) MessagesOfThread(thread crm.ID) ([]crm.Message, error) {
	out := t.messages(func(m *crm.Message) bool { return m.ThreadID == thread })
	slices.SortStableFunc(out, func(a, b crm.Message) int { return a.Date.Compare(b.Date) })
	return out, nil
}

func (t *tx) Thread(id crm.ID) (crm.Thread, error) {
	th, ok := t.s.Threads[id]
	if !ok {
		return th, notFound("thread", id)
	}
	return th, nil
}

func (t *tx) PutThread(th *crm.Thread) error {
	t.mustWrite()
	if err := checkID("thread", th.ID); err != nil {
		return err
	}
	old, ok := t.s.Threads[th.ID]
	if err := checkVersion("thread", th.ID, old.Version, ok, th.Version); err != nil {
		return err
	}
	th.Version++
	t.s.Threads[th.ID] = *th
	return nil
}

func (t *tx) DeleteThread(id crm.ID) error {
	t.mustWrite()
	if _, ok := t.s.Threads[id]; !ok {
		return notFound("thread", id)
	}
	if left := t.messages(func(m *crm.Message) bool { return m.ThreadID == id }); len(left) > 0 {
		return fmt.Errorf("%w: thread %s still holds message %s", crm.ErrInvalid, id, left[0].ID)
	}
	delete(t.s.Threads, id)
	return nil
}

func (t *tx) ThreadsOf(creator crm.ID) ([]crm.Thread, error) {
	var out []crm.Thread
	for _, id := range sortedKeys(t.s.Threads) {
		if th := t.s.Threads[id]; creator != "" && th.CreatorID == creator {
			out = append(out, th)
		}
	}
	// Newest activity first; among equals, the later ID.
	slices.Reverse(out)
	slices.SortStableFunc(out, func(a, b crm.Thread) int { return b.LastAt.Compare(a.LastAt) })
	return out, nil
}

func (t *tx) PutBody(m *crm.Message, b *crm.Body) (bool, error) {
	t.mustWrite()
	stored, ok := t.s.Messages[m.ID]
	if !ok {
		return false, notFound("message", m.ID)
	}
	if !stored.HeaderOnly {
		return false, nil
	}
	stored.Text, stored.Attachments, stored.Problems, stored.HeaderOnly = b.Text, b.Attachments, b.Problems, false
	t.s.Messages[m.ID] = deep(stored)
	return true, nil
}

func (t *tx) TurnOf(creator crm.ID) (crm.Turn, error) {
	ths, err := t.ThreadsOf(creator)
	return crm.TurnOfThreads(ths), err
}

func (t *tx) ThreadByRef(mid string) (crm.ID, bool, error) {
	id, ok := t.s.ThreadRefs[mid]
	return id, ok, nil
}

func (t *tx) PutThreadRef(mid string, thread crm.ID) error {
	t.mustWrite()
	if mid == "" {
		return &crm.FieldError{Field: "message_id", Msg: "is empty"}
	}
	if err := checkID("thread", thread); err != nil {
		return err
	}
	t.s.ThreadRefs[mid] = thread
	return nil
}

func (t *tx) MailboxState(account, mailbox string) (crm.MailboxState, bool, error) {
	if err := checkMailbox(account, mailbox); err != nil {
		return crm.MailboxState{}, false, err
	}
	st, ok := t.s.Mailboxes[mailboxKey(account, mailbox)]
	return st, ok, nil
}

func (t *tx) PutMailboxState(st crm.MailboxState) error {
	t.mustWrite()
	if err := checkMailbox(st.Account, st.Mailbox); err != nil {
		return err
	}
	t.s.Mailboxes[mailboxKey(st.Account, st.Mailbox)] = st
	return nil
}

// LocationsIn answers as the store does: the stored UIDVALIDITY's UIDs,
// or without a state every UID, the highest UIDVALIDITY winning.
func (t *tx) LocationsIn(account, mailbox string) (map[uint32]crm.ID, error) {
	st, ok, err := t.MailboxState(account, mailbox)
	if err != nil {
		return nil, err
	}
	out := map[uint32]crm.ID{}
	validity := map[uint32]uint32{}
	for _, e := range t.s.Locations {
		l := e.Location
		if l.Account != account || l.Mailbox != mailbox || (ok && l.UIDValidity != st.UIDValidity) {
			continue
		}
		if v, seen := validity[l.UID]; seen && v > l.UIDValidity {
			continue
		}
		validity[l.UID] = l.UIDValidity
		out[l.UID] = e.Message
	}
	return out, nil
}

func (t *tx) PutLocation(loc crm.Location, msg crm.ID) error {
	t.mustWrite()
	if err := checkMailbox(loc.Account, loc.Mailbox); err != nil {
		return err
	}
	if err := checkID("message", msg); err != nil {
		return err
	}
	t.s.Locations[locationKey(loc)] = location{Location: loc, Message: msg}
	return nil
}

func (t *tx) DeleteLocation(loc crm.Location) error {
	t.mustWrite()
	if err := checkMailbox(loc.Account, loc.Mailbox); err != nil {
		return err
	}
	delete(t.s.Locations, locationKey(loc))
	return nil
}

func unmatched(m *crm.Message) bool { return m.CreatorID == "" && !m.Bulk }

func (t *tx) Unmatched(limit int) ([]crm.Message, error) {
	out := t.messages(func(m *crm.Message) bool {
		return unmatched(m) && !t.s.Ignored[crm.NormalizeEmail(m.From.Email)]
	})
	// Newest first; among equal dates, the later ID.
	slices.Reverse(out)
	slices.SortStableFunc(out, func(a, b crm.Message) int { return b.Date.Compare(a.Date) })
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

func (t *tx) UnmatchedFrom(addr string) ([]crm.ID, error) {
	n := crm.NormalizeEmail(addr)
	var out []crm.ID
	for _, m := range t.messages(func(m *crm.Message) bool {
		return unmatched(m) && crm.NormalizeEmail(m.From.Email) == n
	}) {
		out = append(out, m.ID)
	}
	return out, nil
}

func (t *tx) IsIgnored(addr string) (bool, error) {
	return t.s.Ignored[crm.NormalizeEmail(addr)], nil
}

func (t *tx) Ignored() ([]string, error) {
	return slices.Sorted(maps.Keys(t.s.Ignored)), nil
}

func (t *tx) DeleteIgnored(addr string) error {
	t.mustWrite()
	n := crm.NormalizeEmail(addr)
	if !t.s.Ignored[n] {
		return fmt.Errorf("ignored sender %s: %w", addr, crm.ErrNotFound)
	}
	delete(t.s.Ignored, n)
	return nil
}

func (t *tx) PutIgnored(addr string) error {
	t.mustWrite()
	n := crm.NormalizeEmail(addr)
	if n == "" {
		return &crm.FieldError{Field: "email", Msg: "is empty"}
	}
	t.s.Ignored[n] = true
	return nil
}

func (t *tx) PendingBodies(account string, limit int) ([]crm.Message, error) {
	out := t.messages(func(m *crm.Message) bool {
		return m.CreatorID != "" && m.HeaderOnly && m.Account == account
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// Notify queues e for the feed after commit, as the store does; a View
// never commits, so there it does nothing.
func (t *tx) Notify(e crm.Event) {
	if t.write {
		t.appended = append(t.appended, e)
	}
}
