package store_test

import (
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"roster/crm"
	"roster/store"

	bolt "go.etcd.io/bbolt"
)

func TestNotRosterRefusedUntouched(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	randomBytes := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		return b
	}
	boltFile := func(t *testing.T, path string, fill func(*bolt.Tx) error) {
		b, err := bolt.Open(path, 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		if fill != nil {
			if err := b.Update(fill); err != nil {
				t.Fatal(err)
			}
		}
		b.Close()
	}
	// realRoster makes a roster database big enough to span many pages
	// and returns the size its header claims.
	realRoster := func(t *testing.T, path string) int64 {
		db, err := store.Open(path, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		svc := crm.NewService(db, crm.FixedClock{T: now})
		if _, err := svc.Import("t", records(300), nil, crm.ImportOptions{}); err != nil {
			t.Fatal(err)
		}
		var size int64
		store.Bolt(db).View(func(tx *bolt.Tx) error { size = tx.Size(); return nil })
		db.Close()
		return size
	}

	cases := []struct {
		name string
		make func(t *testing.T, path string)
		want string
	}{
		{"random bytes", func(t *testing.T, path string) {
			os.WriteFile(path, randomBytes(64<<10), 0o600)
		}, "not a bbolt"},
		{"short random bytes", func(t *testing.T, path string) {
			os.WriteFile(path, randomBytes(40), 0o600)
		}, "bytes long"},
		{"text file", func(t *testing.T, path string) {
			os.WriteFile(path, []byte(strings.Repeat("name,email\nMaya,maya@example.com\n", 300)), 0o600)
		}, "not a bbolt"},
		{"bbolt file of another program", func(t *testing.T, path string) {
			boltFile(t, path, func(tx *bolt.Tx) error {
				b, err := tx.CreateBucket([]byte("settings"))
				if err != nil {
					return err
				}
				return b.Put([]byte("theme"), []byte("dark"))
			})
		}, "without roster's meta bucket"},
		{"empty bbolt file", func(t *testing.T, path string) {
			boltFile(t, path, nil)
		}, "empty bbolt database"},
		{"bbolt file with a foreign meta bucket", func(t *testing.T, path string) {
			boltFile(t, path, func(tx *bolt.Tx) error {
				b, err := tx.CreateBucket(store.BucketMeta)
				if err != nil {
					return err
				}
				return b.Put([]byte("magic"), []byte("someone else"))
			})
		}, "not roster's"},
		{"truncated roster database", func(t *testing.T, path string) {
			size := realRoster(t, path)
			if err := os.Truncate(path, size/2); err != nil {
				t.Fatal(err)
			}
		}, "truncated"},
		{"roster database cut to its header", func(t *testing.T, path string) {
			realRoster(t, path)
			if err := os.Truncate(path, 8192); err != nil {
				t.Fatal(err)
			}
		}, "truncated"},
		{"roster database with both headers overwritten", func(t *testing.T, path string) {
			realRoster(t, path)
			f, err := os.OpenFile(path, os.O_RDWR, 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, off := range []int64{16 + 8, 4096 + 16 + 8} { // page size fields
				f.WriteAt([]byte{0xde, 0xad}, off)
			}
			f.Close()
		}, "damaged"},
		{"roster database with garbage pages", func(t *testing.T, path string) {
			size := realRoster(t, path)
			f, err := os.OpenFile(path, os.O_RDWR, 0)
			if err != nil {
				t.Fatal(err)
			}
			// Keep both headers valid; everything they point at is noise.
			f.WriteAt(randomBytes(int(size)-8192), 8192)
			f.Close()
		}, "root page is damaged"},
		{"roster database with garbage in its root page", func(t *testing.T, path string) {
			realRoster(t, path)
			f, err := os.OpenFile(path, os.O_RDWR, 0)
			if err != nil {
				t.Fatal(err)
			}
			// The page header stays plausible, its entries are noise: only
			// reading them shows the damage (bbolt panics or faults).
			root := readUint64(f, 32)
			if readUint64(f, 4096+16+48) > readUint64(f, 16+48) {
				root = readUint64(f, 4096+32)
			}
			f.WriteAt(randomBytes(4096-16), int64(root)*4096+16)
			f.Close()
		}, "reading it failed"},
		{"roster database with a garbage freelist", func(t *testing.T, path string) {
			realRoster(t, path)
			f, err := os.OpenFile(path, os.O_RDWR, 0)
			if err != nil {
				t.Fatal(err)
			}
			// The newer header's freelist page (meta.freelist, 48 bytes in).
			pg := readUint64(f, 48)
			if readUint64(f, 4096+16+48) > readUint64(f, 16+48) {
				pg = readUint64(f, 4096+48)
			}
			f.WriteAt(randomBytes(4096), int64(pg)*4096)
			f.Close()
		}, "free-page list is damaged"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := tempPath(t)
			c.make(t, path)
			before := sha(t, path)
			for _, ro := range []bool{false, true} {
				db, err := store.Open(path, store.Options{ReadOnly: ro})
				if err == nil {
					db.Close()
					t.Fatalf("read-only %v: opened", ro)
				}
				if !errors.Is(err, store.ErrNotRoster) {
					t.Fatalf("read-only %v: err = %v, want ErrNotRoster", ro, err)
				}
				if !strings.Contains(err.Error(), c.want) {
					t.Errorf("error %q does not say %q", err, c.want)
				}
			}
			if sha(t, path) != before {
				t.Error("the file changed")
			}
			// Nothing else appeared next to it either.
			entries, _ := os.ReadDir(filepath.Dir(path))
			if len(entries) != 1 {
				t.Errorf("directory holds %v", entries)
			}
		})
	}

	t.Run("directory", func(t *testing.T) {
		if _, err := store.Open(t.TempDir(), store.Options{}); !errors.Is(err, store.ErrNotRoster) {
			t.Errorf("err = %v", err)
		}
	})
}

// readUint64 reads a bbolt header field (machine byte order).
func readUint64(f *os.File, off int64) uint64 {
	var b [8]byte
	f.ReadAt(b[:], off)
	return binary.NativeEndian.Uint64(b[:])
}

func TestMissingBucketRefused(t *testing.T) {
	path := tempPath(t)
	openDB(t, path).Close()
	b, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	b.Update(func(tx *bolt.Tx) error { return tx.DeleteBucket([]byte("deals")) })
	b.Close()
	for _, ro := range []bool{false, true} {
		if _, err := store.Open(path, store.Options{ReadOnly: ro}); !errors.Is(err, store.ErrNotRoster) || !strings.Contains(err.Error(), "deals") {
			t.Errorf("read-only %v: %v", ro, err)
		}
	}
}
