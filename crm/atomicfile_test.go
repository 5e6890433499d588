package crm_test

import (
	"errors"
	"io"
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
