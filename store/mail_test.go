package store_test

import (
	"slices"
	"strings"
	"testing"

	"roster/crm"
	"roster/crm/crmtest"
	"roster/store"

	bolt "go.etcd.io/bbolt"
)

// TestMailContract holds the store to the same behaviours as Memory, and
// after every write checks that its indexes say exactly what the records
// say.
func TestMailContract(t *testing.T) {
	crmtest.MailContract(t,
		func(t *testing.T) crm.Repository { return openDB(t, tempPath(t)) },
		func(t *testing.T, r crm.Repository) {
			t.Helper()
			if err := store.CheckMailIndexes(r.(*store.DB)); err != nil {
				t.Fatal(err)
			}
		})
}

// schema1Buckets is the layout release 1 wrote, fixed here on purpose: a
// v1 file has exactly these, whatever later code calls them.
var schema1Buckets = []string{"campaigns", "creators", "deals", "events", "idx_creator_deals", "idx_creator_events", "idx_email", "idx_handle", "meta"}

func bucketNames(t *testing.T, b *bolt.DB) []string {
	t.Helper()
	var out []string
	if err := b.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, _ *bolt.Bucket) error {
			out = append(out, string(name))
			return nil
		})
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// forgeSchema1 turns a closed database into what release 1 left on disk:
// its buckets only, schema 1.
func forgeSchema1(t *testing.T, path string) {
	t.Helper()
	b, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	for _, name := range bucketNames(t, b) {
		if slices.Contains(schema1Buckets, name) {
			continue
		}
		if err := b.Update(func(tx *bolt.Tx) error { return tx.DeleteBucket([]byte(name)) }); err != nil {
			t.Fatal(err)
		}
	}
	if got := bucketNames(t, b); !slices.Equal(got, schema1Buckets) {
		t.Fatalf("forged v1 file has buckets %v", got)
	}
	b.Close()
	setSchema(t, path, 1)
}

// TestMigrateSchema1ToMail opens a database release 1 wrote: it is
// upgraded in place, keeps its creators, deals and log, and takes mail.
func TestMigrateSchema1ToMail(t *testing.T) {
	path := tempPath(t)
	db := openDB(t, path)
	svc := newService(t, db)
	cs, _ := svc.Campaigns()
	card, err := svc.AddCreator("ana", maya(), cs[0].ID, crm.Contacted)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	forgeSchema1(t, path)

	if _, err := store.Open(path, store.Options{ReadOnly: true}); err == nil || !strings.Contains(err.Error(), "upgrade") {
		t.Errorf("read-only open of a v1 file: %v, want a request to upgrade", err)
	}
	db = openDB(t, path)
	if got := schemaOf(t, db); got != store.SchemaVersion {
		t.Errorf("schema = %d after migration, want %d", got, store.SchemaVersion)
	}
	got, err := newService(t, db).Card(card.Deal.ID)
	if err != nil || got.Creator.Name != "Maya Chen" || got.Deal.Stage != crm.Contacted {
		t.Fatalf("after migration: %+v, %v", got, err)
	}
	if creators(t, db) != 1 || deals(t, db) != 1 || events(t, db) != 3 {
		t.Errorf("after migration: %d creators, %d deals, %d events", creators(t, db), deals(t, db), events(t, db))
	}

	m := crm.Message{ID: "m1", MessageID: "a@x", ThreadID: "t1", CreatorID: card.Creator.ID, Account: "work",
		From: crm.Address{Email: "maya@example.com"}, Date: now, HeaderOnly: true}
	if err := db.Update(func(tx crm.Tx) error {
		if err := tx.PutMessage(&m); err != nil {
			return err
		}
		return tx.PutThread(&crm.Thread{ID: "t1", CreatorID: card.Creator.ID, LastAt: now})
	}); err != nil {
		t.Fatalf("mail into a migrated database: %v", err)
	}
	db.Close()

	// Reopening neither migrates again nor loses the mail or its indexes.
	db = openDB(t, path)
	if err := db.View(func(tx crm.Tx) error {
		ts, err := tx.ThreadsOf(card.Creator.ID)
		if err != nil || len(ts) != 1 {
			t.Errorf("ThreadsOf after reopen: %v, %v", ts, err)
		}
		pb, err := tx.PendingBodies("work", 0)
		if err != nil || len(pb) != 1 || !pb[0].Date.Equal(now) {
			t.Errorf("PendingBodies after reopen: %v, %v", pb, err)
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if err := store.CheckMailIndexes(db); err != nil {
		t.Error(err)
	}
}

// TestMailBucketsMissingIsDamage: a file that says schema 2 but lacks a
// mail bucket is refused at Open, not on the first sync.
func TestMailBucketsMissingIsDamage(t *testing.T) {
	path := tempPath(t)
	openDB(t, path).Close()
	b, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Update(func(tx *bolt.Tx) error { return tx.DeleteBucket([]byte("idx_location")) }); err != nil {
		t.Fatal(err)
	}
	b.Close()
	if _, err := store.Open(path, store.Options{}); err == nil || !strings.Contains(err.Error(), "idx_location") {
		t.Errorf("Open of a schema-2 file without idx_location: %v", err)
	}
}
