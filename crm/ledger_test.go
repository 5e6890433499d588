package crm_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"roster/crm"
	"roster/crm/crmtest"
)

// dealWithTerms puts Maya on the board and records her first terms.
func dealWithTerms(t *testing.T, svc *crm.Service, camp crm.Campaign, form crm.TermsForm) (crm.Card, crm.Ledger) {
	t.Helper()
	card, err := svc.AddCreator("alice", maya(), camp.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	terms, err := form.Parse()
	if err != nil {
		t.Fatal(err)
	}
	l, err := svc.SaveTerms("alice", card.Deal.ID, 0, terms)
	if err != nil {
		t.Fatal(err)
	}
	return card, l
}

func newestEvent(t *testing.T, svc *crm.Service, creator crm.ID) crm.Event {
	t.Helper()
	det, err := svc.CreatorDetail(creator)
	if err != nil {
		t.Fatal(err)
	}
	return det.Events[0]
}

func TestTermsVersionsKeepHistory(t *testing.T) {
	svc, camp := newService(t)
	card, l := dealWithTerms(t, svc, camp, crm.TermsForm{Fee: "500", Currency: "USD", Deliverables: "2 tiktok videos by 2026-12-01",
		MessageID: "<m1@studio.example>"})
	if len(l.Terms) != 1 || l.Terms[0].N != 1 || l.Terms[0].By != "alice" || l.Terms[0].MessageID != "m1@studio.example" || l.Version != 1 {
		t.Fatalf("first version %+v", l)
	}
	if len(l.Deliverables) != 1 || l.Deliverables[0].Status != crm.Planned || l.Deliverables[0].Quantity != 2 {
		t.Fatalf("deliverables from the terms: %+v", l.Deliverables)
	}
	e := newestEvent(t, svc, card.Creator.ID)
	if e.Kind != crm.TermsRecorded || e.Actor != "alice" ||
		e.Summary != "recorded terms v1 for Maya Chen: fee 500.00 USD (agreed in <m1@studio.example>); deliverables added 2 tiktok videos by 2026-12-01" {
		t.Fatalf("event %+v", e)
	}

	next := l.Terms[0]
	next.Fee.AmountMinor = 65000
	next.MessageID = ""
	next.Deliverables = append(next.Deliverables, crm.DeliverableSpec{Platform: crm.Instagram, Kind: "story", Quantity: 1})
	later := svc.WithClock(crm.FixedClock{T: time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)})
	l2, err := later.SaveTerms("bob", card.Deal.ID, l.Version, next)
	if err != nil {
		t.Fatal(err)
	}
	if len(l2.Terms) != 2 || l2.Terms[0].Fee.AmountMinor != 50000 || l2.Terms[1].N != 2 || l2.Terms[1].By != "bob" ||
		!l2.Terms[1].At.Equal(time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)) || len(l2.Deliverables) != 2 {
		t.Fatalf("second version %+v", l2)
	}
	e = newestEvent(t, svc, card.Creator.ID)
	if e.Actor != "bob" || !strings.HasPrefix(e.Summary, "recorded terms v2 for Maya Chen: fee: 500.00 USD → 650.00 USD; deliverables: ") ||
		!strings.Contains(e.Summary, "agreed in: removed (was m1@studio.example)") {
		t.Fatalf("event %q", e.Summary)
	}

	// The same terms again write nothing; a stale version is a conflict.
	same, err := later.SaveTerms("bob", card.Deal.ID, l2.Version, l2.Terms[1])
	if err != nil || same.Version != l2.Version || len(same.Terms) != 2 {
		t.Fatalf("saving equal terms: %+v %v", same, err)
	}
	if _, err := svc.SaveTerms("carol", card.Deal.ID, l.Version, next); !errors.Is(err, crm.ErrConflict) {
		t.Fatalf("stale save: %v", err)
	}
	bad := next
	bad.CommissionBP = 20000
	var fe *crm.FieldError
	if _, err := svc.SaveTerms("bob", card.Deal.ID, l2.Version, bad); !asField(err, &fe) || fe.Field != "commission" {
		t.Fatalf("invalid terms: %v", err)
	}
}

