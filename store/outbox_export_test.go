package store

import (
	"fmt"

	"roster/crm"
)

// CheckOutboxIndexes compares the outbox indexes with the mails, for
// tests that change the outbox and want no stale entry left.
func CheckOutboxIndexes(db *DB) error { return checkOutboxIndexes(db) }

// checkOutboxIndexes compares the outbox indexes with the records, for
// tests: every mail has exactly its state and Message-ID entries.
func checkOutboxIndexes(db *DB) error {
	return db.View(func(ctx crm.Tx) error {
		t := ctx.(*tx)
		want := map[string]string{}
		if err := t.ForEachOutboxMail(func(m *crm.OutboxMail) error {
			want["s:"+string(stateKey(m.State, m.ID))] = ""
			if m.MessageID != "" {
				want["m:"+m.MessageID] = string(m.ID)
			}
			return nil
		}); err != nil {
			return err
		}
		got := map[string]string{}
		for _, x := range []struct {
			p string
			b []byte
		}{{"s:", bucketOutboxState}, {"m:", bucketOutboxMsgID}} {
			if err := t.btx.Bucket(x.b).ForEach(func(k, v []byte) error {
				got[x.p+string(k)] = string(v)
				return nil
			}); err != nil {
				return err
			}
		}
		for k, v := range want {
			if g, ok := got[k]; !ok || g != v {
				return fmt.Errorf("outbox index %q = %q (present %v), want %q", k, g, ok, v)
			}
		}
		for k := range got {
			if _, ok := want[k]; !ok {
				return fmt.Errorf("outbox index %q has no mail", k)
			}
		}
		return nil
	})
}
