package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestDemoReplyIsSentAndShowsInTheOutbox replies to a creator in the demo
// through the real binary: r, a line of text, the review, y; the delivery
// worker hands it to the demo's embedded SMTP server and O shows it sent.
func TestDemoReplyIsSentAndShowsInTheOutbox(t *testing.T) {
	needTmux(t)
	db := filepath.Join(t.TempDir(), "demo.db")
	s := startTmux(t, 120, 36, "env NO_COLOR=1 "+binary+" demo --db "+db)
	s.waitFor("synced")
	s.waitFor("reply owed")
	s.keys("Enter")
	s.waitFor("2 Mail")
	s.waitFor("▌ ← in") // the newest message is the one r answers
	s.keys("r")
	s.waitFor("Reply to Maya Chen")
	s.keys("Thanks Maya, that works for us.", "C-s")
	scr := s.waitFor("In-Reply-To")
	for _, want := range []string{"Subject      Re:", "References", "Thanks Maya, that works for us.", "> "} {
		if !strings.Contains(scr, want) {
			t.Errorf("the review lacks %q:\n%s", want, scr)
		}
	}
	s.keys("y")
	// Queued, then handed to the server: the status line follows the mail.
	s.waitFor(`sent reply "Re:`)
	s.keys("O")
	s.waitFor("Outbox")
	scr = s.waitFor("✓ sent")
	if !strings.Contains(scr, "Maya Chen") {
		t.Fatalf("the outbox should list the reply to Maya:\n%s", scr)
	}
	s.keys("Enter")
	s.waitFor("250") // the server's answer is kept
	s.keys("Escape", "Escape", "Escape", "q")
	s.waitExit()
}
