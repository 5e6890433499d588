package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestBoardBackupRefusesItsOwnDatabase: :backup naming the open database
// (here through a symlink) is refused: the rename would put a copy in its
// place under the running board, and every later change would go to the
// unlinked file.
func TestBoardBackupRefusesItsOwnDatabase(t *testing.T) {
	needTmux(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "demo.db")
	s := startTmux(t, 120, 36, "env NO_COLOR=1 "+binary+" demo --db "+db)
	s.waitFor("Prospect")
	link := filepath.Join(dir, "link.db")
	if err := os.Symlink(db, link); err != nil {
		t.Fatal(err)
	}
	before, err := os.Stat(db)
	if err != nil {
		t.Fatal(err)
	}
	s.keys(":", "backup "+link, "Enter")
	s.waitFor("is the database itself")
	after, err := os.Stat(db)
	if err != nil || !os.SameFile(before, after) {
		t.Fatalf("the database file was replaced: %v", err)
	}
	s.keys("q")
	s.waitExit()
}
