package store_test

import (
	"bytes"
	"testing"

	bolt "go.etcd.io/bbolt"

	"roster/crm"
	"roster/store"
)

// TestMigrateSchema7MergesMessageIDs opens a file schema 7 wrote, with
// Message-IDs in their own index and idx_threadref holding thread IDs
// only: each message is found by its Message-ID again, references still
// lead to their threads, and a Message-ID that had no reference entry
// takes its message's thread.
func TestMigrateSchema7MergesMessageIDs(t *testing.T) {
	path := tempPath(t)
	db := openDB(t, path)
	msgs := []crm.Message{
		{ID: "m1", MessageID: "a@x", ThreadID: "t1", Account: "work", From: crm.Address{Email: "maya@example.com"}, Date: now},
		{ID: "m2", MessageID: "b@x", ThreadID: "t1", Account: "work", From: crm.Address{Email: "maya@example.com"}, Date: now},
		{ID: "m3", MessageID: "c@x", ThreadID: "t2", Account: "work", From: crm.Address{Email: "leo@example.com"}, Date: now},
	}
	if err := db.Update(func(tx crm.Tx) error {
		for i := range msgs {
			if err := tx.PutMessage(&msgs[i]); err != nil {
				return err
			}
		}
		// A ghost: referenced by mail roster has, not itself stored.
		return tx.PutThreadRef("ghost@x", "t1")
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	// Forge schema 7: idx_msgid back, idx_threadref without message
	// parts, and c@x never filed as a reference.
	forge(t, path, func(tx *bolt.Tx) error {
		refs := tx.Bucket([]byte("idx_threadref"))
		ids, err := tx.CreateBucket([]byte("idx_msgid"))
		if err != nil {
			return err
		}
		for _, m := range msgs {
			if err := ids.Put([]byte(m.MessageID), []byte(m.ID)); err != nil {
				return err
			}
			if m.MessageID == "c@x" {
				if err := refs.Delete([]byte("c@x")); err != nil {
					return err
				}
				continue
			}
			v := refs.Get([]byte(m.MessageID))
			if err := refs.Put([]byte(m.MessageID), bytes.Clone(v[:bytes.IndexByte(v, '/')])); err != nil {
				return err
			}
		}
		return nil
	})
	setSchema(t, path, 7)

	db = openDB(t, path)
	defer db.Close()
	if got := schemaOf(t, db); got != store.SchemaVersion {
		t.Fatalf("schema %d after migration", got)
	}
	if err := store.Bolt(db).View(func(tx *bolt.Tx) error {
		if tx.Bucket([]byte("idx_msgid")) != nil {
			t.Error("idx_msgid is still there")
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := db.View(func(tx crm.Tx) error {
		for _, m := range msgs {
			id, ok, err := tx.MessageByMessageID(m.MessageID)
			if err != nil || !ok || id != m.ID {
				t.Errorf("MessageByMessageID(%s) = %s %v %v, want %s", m.MessageID, id, ok, err, m.ID)
			}
			th, ok, err := tx.ThreadByRef(m.MessageID)
			if err != nil || !ok || th != m.ThreadID {
				t.Errorf("ThreadByRef(%s) = %s %v %v, want %s", m.MessageID, th, ok, err, m.ThreadID)
			}
		}
		if th, ok, _ := tx.ThreadByRef("ghost@x"); !ok || th != "t1" {
			t.Errorf("ghost reference leads to %q %v", th, ok)
		}
		if id, ok, _ := tx.MessageByMessageID("ghost@x"); ok {
			t.Errorf("a ghost is no message, found %s", id)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := store.CheckMailIndexes(db); err != nil {
		t.Fatal(err)
	}
}
