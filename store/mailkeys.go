package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"
	"time"

	"roster/crm"

	bolt "go.etcd.io/bbolt"
)

// Mail index keys. Every key a message or thread owns is computed from the
// record alone (msgIndex, threadIndex), so that a Put can compute the old
// record's keys and the new one's, and move only those that differ: no
// index is ever repaired by a scan.
//
// Keys that join a free-form string (an address, an account name) and an
// ID with "/" rely on IDs never holding "/" (checkID): a prefix scan for
// "a/" also meets "a/b@x/ID", whose rest still holds a "/", and skips it
// (see under).

// msgKeys is the part of a stored message its index keys come from.
// Decoding only these fields skips the body and address lists, which are
// most of a message's bytes, when a Put reads the old version.
type msgKeys struct {
	Version    uint64      `json:"version"`
	MessageID  string      `json:"message_id"`
	ThreadID   crm.ID      `json:"thread_id"`
	CreatorID  crm.ID      `json:"creator_id"`
	Account    string      `json:"account"`
	From       crm.Address `json:"from"`
	Date       time.Time   `json:"date"`
	Bulk       bool        `json:"bulk"`
	HeaderOnly bool        `json:"header_only"`
}

func keysOf(m *crm.Message) msgKeys {
	return msgKeys{
		Version: m.Version, MessageID: m.MessageID, ThreadID: m.ThreadID, CreatorID: m.CreatorID,
		Account: m.Account, From: m.From, Date: m.Date, Bulk: m.Bulk, HeaderOnly: m.HeaderOnly,
	}
}

// msgIndex is every index entry one message owns; nil means none.
type msgIndex struct {
	msgID  []byte // the key of the message's own idx_threadref entry
	thread []byte // idx_thread_messages: thread "/" message -> empty
	// sender is idx_unmatched_sender's key (sender "/" message), whose
	// value is the date key, so that ignoring a sender can find its
	// messages' date entries without decoding them.
	sender []byte
	date   []byte // idx_unmatched_date: dateKey + message ID -> sender
	from   []byte // the normalised sender, date's value
	// pending is idx_pending_body's key: account "/" message -> empty.
	pending []byte
}

func messageIndex(id crm.ID, k *msgKeys) msgIndex {
	x := msgIndex{
		msgID:  []byte(k.MessageID),
		thread: childKey(k.ThreadID, id),
	}
	if k.CreatorID == "" && !k.Bulk {
		x.from = []byte(crm.NormalizeEmail(k.From.Email))
		x.sender = joinKey(string(x.from), id)
		x.date = append(dateKey(k.Date), id...)
	}
	if k.CreatorID != "" && k.HeaderOnly {
		x.pending = joinKey(k.Account, id)
	}
	return x
}

// check refuses keys bbolt could not store, before anything is written.
func (x *msgIndex) check() error {
	if len(x.msgID) == 0 {
		return &crm.FieldError{Field: "message_id", Msg: "is empty"}
	}
	for _, k := range []struct {
		field string
		key   []byte
	}{{"message_id", x.msgID}, {"from", x.sender}, {"account", x.pending}} {
		if len(k.key) > bolt.MaxKeySize {
			return &crm.FieldError{Field: k.field, Msg: "is too long"}
		}
	}
	return nil
}

// refValue is an idx_threadref value (schema 8): the ID of the thread a
// Message-ID belongs to, then, when a stored message has that Message-ID,
// "/" and the message's ID. One entry serves both lookups a sync makes
// for every Message-ID it meets (is it a message roster has, and which
// thread is it in); as two indexes keyed by Message-ID, they were five in
// six of the pages a header batch dirtied.
func refValue(thread, msg []byte) []byte {
	v := make([]byte, 0, len(thread)+1+len(msg))
	v = append(v, thread...)
	if len(msg) > 0 {
		v = append(append(v, '/'), msg...)
	}
	return v
}

// splitRef reads a refValue back; both are nil for a missing entry.
func splitRef(v []byte) (thread, msg []byte) {
	if i := bytes.IndexByte(v, '/'); i >= 0 {
		return v[:i], v[i+1:]
	}
	return v, nil
}

// joinKey is s "/" id, for prefix scans by s.
func joinKey(s string, id crm.ID) []byte {
	k := make([]byte, 0, len(s)+1+len(id))
	k = append(k, s...)
	k = append(k, '/')
	return append(k, id...)
}

// under returns the ID a key found by a prefix scan for prefix names, or
// false when the key belongs to a longer string that merely starts with
// the prefix's.
func under(key, prefix []byte) (crm.ID, bool) {
	rest := key[len(prefix):]
	if len(rest) == 0 || bytes.IndexByte(rest, '/') >= 0 {
		return "", false
	}
	return crm.ID(rest), true
}

// dateKeyLen is the length of dateKey's output.
const dateKeyLen = 12

