package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"roster/crm"
	"roster/crm/crmtest"
)

var me = crm.Identity{Account: "work", Addresses: []string{"sam@glowbrand.example"}}

func ingestMail(t *testing.T, svc *crm.Service, pms ...crm.ParsedMessage) {
	t.Helper()
	if _, err := svc.IngestMail(me, pms, crm.MailboxState{Account: "work", Mailbox: "INBOX", UIDValidity: 1, UIDNext: 99}); err != nil {
		t.Fatal(err)
	}
}

func mailMsg(id, from, to, subject, text string, at time.Time, uid uint32, refs ...string) crm.ParsedMessage {
	pm := crm.ParsedMessage{MessageIDRaw: "<" + id + ">", From: crm.Address{Email: from}, To: []crm.Address{{Email: to}},
		Subject: subject, Text: text, Date: at, Location: crm.Location{Account: "work", Mailbox: "INBOX", UIDValidity: 1, UID: uid}}
	for _, r := range refs {
		pm.ReferencesRaw += "<" + r + "> "
		pm.InReplyToRaw = "<" + r + ">"
	}
	return pm
}

func TestMailShowsOnTheCardAndInTheCreatorScreen(t *testing.T) {
	m := newSeeded(t, 120, 40)
	card, _ := m.board.selected() // Maya Chen, first prospect
	email := card.Creator.PrimaryEmail()
	ingestMail(t, m.c.Svc,
		mailMsg("o1@glowbrand.example", "sam@glowbrand.example", email, "Collab with Glow?", "Hi Maya, would you like to work with us?", testNow.Add(-50*time.Hour), 1),
		mailMsg("r1@x.example", email, "sam@glowbrand.example", "Re: Collab with Glow?",
			"Yes! My rate is $450.\n\nOn Mon, Sam wrote:\n> Hi Maya, would you like to work with us?", testNow.Add(-26*time.Hour), 2, "o1@glowbrand.example"),
	)
	// The sync's notification reaches the program through its pump.
	run(t, m, waitChangeCmd(m.c.Ctx, m.sub))
	if !strings.Contains(frame(m), "reply owed 1d") {
		t.Fatalf("the card should say a reply is owed:\n%s", frame(m))
	}
	// On a short terminal the Mail tab opens scrolled to the newest message.
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 12})
	press(t, m, "enter")
	if s := frame(m); m.detail.top == 0 || !strings.Contains(s, "My rate is $450.") {
		t.Fatalf("the Mail tab should open at the newest message:\n%s", s)
	}
	// Back to it from another tab (or 2 on it), it shows the selected
	// message again, not the oldest mail at its top.
	for _, keys := range [][]string{{"1", "2"}, {"g", "2"}, {"tab", "shift+tab"}} {
		press(t, m, keys...)
		if s := frame(m); m.detail.top == 0 || !strings.Contains(s, "My rate is $450.") {
			t.Fatalf("%v: the Mail tab should show the selected, newest message:\n%s", keys, s)
		}
	}
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	press(t, m, "g")
	s := frame(m)
	if m.detail.tab != tabMail || !strings.Contains(s, "Collab with Glow?") || !strings.Contains(s, "My rate is $450.") {
		t.Fatalf("a card with mail opens on its conversation:\n%s", s)
	}
	if !strings.Contains(s, "→ out") || !strings.Contains(s, "← in") {
		t.Fatal("directions should be marked")
	}
	if strings.Contains(s, "> Hi Maya") || !strings.Contains(s, "2 quoted lines") {
		t.Fatalf("quoted history should be collapsed:\n%s", s)
	}
	press(t, m, "z")
	if !strings.Contains(frame(m), "> Hi Maya") {
		t.Fatal("z should expand quoted history")
	}
}

// ritaPitch is mail from Rita Moreno, who is no creator: an unmatched
// pitch saying text.
func ritaPitch(text string) crm.ParsedMessage {
	return crm.ParsedMessage{MessageIDRaw: "<p1@x.example>", From: crm.Address{Name: "Rita Moreno", Email: "rita@ritamoves.example"},
		To: []crm.Address{{Email: "sam@glowbrand.example"}}, Subject: "Ambassador program?", Text: text, Date: testNow.Add(-time.Hour),
		Location: crm.Location{Account: "work", Mailbox: "INBOX", UIDValidity: 1, UID: 7}}
}