// TestAmendedTermsSayWhereTheyWereAgreedOnce: a version that keeps the
// message of the one before (an amendment made away from the mail) does
// not claim in its log line to have been agreed there, and one that names
// a new message says so once, in its diff.
func TestAmendedTermsSayWhereTheyWereAgreedOnce(t *testing.T) {
	svc, camp := newService(t)
	card, l := dealWithTerms(t, svc, camp, crm.TermsForm{Fee: "500", Currency: "USD", MessageID: "<m1@studio.example>"})
	next := l.Terms[0]
	next.Fee.AmountMinor = 65000
	l, err := svc.SaveTerms("bob", card.Deal.ID, l.Version, next)
	if err != nil {
		t.Fatal(err)
	}
	if e := newestEvent(t, svc, card.Creator.ID); e.Summary != "recorded terms v2 for Maya Chen: fee: 500.00 USD → 650.00 USD" {
		t.Fatalf("an amendment keeping the message: %q", e.Summary)
	}
	next.MessageID = "m2@studio.example"
	if _, err := svc.SaveTerms("bob", card.Deal.ID, l.Version, next); err != nil {
		t.Fatal(err)
	}
	if e := newestEvent(t, svc, card.Creator.ID); e.Summary != "recorded terms v3 for Maya Chen: agreed in: m1@studio.example → m2@studio.example" {
		t.Fatalf("a new message: %q", e.Summary)
	}
}

func TestPayablesAddUpAndFollowTheLastPost(t *testing.T) {
	svc, camp := newService(t)
	// 1,000.01 USD in three: the odd cents must all land somewhere.
	card, l := dealWithTerms(t, svc, camp, crm.TermsForm{Fee: "1000.01", Currency: "USD",
		Deliverables: "1 tiktok video by 2026-12-01; 1 ig reel by 2026-12-10",
		Schedule:     "33.33% on signing, 33.33% on 2026-12-05, 33.34% within 30 days of the last post"})
	ps := l.Payables()
	if len(ps) != 3 {
		t.Fatalf("payables %+v", ps)
	}
	var sum int64
	for _, p := range ps {
		sum += p.Amount.AmountMinor
	}
	if sum != 100001 || ps[0].Amount.AmountMinor != 33330 || ps[1].Amount.AmountMinor != 33330 || ps[2].Amount.AmountMinor != 33341 {
		t.Fatalf("amounts %v %v %v (sum %d)", ps[0].Amount, ps[1].Amount, ps[2].Amount, sum)
	}
	if !ps[0].Due.Equal(date("2026-11-24")) || !ps[1].Due.Equal(date("2026-12-05")) || !ps[2].Due.Equal(date("2027-01-09")) || !ps[2].Known {
		t.Fatalf("due %v %v %v", ps[0].Due, ps[1].Due, ps[2].Due)
	}
	// Once everything is posted, the last post is the real posting day.
	for i, d := range l.Deliverables {
		d.Status, d.URL = crm.Posted, "https://tiktok.example/v/1"
		at := svc.WithClock(crm.FixedClock{T: date("2026-12-02").Add(time.Duration(i) * 24 * time.Hour)})
		var err error
		if l, err = at.UpdateDeliverable("alice", card.Deal.ID, l.Version, d); err != nil {
			t.Fatal(err)
		}
	}
	ps = l.Payables()
	if !ps[2].Due.Equal(date("2027-01-02")) {
		t.Fatalf("after posting on 12-02 and 12-03 the last payable is due %v", ps[2].Due)
	}
	e := newestEvent(t, svc, card.Creator.ID)
	if e.Kind != crm.DeliverableChanged || e.Summary != "deliverable 1 instagram reel for Maya Chen: planned → posted, at https://tiktok.example/v/1" {
		t.Fatalf("event %q", e.Summary)
	}
}

