package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"

	"roster/crm"

	bolt "go.etcd.io/bbolt"
)

// This file is crm.MailTx. Sync writes tens of thousands of messages in
// batches, so a Put costs a few B-tree operations whatever the database
// holds: it computes the index entries of the stored version and of the
// new one (mailkeys.go) and moves those that differ. Reads are prefix
// scans over those indexes.

var _ crm.MailTx = (*tx)(nil)

// Message reads one message with its body (bodies.go); a miss wraps
// crm.ErrNotFound.
func (t *tx) Message(id crm.ID) (crm.Message, error) {
	var m crm.Message
	if err := get(t.b.messages, nil, "message", id, &m); err != nil {
		return m, err
	}
	body := t.b.bodies.Get([]byte(id))
	if body == nil {
		m.HeaderOnly = true
		return m, nil
	}
	if err := decodeBody(body, &m); err != nil {
		return m, fmt.Errorf("message %s: %w", id, err)
	}
	return m, nil
}

// MessageByMessageID finds a message by its Message-ID exactly as stored:
// the domain normalises before it asks. It reads the Message-ID's entry
// in idx_threadref (refValue), which names the message that has it.
func (t *tx) MessageByMessageID(mid string) (crm.ID, bool, error) {
	if mid == "" {
		return "", false, nil
	}
	_, msg := splitRef(t.refGet([]byte(mid)))
	if len(msg) == 0 {
		return "", false, nil
	}
	return crm.ID(msg), true, nil
}

// PutMessage stores m at the next version and moves its index entries. A
// Message-ID owned by another message is a *crm.DuplicateError: two
// records for one Message-ID would split a conversation.
func (t *tx) PutMessage(m *crm.Message) error {
	if err := t.writable(); err != nil {
		return err
	}
	if err := checkID("message", m.ID); err != nil {
		return err
	}
	if err := checkID("thread", m.ThreadID); err != nil {
		return fmt.Errorf("message %s: %w", m.ID, err)
	}
	if m.CreatorID != "" {
		if err := checkID("creator", m.CreatorID); err != nil {
			return fmt.Errorf("message %s: %w", m.ID, err)
		}
	}
	key := []byte(m.ID)
	var old msgKeys
	data := t.b.messages.Get(key)
	if data != nil {
		if err := decode(data, &old); err != nil {
			return unreadable("message", m.ID, err)
		}
		// Whether it has its body is the body entry's to say: PutBody
		// fills bodies without rewriting the record.
		old.HeaderOnly = t.b.bodies.Get(key) == nil
	}
	if err := checkVersion("message", m.ID, m.Version, data != nil, old.Version); err != nil {
		return err
	}
	keys := keysOf(m)
	next := messageIndex(m.ID, &keys)
	if err := next.check(); err != nil {
		return fmt.Errorf("message %s: %w", m.ID, err)
	}
	// The Message-ID's entry, read once: for the duplicate check here
	// and for ownMessageID below (a sync stores tens of thousands).
	ref := t.refGet(next.msgID)
	if _, owner := splitRef(ref); len(owner) > 0 && !bytes.Equal(owner, key) {
		return &crm.DuplicateError{Key: "message-id " + m.MessageID, Owner: crm.ID(owner)}
	}
	rec := *m
	rec.Version = old.Version + 1
	// The body lives in its own bucket (bodies.go): the record stays
	// small, and the text is neither escaped nor rewritten when only the
	// record changes. A header-only message keeps its problems (a header
	// that could not be read) in the record.
	rec.Text, rec.Attachments = "", nil
	if !m.HeaderOnly {
		rec.Problems = nil
	}
	enc, err := encode(&rec)
	if err != nil {
		return fmt.Errorf("message %s: %w", m.ID, err)
	}
	var prev msgIndex
	if data != nil {
		prev = messageIndex(m.ID, &old)
	}
	if err := t.moveMessageKeys(key, prev, next); err != nil {
		return err
	}
	if err := t.ownMessageID(key, prev.msgID, next.msgID, ref, m.ThreadID); err != nil {
		return err
	}
	if err := t.b.messages.Put(key, enc); err != nil {
		return err
	}
	if err := t.putBody(key, m); err != nil {
		return err
	}
	m.Version = rec.Version
	return nil
}

