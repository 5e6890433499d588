package store

import (
	"bytes"
	"fmt"

	"roster/crm"

	bolt "go.etcd.io/bbolt"
)

// This file is crm.OutboxTx: the outbox bucket (ID → mail, with its raw
// bytes) and two indexes, state/ID → nil for the worker's queue and
// Message-ID → ID for finding the mail a reply answers. The outbox holds
// hundreds of mails, not millions; its buckets are looked up per call
// rather than kept in tx's table.

var (
	bucketOutbox                   = []byte("outbox")
	bucketOutboxState              = []byte("idx_outbox_state")
	bucketOutboxMsgID              = []byte("idx_outbox_msgid")
	outboxBuckets                  = [][]byte{bucketOutbox, bucketOutboxState, bucketOutboxMsgID}
	_                 crm.OutboxTx = (*tx)(nil)
)

// createOutbox is schema 4: the outbox and its indexes, empty.
func createOutbox(tx *bolt.Tx) error {
	for _, name := range outboxBuckets {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	return nil
}

func stateKey(st crm.OutboxState, id crm.ID) []byte {
	return []byte(string(st) + "/" + string(id))
}

// OutboxMail reads one mail; a miss wraps crm.ErrNotFound.
func (t *tx) OutboxMail(id crm.ID) (crm.OutboxMail, error) {
	var m crm.OutboxMail
	b, err := t.bucket(bucketOutbox)
	if err != nil {
		return m, err
	}
	return m, get(b, nil, "outbox mail", id, &m)
}

// PutOutboxMail stores m at the next version and moves its state and
// Message-ID index entries. A Message-ID another mail has is a
// *crm.DuplicateError: two mails with one id would be one mail to every
// server and client.
func (t *tx) PutOutboxMail(m *crm.OutboxMail) error {
	if err := t.writable(); err != nil {
		return err
	}
	if err := checkID("outbox mail", m.ID); err != nil {
		return err
	}
	if !m.State.Valid() {
		return &crm.FieldError{Field: "state", Msg: "is not an outbox state: " + string(m.State)}
	}
	b, err := t.bucket(bucketOutbox)
	if err != nil {
		return err
	}
	states, err := t.bucket(bucketOutboxState)
	if err != nil {
		return err
	}
	mids, err := t.bucket(bucketOutboxMsgID)
	if err != nil {
		return err
	}
	key := []byte(m.ID)
	var old crm.OutboxMail
	data := b.Get(key)
	if data != nil {
		if err := decode(data, &old); err != nil {
			return unreadable("outbox mail", m.ID, err)
		}
	}
	if err := checkVersion("outbox mail", m.ID, m.Version, data != nil, old.Version); err != nil {
		return err
	}
	if m.MessageID != "" {
		if owner := mids.Get([]byte(m.MessageID)); owner != nil && !bytes.Equal(owner, key) {
			return &crm.DuplicateError{Key: "Message-ID " + m.MessageID, Owner: crm.ID(owner)}
		}
	}
	rec := *m
	rec.Version = old.Version + 1
	enc, err := encode(&rec)
	if err != nil {
		return fmt.Errorf("outbox mail %s: %w", m.ID, err)
	}
	if data != nil {
		if err := states.Delete(stateKey(old.State, old.ID)); err != nil {
			return err
		}
		if old.MessageID != "" && old.MessageID != m.MessageID {
			if err := mids.Delete([]byte(old.MessageID)); err != nil {
				return err
			}
		}
	}
	if err := states.Put(stateKey(m.State, m.ID), nil); err != nil {
		return err
	}
	if m.MessageID != "" {
		if err := mids.Put([]byte(m.MessageID), key); err != nil {
			return err
		}
	}
	if err := b.Put(key, enc); err != nil {
		return err
	}
	m.Version = rec.Version
	return nil
}

// OutboxByState lists the mails in a state through the state index,
// oldest first.
func (t *tx) OutboxByState(st crm.OutboxState) ([]crm.OutboxMail, error) {
	states, err := t.bucket(bucketOutboxState)
	if err != nil {
		return nil, err
	}
	prefix := []byte(string(st) + "/")
	var out []crm.OutboxMail
	c := states.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		m, err := t.OutboxMail(crm.ID(k[len(prefix):]))
		if err != nil {
			return nil, fmt.Errorf("outbox %s: %w", st, err)
		}
		out = append(out, m)
	}
	return out, nil
}

// OutboxByMessageID finds a mail by its normalised Message-ID.
func (t *tx) OutboxByMessageID(mid string) (crm.ID, bool, error) {
	mids, err := t.bucket(bucketOutboxMsgID)
	if err != nil {
		return "", false, err
	}
	return lookup(mids, mid)
}

// ForEachOutboxMail visits every mail in ID (queueing) order.
func (t *tx) ForEachOutboxMail(fn func(*crm.OutboxMail) error) error {
	b, err := t.bucket(bucketOutbox)
	if err != nil {
		return err
	}
	return forEach[crm.OutboxMail](b, nil, "outbox mail", fn)
}
