package cli

import (
	"strings"
	"testing"
	"time"

	"roster/crm"
	"roster/crm/crmtest"
)

// TestOutboxTakesTheIDTheListShows: the list shows the last 10 characters
// of an ID; retry and cancel take any 6 or more that start what the list
// shows, or that end the full ID. A beginning two mails share is refused
// with both named, and nothing is changed.
func TestOutboxTakesTheIDTheListShows(t *testing.T) {
	mem := crmtest.NewMemory()
	svc := crm.NewService(mem, nil)
	now := time.Now().UTC()
	for _, id := range []crm.ID{"01a21002e4476f934c127bb8", "01a21002e4476f934c12ffff", "01a21002e4476f11223344aa"} {
		m := crm.OutboxMail{ID: id, Account: "work", From: crm.Address{Email: "sam@brand.example"},
			To: []crm.Address{{Email: "maya@x.example"}}, Subject: "hi", Date: now, State: crm.OutboxFailed,
			NextAt: now, CreatedAt: now, UpdatedAt: now}
		if err := mem.Update(func(tx crm.Tx) error { return tx.PutOutboxMail(&m) }); err != nil {
			t.Fatal(err)
		}
	}
	out, errOut, code := runOn(t, svc, "outbox")
	if code != 0 || !strings.Contains(out, "934c127bb8") || !strings.Contains(out, "11223344aa") {
		t.Fatalf("list: %d %q %s", code, out, errOut)
	}
	state := func(id crm.ID) crm.OutboxState {
		m, err := svc.OutboxMail(id)
		if err != nil {
			t.Fatal(err)
		}
		return m.State
	}

	// Shared by the first two mails' shown IDs.
	_, errOut, code = runOn(t, svc, "outbox", "cancel", "934c12")
	if code != 1 || !strings.Contains(errOut, "934c127bb8") || !strings.Contains(errOut, "934c12ffff") || !strings.Contains(errOut, "ambiguous") {
		t.Errorf("ambiguous beginning: %d %q", code, errOut)
	}
	if state("01a21002e4476f934c127bb8") != crm.OutboxFailed || state("01a21002e4476f934c12ffff") != crm.OutboxFailed {
		t.Fatal("an ambiguous ID changed a mail")
	}
	// The beginning of what the list shows.
	if out, errOut, code := runOn(t, svc, "outbox", "cancel", "934c127"); code != 0 || !strings.Contains(out, "934c127bb8 to maya@x.example is cancelled") {
		t.Errorf("cancel by the shown beginning: %d %q %s", code, out, errOut)
	}
	if state("01a21002e4476f934c127bb8") != crm.OutboxCancelled || state("01a21002e4476f934c12ffff") != crm.OutboxFailed {
		t.Error("cancel by the shown beginning cancelled the wrong mail")
	}
	// The whole shown ID, and the end of the full one, as before.
	if _, errOut, code := runOn(t, svc, "outbox", "retry", "934c12ffff"); code != 0 || state("01a21002e4476f934c12ffff") != crm.OutboxQueued {
		t.Errorf("retry by the shown ID: %d %s", code, errOut)
	}
	if _, errOut, code := runOn(t, svc, "outbox", "cancel", "3344aa"); code != 0 || state("01a21002e4476f11223344aa") != crm.OutboxCancelled {
		t.Errorf("cancel by the ID's end: %d %s", code, errOut)
	}
	// Too short, and not there at all, still say so.
	if _, errOut, code := runOn(t, svc, "outbox", "cancel", "934c1"); code != 1 || !strings.Contains(errOut, "give at least 6 characters") {
		t.Errorf("5 characters: %d %q", code, errOut)
	}
	if _, errOut, code := runOn(t, svc, "outbox", "cancel", "abcdef"); code != 1 || !strings.Contains(errOut, "not found") {
		t.Errorf("unknown: %d %q", code, errOut)
	}
}
