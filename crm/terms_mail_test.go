package crm_test

import (
	"errors"
	"strings"
	"testing"

	"roster/crm"
)

func TestTermsConfirmationRepliesInTheThreadAndIsRecorded(t *testing.T) {
	svc, card, wc := sendingService(t)
	// Maya wrote twice; the terms were agreed in the first of her mails.
	ingest(t, svc, "INBOX",
		msg("rate@x", "maya@creator.example", "sam@brand.example", "Rates", day0, loc("INBOX", 1)),
		reply(msg("later@x", "maya@creator.example", "sam@brand.example", "Re: Rates", day0.AddDate(0, 0, 1), loc("INBOX", 2)), "rate@x"))
	if _, err := svc.TermsConfirmationDraft(card.Deal.ID, ""); err == nil || !strings.Contains(err.Error(), "no terms recorded for Maya Lin yet") {
		t.Fatalf("confirmation without terms: %v", err)
	}
	terms, err := crm.TermsForm{Fee: "450", Currency: "USD", Deliverables: "1 tiktok video by 2026-12-01", PromoCode: "MAYA15",
		Commission: "15%", UsageDays: "90", MessageID: "rate@x"}.Parse()
	if err != nil {
		t.Fatal(err)
	}
	l, err := svc.SaveTerms("sam", card.Deal.ID, 0, terms)
	if err != nil {
		t.Fatal(err)
	}
	d, err := svc.TermsConfirmationDraft(card.Deal.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if d.InReplyTo != "rate@x" || d.Subject != "Re: Rates" || d.Kind != "terms-confirmation" || len(d.To) != 1 || d.To[0].Email != "maya@creator.example" {
		t.Fatalf("draft %+v", d)
	}
	for _, want := range []string{"Hi Maya,", "- Deliverables: 1 tiktok video by 2026-12-01", "- Fee: 450.00 USD", "- Commission: 15% of sales",
		"- Your promo code: MAYA15", "- Usage rights: 90 days, no paid ads", "- Payment: 100% on signing", "Sam Rivera"} {
		if !strings.Contains(d.Text, want) {
			t.Errorf("confirmation lacks %q:\n%s", want, d.Text)
		}
	}
	// Terms changed after the draft was written: nothing is queued.
	newer := l.Terms[0]
	newer.Fee.AmountMinor = 50000
	l2, err := svc.SaveTerms("sam", card.Deal.ID, l.Version, newer)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.ConfirmTerms("sam", card.Deal.ID, l.Version, d); !errors.Is(err, crm.ErrConflict) {
		t.Fatalf("confirming outdated terms: %v", err)
	}
	if ms, _ := svc.Outbox(crm.OutboxQuery{}); len(ms) != 0 {
		t.Fatalf("an outdated confirmation was queued: %+v", ms)
	}
	d, _ = svc.TermsConfirmationDraft(card.Deal.ID, "")
	m, l3, err := svc.ConfirmTerms("sam", card.Deal.ID, l2.Version, d)
	if err != nil {
		t.Fatal(err)
	}
	cur, _ := l3.Current()
	if m.State != crm.OutboxQueued || cur.N != 2 || cur.ConfirmedIn != m.MessageID || cur.ConfirmedBy != "sam" || l3.Terms[0].ConfirmedIn != "" || wc.n == 0 {
		t.Fatalf("queued %+v, terms %+v", m, l3.Terms)
	}
	if !strings.Contains(string(m.Raw), "500.00 USD") {
		t.Fatalf("the mail does not carry the current fee:\n%s", m.Raw)
	}
	e := newestEvent(t, svc, card.Creator.ID)
	if e.Kind != crm.TermsConfirmed || e.Summary != "sent Maya Lin a confirmation of terms v2 (<"+m.MessageID+">)" {
		t.Fatalf("event %+v", e)
	}
	// The next version starts unconfirmed.
	next := cur
	next.PromoCode = "MAYA20"
	l4, err := svc.SaveTerms("sam", card.Deal.ID, l3.Version, next)
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := l4.Current(); c.ConfirmedIn != "" || c.N != 3 {
		t.Fatalf("v3 %+v", c)
	}
}

// A deal agreed on a fee alone, or on commission alone, is confirmed with
// the terms it has: the lines for terms it lacks are left out instead of
// refusing the whole mail ("{{.Terms.Commission}} is empty").
func TestTermsConfirmationLeavesOutTermsTheDealLacks(t *testing.T) {
	for _, tc := range []struct {
		name  string
		form  crm.TermsForm
		want  []string
		unset []string
	}{
		{"fee only", crm.TermsForm{Fee: "450", Currency: "USD", Deliverables: "1 tiktok video"},
			[]string{"- Deliverables: 1 tiktok video\n- Fee: 450.00 USD\n- Payment: 100% on signing\n"},
			[]string{"Commission", "promo code", "affiliate", "Usage rights"}},
		{"commission only", crm.TermsForm{Commission: "15%", PromoCode: "MAYA15", Deliverables: "1 tiktok video"},
			[]string{"- Deliverables: 1 tiktok video\n- Commission: 15% of sales\n- Your promo code: MAYA15\n\nIf that"},
			[]string{"Fee", "Payment", "affiliate", "Usage rights"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			svc, card, _ := sendingService(t)
			terms, err := tc.form.Parse()
			if err != nil {
				t.Fatal(err)
			}
			if _, err := svc.SaveTerms("sam", card.Deal.ID, 0, terms); err != nil {
				t.Fatal(err)
			}
			d, err := svc.TermsConfirmationDraft(card.Deal.ID, "")
			if err != nil {
				t.Fatalf("confirmation of %s terms: %v", tc.name, err)
			}
			for _, w := range tc.want {
				if !strings.Contains(d.Text, w) {
					t.Errorf("confirmation lacks %q:\n%s", w, d.Text)
				}
			}
			for _, u := range tc.unset {
				if strings.Contains(d.Text, u) {
					t.Errorf("confirmation mentions %q, which the terms do not have:\n%s", u, d.Text)
				}
			}
		})
	}
}
