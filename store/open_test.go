package store_test

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"roster/crm"
	"roster/store"

	bolt "go.etcd.io/bbolt"
)

func TestOpenCreatesDirectoryAndFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data", "roster")
	path := filepath.Join(dir, "roster.db")
	db := openDB(t, path)

	if db.Path() != path {
		t.Errorf("Path() = %q, want %q", db.Path(), path)
	}
	if got := schemaOf(t, db); got != store.SchemaVersion {
		t.Errorf("schema = %d, want %d", got, store.SchemaVersion)
	}
	for p, want := range map[string]os.FileMode{dir: 0o700 | os.ModeDir, path: 0o600} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode() != want {
			t.Errorf("%s: mode %v, want %v", p, st.Mode(), want)
		}
	}
	// Creation goes through a temporary file; nothing may be left over.
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("directory holds %v, want only roster.db", entries)
	}
}

func TestReopenKeepsData(t *testing.T) {
	path := tempPath(t)
	db := openDB(t, path)
	svc := newService(t, db)
	cs, _ := svc.Campaigns()
	card, err := svc.AddCreator("ana", maya(), cs[0].ID, crm.Contacted)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	db = openDB(t, path)
	got, err := newService(t, db).Card(card.Deal.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Creator.Name != "Maya Chen" || got.Deal.Stage != crm.Contacted || got.Creator.Version != 1 {
		t.Errorf("after reopen: %+v", got)
	}
	if n := events(t, db); n != 3 { // campaign, creator, deal
		t.Errorf("%d events after reopen, want 3", n)
	}
}

func TestOpenZeroLengthFileInitialises(t *testing.T) {
	path := tempPath(t)
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	db := openDB(t, path)
	if got := schemaOf(t, db); got != store.SchemaVersion {
		t.Errorf("schema = %d", got)
	}
	newService(t, db) // the buckets are there
}

func TestSchemaVersionIsTheMigrationCount(t *testing.T) {
	if n := len(store.Migrations()); n != store.SchemaVersion {
		t.Fatalf("%d migrations but SchemaVersion %d", n, store.SchemaVersion)
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	path := tempPath(t)
	db := openDB(t, path)
	newService(t, db)
	db.Close()
	setSchema(t, path, 99)
	before := sha(t, path)

	for _, ro := range []bool{false, true} {
		_, err := store.Open(path, store.Options{ReadOnly: ro})
		if !errors.Is(err, store.ErrSchemaTooNew) {
			t.Fatalf("read-only %v: err = %v, want ErrSchemaTooNew", ro, err)
		}
		for _, want := range []string{"newer roster (schema 99)", fmt.Sprintf("knows up to %d", store.SchemaVersion)} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q lacks %q", err, want)
			}
		}
	}
	if sha(t, path) != before {
		t.Error("refusing a newer database changed it")
	}
}

// TestMigrateFromZero forges a schema-0 roster file (marked as roster's,
// nothing else) and checks that Open runs every migration on it.
func TestMigrateFromZero(t *testing.T) {
	path := tempPath(t)
	b, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Update(func(tx *bolt.Tx) error {
		m, err := tx.CreateBucket(store.BucketMeta)
		if err != nil {
			return err
		}
		if err := m.Put(store.KeyMagic, store.Magic); err != nil {
			return err
		}
		return m.Put(store.KeySchema, make([]byte, 8))
	}); err != nil {
		t.Fatal(err)
	}
	b.Close()

	if _, err := store.Open(path, store.Options{ReadOnly: true}); err == nil || !strings.Contains(err.Error(), "upgrade") {
		t.Errorf("read-only open of schema 0: %v, want a request to upgrade", err)
	}
	db := openDB(t, path)
	if got := schemaOf(t, db); got != store.SchemaVersion {
		t.Errorf("schema = %d after migration", got)
	}
	if _, err := newService(t, db).Campaigns(); err != nil {
		t.Errorf("buckets missing after migration: %v", err)
	}
}