// ownMessageID makes the idx_threadref entry of a message's Message-ID
// name the message, keeping the thread it points to (or, for a Message-ID
// nothing referenced yet, the message's own thread). An entry the message
// no longer owns becomes a plain reference again. cur is the entry as
// PutMessage read it (nil when there is none).
func (t *tx) ownMessageID(id, prev, next, cur []byte, thread crm.ID) error {
	if prev != nil && !bytes.Equal(prev, next) {
		if th, owner := splitRef(t.refGet(prev)); bytes.Equal(owner, id) {
			if err := t.b.refs.Put(prev, bytes.Clone(th)); err != nil {
				return err
			}
		}
	}
	th, _ := splitRef(cur)
	if th == nil {
		th = []byte(thread)
	}
	v := refValue(th, id)
	if bytes.Equal(cur, v) {
		return nil // as it was: leave its page clean
	}
	return t.b.refs.Put(next, v)
}

func (t *tx) moveMessageKeys(id []byte, prev, next msgIndex) error {
	var sinceDate, nextDate []byte
	if next.sender != nil {
		sinceDate = next.date[:dateKeyLen]
		nextDate = next.date
		if has(t.b.ignored, next.from) {
			nextDate = nil
		}
	}
	for _, mv := range []struct {
		b               *bolt.Bucket
		old, next, vals []byte
	}{
		{t.b.threadMessages, prev.thread, next.thread, nil},
		{t.b.unmatchedSender, prev.sender, next.sender, sinceDate},
		{t.b.unmatchedDate, prev.date, nextDate, next.from},
		{t.b.pendingBodies, prev.pending, next.pending, nil},
	} {
		if err := move(mv.b, mv.old, mv.next, mv.vals); err != nil {
			return err
		}
	}
	return nil
}

// MessagesOfThread lists a thread's messages oldest first (by Date, then
// ID for mail sent in the same second).
func (t *tx) MessagesOfThread(thread crm.ID) ([]crm.Message, error) {
	ids := children(t.b.threadMessages, thread)
	out := make([]crm.Message, 0, len(ids))
	for _, id := range ids {
		m, err := t.Message(id)
		if err != nil {
			return nil, fmt.Errorf("messages of thread %s: %w", thread, err)
		}
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b crm.Message) int {
		if c := a.Date.Compare(b.Date); c != 0 {
			return c
		}
		return strings.Compare(string(a.ID), string(b.ID))
	})
	return out, nil
}

// Thread reads one thread; a miss wraps crm.ErrNotFound.
func (t *tx) Thread(id crm.ID) (crm.Thread, error) {
	var th crm.Thread
	err := get(t.b.threads, &t.c.threads, "thread", id, &th)
	return th, err
}

// PutThread stores th at the next version and files it under its creator,
// if it has one.
func (t *tx) PutThread(th *crm.Thread) error {
	if err := t.writable(); err != nil {
		return err
	}
	if err := checkID("thread", th.ID); err != nil {
		return err
	}
	if th.CreatorID != "" {
		if err := checkID("creator", th.CreatorID); err != nil {
			return fmt.Errorf("thread %s: %w", th.ID, err)
		}
	}
	key := []byte(th.ID)
	var old crm.Thread
	data := t.b.threads.Get(key)
	if data != nil {
		if err := decodeCached(&t.c.threads, "thread", key, data, &old); err != nil {
			return err
		}
	}
	if err := checkVersion("thread", th.ID, th.Version, data != nil, old.Version); err != nil {
		return err
	}
	rec := *th
	rec.Version = old.Version + 1
	enc, err := encode(&rec)
	if err != nil {
		return fmt.Errorf("thread %s: %w", th.ID, err)
	}
	var prevIdx, nextIdx []byte
	if data != nil && old.CreatorID != "" {
		prevIdx = childKey(old.CreatorID, th.ID)
	}
	if th.CreatorID != "" {
		nextIdx = childKey(th.CreatorID, th.ID)
	}
	if err := move(t.b.creatorThreads, prevIdx, nextIdx, turnValue(th)); err != nil {
		return err
	}
	if err := t.b.threads.Put(key, enc); err != nil {
		return err
	}
	t.c.threads.put(key, enc, rec)
	th.Version = rec.Version
	return nil
}

