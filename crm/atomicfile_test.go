package crm_test

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"roster/crm"
)

// TestWriteFileAtomic: a file appears whole (mode 0600) or not at all, no
// temporary file is left behind, and a missing directory is named as the
// user gave the path.
func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "backup.db")
	n, err := crm.WriteFileAtomic(path, func(w io.Writer) (int64, error) {
		k, err := io.WriteString(w, "whole")
		return int64(k), err
	})
	if err != nil || n != 5 {
		t.Fatalf("write: %d, %v", n, err)
	}
	if data, _ := os.ReadFile(path); string(data) != "whole" {
		t.Errorf("file holds %q", data)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", fi.Mode().Perm())
	}
	_, err = crm.WriteFileAtomic(path, func(w io.Writer) (int64, error) {
		_, _ = io.WriteString(w, "half")
		return 4, errors.New("disk full")
	})
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("a failed write: %v", err)
	}
	if data, _ := os.ReadFile(path); string(data) != "whole" {
		t.Errorf("a failed write replaced the file with %q", data)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
	missing := filepath.Join(dir, "nope", "x.db")
	_, err = crm.WriteFileAtomic(missing, func(io.Writer) (int64, error) { return 0, nil })
	if want := "cannot write " + missing + ": the directory " + filepath.Join(dir, "nope") + " does not exist"; err == nil || err.Error() != want {
		t.Errorf("missing directory: %v, want %s", err, want)
	}
}

// TestWriteNewFileAtomicKeepsAnExistingFile: a backup named like the last
// one is refused, naming the file, and the old file is left as it was; a
// new name is written as WriteFileAtomic writes it.
func TestWriteNewFileAtomicKeepsAnExistingFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "last-good.db")
	if err := os.WriteFile(path, []byte("last good"), 0o600); err != nil {
		t.Fatal(err)
	}
	called := false
	_, err := crm.WriteNewFileAtomic(path, func(w io.Writer) (int64, error) {
		called = true
		k, err := io.WriteString(w, "newer")
		return int64(k), err
	})
	if !errors.Is(err, fs.ErrExist) || err.Error() != path+" already exists" {
		t.Errorf("over an existing file: %v", err)
	}
	if called {
		t.Error("the copy was made although the target exists")
	}
	if data, _ := os.ReadFile(path); string(data) != "last good" {
		t.Errorf("the existing file now holds %q", data)
	}
	fresh := filepath.Join(dir, "fresh.db")
	if n, err := crm.WriteNewFileAtomic(fresh, func(w io.Writer) (int64, error) {
		k, err := io.WriteString(w, "newer")
		return int64(k), err
	}); err != nil || n != 5 {
		t.Fatalf("a new file: %d, %v", n, err)
	}
	// A file that appears while the copy is made is not replaced either.
	late := filepath.Join(dir, "late.db")
	_, err = crm.WriteNewFileAtomic(late, func(w io.Writer) (int64, error) {
		if err := os.WriteFile(late, []byte("someone else's"), 0o600); err != nil {
			t.Fatal(err)
		}
		return 0, nil
	})
	if !errors.Is(err, fs.ErrExist) {
		t.Errorf("a file that appeared meanwhile: %v", err)
	}
	if data, _ := os.ReadFile(late); string(data) != "someone else's" {
		t.Errorf("the late file now holds %q", data)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 3 {
		t.Errorf("left behind: %v", entries)
	}
}
