package cli

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBackupKeepsAnExistingFileUnlessForced: a backup named like an
// existing file, perhaps the last good backup, is refused naming it and
// saying how to replace it, and the file is untouched; --force replaces
// it, before or after FILE.
func TestBackupKeepsAnExistingFileUnlessForced(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "roster.db")
	target := filepath.Join(dir, "last-good.db")
	if err := os.WriteFile(target, []byte("last good"), 0o600); err != nil {
		t.Fatal(err)
	}
	backup := func(args ...string) (string, string, int) {
		var out, errOut bytes.Buffer
		code := Run(context.Background(), append([]string{"--db", db, "backup"}, args...), Deps{Stdout: &out, Stderr: &errOut,
			Getenv: func(string) string { return "" },
			Backup: func(_ string, w io.Writer) (int64, error) {
				n, err := io.WriteString(w, "fresh copy")
				return int64(n), err
			}})
		return out.String(), errOut.String(), code
	}
	_, errOut, code := backup(target)
	if want := "roster backup: " + target + " already exists and was kept; name a new file, or add --force to write over it\n"; code != 1 || errOut != want {
		t.Errorf("over an existing file: exit %d %q, want %q", code, errOut, want)
	}
	if data, _ := os.ReadFile(target); string(data) != "last good" {
		t.Fatalf("the refused backup changed the file to %q", data)
	}
	for _, args := range [][]string{{"--force", target}, {target, "--force"}} {
		if err := os.WriteFile(target, []byte("last good"), 0o600); err != nil {
			t.Fatal(err)
		}
		if out, errOut, code := backup(args...); code != 0 || !strings.Contains(out, "written to "+target) {
			t.Errorf("%q: exit %d %q %q", args, code, out, errOut)
		}
		if data, _ := os.ReadFile(target); string(data) != "fresh copy" {
			t.Errorf("%q left %q", args, data)
		}
	}
	fresh := filepath.Join(dir, "fresh.db")
	if _, errOut, code := backup(fresh); code != 0 {
		t.Errorf("a new file: exit %d %q", code, errOut)
	}
	if data, _ := os.ReadFile(fresh); string(data) != "fresh copy" {
		t.Errorf("the new backup holds %q", data)
	}
}

// TestBackupRefusesTheDatabaseItself: a FILE that is the database, here
// through a symlink, is refused naming it, even with --force (the rename
// would replace the database under a running roster), and the database
// is untouched.
func TestBackupRefusesTheDatabaseItself(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "roster.db")
	if err := os.WriteFile(db, []byte("the database"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.db")
	if err := os.Symlink(db, link); err != nil {
		t.Fatal(err)
	}
	for _, file := range []string{db, link} {
		var out, errOut bytes.Buffer
		code := Run(context.Background(), []string{"--db", db, "backup", "--force", file}, Deps{Stdout: &out, Stderr: &errOut,
			Getenv: func(string) string { return "" },
			Backup: func(_ string, w io.Writer) (int64, error) {
				n, err := io.WriteString(w, "fresh copy")
				return int64(n), err
			}})
		if want := "roster backup: " + file + " is the database itself; name another file\n"; code != 1 || errOut.String() != want {
			t.Errorf("backup onto %s: exit %d %q, want %q", file, code, errOut.String(), want)
		}
		if data, _ := os.ReadFile(db); string(data) != "the database" {
			t.Fatalf("backup onto %s changed the database to %q", file, data)
		}
	}
}
