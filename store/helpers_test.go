package store_test

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"roster/crm"
	"roster/store"

	bolt "go.etcd.io/bbolt"
)

// holdEnv makes the test binary a helper process that holds a database
// open and serves its control socket until stdin closes: a second process
// is the only faithful way to test bbolt's file lock.
const holdEnv = "STORE_TEST_HOLD_DB"

func TestMain(m *testing.M) {
	if path := os.Getenv(holdEnv); path != "" {
		os.Exit(holdDB(path))
	}
	os.Exit(m.Run())
}

func holdDB(path string) int {
	db, err := store.Open(path, store.Options{})
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	defer db.Close()
	stop, err := db.ServeControl(context.Background())
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	defer stop()
	fmt.Println("ready")
	_, _ = io.Copy(io.Discard, os.Stdin)
	return 0
}

// holdInOtherProcess opens path in a child process and returns once the
// child holds it; the child exits when the test ends.
func holdInOtherProcess(t *testing.T, path string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), holdEnv+"="+path)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = stdin.Close()
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || strings.TrimSpace(line) != "ready" {
		t.Fatalf("helper process: %q, %v", line, err)
	}
}

func tempPath(t testing.TB) string {
	return filepath.Join(t.TempDir(), "roster.db")
}

func openDB(t testing.TB, path string) *store.DB {
	t.Helper()
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

var now = time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC)

func newService(t testing.TB, db *store.DB) *crm.Service {
	t.Helper()
	svc := crm.NewService(db, crm.FixedClock{T: now})
	if err := svc.Init("test"); err != nil {
		t.Fatal(err)
	}
	return svc
}

func sha(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// schemaOf reads the stored schema version straight from bbolt.
func schemaOf(t *testing.T, db *store.DB) uint64 {
	t.Helper()
	var v uint64
	if err := store.Bolt(db).View(func(tx *bolt.Tx) error {
		v = binary.BigEndian.Uint64(tx.Bucket(store.BucketMeta).Get(store.KeySchema))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return v
}

// setSchema forges the stored schema version of a closed database.
func setSchema(t *testing.T, path string, v uint64) {
	t.Helper()
	b, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.Update(func(tx *bolt.Tx) error {
		var buf [8]byte
		binary.BigEndian.PutUint64(buf[:], v)
		return tx.Bucket(store.BucketMeta).Put(store.KeySchema, buf[:])
	}); err != nil {
		t.Fatal(err)
	}
}

func maya() crm.Creator {
	return crm.Creator{
		Name:    "Maya Chen",
		Emails:  []string{"maya@example.com"},
		Handles: []crm.Handle{{Platform: crm.TikTok, Handle: "@maya.makes", Followers: 48_000}},
		Tags:    []string{"beauty"},
	}
}

func count[T any](t *testing.T, db *store.DB, each func(crm.Tx, func(*T) error) error) int {
	t.Helper()
	n := 0
	if err := db.View(func(tx crm.Tx) error {
		return each(tx, func(*T) error { n++; return nil })
	}); err != nil {
		t.Fatal(err)
	}
	return n
}

func creators(t *testing.T, db *store.DB) int {
	return count(t, db, func(tx crm.Tx, fn func(*crm.Creator) error) error { return tx.ForEachCreator(fn) })
}

func deals(t *testing.T, db *store.DB) int {
	return count(t, db, func(tx crm.Tx, fn func(*crm.Deal) error) error { return tx.ForEachDeal(fn) })
}

func events(t *testing.T, db *store.DB) int {
	t.Helper()
	var n int
	if err := db.View(func(tx crm.Tx) error {
		es, err := tx.Events(crm.EventQuery{})
		n = len(es)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return n
}

// forge changes a closed database file behind the store's back, to make
// the files that older schemas (or damage) leave.
func forge(t *testing.T, path string, fn func(tx *bolt.Tx) error) {
	t.Helper()
	b, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.Update(fn); err != nil {
		t.Fatal(err)
	}
}
