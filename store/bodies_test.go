package store_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"roster/crm"
	"roster/store"
)

// TestBodiesLiveApartFromRecords: a message's text is stored in the
// bodies bucket, not in its record; it reads back whole, changes, and
// goes when emptied.
func TestBodiesLiveApartFromRecords(t *testing.T) {
	path := tempPath(t)
	db := openDB(t, path)
	m := crm.Message{ID: "m1", MessageID: "a@x", ThreadID: "t1", Account: "work",
		From: crm.Address{Email: "maya@example.com"}, Date: now, Text: "Hi Sam,\nthe reel is up ✓"}
	put := func() {
		t.Helper()
		if err := db.Update(func(tx crm.Tx) error { return tx.PutMessage(&m) }); err != nil {
			t.Fatal(err)
		}
	}
	read := func() crm.Message {
		t.Helper()
		var got crm.Message
		if err := db.View(func(tx crm.Tx) (err error) { got, err = tx.Message("m1"); return err }); err != nil {
			t.Fatal(err)
		}
		return got
	}
	raw := func() (rec, body []byte) {
		t.Helper()
		if err := store.Bolt(db).View(func(tx *bolt.Tx) error {
			rec = append([]byte(nil), tx.Bucket([]byte("messages")).Get([]byte("m1"))...)
			if b := tx.Bucket([]byte("bodies")).Get([]byte("m1")); b != nil {
				body = append([]byte{}, b...)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return rec, body
	}
	put()
	if got := read(); got.Text != m.Text || got.Version != 1 {
		t.Fatalf("read back %q v%d", got.Text, got.Version)
	}
	rec, body := raw()
	if strings.Contains(string(rec), "reel") || !strings.HasSuffix(string(body), m.Text) {
		t.Fatalf("record %s, body %q", rec, body)
	}
	m.Text = "changed"
	put()
	if got := read(); got.Text != "changed" {
		t.Fatalf("after change: %q", got.Text)
	}
	m.Text = ""
	put()
	if _, body := raw(); body == nil || read().Text != "" || read().HeaderOnly {
		t.Fatalf("an empty body is a body: entry %q", body)
	}
	m.HeaderOnly = true
	put()
	if _, body := raw(); body != nil || !read().HeaderOnly {
		t.Fatalf("header-only message kept a body entry %q", body)
	}
}

// TestMigrateSchema2MovesBodies opens a file schema 2 wrote, with texts
// inside the message records: each text moves to the bodies bucket and
// reads back unchanged, records without text are left alone.
func TestMigrateSchema2MovesBodies(t *testing.T) {
	path := tempPath(t)
	db := openDB(t, path)
	texts := map[string]string{"m1": "first body", "m2": "", "m3": "third \"quoted\" body\n> history"}
	if err := db.Update(func(tx crm.Tx) error {
		for id, text := range texts {
			m := crm.Message{ID: crm.ID(id), MessageID: id + "@x", ThreadID: "t1", Account: "work",
				From: crm.Address{Email: "maya@example.com"}, Date: now, Text: text}
			if err := tx.PutMessage(&m); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	// Forge schema 2: texts back inside the records, no bodies bucket.
	forge(t, path, func(tx *bolt.Tx) error {
		msgs := tx.Bucket([]byte("messages"))
		for id, text := range texts {
			var rec map[string]any
			if err := json.Unmarshal(msgs.Get([]byte(id)), &rec); err != nil {
				return err
			}
			rec["text"] = text
			enc, _ := json.Marshal(rec)
			if err := msgs.Put([]byte(id), enc); err != nil {
				return err
			}
		}
		return tx.DeleteBucket([]byte("bodies"))
	})
	setSchema(t, path, 2)

	db = openDB(t, path)
	defer db.Close()
	if got := schemaOf(t, db); got != store.SchemaVersion {
		t.Fatalf("schema %d after migration", got)
	}
	if err := db.View(func(tx crm.Tx) error {
		for id, text := range texts {
			m, err := tx.Message(crm.ID(id))
			if err != nil || m.Text != text {
				t.Errorf("message %s after migration: %q, %v; want %q", id, m.Text, err, text)
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := store.Bolt(db).View(func(tx *bolt.Tx) error {
		for id := range texts {
			if rec := tx.Bucket([]byte("messages")).Get([]byte(id)); strings.Contains(string(rec), "body") {
				t.Errorf("record %s still holds its text: %s", id, rec)
			}
		}
		// Since schema 7 every message with its body has an entry,
		// the empty one too.
		if n := tx.Bucket([]byte("bodies")).Stats().KeyN; n != 3 {
			t.Errorf("%d bodies stored, want 3", n)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := store.CheckMailIndexes(db); err != nil {
		t.Error(err)
	}
}

// TestMigrateSchema6MakesBodyEntries opens a file in schema 6's layout:
// texts raw in the bodies bucket (none when empty), attachments and
// problems in the records. Every message with its body gets one entry
// holding all three; header-only messages keep none.
func TestMigrateSchema6MakesBodyEntries(t *testing.T) {
	path := tempPath(t)
	db := openDB(t, path)
	att := []crm.Attachment{{Name: "brief.pdf", Type: "application/pdf", Size: 2048}}
	msgs := []crm.Message{
		{ID: "m1", Text: "with text", Attachments: att},
		{ID: "m2", Problems: []string{"no copy left on the server"}},
		{ID: "m3", HeaderOnly: true, CreatorID: "c1", Problems: []string{"the message has no readable header"}},
	}
	if err := db.Update(func(tx crm.Tx) error {
		for i := range msgs {
			m := msgs[i]
			m.MessageID, m.ThreadID, m.Account, m.Date = string(m.ID)+"@x", "t1", "work", now
			if err := tx.PutMessage(&m); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	forge(t, path, func(tx *bolt.Tx) error {
		recs, bodies := tx.Bucket([]byte("messages")), tx.Bucket([]byte("bodies"))
		for _, m := range msgs {
			var rec map[string]any
			if err := json.Unmarshal(recs.Get([]byte(m.ID)), &rec); err != nil {
				return err
			}
			rec["attachments"], rec["problems"], rec["header_only"] = m.Attachments, m.Problems, m.HeaderOnly
			enc, _ := json.Marshal(rec)
			if err := recs.Put([]byte(m.ID), enc); err != nil {
				return err
			}
			var err error
			if m.Text == "" {
				err = bodies.Delete([]byte(m.ID))
			} else {
				err = bodies.Put([]byte(m.ID), []byte(m.Text))
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
	setSchema(t, path, 6)

	db = openDB(t, path)
	defer db.Close()
	if err := db.View(func(tx crm.Tx) error {
		for _, want := range msgs {
			got, err := tx.Message(want.ID)
			if err != nil {
				return err
			}
			if got.Text != want.Text || got.HeaderOnly != want.HeaderOnly || !slices.Equal(got.Attachments, want.Attachments) || !slices.Equal(got.Problems, want.Problems) {
				t.Errorf("%s after migration: %+v", want.ID, got)
			}
		}
		pending, err := tx.PendingBodies("work", 0)
		if err != nil || len(pending) != 1 || pending[0].ID != "m3" {
			t.Errorf("PendingBodies after migration: %v, %v", pending, err)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := store.CheckMailIndexes(db); err != nil {
		t.Error(err)
	}
}

// TestPutBodyStoresTheEncodingMadeAhead: SetBodies encodes a batch with
// EncodeBody before its write transaction, and PutBody stores that
// encoding as given instead of encoding the body again under the lock.
func TestPutBodyStoresTheEncodingMadeAhead(t *testing.T) {
	db := openDB(t, tempPath(t))
	m := crm.Message{ID: "m1", MessageID: "a@x", ThreadID: "t1", CreatorID: "c1", Account: "work",
		From: crm.Address{Email: "maya@example.com"}, Date: now, HeaderOnly: true}
	if err := db.Update(func(tx crm.Tx) error { return tx.PutMessage(&m) }); err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("the reel goes up on Friday, the code is MAYA10\n", 40)
	enc, err := db.EncodeBody(&crm.Body{Text: long, Problems: []string{"made ahead"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(enc) >= len(long) {
		t.Fatalf("a repetitive %d-byte body encodes to %d bytes: not compressed", len(long), len(enc))
	}
	// Text differs from the encoding on purpose: what is stored shows
	// which of the two PutBody used.
	b := &crm.Body{Text: "not this", Encoded: enc}
	if err := db.Update(func(tx crm.Tx) error { _, err := tx.PutBody(&m, b); return err }); err != nil {
		t.Fatal(err)
	}
	var got crm.Message
	if err := db.View(func(tx crm.Tx) (err error) { got, err = tx.Message("m1"); return err }); err != nil {
		t.Fatal(err)
	}
	if got.Text != long || !slices.Equal(got.Problems, []string{"made ahead"}) || got.HeaderOnly {
		t.Errorf("stored text %.40q…, problems %q, header-only %v", got.Text, got.Problems, got.HeaderOnly)
	}
}
