package transfer_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"roster/crm"
	"roster/crm/crmtest"
	"roster/crm/transfer"
)

// termsRoster is a roster where Maya has two terms versions, a posted and
// a planned deliverable and a payment.
func termsRoster(t *testing.T) (*crm.Service, crm.ID) {
	t.Helper()
	svc, card := crmtest.ActiveMaya(t, time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
	v1, err := crm.TermsForm{Fee: "500", Currency: "USD", Commission: "10%", PromoCode: "MAYA10",
		AffiliateLink: "https://brand.example/r/maya", Deliverables: "2 tiktok video by 2026-12-01; 1 ig story",
		UsageDays: "90", UsagePlatforms: "tiktok", PaidAds: "yes", ExclusivityCategory: "skincare", ExclusivityDays: "30",
		Schedule: "50% on signing, 50% within 30 days of the last post", Notes: "first collab", MessageID: "m1@studio.example"}.Parse()
	if err != nil {
		t.Fatal(err)
	}
	l, err := svc.SaveTerms("alice", card.Deal.ID, 0, v1)
	if err != nil {
		t.Fatal(err)
	}
	v2 := v1
	v2.Fee.AmountMinor, v2.MessageID = 65000, ""
	if l, err = svc.WithClock(crm.FixedClock{T: time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)}).SaveTerms("bob", card.Deal.ID, l.Version, v2); err != nil {
		t.Fatal(err)
	}
	d := l.Deliverables[1]
	d.Status, d.URL = crm.Posted, "https://instagram.example/s/1"
	if l, err = svc.UpdateDeliverable("bob", card.Deal.ID, l.Version, d); err != nil {
		t.Fatal(err)
	}
	if l, err = svc.RecordPayment("bob", card.Deal.ID, l.Version, crm.Payment{Amount: crm.Money{AmountMinor: 32500, Currency: "USD"},
		PaidOn: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC), Method: "PayPal", Reference: "PP-1", Payable: 1}); err != nil {
		t.Fatal(err)
	}
	// And one recorded by mistake, then voided: it travels too.
	if l, err = svc.RecordPayment("bob", card.Deal.ID, l.Version, crm.Payment{Amount: crm.Money{AmountMinor: 99900, Currency: "USD"},
		PaidOn: time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC), Reference: "PP-2"}); err != nil {
		t.Fatal(err)
	}
	if _, err = svc.VoidPayment("sam", card.Deal.ID, l.Version, 2, "meant for another creator"); err != nil {
		t.Fatal(err)
	}
	return svc, card.Deal.ID
}