// DeleteThread removes a thread a merge emptied, and its place under its
// creator. A thread that still holds messages is refused (crm.ErrInvalid):
// deleting it would leave them in a conversation nobody can open.
// Message-ID references to it are the caller's to move (PutThreadRef).
func (t *tx) DeleteThread(id crm.ID) error {
	if err := t.writable(); err != nil {
		return err
	}
	if err := checkID("thread", id); err != nil {
		return err
	}
	key := []byte(id)
	data := t.b.threads.Get(key)
	if data == nil {
		return fmt.Errorf("thread %s: %w", id, crm.ErrNotFound)
	}
	var old crm.Thread
	if err := decodeCached(&t.c.threads, "thread", key, data, &old); err != nil {
		return err
	}
	prefix := childPrefix(id)
	if k, _ := t.b.threadMessages.Cursor().Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) {
		return fmt.Errorf("%w: thread %s still holds message %s; move its messages before deleting it", crm.ErrInvalid, id, k[len(prefix):])
	}
	if old.CreatorID != "" {
		if err := t.b.creatorThreads.Delete(childKey(old.CreatorID, id)); err != nil {
			return err
		}
	}
	return t.b.threads.Delete(key)
}

// ThreadsOf lists a creator's threads, newest activity (LastAt) first. The
// board calls it for every card, so it walks the creator's index entries
// with one cursor and looks each thread up with another (a Get would make
// a cursor per thread), and threads decode through the cache.
func (t *tx) ThreadsOf(creator crm.ID) ([]crm.Thread, error) {
	prefix := childPrefix(creator)
	out := make([]crm.Thread, 0, 4)
	if t.threadCurs[0] == nil {
		t.threadCurs = [2]*bolt.Cursor{t.b.creatorThreads.Cursor(), t.b.threads.Cursor()}
	}
	idx, recs := t.threadCurs[0], t.threadCurs[1]
	for k, _ := idx.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = idx.Next() {
		id := k[len(prefix):]
		rk, data := recs.Seek(id)
		if !bytes.Equal(rk, id) {
			return nil, fmt.Errorf("threads of creator %s: thread %s: %w", creator, id, crm.ErrNotFound)
		}
		out = append(out, crm.Thread{})
		if err := decodeCached(&t.c.threads, "thread", id, data, &out[len(out)-1]); err != nil {
			return nil, fmt.Errorf("threads of creator %s: %w", creator, err)
		}
	}
	slices.SortFunc(out, newestThreadFirst)
	return out, nil
}

func newestThreadFirst(a, b crm.Thread) int {
	if c := b.LastAt.Compare(a.LastAt); c != 0 {
		return c
	}
	return strings.Compare(string(b.ID), string(a.ID))
}

// TurnOf reads whose turn it is from the creator's index entries alone:
// each holds its thread's LastAt and LastDirection (turnValue), so the
// board draws every card's "reply owed" without decoding a thread.
func (t *tx) TurnOf(creator crm.ID) (crm.Turn, error) {
	prefix := childPrefix(creator)
	if t.threadCurs[0] == nil {
		t.threadCurs = [2]*bolt.Cursor{t.b.creatorThreads.Cursor(), t.b.threads.Cursor()}
	}
	var best []byte
	for k, v := t.threadCurs[0].Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = t.threadCurs[0].Next() {
		if len(v) != turnValueLen {
			return crm.Turn{}, fmt.Errorf("threads of creator %s: index entry %s is damaged", creator, k)
		}
		// Keys ascend by thread ID, so ">=" keeps the later ID among
		// equal times, as ThreadsOf orders them.
		if best == nil || bytes.Compare(v[:dateKeyLen], best[:dateKeyLen]) >= 0 {
			best = v
		}
	}
	if best == nil {
		return crm.Turn{}, nil
	}
	return crm.Turn{LastAt: fromDateKey(best), ReplyOwed: best[dateKeyLen] == 'i'}, nil
}

// ThreadByRef finds the thread a Message-ID (exactly as stored) belongs
// to, including ghosts: ids only referenced so far.
func (t *tx) ThreadByRef(mid string) (crm.ID, bool, error) {
	if mid == "" {
		return "", false, nil
	}
	th, _ := splitRef(t.refGet([]byte(mid)))
	if th == nil {
		return "", false, nil
	}
	return crm.ID(th), true, nil
}

// PutThreadRef files mid under thread, replacing the thread it pointed
// to and keeping the message that has it (refValue): merging threads
// re-points their references this way.
func (t *tx) PutThreadRef(mid string, thread crm.ID) error {
	if err := t.writable(); err != nil {
		return err
	}
	if err := checkID("thread", thread); err != nil {
		return err
	}
	switch {
	case mid == "":
		return &crm.FieldError{Field: "message_id", Msg: "is empty"}
	case len(mid) > bolt.MaxKeySize:
		return &crm.FieldError{Field: "message_id", Msg: "is too long"}
	}
	key := []byte(mid)
	cur := t.refGet(key)
	_, owner := splitRef(cur)
	v := refValue([]byte(thread), owner)
	if cur != nil && bytes.Equal(cur, v) {
		return nil // as it was: leave its page clean
	}
	return t.b.refs.Put(key, v)
}

