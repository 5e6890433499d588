package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"roster/crm"
)

// longMail is a text of n numbered lines, "line 01" on.
func longMail(n int) string {
	var text []string
	for i := 1; i <= n; i++ {
		text = append(text, fmt.Sprintf("line %02d", i))
	}
	return strings.Join(text, "\n")
}

// TestOpenMailPagesWithTheSharedScrollKeys: an open unmatched mail pages
// with space, pgdn and pgup and jumps with g/G, as every scrolled page
// does, and j/k still walk the list when no mail is open.
func TestOpenMailPagesWithTheSharedScrollKeys(t *testing.T) {
	m := newSeeded(t, 80, 24)
	for i, subj := range []string{"Long pitch", "Short pitch"} {
		ingestMail(t, m.c.Svc, crm.ParsedMessage{MessageIDRaw: fmt.Sprintf("<p%d@x.example>", i), From: crm.Address{Email: "rita@ritamoves.example"},
			To: []crm.Address{{Email: "sam@glowbrand.example"}}, Subject: subj, Text: longMail(60), Date: testNow.Add(-time.Duration(i+1) * time.Hour),
			Location: crm.Location{Account: "work", Mailbox: "INBOX", UIDValidity: 1, UID: uint32(10 + i)}})
	}
	press(t, m, "u", "j")
	if m.unmatched.sel != 1 {
		t.Fatalf("j on the closed list should select the next message, sel %d", m.unmatched.sel)
	}
	press(t, m, "k", "enter")
	readsFrom := func(key, first string) {
		t.Helper()
		press(t, m, key)
		if s := frame(m); !strings.Contains(s, first) || (first != "line 01" && strings.Contains(s, "line 01")) {
			t.Fatalf("after %s the mail should show %s:\n%s", key, first, s)
		}
	}
	readsFrom("G", "line 60")
	readsFrom("g", "line 01")
	press(t, m, "space")
	if s := frame(m); strings.Contains(s, "line 01") || !strings.Contains(s, "line 2") {
		t.Fatalf("space should page down the open mail:\n%s", s)
	}
	press(t, m, "pgup")
	if !strings.Contains(frame(m), "line 01") {
		t.Fatalf("pgup should page back up:\n%s", frame(m))
	}
	press(t, m, "pgdown")
	if strings.Contains(frame(m), "line 01") {
		t.Fatalf("pgdn should page down the open mail:\n%s", frame(m))
	}
	press(t, m, "esc", "G")
	if !m.unmatched.open && m.unmatched.sel != 1 {
		t.Fatalf("G on the closed list should select the last message, sel %d", m.unmatched.sel)
	}
}

// TestOutboxMailPagesWithTheSharedScrollKeys: the open outbox mail pages
// with space and jumps with G, as the unmatched one does.
func TestOutboxMailPagesWithTheSharedScrollKeys(t *testing.T) {
	m := newSending(t, 80, 24)
	b, err := m.c.Svc.Board("")
	if err != nil {
		t.Fatal(err)
	}
	c := b.Columns[0][0]
	d, err := m.c.Svc.ComposeDraft(c.Creator.ID, c.Deal.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	d.Subject, d.Text = "Long offer", longMail(60)
	if _, err := m.c.Svc.QueueMail("tess", d); err != nil {
		t.Fatal(err)
	}
	press(t, m, "O", "enter", "space")
	if s := frame(m); strings.Contains(s, "Long offer") && strings.Contains(s, "State") {
		t.Fatalf("space should page past the open mail's headers:\n%s", s)
	}
	press(t, m, "G")
	if s := frame(m); !strings.Contains(s, "line 60") {
		t.Fatalf("G should show the end of the open mail:\n%s", s)
	}
}

// TestHelpPagesWithTheSharedScrollKeys: the ? overlay, longer than a
// 80x24 screen, pages with space and jumps with G/g.
func TestHelpPagesWithTheSharedScrollKeys(t *testing.T) {
	m := newSeeded(t, 80, 24)
	first := helpCommand(m.reg.Board.Actions[0]) + " "
	last := helpCommand(m.reg.Global.Actions[len(m.reg.Global.Actions)-1]) + " "
	press(t, m, "?")
	if s := frame(m); !strings.Contains(s, first) || strings.Contains(s, last) {
		t.Fatalf("help should open at its top:\n%s", s)
	}
	press(t, m, "G")
	if s := frame(m); !strings.Contains(s, last) {
		t.Fatalf("G should show the end of help:\n%s", s)
	}
	press(t, m, "g", "space")
	if s := frame(m); strings.Contains(s, first) {
		t.Fatalf("space should page help down:\n%s", s)
	}
	if m.board.sel[0] != 0 || !m.help.open {
		t.Fatal("scroll keys in help must not reach the board or close help")
	}
}