func TestUnmatchedMailBecomesAProspect(t *testing.T) {
	m := newSeeded(t, 120, 40)
	ingestMail(t, m.c.Svc, ritaPitch("I love your serum!"))
	before, _ := m.board.total()
	press(t, m, "u")
	s := frame(m)
	if m.screen != screenUnmatched || !strings.Contains(s, "Rita Moreno") || !strings.Contains(s, "Ambassador program?") {
		t.Fatalf("u should list unmatched mail:\n%s", s)
	}
	press(t, m, "enter")
	if !strings.Contains(frame(m), "I love your serum!") {
		t.Fatal("enter should show the message")
	}
	press(t, m, "esc", "p")
	if !strings.Contains(frame(m), "Rita Moreno is now a prospect") {
		t.Fatalf("p should confirm:\n%s", frame(m))
	}
	run(t, m, waitChangeCmd(m.c.Ctx, m.sub))
	if after, _ := m.board.total(); after != before+1 {
		t.Fatalf("board has %d cards, want %d", after, before+1)
	}
	if len(m.unmatched.items) != 0 {
		t.Fatal("the message should have left the unmatched list")
	}
}

func TestSyncKeyWithoutAccountsSaysWhereToConfigure(t *testing.T) {
	m := newSeeded(t, 120, 30)
	press(t, m, "s")
	if !strings.Contains(frame(m), "docs/config.md") {
		t.Fatalf("s without accounts should point to the config docs:\n%s", frame(m))
	}
	m.c.Svc.ReportSync(crm.SyncStatus{Running: true, Phase: "headers", Mailbox: "INBOX", Done: 120, Total: 500})
	if !strings.Contains(frame(m), "⟳ headers INBOX 120/500") {
		t.Fatalf("sync progress should show in the header:\n%s", frame(m))
	}
}

func TestBackgroundWorkStartsAfterTheFirstBoard(t *testing.T) {
	svc := crm.NewService(crmtest.NewMemory(), crm.FixedClock{T: testNow})
	if err := svc.Init("tess"); err != nil {
		t.Fatal(err)
	}
	started := 0
	m := New(Options{Service: svc, Actor: "tess", OnReady: func() { started++ }})
	defer m.Close()
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	b, _ := svc.Board("")
	_, cmd := m.Update(boardLoadedMsg{board: b})
	if started != 0 || cmd == nil {
		t.Fatal("OnReady must wait until the first board has been drawn")
	}
	m.Update(readyMsg{})
	m.Update(readyMsg{})
	if started != 1 {
		t.Fatalf("OnReady ran %d times, want once", started)
	}
}

// TestUnmatchedLongMessageScrolls: a pitch longer than the screen is read
// to its end with j, not cut off.
func TestUnmatchedLongMessageScrolls(t *testing.T) {
	m := newSeeded(t, 80, 24)
	var text []string
	for i := 1; i <= 60; i++ {
		text = append(text, fmt.Sprintf("pitch line %02d", i))
	}
	ingestMail(t, m.c.Svc, crm.ParsedMessage{MessageIDRaw: "<long@x.example>", From: crm.Address{Email: "rita@ritamoves.example"},
		To: []crm.Address{{Email: "sam@glowbrand.example"}}, Subject: "Long pitch", Text: strings.Join(text, "\n"), Date: testNow.Add(-time.Hour),
		Location: crm.Location{Account: "work", Mailbox: "INBOX", UIDValidity: 1, UID: 8}})
	press(t, m, "u", "enter")
	if s := frame(m); !strings.Contains(s, "pitch line 01") || strings.Contains(s, "pitch line 60") {
		t.Fatalf("the start of the message:\n%s", s)
	}
	for range 80 {
		press(t, m, "j")
	}
	if s := frame(m); !strings.Contains(s, "pitch line 60") {
		t.Fatalf("j should scroll to the end of the message:\n%s", s)
	}
}

