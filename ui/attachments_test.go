package ui

import (
	"context"
	"encoding/base64"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"roster/crm"
	"roster/crm/crmtest"
	"roster/crm/demo"
	"roster/mail"
	"roster/mail/config"
	"roster/mail/demomail"
)

// mayaContract and mayaKit are what Maya attaches in the tests.
var (
	mayaContract = []byte("%PDF-1.4\n%\xe2\xe3\xcf\xd3\nsigned by Maya Chen\n%%EOF\n")
	mayaKit      = []byte("PK\x03\x04 media kit, not really a zip")
)

// attachmentMail is a message from Maya at hour h past testNow with
// the files attached, base64 as mail clients send them.
func attachmentMail(id string, h int, files map[string][]byte, order ...string) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "From: Maya Chen <maya@mayamakes.example>\r\nTo: %s\r\nSubject: Files\r\nMessage-ID: <%s>\r\n", demomail.Manager, id)
	fmt.Fprintf(&b, "Date: %s\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"zz\"\r\n\r\n", testNow.Add(time.Duration(h)*time.Hour).Format("Mon, 02 Jan 2006 15:04:05 -0700"))
	b.WriteString("--zz\r\nContent-Type: text/plain\r\n\r\nHere you go.\r\n")
	for _, name := range order {
		fmt.Fprintf(&b, "--zz\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"%s\"\r\nContent-Transfer-Encoding: base64\r\n\r\n%s\r\n",
			name, base64.StdEncoding.EncodeToString(files[name]))
	}
	b.WriteString("--zz--\r\n")
	return []byte(b.String())
}

// attachmentWorld is the demo roster synced from the demo's IMAP server
// (a real one, in process) with three more messages from Maya: one with
// two attachments (the newest), one with a contract, one with none.
func attachmentWorld(t *testing.T, opts Options) *Model {
	t.Helper()
	svc := crm.NewService(crmtest.NewMemory(), crm.FixedClock{T: testNow})
	if err := demo.Seed(svc, testNow); err != nil {
		t.Fatal(err)
	}
	srv, err := demomail.Start(testNow)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	files := map[string][]byte{"../contract.pdf": mayaContract, "media kit.zip": mayaKit}
	for _, m := range [][]byte{
		attachmentMail("none@mayamakes.example", 1, nil),
		attachmentMail("one@mayamakes.example", 2, files, "../contract.pdf"),
		attachmentMail("two@mayamakes.example", 3, files, "../contract.pdf", "media kit.zip"),
	} {
		if err := srv.Append(demomail.Inbox, m); err != nil {
			t.Fatal(err)
		}
	}
	host, port, _ := net.SplitHostPort(srv.IMAPAddr)
	t.Setenv("ROSTER_TEST_DEMO_PW", srv.Password)
	cfg, err := config.Parse(filepath.Join(t.TempDir(), "config.toml"), []byte(fmt.Sprintf(`[[accounts]]
name = "demo"
email = %q
[accounts.imap]
host = %q
port = %s
security = "none"
username = %q
password_env = "ROSTER_TEST_DEMO_PW"
`, demomail.Manager, host, port, srv.User)))
	if err != nil {
		t.Fatal(err)
	}
	e := mail.New(svc, cfg, mail.Options{})
	svc.SetSyncer(e)
	if _, err := e.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	opts.Service, opts.Actor, opts.NoColor = svc, "tess", true
	m := New(opts)
	t.Cleanup(m.Close)
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	run(t, m, m.loadBoard())
	openMaya(t, m, "two@mayamakes.example")
	return m
}

// openMaya opens Maya Chen's Mail tab, where newest is the message
// selected.
func openMaya(t *testing.T, m *Model, newest string) {
	t.Helper()
	typeCommand(t, m, "filter Maya")
	press(t, m, "enter", "2")
	if sel, ok := m.detail.selectedMessage(); !ok || sel.MessageID != newest {
		t.Fatalf("Maya's newest message should be selected: %+v\n%s", sel, frame(m))
	}
}