// refGet is t.b.refs.Get through the transaction's one refs cursor. A
// Seek is safe after writes, and the value is read before the next one.
func (t *tx) refGet(key []byte) []byte {
	if t.refsCur == nil {
		t.refsCur = t.b.refs.Cursor()
	}
	k, v := t.refsCur.Seek(key)
	if !bytes.Equal(k, key) {
		return nil
	}
	return v
}

// MailboxState reads a mailbox's sync cursor; found is false before the
// mailbox's first sync.
func (t *tx) MailboxState(account, mailbox string) (crm.MailboxState, bool, error) {
	var st crm.MailboxState
	if err := checkMailbox(account, mailbox); err != nil {
		return st, false, err
	}
	data := t.b.mailboxes.Get(mailboxKey(account, mailbox))
	if data == nil {
		return st, false, nil
	}
	if err := decode(data, &st); err != nil {
		return st, false, fmt.Errorf("state of mailbox %s of %s: stored value is unreadable: %w", mailbox, account, err)
	}
	return st, true, nil
}

// PutMailboxState stores a mailbox's sync cursor. It has no version: one
// sync runs per account, and the cursor is written in the transaction of
// the messages it covers.
func (t *tx) PutMailboxState(st crm.MailboxState) error {
	if err := t.writable(); err != nil {
		return err
	}
	if err := checkMailbox(st.Account, st.Mailbox); err != nil {
		return err
	}
	enc, err := encode(&st)
	if err != nil {
		return fmt.Errorf("state of mailbox %s of %s: %w", st.Mailbox, st.Account, err)
	}
	return t.b.mailboxes.Put(mailboxKey(st.Account, st.Mailbox), enc)
}

// LocationsIn maps the UIDs roster knows in a mailbox to their messages,
// at the UIDVALIDITY of the mailbox's stored state: locations from before
// the server renumbered the mailbox are not this mailbox's UIDs any more.
// Without a state it lists them all, and where two UIDVALIDITYs share a
// UID the higher one wins.
func (t *tx) LocationsIn(account, mailbox string) (map[uint32]crm.ID, error) {
	st, ok, err := t.MailboxState(account, mailbox)
	if err != nil {
		return nil, err
	}
	prefix := locationPrefix(account, mailbox, st.UIDValidity, ok)
	out := map[uint32]crm.ID{}
	c := t.b.locations.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		tail := k[len(prefix):]
		var uid uint32
		if ok {
			if len(tail) != 4 {
				return nil, fmt.Errorf("location key %q is malformed; the database is damaged", k)
			}
			uid = binary.BigEndian.Uint32(tail)
		} else if _, uid, err = splitLocationTail(tail); err != nil {
			return nil, err
		}
		out[uid] = crm.ID(v)
	}
	return out, nil
}

// PutLocation records that msg has a copy at loc. The message's own
// Locations list is the domain's to keep (with PutMessage); this is the
// index sync looks UIDs up in.
func (t *tx) PutLocation(loc crm.Location, msg crm.ID) error {
	if err := t.writable(); err != nil {
		return err
	}
	if err := checkMailbox(loc.Account, loc.Mailbox); err != nil {
		return err
	}
	if err := checkID("message", msg); err != nil {
		return err
	}
	return upsert(t.b.locations, locationKey(loc), []byte(msg))
}

// DeleteLocation forgets a copy the server no longer has. Forgetting one
// roster never knew is not an error: the server is the truth here.
func (t *tx) DeleteLocation(loc crm.Location) error {
	if err := t.writable(); err != nil {
		return err
	}
	if err := checkMailbox(loc.Account, loc.Mailbox); err != nil {
		return err
	}
	return t.b.locations.Delete(locationKey(loc))
}

// Unmatched walks the date index of unmatched mail backwards, so it reads
// limit messages however many there are (limit <= 0 reads all). Ignored
// senders have no entries there (PutIgnored removes them); the check below
// only guards against a sender ignored by some other path.
func (t *tx) Unmatched(limit int) ([]crm.Message, error) {
	var out []crm.Message
	c := t.b.unmatchedDate.Cursor()
	for k, v := c.Last(); k != nil && (limit <= 0 || len(out) < limit); k, v = c.Prev() {
		if len(k) <= dateKeyLen {
			return nil, fmt.Errorf("unmatched key %q is malformed; the database is damaged", k)
		}
		if len(v) > 0 && has(t.b.ignored, v) {
			continue
		}
		m, err := t.Message(crm.ID(k[dateKeyLen:]))
		if err != nil {
			return nil, fmt.Errorf("unmatched mail: %w", err)
		}
		out = append(out, m)
	}
	return out, nil
}

