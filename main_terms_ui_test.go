package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestTermsFromAMessageConfirmedPaidEndToEnd runs issue 5's path through
// the real binary in the demo: t on Maya's newest message records terms
// agreed in it, S sends her the confirmation through the outbox (the
// demo's SMTP server takes it), P records the payment, and the deal moves
// to paid without a question because nothing is owed.
func TestTermsFromAMessageConfirmedPaidEndToEnd(t *testing.T) {
	needTmux(t)
	db := filepath.Join(t.TempDir(), "demo.db")
	s := startTmux(t, 120, 40, "env NO_COLOR=1 "+binary+" demo --db "+db)
	s.waitFor("synced")
	s.waitFor("reply owed")
	s.keys("Enter")
	s.waitFor("2 Mail")
	s.waitFor("▌ ← in")
	s.keys("t")
	scr := s.waitFor("Terms v1 for Maya Chen")
	if !strings.Contains(scr, "Agreed in") || !strings.Contains(scr, "@") {
		t.Fatalf("the editor should name the selected message:\n%s", scr)
	}
	s.keys("1,2,00", "C-s")
	s.waitFor("Fee: 1,2,00 is not an amount")
	// Fee, currency, commission, promo code, link, deliverables, usage days.
	s.keys("C-u", "450", "Tab", "Tab", "10%", "Tab", "MAYA15", "Tab", "Tab", "1 tiktok video by 2026-12-01", "Tab", "90", "C-s")
	scr = s.waitFor("Terms v1 · recorded by")
	for _, want := range []string{"agreed in <", "450.00 USD", "MAYA15", "not confirmed to the creator yet"} {
		if !strings.Contains(scr, want) {
			t.Errorf("the Terms tab lacks %q:\n%s", want, scr)
		}
	}
	s.keys("S")
	scr = s.waitFor("Send this confirmation of the current terms?")
	if !strings.Contains(scr, "- Fee: 450.00 USD") || !strings.Contains(scr, "In-Reply-To  <") {
		t.Fatalf("the confirmation should carry the terms and answer the message:\n%s", scr)
	}
	s.keys("y")
	s.waitFor("confirmed to the creator by")
	s.keys("P")
	s.waitFor("Payment to Maya Chen")
	s.keys("C-s")
	s.waitFor("recorded a payment of 450.00 USD")
	s.waitFor("owed -")
	s.keys("Escape", ":move paid", "Enter")
	s.waitFor("Maya Chen → paid")
	// The worker handed the confirmation to the demo's SMTP server.
	s.keys("O")
	s.waitFor("Outbox")
	scr = s.waitFor("✓ sent")
	if !strings.Contains(scr, "Outbox  1 sent") || !strings.Contains(scr, "Maya Chen") {
		t.Fatalf("the outbox should list the confirmation as sent:\n%s", scr)
	}
	s.keys("Escape", "q")
	s.waitExit()
	out, _, code := roster(t, nil, "--db", db, "export")
	if code != 0 || !strings.Contains(out, `"promo_code": "MAYA15"`) || !strings.Contains(out, `"confirmed_in": "`) || !strings.Contains(out, `"amount_minor": 45000`) {
		t.Fatalf("the export should carry the terms, the confirmation and the payment (exit %d)", code)
	}
}