// dateKey encodes t so that byte order is time order for every time.Time,
// including the zero time and dates before 1970 that broken mailers send:
// seconds with the sign bit flipped, then nanoseconds, both big-endian.
// turnValueLen is the size of an idx_creator_threads value (turnValue).
const turnValueLen = dateKeyLen + 1

// turnValue is a thread's idx_creator_threads value: its LastAt as a date
// key, then 'i' when the last message came in, 'o' when it went out.
// TurnOf reads it back.
func turnValue(th *crm.Thread) []byte {
	dir := byte('o')
	if th.LastDirection == crm.In {
		dir = 'i'
	}
	return append(dateKey(th.LastAt), dir)
}

// fromDateKey reads a date key back.
func fromDateKey(k []byte) time.Time {
	sec := int64(binary.BigEndian.Uint64(k) ^ (1 << 63))
	return time.Unix(sec, int64(binary.BigEndian.Uint32(k[8:]))).UTC()
}

func dateKey(t time.Time) []byte {
	k := make([]byte, dateKeyLen, dateKeyLen+24)
	binary.BigEndian.PutUint64(k, uint64(t.Unix())^(1<<63))
	binary.BigEndian.PutUint32(k[8:], uint32(t.Nanosecond()))
	return k
}

// checkMailbox refuses account and mailbox names that would make location
// and mailbox keys ambiguous; IMAP names never hold NUL.
func checkMailbox(account, mailbox string) error {
	switch {
	case account == "":
		return &crm.FieldError{Field: "account", Msg: "is empty"}
	case mailbox == "":
		return &crm.FieldError{Field: "mailbox", Msg: "is empty"}
	case strings.IndexByte(account, 0) >= 0:
		return &crm.FieldError{Field: "account", Msg: "holds a NUL byte"}
	case strings.IndexByte(mailbox, 0) >= 0:
		return &crm.FieldError{Field: "mailbox", Msg: "holds a NUL byte"}
	case len(account)+len(mailbox)+10 > bolt.MaxKeySize:
		return &crm.FieldError{Field: "mailbox", Msg: "is too long"}
	}
	return nil
}

// mailboxKey is account NUL mailbox: the key of a MailboxState, and the
// start of its locations' keys.
func mailboxKey(account, mailbox string) []byte {
	k := make([]byte, 0, len(account)+len(mailbox)+11)
	k = append(k, account...)
	k = append(k, 0)
	return append(k, mailbox...)
}

// locationPrefix is the key prefix of a mailbox's locations; with
// validity, only those at that UIDVALIDITY.
func locationPrefix(account, mailbox string, validity uint32, withValidity bool) []byte {
	k := append(mailboxKey(account, mailbox), 0)
	if withValidity {
		k = binary.BigEndian.AppendUint32(k, validity)
		k = append(k, 0)
	}
	return k
}

// locationKey is account NUL mailbox NUL uidvalidity NUL uid, numbers
// big-endian, so that one mailbox's locations at one UIDVALIDITY sit
// together in UID order.
func locationKey(l crm.Location) []byte {
	return binary.BigEndian.AppendUint32(locationPrefix(l.Account, l.Mailbox, l.UIDValidity, true), l.UID)
}

// splitLocationTail reads uidvalidity and UID from what follows a
// mailbox's location prefix.
func splitLocationTail(tail []byte) (validity, uid uint32, err error) {
	if len(tail) != 9 || tail[4] != 0 {
		return 0, 0, fmt.Errorf("location key %q is malformed; the database is damaged", tail)
	}
	return binary.BigEndian.Uint32(tail), binary.BigEndian.Uint32(tail[5:]), nil
}

// has reports whether key is in b. bbolt's Get does not tell a missing key
// from an empty value reliably, and presence indexes store empty values.
func has(b *bolt.Bucket, key []byte) bool {
	k, _ := b.Cursor().Seek(key)
	return k != nil && bytes.Equal(k, key)
}

// move replaces the index entry old with next (either may be nil) for a
// record whose keys hold its own ID. Only a key that stays the same needs a
// look first, to leave an unchanged entry's page clean (and to restore an
// entry that went missing); a new key cannot be there yet, since only this
// record makes it, so it is put straight away: during a sync almost every
// key is new.
func move(b *bolt.Bucket, old, next, val []byte) error {
	if old != nil && bytes.Equal(old, next) {
		return upsert(b, next, val)
	}
	if old != nil {
		if err := b.Delete(old); err != nil {
			return err
		}
	}
	if next == nil {
		return nil
	}
	return b.Put(next, val)
}

// upsert puts key unless it already holds val, so that re-syncing what
// roster already knows dirties no page.
func upsert(b *bolt.Bucket, key, val []byte) error {
	if len(val) == 0 {
		if has(b, key) {
			return nil
		}
	} else if bytes.Equal(b.Get(key), val) {
		return nil
	}
	return b.Put(key, val)
}
