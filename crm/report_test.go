package crm_test

import (
	"slices"
	"testing"
	"time"

	"roster/crm"
)

func TestReportFunnelStaysAndCampaignMoney(t *testing.T) {
	svc, _ := newService(t)
	at := func(day int) *crm.Service {
		return svc.WithClock(crm.FixedClock{T: time.Date(2026, 11, day, 9, 0, 0, 0, time.UTC)})
	}
	spring, err := at(1).CreateCampaign("alice", crm.Campaign{Name: "Spring", Budget: crm.Money{AmountMinor: 100000, Currency: "USD"}})
	if err != nil {
		t.Fatal(err)
	}
	add := func(name string) crm.Card {
		c, err := at(1).AddCreator("alice", crm.Creator{Name: name, Emails: []string{name + "@x.example"}}, spring.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	a, b, _ := add("ana"), add("ben"), add("cy")
	d, _ := at(3).MoveDeal("alice", a.Deal.ID, a.Deal.Version, crm.Contacted) // 2 days in prospect
	d, _ = at(7).MoveDeal("alice", a.Deal.ID, d.Version, crm.Active)          // skips negotiating
	e, _ := at(2).MoveDeal("alice", b.Deal.ID, b.Deal.Version, crm.Contacted) // 1 day in prospect
	if _, err := at(4).DeclineDeal("alice", b.Deal.ID, e.Version, "budget"); err != nil {
		t.Fatal(err)
	}
	terms, _ := crm.TermsForm{Fee: "500", Currency: "USD"}.Parse()
	l, err := at(7).SaveTerms("alice", a.Deal.ID, 0, terms)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := at(8).RecordPayment("alice", a.Deal.ID, l.Version, crm.Payment{Amount: crm.Money{AmountMinor: 20000, Currency: "USD"}, PaidOn: date("2026-11-08")}); err != nil {
		t.Fatal(err)
	}
	r, err := at(11).Report()
	if err != nil {
		t.Fatal(err)
	}
	// All three were prospects; two were contacted; one got to
	// negotiating (by skipping it) and active; none is paid.
	want := []crm.FunnelStep{{crm.Prospect, 3, 0}, {crm.Contacted, 2, 6667}, {crm.Negotiating, 1, 5000}, {crm.Active, 1, 10000}, {crm.Paid, 0, 0}}
	for i, w := range want {
		if r.Funnel[i] != w {
			t.Errorf("funnel[%d] = %+v, want %+v", i, r.Funnel[i], w)
		}
	}
	// Prospect stays: ana 2d, ben 1d, cy 10d (still there) → median 2d.
	if s := r.Stays[0]; s.Median != 48*time.Hour || s.Count != 3 {
		t.Errorf("prospect stay %+v", s)
	}
	// Contacted: ana 4d, ben 2d → 3d.
	if s := r.Stays[1]; s.Median != 72*time.Hour || s.Count != 2 {
		t.Errorf("contacted stay %+v", s)
	}
	var cm crm.CampaignMoney
	for _, c := range r.Campaigns {
		if c.Campaign.ID == spring.ID {
			cm = c
		}
	}
	spent, ok := cm.SpentBP()
	if cm.Deals != 2 || cm.Committed.String() != "500.00 USD" || cm.Paid.String() != "200.00 USD" || cm.Owed.String() != "300.00 USD" || !ok || spent != 2000 {
		t.Fatalf("spring money %+v (spent %d)", cm, spent)
	}
}

// TestOffBudget: a budget measures spend in its own currency only, and
// names the fee and payment currencies it leaves out.
func TestOffBudget(t *testing.T) {
	usd := crm.Money{AmountMinor: 1_500_000, Currency: "USD"}
	for _, c := range []struct {
		name string
		cm   crm.CampaignMoney
		want []string
	}{
		{"no budget", crm.CampaignMoney{Committed: crm.Totals{"EUR": 500}}, nil},
		{"same currency", crm.CampaignMoney{Campaign: crm.Campaign{Budget: usd}, Committed: crm.Totals{"USD": 500}, Paid: crm.Totals{"USD": 100}}, nil},
		{"fees elsewhere", crm.CampaignMoney{Campaign: crm.Campaign{Budget: usd}, Committed: crm.Totals{"GBP": 500, "EUR": 300, "USD": 1}}, []string{"EUR", "GBP"}},
		{"paid elsewhere", crm.CampaignMoney{Campaign: crm.Campaign{Budget: usd}, Committed: crm.Totals{"USD": 500}, Paid: crm.Totals{"EUR": 100, "USD": 0}}, []string{"EUR"}},
		{"zero totals", crm.CampaignMoney{Campaign: crm.Campaign{Budget: usd}, Committed: crm.Totals{"EUR": 0}}, nil},
	} {
		if got := c.cm.OffBudget(); !slices.Equal(got, c.want) {
			t.Errorf("%s: OffBudget() = %v, want %v", c.name, got, c.want)
		}
	}
}
