package crm_test

import (
	"testing"

	"roster/crm"
)

// TestBalanceOverpaid: what was paid beyond the fee is measured in the
// fee's currency only, never below zero, and voided payments do not
// count towards it.
func TestBalanceOverpaid(t *testing.T) {
	usd := func(minor int64) crm.Money { return crm.Money{AmountMinor: minor, Currency: "USD"} }
	eur := func(minor int64) crm.Money { return crm.Money{AmountMinor: minor, Currency: "EUR"} }
	paid := func(ms ...crm.Money) []crm.Payment {
		var ps []crm.Payment
		for _, m := range ms {
			ps = append(ps, crm.Payment{Amount: m, PaidOn: date("2026-11-25")})
		}
		return ps
	}
	voided := crm.Payment{Amount: usd(100000), PaidOn: date("2026-11-25"), VoidedAt: date("2026-11-26"), VoidedBy: "sam", VoidReason: "typo"}
	for _, c := range []struct {
		name           string
		fees           []crm.Money // one per terms version, the last current
		payments       []crm.Payment
		owed, overpaid string
	}{
		{"paid exactly", []crm.Money{usd(50000)}, paid(usd(20000), usd(30000)), "-", "-"},
		{"paid short", []crm.Money{usd(50000)}, paid(usd(20000)), "300.00 USD", "-"},
		{"overpaid", []crm.Money{usd(50000)}, paid(usd(30000), usd(40000)), "-", "200.00 USD"},
		{"a voided payment does not overpay", []crm.Money{usd(50000)}, append(paid(usd(50000)), voided), "-", "-"},
		{"a payment in another currency is left out", []crm.Money{usd(50000)}, paid(usd(50000), eur(10000)), "-", "-"},
		// The fee moved from dollars to euros: dollars paid under the
		// first version are no longer measured against anything.
		{"only the current fee's currency is measured", []crm.Money{usd(50000), eur(40000)}, paid(usd(60000), eur(45000)), "-", "50.00 EUR"},
		{"no fee, nothing overpaid", nil, paid(usd(10000)), "-", "-"},
	} {
		t.Run(c.name, func(t *testing.T) {
			l := crm.Ledger{Payments: c.payments}
			for i, f := range c.fees {
				l.Terms = append(l.Terms, crm.Terms{N: i + 1, At: date("2026-11-20"), Fee: f})
			}
			b := l.Balance(date("2026-11-30"))
			if b.Owed.String() != c.owed || b.Overpaid.String() != c.overpaid {
				t.Fatalf("owed %s, overpaid %s; want owed %s, overpaid %s (balance %+v)", b.Owed, b.Overpaid, c.owed, c.overpaid, b)
			}
		})
	}
}

// TestCampaignAndCardMoneyOverpaid: the board's campaign money and its
// cards carry what live deals were paid beyond their fees, as the report
// does; a declined deal's surplus is left out of the campaign's, as its
// owed money is.
func TestCampaignAndCardMoneyOverpaid(t *testing.T) {
	svc, camp := newService(t)
	pay := func(deal crm.ID, version uint64, m crm.Money) {
		t.Helper()
		if _, err := svc.RecordPayment("bob", deal, version, crm.Payment{Amount: m, PaidOn: date("2026-11-24")}); err != nil {
			t.Fatal(err)
		}
	}
	maya, l := dealWithTerms(t, svc, camp, crm.TermsForm{Fee: "500", Currency: "USD"})
	pay(maya.Deal.ID, l.Version, crm.Money{AmountMinor: 70000, Currency: "USD"})

	ivo, err := svc.AddCreator("alice", crm.Creator{Name: "Ivo", Emails: []string{"ivo@x.example"}}, camp.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	terms, _ := crm.TermsForm{Fee: "100", Currency: "USD"}.Parse()
	if l, err = svc.SaveTerms("alice", ivo.Deal.ID, 0, terms); err != nil {
		t.Fatal(err)
	}
	pay(ivo.Deal.ID, l.Version, crm.Money{AmountMinor: 40000, Currency: "USD"})
	if _, err := svc.DeclineDeal("alice", ivo.Deal.ID, ivo.Deal.Version, "went silent"); err != nil {
		t.Fatal(err)
	}

	b, err := svc.Board(camp.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := b.Money.Overpaid.String(); got != "200.00 USD" {
		t.Fatalf("the board's campaign overpaid %s, want 200.00 USD (the declined deal left out)", got)
	}
	c, err := svc.Card(maya.Deal.ID)
	if err != nil || c.Money.Overpaid.String() != "200.00 USD" || len(c.Money.Owed) != 0 {
		t.Fatalf("card money %+v %v", c.Money, err)
	}
	r, err := svc.Report()
	if err != nil {
		t.Fatal(err)
	}
	for _, cm := range r.Campaigns {
		if cm.Campaign.ID != camp.ID {
			continue
		}
		if cm.Overpaid.String() != "200.00 USD" || cm.Owed.String() != "-" || cm.Paid.String() != "1,100.00 USD" {
			t.Fatalf("report money %+v", cm)
		}
		return
	}
	t.Fatalf("no report line for %s", camp.Name)
}
