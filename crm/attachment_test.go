package crm_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"roster/crm"
	"roster/crm/crmtest"
)

// TestSafeFileName: a sender-chosen name cannot leave the directory, hide
// the file, write terminal escapes or grow past what a file system takes.
func TestSafeFileName(t *testing.T) {
	long := strings.Repeat("é", 150) + ".pdf" // 304 bytes
	for _, tt := range []struct{ in, want string }{
		{"contract.pdf", "contract.pdf"},
		{"../../.bashrc", "bashrc"},
		{`a/b\c.pdf`, "c.pdf"},
		{`C:\Users\x\evil.exe`, "evil.exe"},
		{"\x1b]0;pwn\x07contract.pdf", "contract.pdf"},
		{"con\x00tract\x01.pdf", "contract.pdf"},
		{"\u202egnp.exe", "gnp.exe"},
		{"  media   kit.pdf ", "media kit.pdf"},
		{"", "attachment"},
		{".", "attachment"},
		{"..", "attachment"},
		{". .", "attachment"},
		{". . .bashrc", "bashrc"},
		{" .\u00a0..profile", "profile"},
		{"dir/", "attachment"},
		{"\x1b[2J", "attachment"},
		{"Vertrag für März.pdf", "Vertrag für März.pdf"},
	} {
		if got := crm.SafeFileName(tt.in); got != tt.want {
			t.Errorf("SafeFileName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	got := crm.SafeFileName(long)
	if len(got) > 200 || !strings.HasSuffix(got, ".pdf") || !utf8.ValidString(got) || !strings.HasPrefix(got, "éé") {
		t.Errorf("300-byte name: %q (%d bytes), want at most 200 bytes ending .pdf", got, len(got))
	}
	ascii := strings.Repeat("a", 300)
	if got := crm.SafeFileName(ascii); got != ascii[:200] {
		t.Errorf("300-char name without extension: %d bytes", len(got))
	}
	// An extension too long to be one is cut with the rest.
	if got := crm.SafeFileName("x." + ascii); len(got) != 200 || !strings.HasPrefix(got, "x.aaa") {
		t.Errorf("long extension: %q", got)
	}
}

// TestSaveNewFileNeverOverwrites: a taken name gets " (2)", " (3)" before
// the extension; the files already there keep their bytes; the new one is
// 0600 and whole.
func TestSaveNewFileNeverOverwrites(t *testing.T) {
	dir := t.TempDir()
	old := filepath.Join(dir, "brief.pdf")
	if err := os.WriteFile(old, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, data := range []string{"first", "second"} {
		p, err := crm.SaveNewFile(dir, "../brief.pdf", []byte(data))
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	want := []string{filepath.Join(dir, "brief (2).pdf"), filepath.Join(dir, "brief (3).pdf")}
	if paths[0] != want[0] || paths[1] != want[1] {
		t.Fatalf("saved to %q, want %q", paths, want)
	}
	for p, data := range map[string]string{old: "mine", want[0]: "first", want[1]: "second"} {
		got, err := os.ReadFile(p)
		if err != nil || string(got) != data {
			t.Errorf("%s = %q, %v; want %q", p, got, err, data)
		}
	}
	if fi, err := os.Stat(want[0]); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("mode of a saved file: %v, %v", fi.Mode(), err)
	}
	// A name without an extension is numbered at its end.
	os.WriteFile(filepath.Join(dir, "attachment"), nil, 0o600)
	if p, err := crm.SaveNewFile(dir, "", []byte("x")); err != nil || filepath.Base(p) != "attachment (2)" {
		t.Errorf("unnamed: %q, %v", p, err)
	}
	// A missing directory is named, and nothing is written.
	if _, err := crm.SaveNewFile(filepath.Join(dir, "nope"), "a.pdf", nil); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("missing directory: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 5 {
		t.Errorf("directory holds %d entries, want 5 (no temporary file left)", len(entries))
	}
}

// fileServer is a Syncer whose attachments are files it holds: the crm
// side of the port, with no server behind it.
type fileServer struct{ files map[string][]byte }

func (fileServer) SyncNow() {}

func (f fileServer) FetchAttachment(_ context.Context, _ crm.Message, a crm.Attachment) ([]byte, error) {
	b, ok := f.files[a.Name]
	if !ok {
		return nil, errors.New("the message no longer holds " + a.Name)
	}
	return b, nil
}

// TestSaveAttachment: without mail it is ErrNoMail; with it the bytes the
// server gave land in a new file; a fetch error is returned as it is and
// writes nothing.
func TestSaveAttachment(t *testing.T) {
	ctx := context.Background()
	svc := crm.NewService(crmtest.NewMemory(), nil)
	dir := t.TempDir()
	a := crm.Attachment{Name: "../contract.pdf", Type: "application/pdf", Size: 5}
	if _, err := svc.SaveAttachment(ctx, crm.Message{}, a, dir); !errors.Is(err, crm.ErrNoMail) {
		t.Errorf("without mail: %v, want ErrNoMail", err)
	}
	svc.SetSyncer(fileServer{files: map[string][]byte{a.Name: []byte("%PDF!")}})
	p, err := svc.SaveAttachment(ctx, crm.Message{}, a, dir)
	if err != nil || p != filepath.Join(dir, "contract.pdf") {
		t.Fatalf("saved to %q, %v", p, err)
	}
	if got, _ := os.ReadFile(p); !bytes.Equal(got, []byte("%PDF!")) {
		t.Errorf("saved %q", got)
	}
	if _, err := svc.SaveAttachment(ctx, crm.Message{}, crm.Attachment{Name: "gone.pdf"}, dir); err == nil || !strings.Contains(err.Error(), "no longer holds") {
		t.Errorf("fetch error: %v", err)
	}
	if _, err := svc.SaveAttachment(ctx, crm.Message{}, a, ""); err == nil {
		t.Error("an empty directory was accepted")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("directory holds %d entries, want 1", len(entries))
	}
}
