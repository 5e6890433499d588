package mail

import (
	"context"
	"strings"
	"testing"
	"time"

	"roster/crm"
)

// syncedStranger syncs newWorld once and returns its one unmatched
// message, the stranger's, synced headers only.
func syncedStranger(t *testing.T, srv imapServer) (*world, *Engine, []crm.Message) {
	t.Helper()
	w := newWorld(t, srv)
	e := w.engine(t, Options{})
	syncOnce(t, e)
	um, err := w.svc.Unmatched(10)
	if err != nil || len(um) != 1 || !um[0].HeaderOnly {
		t.Fatalf("want one header-only unmatched message, got %+v (%v)", um, err)
	}
	return w, e, um
}

func fetchCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// TestFetchBodyOfUnmatchedMail: unmatched mail syncs headers only; asked
// for, its body is read on a connection of its own and stored, and the
// sync's status line is left as the sync left it.
func TestFetchBodyOfUnmatchedMail(t *testing.T) {
	t.Parallel()
	onBothServers(t, 1, func(t *testing.T, srv imapServer) {
		w, e, um := syncedStranger(t, srv)
		before := w.svc.SyncStatus()
		// What progress holds, reported or not: a report within a
		// moment of the last is held back, so SyncStatus alone would
		// not show a phase FetchBody started there.
		held := func() crm.SyncStatus {
			e.prog.mu.Lock()
			defer e.prog.mu.Unlock()
			return e.prog.st
		}
		heldBefore := held()
		ctx := fetchCtx(t)
		if err := e.FetchBody(ctx, um[0]); err != nil {
			t.Fatal(err)
		}
		um, _ = w.svc.Unmatched(10)
		if len(um) != 1 || um[0].HeaderOnly || !strings.Contains(um[0].Text, "Hello") {
			t.Fatalf("the body was not stored: %+v", um)
		}
		if after := w.svc.SyncStatus(); after.Phase != before.Phase || after.Running != before.Running {
			t.Errorf("FetchBody moved the sync's status: %+v, was %+v", after, before)
		}
		if after := held(); after.Phase != heldBefore.Phase || after.Running != heldBefore.Running {
			t.Errorf("FetchBody moved the sync's progress: %+v, was %+v", after, heldBefore)
		}
		// An account the config no longer has is named.
		gone := um[0]
		gone.Account = "old"
		if err := e.FetchBody(ctx, gone); err == nil || !strings.Contains(err.Error(), `"old"`) {
			t.Errorf("unknown account: %v", err)
		}
	})
}

// TestFetchBodyOfMailGoneFromTheServer: a message expunged on the server
// since the last sync has no body to read; FetchBody says so instead of
// returning as if it had read it, which left the message headers only
// with no word of why.
func TestFetchBodyOfMailGoneFromTheServer(t *testing.T) {
	t.Parallel()
	onBothServers(t, 1, func(t *testing.T, srv imapServer) {
		w, e, um := syncedStranger(t, srv)
		w.acct.expunge("INBOX", true, "x1@unknown.example")
		ctx := fetchCtx(t)
		if err := e.FetchBody(ctx, um[0]); err == nil || !strings.Contains(err.Error(), "no longer has this message") {
			t.Errorf("FetchBody of an expunged message = %v, want it said the server no longer has it", err)
		}
		// One roster knows no copy of is refused too, and marked.
		lost := um[0]
		lost.Locations = nil
		if err := e.FetchBody(ctx, lost); err == nil {
			t.Error("FetchBody of a message with no known copy returned nil")
		}
		if um, _ = w.svc.Unmatched(10); len(um) != 1 || um[0].HeaderOnly || len(um[0].Problems) == 0 {
			t.Errorf("the message with no copy is not marked: %+v", um)
		}
	})
}

// TestFetchBodyFromAnotherCopy: when the copy of a message read first is
// gone from the server since the last sync, FetchBody reads another copy
// the sync saw instead of giving up.
func TestFetchBodyFromAnotherCopy(t *testing.T) {
	t.Parallel()
	onBothServers(t, 1, func(t *testing.T, srv imapServer) {
		w := newWorld(t, srv)
		w.acct.append("Archive", mail{from: "Stranger <stranger@unknown.example>", to: testUser, subject: "Hello there", id: "x1@unknown.example"}.String())
		e := w.engine(t, Options{})
		syncOnce(t, e)
		um, err := w.svc.Unmatched(10)
		if err != nil || len(um) != 1 || !um[0].HeaderOnly || len(um[0].Locations) != 2 {
			t.Fatalf("want one header-only unmatched message in two mailboxes, got %+v (%v)", um, err)
		}
		// Whichever copy comes first, expunge it.
		w.acct.expunge(um[0].Locations[0].Mailbox, true, "x1@unknown.example")
		if err := e.FetchBody(fetchCtx(t), um[0]); err != nil {
			t.Fatalf("FetchBody with one copy of two left: %v", err)
		}
		if um, _ = w.svc.Unmatched(10); len(um) != 1 || um[0].HeaderOnly || !strings.Contains(um[0].Text, "Hello") {
			t.Errorf("the other copy's body was not stored: %+v", um)
		}
	})
}
