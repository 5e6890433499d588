package store

import (
	"bytes"
	"fmt"
	"maps"
	"slices"

	"roster/crm"

	bolt "go.etcd.io/bbolt"
)

// checkMailIndexes rebuilds every mail index from the message and thread
// records, the slow way, and compares it with the buckets key by key and
// value by value: a Put that forgot to remove a stale entry, or wrote a
// wrong value, shows up here whatever the reads happen to ask.
func checkMailIndexes(db *DB) error {
	return db.bolt.View(func(btx *bolt.Tx) error {
		t, err := newTx(btx, nil)
		if err != nil {
			return err
		}
		type index map[string]string
		want := map[*bolt.Bucket]index{}
		names := map[*bolt.Bucket]string{}
		for b, name := range map[*bolt.Bucket]string{
			t.b.threadMessages: "idx_thread_messages", t.b.unmatchedSender: "idx_unmatched_sender",
			t.b.unmatchedDate: "idx_unmatched_date", t.b.pendingBodies: "idx_pending_body", t.b.creatorThreads: "idx_creator_threads",
		} {
			want[b], names[b] = index{}, name
		}
		add := func(b *bolt.Bucket, k, v []byte) {
			if k != nil {
				want[b][string(k)] = string(v)
			}
		}
		// idx_threadref's thread parts come from threading, which the
		// records do not replay; its message parts must name exactly
		// the message holding each Message-ID.
		owners := map[string]string{}
		err = t.b.messages.ForEach(func(k, v []byte) error {
			var m msgKeys
			if err := decode(v, &m); err != nil {
				return err
			}
			m.HeaderOnly = t.b.bodies.Get(k) == nil
			x := messageIndex(crm.ID(k), &m)
			owners[string(x.msgID)] = string(k)
			add(t.b.threadMessages, x.thread, nil)
			if x.sender != nil {
				add(t.b.unmatchedSender, x.sender, x.date[:dateKeyLen])
				if !has(t.b.ignored, x.from) {
					add(t.b.unmatchedDate, x.date, x.from)
				}
			}
			add(t.b.pendingBodies, x.pending, nil)
			return nil
		})
		if err != nil {
			return err
		}
		err = t.b.threads.ForEach(func(k, v []byte) error {
			var th crm.Thread
			if err := decode(v, &th); err != nil {
				return err
			}
			if th.CreatorID != "" {
				add(t.b.creatorThreads, childKey(th.CreatorID, th.ID), turnValue(&th))
			}
			if th.ID != crm.ID(k) {
				return fmt.Errorf("thread stored under %q says it is %q", k, th.ID)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for b, exp := range want {
			got := index{}
			_ = b.ForEach(func(k, v []byte) error {
				got[string(k)] = string(v)
				return nil
			})
			if !maps.Equal(got, exp) {
				return fmt.Errorf("%s holds %s, want %s", names[b], show(got), show(exp))
			}
		}
		gotOwners := map[string]string{}
		err = t.b.refs.ForEach(func(k, v []byte) error {
			if th, msg := splitRef(v); len(th) == 0 {
				return fmt.Errorf("idx_threadref %q names no thread", k)
			} else if msg != nil {
				gotOwners[string(k)] = string(msg)
			}
			return nil
		})
		if err != nil {
			return err
		}
		if !maps.Equal(gotOwners, owners) {
			return fmt.Errorf("idx_threadref names messages %s, want %s", show(gotOwners), show(owners))
		}
		return nil
	})
}

func show(ix map[string]string) string {
	var b bytes.Buffer
	for _, k := range slices.Sorted(maps.Keys(ix)) {
		fmt.Fprintf(&b, "%q=%q ", k, ix[k])
	}
	return b.String()
}
