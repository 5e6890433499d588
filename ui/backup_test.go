package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestBackupCommand: :backup writes the file it names, and a directory
// that does not exist is named as typed, not a temporary file beside it.
func TestBackupCommand(t *testing.T) {
	m := newSeeded(t, 120, 30)
	dir := t.TempDir()
	path := filepath.Join(dir, "copy.db")
	typeCommand(t, m, "backup "+path)
	if fi, err := os.Stat(path); err != nil || fi.Size() == 0 {
		t.Fatalf("no backup at %s: %v", path, err)
	}
	if view := m.View().Content; !strings.Contains(view, "backup written to "+path) {
		t.Errorf("no confirmation:\n%s", view)
	}
	// Over an existing file it asks; n leaves the file as it was.
	if err := os.WriteFile(path, []byte("last good backup"), 0o600); err != nil {
		t.Fatal(err)
	}
	typeCommand(t, m, "backup "+path)
	if m.confirm == nil || !strings.Contains(m.View().Content, "exists. Write this backup over it?") {
		t.Fatalf("an existing file should be asked about:\n%s", m.View().Content)
	}
	press(t, m, "n")
	if data, _ := os.ReadFile(path); string(data) != "last good backup" {
		t.Fatal("n wrote over the file")
	}
	typeCommand(t, m, "backup "+path)
	press(t, m, "y")
	if fi, err := os.Stat(path); err != nil || fi.Size() <= int64(len("last good backup")) || !strings.Contains(m.View().Content, "backup written to "+path) {
		t.Fatalf("y should write the backup over it: %v\n%s", err, m.View().Content)
	}
	missing := filepath.Join(dir, "nope", "x.db")
	typeCommand(t, m, "backup "+missing)
	// The message wraps: compare its words.
	view := oneLine(ansi.Strip(m.View().Content))
	if !strings.Contains(view, "the directory "+filepath.Join(dir, "nope")+" does not exist") || strings.Contains(view, ".tmp") {
		t.Errorf("a missing directory:\n%s", view)
	}
}
