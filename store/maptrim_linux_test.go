package store_test

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"roster/crm"
)

// mappedKB is how much of the file at path the process has resident
// through its memory map, from /proc/self/smaps.
func mappedKB(t *testing.T, path string) int {
	t.Helper()
	data, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		t.Skipf("no smaps: %v", err)
	}
	in, kb := false, 0
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) >= 5 && strings.Contains(f[0], "-") {
			in = len(f) >= 6 && f[len(f)-1] == path
		} else if in && len(f) == 3 && f[0] == "Rss:" {
			n, _ := strconv.Atoi(f[1])
			kb += n
		}
	}
	return kb
}

func TestBigWritesLeaveTheMapUnresident(t *testing.T) {
	path := tempPath(t)
	db := openDB(t, path)
	text := strings.Repeat("a partnership brief, line after line. ", 500) // 19 KB
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	write := func(from int) {
		t.Helper()
		if err := db.Update(func(tx crm.Tx) error {
			for i := from; i < from+600; i++ { // 12 MB of bodies
				m := crm.Message{ID: crm.ID(fmt.Sprintf("m%05d", i)), MessageID: fmt.Sprintf("%d@x", i), ThreadID: "t1",
					Account: "work", From: crm.Address{Email: "maya@example.com"}, Date: now, Text: text}
				if err := tx.PutMessage(&m); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	readAll := func() {
		t.Helper()
		if err := db.View(func(tx crm.Tx) error {
			for i := range 1200 {
				if m, err := tx.Message(crm.ID(fmt.Sprintf("m%05d", i))); err == nil && m.Text != text {
					return fmt.Errorf("message %d lost its text", i)
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	write(0)
	readAll()
	if kb := mappedKB(t, db.Path()); kb < 8192 {
		t.Fatalf("only %d KB of the map resident after reading 12 MB through it: the measure is broken", kb)
	}
	write(600)
	if kb := mappedKB(t, db.Path()); kb > 1024 {
		t.Errorf("%d KB of the map still resident after a 12 MB commit, want it dropped", kb)
	}
	// The pages come back with their contents on the next read.
	readAll()
}
