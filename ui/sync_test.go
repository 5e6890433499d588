package ui

import (
	"context"
	"fmt"
	"net"
	"path/filepath"
	"strings"
	"testing"

	"roster/crm"
	"roster/mail"
	"roster/mail/config"
)

// unreachableEngine is the real sync engine with one account whose IMAP
// server refuses connections (a port nothing listens on), set as the
// service's syncer the way main.go does it.
func unreachableEngine(t *testing.T, svc *crm.Service) *mail.Engine {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().(*net.TCPAddr)
	ln.Close()
	t.Setenv("ROSTER_TEST_IMAP_PW", "secret")
	body := fmt.Sprintf(`[[accounts]]
name = "work"
email = "sam@glowbrand.example"
[accounts.imap]
host = "127.0.0.1"
port = %d
security = "none"
password_env = "ROSTER_TEST_IMAP_PW"
`, addr.Port)
	cfg, err := config.Parse(filepath.Join(t.TempDir(), "config.toml"), []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	e := mail.New(svc, cfg, mail.Options{})
	svc.SetSyncer(e)
	return e
}

// TestFailedSyncSaysWhyInTheStatusLine: after s, the status line does not
// stay on "syncing mail…" when the sync fails; it gives the cause in
// words, wrapped as other errors are, even where the header has no room.
func TestFailedSyncSaysWhyInTheStatusLine(t *testing.T) {
	m := newSeeded(t, 80, 24)
	e := unreachableEngine(t, m.c.Svc)
	press(t, m, "s")
	if !strings.Contains(m.status, "syncing mail") {
		t.Fatalf("s should say the sync started: %q", m.status)
	}
	if _, err := e.SyncOnce(context.Background()); err == nil {
		t.Fatal("a sync against a closed port should fail")
	}
	deliverChanges(t, m)
	s := frame(m)
	if !m.statusErr || !strings.Contains(m.status, "sync failed") || !strings.Contains(m.status, "account work") ||
		!strings.Contains(m.status, "refused") {
		t.Fatalf("the status line should say why the sync failed, got %q:\n%s", m.status, s)
	}
	if !strings.Contains(s, "account work") || !strings.Contains(s, "refused") {
		t.Fatalf("the cause should be on screen at 80 columns:\n%s", s)
	}
	if head := strings.Split(s, "\n"); !strings.HasPrefix(strings.TrimSpace(head[0]), "roster · ") || !strings.Contains(head[1], "Prospect") {
		t.Fatalf("a long cause must not push the header onto two lines:\n%s", s)
	}
	// The same failure in the background is not announced again over
	// whatever the status line says next.
	m.setStatus("moved")
	if _, err := e.SyncOnce(context.Background()); err == nil {
		t.Fatal("a sync against a closed port should fail")
	}
	deliverChanges(t, m)
	if m.status != "moved" {
		t.Fatalf("a repeated background failure replaced the status line: %q", m.status)
	}
}