// UnmatchedFrom lists, in ID order, the unmatched mail whose From
// normalises as addr does, ignored or not: linking an address to a
// creator claims all of it.
func (t *tx) UnmatchedFrom(addr string) ([]crm.ID, error) {
	prefix := joinKey(crm.NormalizeEmail(addr), "")
	var out []crm.ID
	c := t.b.unmatchedSender.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		if id, ok := under(k, prefix); ok {
			out = append(out, id)
		}
	}
	return out, nil
}

// IsIgnored reports whether mail from addr (compared by NormalizeEmail)
// is kept out of the unmatched list.
func (t *tx) IsIgnored(addr string) (bool, error) {
	n := crm.NormalizeEmail(addr)
	return n != "" && has(t.b.ignored, []byte(n)), nil
}

// PutIgnored keeps addr's mail, present and future, out of the unmatched
// list. It removes the sender's entries from the date index so that
// Unmatched never walks past them; the cost is one delete per message of
// that sender, once.
func (t *tx) PutIgnored(addr string) error {
	if err := t.writable(); err != nil {
		return err
	}
	n := crm.NormalizeEmail(addr)
	switch {
	case n == "":
		return &crm.FieldError{Field: "email", Msg: "is empty"}
	case len(n) > bolt.MaxKeySize:
		return &crm.FieldError{Field: "email", Msg: "is too long"}
	}
	key := []byte(n)
	if has(t.b.ignored, key) {
		return nil
	}
	if err := t.b.ignored.Put(key, []byte{}); err != nil {
		return err
	}
	return t.eachDateKey(n, t.b.unmatchedDate.Delete)
}

// eachDateKey calls fn with the idx_unmatched_date key of every unmatched
// message from the sender n (normalised), as idx_unmatched_sender holds
// them whether or not the sender is ignored.
func (t *tx) eachDateKey(n string, fn func(dk []byte) error) error {
	prefix := joinKey(n, "")
	c := t.b.unmatchedSender.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		id, ok := under(k, prefix)
		if !ok {
			continue
		}
		if len(v) != dateKeyLen {
			return fmt.Errorf("unmatched sender key %q holds no date; the database is damaged", k)
		}
		dk := make([]byte, 0, len(v)+len(id))
		if err := fn(append(append(dk, v...), id...)); err != nil {
			return err
		}
	}
	return nil
}

// Ignored lists the ignored senders (as NormalizeEmail gave them), in
// byte order.
func (t *tx) Ignored() ([]string, error) {
	var out []string
	err := t.b.ignored.ForEach(func(k, _ []byte) error {
		out = append(out, string(k))
		return nil
	})
	return out, err
}

// DeleteIgnored lists addr's unmatched mail again: it puts back the date
// index entries PutIgnored removed, from the sender index, which keeps
// them. A sender who is not ignored wraps crm.ErrNotFound.
func (t *tx) DeleteIgnored(addr string) error {
	if err := t.writable(); err != nil {
		return err
	}
	n := crm.NormalizeEmail(addr)
	key := []byte(n)
	if n == "" || !has(t.b.ignored, key) {
		return fmt.Errorf("ignored sender %s: %w", addr, crm.ErrNotFound)
	}
	if err := t.b.ignored.Delete(key); err != nil {
		return err
	}
	return t.eachDateKey(n, func(dk []byte) error { return t.b.unmatchedDate.Put(dk, key) })
}

// PendingBodies lists an account's creator mail still without a body,
// oldest first (by ID, that is, by when roster stored it), up to limit
// (limit <= 0 lists all).
func (t *tx) PendingBodies(account string, limit int) ([]crm.Message, error) {
	prefix := joinKey(account, "")
	var out []crm.Message
	c := t.b.pendingBodies.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) && (limit <= 0 || len(out) < limit); k, _ = c.Next() {
		id, ok := under(k, prefix)
		if !ok {
			continue
		}
		m, err := t.Message(id)
		if err != nil {
			return nil, fmt.Errorf("bodies to fetch for %s: %w", account, err)
		}
		out = append(out, m)
	}
	return out, nil
}

// Notify queues e for the feed after commit, beside the appended events
// and in call order, without writing it to the log. In a read-only
// transaction, which never commits, it does nothing.
func (t *tx) Notify(e crm.Event) {
	if t.btx.Writable() {
		t.published = append(t.published, e)
	}
}
