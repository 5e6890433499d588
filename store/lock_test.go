package store_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"roster/crm"
	"roster/store"
)

// TestLockedByAnotherProcess holds the database in a child process, as a
// running roster would, and checks that Open fails promptly with a message
// that says what to do.
func TestLockedByAnotherProcess(t *testing.T) {
	path := tempPath(t)
	openDB(t, path).Close()
	holdInOtherProcess(t, path)

	for _, ro := range []bool{false, true} {
		start := time.Now()
		db, err := store.Open(path, store.Options{ReadOnly: ro})
		took := time.Since(start)
		// How long it waits is the open timeout's (about a second) and
		// is logged, not asserted: a timed assertion flakes on a busy
		// machine, and an Open that never gave up would never return.
		t.Logf("read-only %v: refused after %v", ro, took.Round(time.Millisecond))
		if err == nil {
			db.Close()
			t.Fatal("opened a database another process holds")
		}
		if !errors.Is(err, store.ErrLocked) {
			t.Fatalf("err = %v, want ErrLocked", err)
		}
		for _, want := range []string{"roster.db is in use by another roster process", path, "roster serve", "ssh -p 2222"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q lacks %q", err, want)
			}
		}
	}
}

// TestLockedInProcess: bbolt's flock is per open file, so a second Open in
// the same process is refused too rather than sharing the file unsafely.
func TestLockedInProcess(t *testing.T) {
	path := tempPath(t)
	openDB(t, path)
	start := time.Now()
	_, err := store.Open(path, store.Options{Timeout: 200 * time.Millisecond})
	if !errors.Is(err, store.ErrLocked) {
		t.Fatalf("err = %v, want ErrLocked", err)
	}
	t.Logf("refused after %v", time.Since(start).Round(time.Millisecond))
}

// TestConcurrentFirstStart: several rosters starting at once on a path
// that does not exist yet end up on one database, and leave no temporary
// files behind.
func TestConcurrentFirstStart(t *testing.T) {
	path := tempPath(t)
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db, err := store.Open(path, store.Options{Timeout: 10 * time.Second})
			if err != nil {
				errs <- err
				return
			}
			errs <- db.Update(func(tx crm.Tx) error {
				return tx.PutCampaign(&crm.Campaign{ID: crm.ID(fmt.Sprintf("c%p", db)), Name: "x"})
			})
			db.Close()
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	db := openDB(t, path)
	cs, err := crm.NewService(db, nil).Campaigns()
	if err != nil || len(cs) != 4 {
		t.Errorf("%d campaigns (%v): the starts did not share one file", len(cs), err)
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
		t.Errorf("directory holds %v", entries)
	}
}