func TestPaymentsBalanceAndOverdue(t *testing.T) {
	svc, camp := newService(t)
	card, l := dealWithTerms(t, svc, camp, crm.TermsForm{Fee: "500", Currency: "USD", Schedule: "50% on signing, 50% net 30"})
	b := l.Balance(date("2026-11-30"))
	if b.Agreed.String() != "500.00 USD" || b.Paid.String() != "-" || b.Owed.String() != "500.00 USD" || b.Overdue.String() != "250.00 USD" {
		t.Fatalf("balance before paying %+v", b)
	}
	l, err := svc.RecordPayment("bob", card.Deal.ID, l.Version, crm.Payment{Amount: crm.Money{AmountMinor: 30000, Currency: "usd"},
		PaidOn: date("2026-11-25"), Method: "PayPal", Reference: "PP-1"})
	if err != nil {
		t.Fatal(err)
	}
	ps := l.Payables()
	if ps[0].Paid.AmountMinor != 25000 || ps[1].Paid.AmountMinor != 5000 {
		t.Fatalf("payment applied %v / %v", ps[0].Paid, ps[1].Paid)
	}
	e := newestEvent(t, svc, card.Creator.ID)
	if e.Kind != crm.PaymentRecorded || e.Actor != "bob" ||
		e.Summary != "recorded a payment of 300.00 USD to Maya Chen on 2026-11-25 by PayPal, reference PP-1; still owed 200.00 USD" {
		t.Fatalf("event %q", e.Summary)
	}
	// A payment in another currency is paid, but never set off against a
	// fee in dollars.
	l, err = svc.RecordPayment("bob", card.Deal.ID, l.Version, crm.Payment{Amount: crm.Money{AmountMinor: 1000, Currency: "EUR"}, PaidOn: date("2026-11-26")})
	if err != nil {
		t.Fatal(err)
	}
	b = l.Balance(date("2027-01-01"))
	if b.Paid.String() != "10.00 EUR, 300.00 USD" || b.Owed.String() != "200.00 USD" || b.Overdue.String() != "200.00 USD" {
		t.Fatalf("balance %+v", b)
	}
	var fe *crm.FieldError
	if _, err := svc.RecordPayment("bob", card.Deal.ID, l.Version, crm.Payment{Amount: crm.Money{AmountMinor: 0, Currency: "USD"}, PaidOn: date("2026-11-26")}); !asField(err, &fe) || fe.Field != "amount" {
		t.Fatalf("zero payment: %v", err)
	}
	if _, err := svc.RecordPayment("bob", card.Deal.ID, l.Version, crm.Payment{Amount: crm.Money{AmountMinor: 5, Currency: "USD"}, PaidOn: date("2026-11-26"), Payable: 3}); !asField(err, &fe) || fe.Field != "payable" {
		t.Fatalf("payment for payable 3 of 2: %v", err)
	}
}