// TestIgnoringASenderAsksFirst: x in the unmatched list names the sender
// and what ignoring does before anything is ignored; n leaves them
// listed, y ignores them.
func TestIgnoringASenderAsksFirst(t *testing.T) {
	m := newSeeded(t, 120, 40)
	ingestMail(t, m.c.Svc, ritaPitch("I love your serum!"))
	listed := func() int {
		msgs, err := m.c.Svc.Unmatched(10)
		if err != nil {
			t.Fatal(err)
		}
		return len(msgs)
	}
	press(t, m, "u", "x")
	s := frame(m)
	if m.confirm == nil || !strings.Contains(s, "rita@ritamoves.example") || !strings.Contains(s, "leaves this list") {
		t.Fatalf("x should ask first, naming the sender and what ignoring does:\n%s", s)
	}
	if listed() != 1 {
		t.Fatal("the sender was ignored before the answer")
	}
	press(t, m, "n")
	if m.confirm != nil || listed() != 1 {
		t.Fatal("n should leave the sender listed")
	}
	pressSync(t, m, "x", "y")
	if listed() != 0 || !strings.Contains(frame(m), "will not be listed again") {
		t.Fatalf("y should ignore the sender:\n%s", frame(m))
	}
	// X asks whose mail to list again, offering the one ignored sender.
	press(t, m, "X")
	if !m.prompt.active() || m.prompt.input.Value() != "rita@ritamoves.example" {
		t.Fatalf("X should offer the ignored sender:\n%s", frame(m))
	}
	pressSync(t, m, "enter")
	if listed() != 1 || !strings.Contains(frame(m), "is listed again") {
		t.Fatalf("enter should list the sender's mail again:\n%s", frame(m))
	}
	press(t, m, "X")
	if m.prompt.active() || !strings.Contains(frame(m), "no sender is ignored") {
		t.Fatalf("X with nobody ignored should say so:\n%s", frame(m))
	}
}

// TestListsGiveAddressesTheRoomThereIs: at 120 columns the unmatched list
// shows a long sender whole, and a card whose reply is owed today says
// so whole, dropping the tier rather than cutting "today".
func TestListsGiveAddressesTheRoomThereIs(t *testing.T) {
	m := newSeeded(t, 120, 40)
	pitch := ritaPitch("Hello!")
	pitch.From = crm.Address{Name: "Rachel Adeyemi", Email: "rachel.adeyemi@gmail.example"}
	maya := ritaPitch("Here is my rate card.")
	maya.MessageIDRaw, maya.From, maya.Date, maya.Location.UID = "<m9@x.example>", crm.Address{Name: "Maya Chen", Email: "maya@mayamakes.example"}, testNow, 9
	ingestMail(t, m.c.Svc, pitch, maya)
	run(t, m, m.loadBoard())
	if s := frame(m); !strings.Contains(s, "reply owed today") {
		t.Fatalf("Maya's card should say her reply is owed today, whole:\n%s", s)
	}
	press(t, m, "u")
	if s := frame(m); !strings.Contains(s, "Rachel Adeyemi <rachel.adeyemi@gmail.example>") {
		t.Fatalf("the unmatched list should show the sender whole at 120 columns:\n%s", s)
	}
}

// TestReadingAHeaderOnlyMessageAsksForItsText: enter on unmatched mail
// synced headers only asks mail sync for its text; without a mail account
// the message says why the text is not there.
func TestReadingAHeaderOnlyMessageAsksForItsText(t *testing.T) {
	m := newSeeded(t, 120, 40)
	pitch := ritaPitch("")
	pitch.HeaderOnly = true
	ingestMail(t, m.c.Svc, pitch)
	press(t, m, "u", "enter")
	s := oneLine(frame(m))
	if !strings.Contains(s, "could not be read from the mail server: no mail account configured") {
		t.Fatalf("want the reason the text is missing:\n%s", frame(m))
	}
}

// TestReadsOfTwoHeaderOnlyMessagesKeepApart: opening a second header-only
// message while the first's text is still being read asks for the second's
// too, and the first's failure is said on the first, not on the one open.
func TestReadsOfTwoHeaderOnlyMessagesKeepApart(t *testing.T) {
	m := newSeeded(t, 120, 40)
	a, b := ritaPitch(""), ritaPitch("")
	a.HeaderOnly, b.HeaderOnly = true, true
	b.MessageIDRaw, b.From, b.Location.UID = "<p2@x.example>", crm.Address{Name: "Rachel Adeyemi", Email: "rachel@adeyemi.example"}, 8
	b.Date = a.Date.Add(-time.Hour)
	ingestMail(t, m.c.Svc, a, b)
	press(t, m, "u")
	readFirst := m.readUnmatched() // held: the first read is still running
	if readFirst == nil {
		t.Fatal("opening a header-only message should read its text")
	}
	m.readUnmatched() // close it
	press(t, m, "j")
	if m.readUnmatched() == nil || !strings.Contains(frame(m), "Reading the text from the mail server") {
		t.Fatalf("the second message should be read too:\n%s", frame(m))
	}
	run(t, m, readFirst) // fails: no mail account
	if s := frame(m); strings.Contains(s, "could not be read") {
		t.Fatalf("the first message's failure shows on the second:\n%s", s)
	}
	press(t, m, "esc", "k", "enter")
	if s := oneLine(frame(m)); !strings.Contains(s, "could not be read from the mail server: no mail account configured") {
		t.Fatalf("the first message should say why its text is missing:\n%s", frame(m))
	}
}
