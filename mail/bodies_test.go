package mail

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"roster/crm"
)

// The body worker asks for bodies batch after batch in the mailbox the
// header pass is in; only the first batch may SELECT it (useMailbox).
func TestBodyBatchesShareOneSelect(t *testing.T) {
	ts := newTestServer(t)
	svc := newService(t)
	alice := addCreator(t, svc, "Alice", "alice@creators.example")
	for i := range 6 {
		ts.append("INBOX", mail{from: "alice@creators.example", to: testUser, subject: "B " + itoa(i), id: "b" + itoa(i) + "@x.example"}.String())
	}
	var dbg syncBuffer
	e := New(svc, ts.config(t, ""), Options{debug: &dbg})
	syncOnce(t, e)
	var msgs []crm.Message
	for _, cv := range conversations(t, svc, alice) {
		msgs = append(msgs, cv.Messages...)
	}
	if len(msgs) != 6 {
		t.Fatalf("synced %d messages, want 6", len(msgs))
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s := e.newSession(&e.cfg.Accounts[0])
	defer s.logout()
	selects := regexp.MustCompile(`(?m)^\S+ (SELECT|EXAMINE) "?INBOX`)
	before := len(selects.FindAllString(dbg.String(), -1))
	tried := map[crm.ID]bool{}
	for _, batch := range [][]crm.Message{msgs[:2], msgs[2:4], msgs[4:]} {
		if err := s.fetchSome(ctx, batch, tried); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(selects.FindAllString(dbg.String(), -1)) - before; n != 1 {
		t.Errorf("three body batches in INBOX sent %d SELECTs, want 1", n)
	}
	if got := ts.fetches.Load(); got == 0 {
		t.Error("no FETCH reached the server")
	}
}

// TestBodyOfMailNewerThanTheSelect: a mailbox the body connection still
// has selected from before (useMailbox) must show mail that arrived since
// its SELECT: a server such as Dovecot shows a session new mail only when
// it synchronises the session's view, and a UID FETCH of a UID the view
// lacks is answered with nothing.
func TestBodyOfMailNewerThanTheSelect(t *testing.T) {
	t.Parallel()
	onBothServers(t, 1, func(t *testing.T, srv imapServer) {
		w := newWorld(t, srv)
		e := w.engine(t, Options{})
		syncOnce(t, e)
		ctx := fetchCtx(t)
		s := e.newSession(&e.cfg.Accounts[0])
		defer s.logout()
		if err := s.ensure(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := s.useMailbox(ctx, "INBOX", 1); err != nil {
			t.Fatal(err)
		}
		w.acct.append("INBOX", mail{from: "Newcomer <new@unknown.example>", to: testUser, subject: "Later", id: "late@unknown.example"}.String())
		syncOnce(t, e) // headers only: the sender is no creator
		um, err := w.svc.Unmatched(10)
		if err != nil {
			t.Fatal(err)
		}
		var late []crm.Message
		for _, m := range um {
			if m.MessageID == "late@unknown.example" && m.HeaderOnly {
				late = append(late, m)
			}
		}
		if len(late) != 1 {
			t.Fatalf("want the new message synced headers only, got %+v", um)
		}
		if err := s.fetchSome(ctx, late, map[crm.ID]bool{}); err != nil {
			t.Fatal(err)
		}
		if um, _ = w.svc.Unmatched(10); !slices.ContainsFunc(um, func(m crm.Message) bool {
			return m.MessageID == "late@unknown.example" && !m.HeaderOnly && strings.Contains(m.Text, "Hello")
		}) {
			t.Errorf("the body of mail newer than the body connection's SELECT was not read: %+v", um)
		}
	})
}