func export(t *testing.T, svc *crm.Service) []byte {
	t.Helper()
	snap, err := svc.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := transfer.WriteJSON(&buf, snap); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestTermsExportRestoreExport: the terms, deliverables and payments of a
// deal leave in the export with money as amount_minor and currency, come
// back with an import into an empty roster, and export to the same bytes.
func TestTermsExportRestoreExport(t *testing.T) {
	svc, deal := termsRoster(t)
	first := export(t, svc)
	for _, want := range []string{
		`"terms": [`, `"version": 2`, `"by": "bob"`, `"message_id": "m1@studio.example"`,
		`"fee": {
                "amount_minor": 65000,
                "currency": "USD"
              }`,
		`"commission_bp": 1000`, `"promo_code": "MAYA10"`, `"trigger": "last post"`, `"share_bp": 5000`,
		`"status": "posted"`, `"url": "https://instagram.example/s/1"`,
		`"amount": {
                "amount_minor": 32500,
                "currency": "USD"
              }`, `"reference": "PP-1"`, `"payable": 1`,
	} {
		if !bytes.Contains(first, []byte(want)) {
			t.Errorf("export lacks %s", want)
		}
	}
	snap, err := transfer.ReadJSON("export.json", bytes.NewReader(first))
	if err != nil {
		t.Fatal(err)
	}
	fresh := crm.NewService(crmtest.NewMemory(), crm.FixedClock{T: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)})
	if _, err := fresh.Restore("carol", snap, crm.ImportOptions{File: "export.json"}); err != nil {
		t.Fatal(err)
	}
	if again := export(t, fresh); !bytes.Equal(first, again) {
		t.Fatalf("export → import → export changed the bytes:\n%s\n----\n%s", first, again)
	}
	l, err := fresh.Ledger(deal)
	if err != nil || len(l.Terms) != 2 || l.Terms[1].By != "bob" || len(l.Payments) != 2 || !l.Payments[1].Voided() ||
		l.Payments[1].VoidReason != "meant for another creator" || l.Balance(time.Now()).Owed.String() != "325.00 USD" {
		t.Fatalf("restored ledger %+v %v", l, err)
	}
	// The log counts what came back in words.
	card, err := fresh.Card(deal)
	if err != nil {
		t.Fatal(err)
	}
	det, err := fresh.CreatorDetail(card.Creator.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("restored from export.json: 2 terms versions, %d deliverables, 2 payments", len(l.Deliverables))
	if !slices.ContainsFunc(det.Events, func(e crm.Event) bool { return e.Summary == want }) {
		t.Errorf("no event %q among %+v", want, det.Events)
	}
	// Restoring the same file again changes nothing.
	if _, err := fresh.Restore("carol", snap, crm.ImportOptions{File: "export.json"}); err != nil {
		t.Fatal(err)
	}
	if l2, _ := fresh.Ledger(deal); l2.Version != l.Version {
		t.Fatalf("restoring the same ledger wrote it again: version %d → %d", l.Version, l2.Version)
	}
}

func TestTermsImportNamesTheBadValue(t *testing.T) {
	svc, _ := termsRoster(t)
	doc := string(export(t, svc))
	bad := strings.Replace(doc, `"paid_on": "2026-11-25T00:00:00Z"`, `"paid_on": "yesterday"`, 1)
	_, err := transfer.ReadJSON("x.json", strings.NewReader(bad))
	if err == nil || !strings.Contains(err.Error(), "x.json: creators[0].deals[0].payments[0].paid_on: \"yesterday\" is not an RFC 3339 time") {
		t.Fatalf("bad paid_on: %v", err)
	}
	// A schedule that does not add up is the domain's to refuse, by deal.
	bad = strings.Replace(doc, `"share_bp": 5000`, `"share_bp": 4000`, 1)
	snap, err := transfer.ReadJSON("x.json", strings.NewReader(bad))
	if err != nil {
		t.Fatal(err)
	}
	fresh := crm.NewService(crmtest.NewMemory(), nil)
	_, err = fresh.Restore("carol", snap, crm.ImportOptions{File: "x.json"})
	if err == nil || !strings.Contains(err.Error(), "terms version 1: schedule: shares add up to 90%, not 100%") {
		t.Fatalf("bad schedule: %v", err)
	}
}

// TestTermsRoundTripRandom: any ledger, hostile strings and odd times
// included, exports and reads back to the same bytes.
func TestTermsRoundTripRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	pieces := []string{"", "a", "Zoë", "🌸", "<b>&</b>", "\"q\"", "line\nbreak", "\xff", "\x00", "null"}
	s := func() string {
		var b strings.Builder
		for range rng.IntN(3) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		return b.String()
	}
	when := func() time.Time {
		if rng.IntN(5) == 0 {
			return time.Time{}
		}
		return time.Unix(rng.Int64N(4e9), rng.Int64N(1e9)).In(time.FixedZone("X", 3600*rng.IntN(5)))
	}
	money := func() crm.Money { return crm.Money{AmountMinor: rng.Int64() - rng.Int64(), Currency: s()} }
	for i := range 200 {
		snap := crm.Snapshot{Campaigns: []crm.Campaign{{ID: "k1", Name: "General"}},
			Creators: []crm.Creator{{ID: "c1", Name: s()}}, Ledgers: map[crm.ID]crm.Ledger{}}
		for j := range 1 + rng.IntN(3) {
			id := crm.ID("d" + string(rune('a'+j)))
			snap.Deals = append(snap.Deals, crm.Deal{ID: id, CreatorID: "c1", CampaignID: "k1", Stage: crm.Active})
			var l crm.Ledger
			for n := range rng.IntN(3) {
				tm := crm.Terms{N: n + 1, At: when(), By: s(), MessageID: s(), Fee: money(), CommissionBP: rng.IntN(10001),
					PromoCode: s(), AffiliateLink: s(), Notes: s(), ConfirmedIn: s(), ConfirmedAt: when(), ConfirmedBy: s(),
					Usage:       crm.UsageRights{Days: rng.IntN(400), PaidAds: rng.IntN(2) == 0},
					Exclusivity: crm.Exclusivity{Category: s(), Days: rng.IntN(90)}}
				for range rng.IntN(3) {
					tm.Deliverables = append(tm.Deliverables, crm.DeliverableSpec{Platform: crm.Platform(s()), Kind: s(), Quantity: rng.IntN(5), Due: when()})
					tm.Usage.Platforms = append(tm.Usage.Platforms, crm.Platform(s()))
					tm.Schedule = append(tm.Schedule, crm.Installment{ShareBP: rng.IntN(10001), Trigger: crm.Trigger(s()), Days: rng.IntN(90), Date: when()})
				}
				l.Terms = append(l.Terms, tm)
			}
			for range rng.IntN(3) {
				l.Deliverables = append(l.Deliverables, crm.Deliverable{ID: crm.ID("v" + s()), Platform: crm.Platform(s()), Kind: s(),
					Quantity: rng.IntN(5), Due: when(), Status: crm.DeliverableStatus(s()), URL: s(), PostedAt: when()})
				l.Payments = append(l.Payments, crm.Payment{ID: crm.ID("p" + s()), Amount: money(), PaidOn: when(), Method: s(),
					Reference: s(), Payable: rng.IntN(4), RecordedBy: s(), RecordedAt: when(), VoidedBy: s(), VoidedAt: when(), VoidReason: s()})
			}
			snap.Ledgers[id] = l
		}
		var first, second bytes.Buffer
		if err := transfer.WriteJSON(&first, snap); err != nil {
			t.Fatal(err)
		}
		back, err := transfer.ReadJSON("r.json", bytes.NewReader(first.Bytes()))
		if err != nil {
			t.Fatalf("ledger %d: %v\n%s", i, err, first.String())
		}
		if err := transfer.WriteJSON(&second, back); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first.Bytes(), second.Bytes()) {
			t.Fatalf("ledger %d: bytes changed:\n%s\n----\n%s", i, first.String(), second.String())
		}
	}
}