func TestPaidWhileOwedAsksFirst(t *testing.T) {
	svc, camp := newService(t)
	card, l := dealWithTerms(t, svc, camp, crm.TermsForm{Fee: "500", Currency: "USD"})
	if _, err := svc.RecordPayment("bob", card.Deal.ID, l.Version, crm.Payment{Amount: crm.Money{AmountMinor: 20000, Currency: "USD"}, PaidOn: date("2026-11-24")}); err != nil {
		t.Fatal(err)
	}
	d, err := svc.MoveDeal("bob", card.Deal.ID, card.Deal.Version, crm.Active)
	if err != nil {
		t.Fatal(err)
	}
	_, err = svc.MoveDeal("bob", card.Deal.ID, d.Version, crm.Paid)
	var owed *crm.OwedError
	if !errors.As(err, &owed) || err.Error() != "Maya Chen is still owed 300.00 USD" || owed.Owed["USD"] != 30000 {
		t.Fatalf("moving to paid while owed: %v", err)
	}
	if _, err := svc.StepDeal("bob", card.Deal.ID, d.Version, +1); !errors.As(err, &owed) {
		t.Fatalf("stepping to paid while owed: %v", err)
	}
	if cur, _ := svc.Ledger(card.Deal.ID); cur.Version != 2 {
		t.Fatalf("the guard wrote something: ledger version %d", cur.Version)
	}
	d, err = svc.MoveDealOwing("bob", card.Deal.ID, d.Version, crm.Paid)
	if err != nil || d.Stage != crm.Paid || d.History[len(d.History)-1].Reason != "marked paid while still owed 300.00 USD" {
		t.Fatalf("confirmed move: %+v %v", d, err)
	}

	// Paid in full, the move needs no confirmation.
	other := crm.Creator{Name: "Ana Ruiz", Emails: []string{"ana@x.example"}}
	c2, err := svc.AddCreator("alice", other, camp.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	t2, _ := crm.TermsForm{Fee: "100", Currency: "EUR"}.Parse()
	l2, err := svc.SaveTerms("alice", c2.Deal.ID, 0, t2)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.RecordPayment("bob", c2.Deal.ID, l2.Version, crm.Payment{Amount: crm.Money{AmountMinor: 10000, Currency: "EUR"}, PaidOn: date("2026-11-24")}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.MoveDeal("bob", c2.Deal.ID, c2.Deal.Version, crm.Paid); err != nil {
		t.Fatalf("moving a settled deal to paid: %v", err)
	}
}

func TestPayoutsAndMarkPaid(t *testing.T) {
	svc, camp := newService(t)
	card, l := dealWithTerms(t, svc, camp, crm.TermsForm{Fee: "1000", Currency: "USD", Schedule: "50% on signing, 50% net 30"})
	ps, err := svc.Payouts(date("2026-11-25"))
	if err != nil || len(ps) != 1 {
		t.Fatalf("payouts due now: %+v %v", ps, err)
	}
	p := ps[0]
	ref := crm.PayoutReference(card.Deal.ID, 1)
	if p.Creator != "Maya Chen" || p.Email != "maya@studio.example" || p.Amount.String() != "500.00 USD" || p.Reference != ref {
		t.Fatalf("payout %+v", p)
	}
	// Due on signing day (2026-11-24): listed from the day after, the
	// day the board calls it overdue.
	if early, _ := svc.Payouts(date("2026-11-24")); len(early) != 0 {
		t.Fatalf("payouts before the signing day: %+v", early)
	}
	if b, _ := svc.Board(camp.ID); b.Columns[0][0].Money.PayOverdue {
		t.Fatal("overdue on its due day")
	}
	if all, _ := svc.Payouts(date("2027-01-01")); len(all) != 2 {
		t.Fatalf("payouts by new year: %+v", all)
	}
	usd := func(n int64) crm.Money { return crm.Money{AmountMinor: n, Currency: "USD"} }
	// One bad line and nothing is recorded.
	_, err = svc.MarkPaid("bob", []crm.PaidLine{
		{Line: 2, Reference: ref, Amount: usd(50000), PaidOn: date("2026-11-25")},
		{Line: 3, Reference: "nosuch-1", Amount: usd(1)},
		{Line: 4, Reference: ref, Amount: usd(1)},
		{Line: 5, Reference: crm.PayoutReference(card.Deal.ID, 2), Amount: crm.Money{AmountMinor: 1, Currency: "EUR"}},
		{Line: 6, Reference: "garbage", Amount: usd(1)},
	})
	var be *crm.BatchError
	if !errors.As(err, &be) || len(be.Lines) != 4 {
		t.Fatalf("bad batch: %v", err)
	}
	wantLines := []string{
		"line 3: reference nosuch-1: no deal nosuch",
		"line 4: reference " + ref + ": paid 0.01 USD but Maya Chen is owed 0.00 USD on it",
		"line 5: reference " + crm.PayoutReference(card.Deal.ID, 2) + ": paid in EUR but Maya Chen is owed in USD",
		`line 6: reference "garbage" is not a roster payout reference (deal-number)`,
	}
	if got := strings.Split(err.Error(), "\n"); strings.Join(got, "|") != strings.Join(wantLines, "|") {
		t.Fatalf("batch errors\n%s\nwant\n%s", err, strings.Join(wantLines, "\n"))
	}
	if cur, _ := svc.Ledger(card.Deal.ID); cur.Version != l.Version || len(cur.Payments) != 0 {
		t.Fatalf("a failed batch recorded payments: %+v", cur.Payments)
	}
	n, err := svc.MarkPaid("bob", []crm.PaidLine{{Line: 2, Reference: ref, Amount: usd(50000), PaidOn: date("2026-11-25"), Method: "bank"}})
	if err != nil || n != 1 {
		t.Fatalf("good batch: %d %v", n, err)
	}
	if ps, _ := svc.Payouts(date("2026-11-25")); len(ps) != 0 {
		t.Fatalf("still due after paying: %+v", ps)
	}
	cur, _ := svc.Ledger(card.Deal.ID)
	if len(cur.Payments) != 1 || cur.Payments[0].Payable != 1 || cur.Payments[0].Reference != ref || cur.Payments[0].RecordedBy != "bob" {
		t.Fatalf("recorded %+v", cur.Payments)
	}
	if e := newestEvent(t, svc, card.Creator.ID); !strings.HasSuffix(e.Summary, "(payout batch)") || e.Kind != crm.PaymentRecorded {
		t.Fatalf("event %q", e.Summary)
	}
}

func TestOverdueDeliverables(t *testing.T) {
	svc, camp := newService(t)
	card, l := dealWithTerms(t, svc, camp, crm.TermsForm{Deliverables: "1 tiktok video by 2026-11-20; 1 ig story by 2026-12-01"})
	od := l.OverdueDeliverables(date("2026-11-24"))
	if len(od) != 1 || od[0].Platform != crm.TikTok {
		t.Fatalf("overdue %+v", od)
	}
	d := od[0]
	d.Status = crm.Posted
	l, err := svc.UpdateDeliverable("alice", card.Deal.ID, l.Version, d)
	if err != nil {
		t.Fatal(err)
	}
	if od := l.OverdueDeliverables(date("2026-12-02")); len(od) != 1 || od[0].Platform != crm.Instagram {
		t.Fatalf("overdue after posting the video %+v", od)
	}
	if !l.Deliverables[0].PostedAt.Equal(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)) {
		t.Fatalf("posted at %v", l.Deliverables[0].PostedAt)
	}
	extra, err := svc.AddDeliverable("alice", card.Deal.ID, l.Version, crm.Deliverable{Platform: crm.YouTube, Kind: "Live", Quantity: 1})
	if err != nil || len(extra.Deliverables) != 3 || extra.Deliverables[2].Status != crm.Planned || extra.Deliverables[2].Kind != "live" {
		t.Fatalf("added %+v %v", extra.Deliverables, err)
	}
	var fe *crm.FieldError
	if _, err := svc.AddDeliverable("alice", card.Deal.ID, extra.Version, crm.Deliverable{Platform: crm.YouTube, Kind: "video", Quantity: 1, URL: "nope"}); !asField(err, &fe) || fe.Field != "url" {
		t.Fatalf("bad url: %v", err)
	}
}

func TestBoardCardsCarryTheLedgerAtAGlance(t *testing.T) {
	svc, camp := newService(t)
	card, l := dealWithTerms(t, svc, camp, crm.TermsForm{Fee: "100", Currency: "EUR", Deliverables: "1 tiktok video by 2026-11-20"})
	b, err := svc.Board(camp.ID)
	if err != nil {
		t.Fatal(err)
	}
	got := b.Columns[0][0].Money
	if got.Late != 1 || got.Owed.String() != "100.00 EUR" || got.PayOverdue {
		t.Fatalf("card money %+v", got)
	}
	if _, err := svc.RecordPayment("bob", card.Deal.ID, l.Version, crm.Payment{Amount: crm.Money{AmountMinor: 10000, Currency: "EUR"}, PaidOn: date("2026-11-24")}); err != nil {
		t.Fatal(err)
	}
	c, err := svc.Card(card.Deal.ID)
	if err != nil || len(c.Money.Owed) != 0 || c.Money.Late != 1 {
		t.Fatalf("card after paying %+v %v", c.Money, err)
	}
}

// TestVoidedPaymentStaysButNoLongerCounts: a payment recorded by mistake
// is taken back with a reason; the ledger keeps it, marked, and what is
// owed comes back.
func TestVoidedPaymentStaysButNoLongerCounts(t *testing.T) {
	svc, camp := newService(t)
	card, l := dealWithTerms(t, svc, camp, crm.TermsForm{Fee: "500", Currency: "USD", Schedule: "50% on signing, 50% net 30"})
	l, err := svc.RecordPayment("bob", card.Deal.ID, l.Version, crm.Payment{Amount: crm.Money{AmountMinor: 50000, Currency: "USD"},
		PaidOn: date("2026-11-25"), Reference: "PP-9"})
	if err != nil {
		t.Fatal(err)
	}
	if b := l.Balance(date("2026-11-30")); len(b.Owed) != 0 {
		t.Fatalf("owed after paying in full: %s", b.Owed)
	}
	var fe *crm.FieldError
	if _, err := svc.VoidPayment("sam", card.Deal.ID, l.Version, 1, "  "); !errors.As(err, &fe) || fe.Field != "reason" {
		t.Fatalf("a void without a reason: %v", err)
	}
	if _, err := svc.VoidPayment("sam", card.Deal.ID, l.Version, 2, "typo"); !errors.As(err, &fe) || fe.Field != "payment" {
		t.Fatalf("voiding a payment that is not there: %v", err)
	}
	l, err = svc.VoidPayment("sam", card.Deal.ID, l.Version, 1, "paid Mia Chen's invoice by mistake")
	if err != nil {
		t.Fatal(err)
	}
	p := l.Payments[0]
	if len(l.Payments) != 1 || !p.Voided() || p.VoidedBy != "sam" || p.VoidReason != "paid Mia Chen's invoice by mistake" || p.Reference != "PP-9" {
		t.Fatalf("voided payment %+v", p)
	}
	b := l.Balance(date("2026-11-30"))
	if b.Paid.String() != "-" || b.Owed.String() != "500.00 USD" || l.Payables()[0].Paid.AmountMinor != 0 {
		t.Fatalf("a voided payment still counts: %+v", b)
	}
	e := newestEvent(t, svc, card.Creator.ID)
	if e.Kind != crm.PaymentVoided || e.Actor != "sam" ||
		e.Summary != "voided the payment of 500.00 USD to Maya Chen on 2026-11-25 (paid Mia Chen's invoice by mistake); owed 500.00 USD" {
		t.Fatalf("event %s %q", e.Kind, e.Summary)
	}
	if _, err := svc.VoidPayment("sam", card.Deal.ID, l.Version, 1, "again"); !errors.Is(err, crm.ErrInvalid) {
		t.Fatalf("voiding twice: %v", err)
	}
	// Paid-while-owed counts what is really paid.
	if _, err := svc.MoveDeal("sam", card.Deal.ID, card.Deal.Version, crm.Paid); !errors.Is(err, crm.ErrInvalid) {
		t.Fatalf("moving to paid after the payment was voided: %v", err)
	}
}

// TestAgreedInMustBeAMessageID: text typed into "agreed in" that has no
// id-left@id-right shape is refused by name, not saved as "agreed in
// <notanid>"; the id of mail roster holds passes whatever its shape (a
// synthetic id for mail without a Message-ID, an id some mailer wrote
// without an @), and so does an id kept from the version before (mail a
// restore has not brought back).
func TestAgreedInMustBeAMessageID(t *testing.T) {
	svc, maya := mailSetup(t)
	noID := msg("", "maya@mayamakes.example", "sam@glowbrand.example", "No id", day0, loc("INBOX", 1))
	noID.MessageIDRaw = ""
	noAt := msg("20261101.1234", "maya@mayamakes.example", "sam@glowbrand.example", "Odd id", day0.Add(time.Hour), loc("INBOX", 2))
	ingest(t, svc, "INBOX", noID, noAt)
	save := func(mid string, version uint64) (crm.Ledger, error) {
		t.Helper()
		terms, err := crm.TermsForm{Fee: "500", Currency: "USD", MessageID: mid}.Parse()
		if err != nil {
			t.Fatalf("form with agreed in %q: %v", mid, err)
		}
		return svc.SaveTerms("sam", maya.Deal.ID, version, terms)
	}
	var fe *crm.FieldError
	if _, err := save("notanid", 0); !asField(err, &fe) || fe.Field != "agreed in" || !strings.Contains(err.Error(), `"notanid"`) {
		t.Fatalf("agreed in notanid: %v", err)
	}
	if l, _ := svc.Ledger(maya.Deal.ID); len(l.Terms) != 0 {
		t.Fatalf("a refused version was recorded: %+v", l.Terms)
	}
	convs, err := svc.Conversations(maya.Creator.ID)
	if err != nil {
		t.Fatal(err)
	}
	var synthetic string
	for _, c := range convs {
		for _, m := range c.Messages {
			if strings.HasPrefix(m.MessageID, "synthetic-") {
				synthetic = m.MessageID
			}
		}
	}
	if synthetic == "" {
		t.Fatalf("no synthetic id among %+v", convs)
	}
	l, err := save(synthetic, 0)
	if err != nil {
		t.Fatalf("agreed in mail without a Message-ID: %v", err)
	}
	if l, err = save("20261101.1234", l.Version); err != nil {
		t.Fatalf("agreed in mail whose id has no @: %v", err)
	}
	if l, err = save("<abc@mail.example>", l.Version); err != nil {
		t.Fatalf("agreed in mail not synced yet: %v", err)
	}
	if cur, _ := l.Current(); cur.MessageID != "abc@mail.example" || len(l.Terms) != 3 {
		t.Fatalf("terms %+v", l.Terms)
	}

	// Restored into a roster that has not synced its mail yet, a version
	// agreed in mail without a Message-ID can still be amended.
	l, err = save(synthetic, l.Version)
	if err != nil {
		t.Fatal(err)
	}
	snap, err := svc.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	fresh := crm.NewService(crmtest.NewMemory(), nil)
	if _, err := fresh.Restore("sam", snap, crm.ImportOptions{File: "x.json"}); err != nil {
		t.Fatal(err)
	}
	restored, err := fresh.Ledger(maya.Deal.ID)
	if err != nil {
		t.Fatal(err)
	}
	amended, _ := restored.Current()
	amended.Fee.AmountMinor = 65000
	if _, err := fresh.SaveTerms("sam", maya.Deal.ID, restored.Version, amended); err != nil {
		t.Fatalf("amending restored terms agreed in %s: %v", synthetic, err)
	}
}

// TestEmptyTermsAreRefused: a terms form saved with nothing filled in
// records no empty version ("v1: no change", every field —); the manager
// is told what to fill in. A version that only names the message it was
// agreed in is empty too.
func TestEmptyTermsAreRefused(t *testing.T) {
	svc, camp := newService(t)
	card, err := svc.AddCreator("alice", maya(), camp.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []crm.TermsForm{{}, {Currency: "USD", PaidAds: "no"}, {MessageID: "<m1@studio.example>"}} {
		terms, err := f.Parse()
		if err != nil {
			t.Fatal(err)
		}
		_, err = svc.SaveTerms("alice", card.Deal.ID, 0, terms)
		if err == nil || !errors.Is(err, crm.ErrInvalid) || !strings.HasPrefix(err.Error(), "nothing to record: fill in") {
			t.Errorf("saving %+v: %v; want \"nothing to record: fill in …\"", f, err)
		}
	}
	if l, _ := svc.Ledger(card.Deal.ID); len(l.Terms) != 0 {
		t.Fatalf("empty versions recorded: %+v", l.Terms)
	}
	// A gifted deal (deliverables, no fee) is not empty.
	terms, err := crm.TermsForm{Deliverables: "1 tiktok video"}.Parse()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SaveTerms("alice", card.Deal.ID, 0, terms); err != nil {
		t.Fatalf("gifted terms: %v", err)
	}
}
