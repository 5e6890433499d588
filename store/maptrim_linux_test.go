package store_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"roster/crm"
	"roster/store"
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

// briefText is a message body of 19 KB of random letters: stored bodies
// are compressed (bodies.go), and these must fill the map as written.
var briefText = func() string {
	rng := rand.New(rand.NewPCG(19, 500))
	b := make([]byte, 19_000)
	for i := range b {
		b[i] = "abcdefghijklmnopqrstuvwxyz "[rng.IntN(27)]
	}
	return string(b)
}()

// putBriefs stores messages from..from+count-1, each with briefText, in
// one commit.
func putBriefs(t *testing.T, db *store.DB, from, count int) {
	t.Helper()
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	if err := db.Update(func(tx crm.Tx) error {
		for i := from; i < from+count; i++ {
			m := crm.Message{ID: crm.ID(fmt.Sprintf("m%05d", i)), MessageID: fmt.Sprintf("%d@x", i), ThreadID: "t1",
				Account: "work", From: crm.Address{Email: "maya@example.com"}, Date: now, Text: briefText}
			if err := tx.PutMessage(&m); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

func TestBigWritesLeaveTheMapUnresident(t *testing.T) {
	path := tempPath(t)
	db := openDB(t, path)
	write := func(from int) {
		t.Helper()
		putBriefs(t, db, from, 600) // 12 MB of bodies
	}
	readAll := func() {
		t.Helper()
		if err := db.View(func(tx crm.Tx) error {
			for i := range 1200 {
				if m, err := tx.Message(crm.ID(fmt.Sprintf("m%05d", i))); err == nil && m.Text != briefText {
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

// mapEnd is where the mapping of path that starts at data ends, from
// /proc/self/maps, or 0 when there is none.
func mapEnd(t *testing.T, path string, data uintptr) uintptr {
	t.Helper()
	maps, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		t.Skipf("no maps: %v", err)
	}
	for _, line := range strings.Split(string(maps), "\n") {
		var lo, hi uintptr
		if f := strings.Fields(line); len(f) >= 6 && f[len(f)-1] == path {
			if _, err := fmt.Sscanf(f[0], "%x-%x", &lo, &hi); err == nil && lo == data {
				return hi
			}
		}
	}
	return 0
}

// TestTrimStaysInsideTheMap: the range trimmed never reaches past the
// map's end, though bbolt grows the file ahead of the map (by AllocSize):
// MADV_DONTNEED there would zero other memory of the process. The
// database grows to its first 64 MB map in ever smaller commits, the
// last of one message, so that one leaves the file longer than the map.
func TestTrimStaysInsideTheMap(t *testing.T) {
	path := tempPath(t)
	db := openDB(t, path)
	const firstMap = 64 << 20
	n, beyond := 0, false
	for mapped, used := uintptr(0), int64(0); mapped <= firstMap; {
		count := 1
		switch {
		case used < firstMap-8<<20:
			count = 300 // 6 MB
		case used < firstMap-2<<20:
			count = 10
		}
		putBriefs(t, db, n, count)
		n += count
		data, size := store.UsedMap(db)
		end := mapEnd(t, db.Path(), data)
		if end == 0 {
			t.Fatalf("no mapping of %s at %#x", db.Path(), data)
		}
		if data+uintptr(size) > end {
			t.Fatalf("after %d messages: trimming %d bytes from %#x passes the map's end %#x", n, size, data, end)
		}
		fi, err := os.Stat(db.Path())
		if err != nil {
			t.Fatal(err)
		}
		if uintptr(fi.Size()) > end-data {
			beyond = true
		}
		mapped, used = end-data, size
	}
	if !beyond {
		t.Error("the file never outgrew the map: the test no longer reaches the case it is for")
	}
}