// TestMigrateForward simulates the next release: a database at the current
// schema is opened by a binary with one more step, which runs once, in one
// transaction, and is not run again.
func TestMigrateForward(t *testing.T) {
	path := tempPath(t)
	db := openDB(t, path)
	svc := newService(t, db)
	cs, _ := svc.Campaigns()
	if _, err := svc.AddCreator("ana", maya(), cs[0].ID, ""); err != nil {
		t.Fatal(err)
	}
	db.Close()

	runs := 0
	v1 := store.Migrations()
	two := func(tx *bolt.Tx) error {
		runs++
		b, err := tx.CreateBucket([]byte("v2"))
		if err != nil {
			return err
		}
		// A real step would rewrite records; count them to show it can.
		n := tx.Bucket([]byte("creators")).Stats().KeyN
		return b.Put([]byte("creators"), []byte{byte(n)})
	}

	// A failing step leaves the file exactly at the current schema.
	before := sha(t, path)
	restore := store.SetMigrations(append(v1[:len(v1):len(v1)], func(tx *bolt.Tx) error {
		if _, err := tx.CreateBucket([]byte("v2")); err != nil {
			return err
		}
		return errors.New("step failed")
	}))
	if _, err := store.Open(path, store.Options{}); err == nil || !strings.Contains(err.Error(), "step failed") {
		t.Fatalf("failing migration: err = %v", err)
	}
	restore()
	if sha(t, path) != before {
		t.Error("a failed migration changed the file")
	}

	restore = store.SetMigrations(append(v1[:len(v1):len(v1)], two))
	defer restore()
	for range 2 {
		db = openDB(t, path)
		if got := schemaOf(t, db); got != store.SchemaVersion+1 {
			t.Errorf("schema = %d, want %d", got, store.SchemaVersion+1)
		}
		var n []byte
		store.Bolt(db).View(func(tx *bolt.Tx) error {
			n = tx.Bucket([]byte("v2")).Get([]byte("creators"))
			return nil
		})
		if len(n) != 1 || n[0] != 1 {
			t.Errorf("migration saw %v creators, want 1", n)
		}
		if creators(t, db) != 1 {
			t.Error("migration lost the creator")
		}
		db.Close()
	}
	if runs != 1 {
		t.Errorf("the new migration ran %d times, want 1", runs)
	}
}

func TestReadOnly(t *testing.T) {
	path := tempPath(t)
	db := openDB(t, path)
	newService(t, db)
	db.Close()
	before := sha(t, path)

	ro, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := crm.NewService(ro, nil).Campaigns(); err != nil {
		t.Error(err)
	}
	if err := ro.Update(func(crm.Tx) error { return nil }); err == nil {
		t.Error("Update on a read-only DB succeeded")
	}
	// Two read-only opens share the file.
	ro2, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		t.Errorf("second read-only open: %v", err)
	} else {
		ro2.Close()
	}
	ro.Close()
	if sha(t, path) != before {
		t.Error("read-only use changed the file")
	}

	missing := filepath.Join(t.TempDir(), "nope.db")
	if _, err := store.Open(missing, store.Options{ReadOnly: true}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("read-only open of a missing file: %v", err)
	}
	if _, err := os.Stat(missing); !errors.Is(err, os.ErrNotExist) {
		t.Error("read-only open created a file")
	}
}

func TestDefaultPath(t *testing.T) {
	t.Setenv(store.EnvDB, "")
	p, err := store.DefaultPath()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(p, filepath.Join("roster", "roster.db")) || !filepath.IsAbs(p) {
		t.Errorf("DefaultPath() = %q", p)
	}
	t.Setenv(store.EnvDB, "/srv/team/roster.db")
	if p, _ := store.DefaultPath(); p != "/srv/team/roster.db" {
		t.Errorf("with %s: %q", store.EnvDB, p)
	}
}

// TestOpenMustExistCreatesNothing: with MustExist a missing path is an
// error that says so (fs.ErrNotExist), and neither the file nor its
// directory appears.
func TestOpenMustExistCreatesNothing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "typo")
	path := filepath.Join(dir, "roster.db")
	_, err := store.Open(path, store.Options{MustExist: true})
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), path) {
		t.Fatalf("Open(MustExist) of a missing file: %v", err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("MustExist left %s behind (%v)", dir, err)
	}
	openDB(t, path).Close()
	db, err := store.Open(path, store.Options{MustExist: true})
	if err != nil {
		t.Fatalf("Open(MustExist) of an existing roster: %v", err)
	}
	db.Close()
}