// TestSavingAttachments: a asks which of two attachments, saves the one
// picked under a safe name in the download directory, says so, and never
// writes over a file; with one attachment it saves at once.
func TestSavingAttachments(t *testing.T) {
	dir := t.TempDir()
	m := attachmentWorld(t, Options{DownloadDir: dir})
	// ? lists the key on this screen.
	press(t, m, "?")
	if s := oneLine(frame(m)); !strings.Contains(s, "a :save-attachment save the selected message's attachments") {
		t.Fatalf("? should list a:\n%s", frame(m))
	}
	press(t, m, "?")
	press(t, m, "a")
	s := frame(m)
	if m.chooser == nil || !strings.Contains(s, "Save which attachment") || !strings.Contains(s, "contract.pdf") || !strings.Contains(s, "media kit.zip") {
		t.Fatalf("a on a message with two attachments should ask which:\n%s", s)
	}
	// The pick starts the fetch off the loop, saying so meanwhile.
	_, cmd := m.Update(keyMsg("j"))
	run(t, m, cmd)
	_, cmd = m.Update(keyMsg("enter"))
	if m.chooser != nil || m.status != "fetching media kit.zip…" || cmd == nil {
		t.Fatalf("enter should start fetching, status %q", m.status)
	}
	run(t, m, cmd)
	kit := filepath.Join(dir, "media kit.zip")
	if got, err := os.ReadFile(kit); err != nil || string(got) != string(mayaKit) {
		t.Fatalf("saved %q, %v", got, err)
	}
	if m.statusErr || !strings.HasPrefix(m.status, "saved media kit.zip (32 B) to ") || !strings.HasSuffix(m.status, "media kit.zip") {
		t.Fatalf("status after saving: %q", m.status)
	}

	// The message before it holds only the contract: saved at once, and
	// the sender's "../" goes nowhere. Twice: the second is numbered.
	press(t, m, "[")
	for _, want := range []string{"contract.pdf", "contract (2).pdf"} {
		press(t, m, "a")
		if m.chooser != nil {
			t.Fatal("one attachment should be saved without asking")
		}
		got, err := os.ReadFile(filepath.Join(dir, want))
		if err != nil || string(got) != string(mayaContract) {
			t.Fatalf("%s: %q, %v (status %q)", want, got, err, m.status)
		}
		if !strings.Contains(m.status, want) {
			t.Errorf("the status should name %s: %q", want, m.status)
		}
	}
	// The one before has nothing to save.
	press(t, m, "[", "a")
	if !m.statusErr || !strings.Contains(m.status, "no attachments") {
		t.Errorf("a message without attachments: %q", m.status)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 3 {
		t.Errorf("the download directory holds %d files, want 3", len(entries))
	}
}

// TestSavingAttachmentsOverSSH: in a roster serve session the file would
// land on the server, so a says saving works in a local roster and
// fetches nothing.
func TestSavingAttachmentsOverSSH(t *testing.T) {
	m := attachmentWorld(t, Options{Remote: true})
	_, cmd := m.Update(keyMsg("a"))
	if cmd != nil || m.chooser != nil || !m.statusErr || !strings.Contains(m.status, "works in a local roster") {
		t.Fatalf("a over SSH: status %q, chooser %v", m.status, m.chooser != nil)
	}
}

// TestSavingAnAttachmentWithoutMail: the attachment's bytes are on the
// server; with no account configured the key says so.
func TestSavingAnAttachmentWithoutMail(t *testing.T) {
	m := newSeeded(t, 120, 40)
	m.c.DownloadDir = t.TempDir()
	pm := mailMsg("att@x.example", "maya@mayamakes.example", "sam@glowbrand.example", "Contract", "Attached.", testNow.Add(-time.Hour), 5)
	pm.Attachments = []crm.Attachment{{Name: "contract.pdf", Type: "application/pdf", Size: 120 * 1024}}
	ingestMail(t, m.c.Svc, pm)
	openMaya(t, m, "att@x.example")
	press(t, m, "a")
	if !m.statusErr || !strings.Contains(m.status, "could not save contract.pdf: no mail account configured") {
		t.Fatalf("status: %q", m.status)
	}
}
