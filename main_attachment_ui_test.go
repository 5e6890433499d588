package main

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"roster/mail/demomail"
)

// TestDemoAttachmentIsSavedToTheDownloadDir: on Diego's Mail tab, a on
// the message with his media kit reads it from the demo's IMAP server and
// writes it to ROSTER_DOWNLOAD_DIR, byte for byte what he attached.
func TestDemoAttachmentIsSavedToTheDownloadDir(t *testing.T) {
	needTmux(t)
	dir := t.TempDir()
	db := filepath.Join(t.TempDir(), "demo.db")
	s := startTmux(t, 120, 40, "env NO_COLOR=1 ROSTER_DOWNLOAD_DIR="+dir+" "+binary+" demo --db "+db)
	s.waitFor("synced")
	s.keys("/", "Diego", "Enter")
	s.waitFor("1 of")
	s.keys("Enter")
	s.waitFor("2 Mail")
	s.keys("K") // the message before Sam's answer: Diego's, with the kit
	s.waitFor("📎 Diego Ramírez – Media Kit")
	s.keys("a")
	s.waitFor("saved Diego Ramírez – Media Kit")
	name, want := diegoKit(t)
	got, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		entries, _ := os.ReadDir(dir)
		t.Fatalf("%v; the download directory holds %v", err, entries)
	}
	if !bytes.Equal(got, want) || !bytes.HasPrefix(got, []byte("%PDF-")) {
		t.Fatalf("saved %d bytes, not the %d of the kit Diego attached", len(got), len(want))
	}
	s.keys("Escape", "q")
	s.waitExit()
}

// diegoKit decodes the media kit from the demo mailbox with the standard
// library's MIME reader alone: its file name and bytes.
func diegoKit(t *testing.T) (string, []byte) {
	t.Helper()
	for _, m := range demomail.Messages(time.Now()) {
		if !bytes.Contains(m.Raw, []byte("Media%20Kit")) {
			continue
		}
		msg, err := mail.ReadMessage(bytes.NewReader(m.Raw))
		if err != nil {
			t.Fatal(err)
		}
		if name, data, ok := findAttachment(t, msg.Header.Get("Content-Type"), msg.Body); ok {
			return name, data
		}
	}
	t.Fatal("no media kit in the demo mailbox")
	return "", nil
}

// findAttachment walks a multipart body for the first part with a
// filename.
func findAttachment(t *testing.T, ctype string, body io.Reader) (string, []byte, bool) {
	mt, params, err := mime.ParseMediaType(ctype)
	if err != nil || !strings.HasPrefix(mt, "multipart/") {
		return "", nil, false
	}
	r := multipart.NewReader(body, params["boundary"])
	for {
		p, err := r.NextPart()
		if err != nil {
			return "", nil, false
		}
		if name, data, ok := findAttachment(t, p.Header.Get("Content-Type"), p); ok {
			return name, data, true
		}
		if p.FileName() == "" {
			continue
		}
		data, err := io.ReadAll(base64.NewDecoder(base64.StdEncoding, p))
		if err != nil {
			t.Fatal(err)
		}
		return p.FileName(), data, true
	}
}
