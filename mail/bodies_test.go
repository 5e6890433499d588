package mail

import (
	"context"
	"regexp"
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
