package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"roster/crm"
	"roster/crm/crmtest"
)

// termsModel is a board with Maya in active: terms v1 (500 USD, agreed in
// a message), v2 (650 USD, both ten days ago, half now and half 30 days after the last post),
// one deliverable overdue and a payment of 300 USD.
func termsModel(t *testing.T) (*Model, crm.ID) {
	t.Helper()
	svc, card := crmtest.ActiveMaya(t, testNow)
	v1, err := crm.TermsForm{Fee: "500", Currency: "USD", PromoCode: "MAYA10", Deliverables: "2 tiktok videos by 2026-11-20",
		MessageID: "<deal@studio.example>"}.Parse()
	if err != nil {
		t.Fatal(err)
	}
	earlier := svc.WithClock(crm.FixedClock{T: testNow.AddDate(0, 0, -10)})
	l, err := earlier.SaveTerms("alice", card.Deal.ID, 0, v1)
	if err != nil {
		t.Fatal(err)
	}
	v2 := l.Terms[0]
	v2.MessageID = ""
	v2.Fee.AmountMinor = 65000
	v2.Schedule, _ = crm.ParseSchedule("50% on signing, 50% within 30 days of the last post")
	v2.Usage = crm.UsageRights{Days: 90, Platforms: []crm.Platform{crm.TikTok}, PaidAds: true}
	if l, err = earlier.SaveTerms("bob", card.Deal.ID, l.Version, v2); err != nil {
		t.Fatal(err)
	}
	if _, err = svc.RecordPayment("bob", card.Deal.ID, l.Version, crm.Payment{Amount: crm.Money{AmountMinor: 30000, Currency: "USD"},
		PaidOn: testNow, Method: "PayPal", Reference: "PP-7"}); err != nil {
		t.Fatal(err)
	}
	m := newModel(t, svc, 120, 50)
	if !m.board.selectDeal(card.Deal.ID) {
		t.Fatal("Maya's card is not on the board")
	}
	return m, card.Deal.ID
}

// postFirstDeliverable marks the deal's first deliverable posted, as a
// teammate would, and reloads its card, so that the late post no longer
// hides the card's other flags.
func postFirstDeliverable(t *testing.T, m *Model, deal crm.ID) {
	t.Helper()
	l, _ := m.c.Svc.Ledger(deal)
	d := l.Deliverables[0]
	d.Status = crm.Posted
	if _, err := m.c.Svc.UpdateDeliverable("tess", deal, l.Version, d); err != nil {
		t.Fatal(err)
	}
	run(t, m, loadCardsCmd(m.c.Svc, []crm.ID{deal}))
}

// amendTerms saves the deal's current terms, changed by edit, as the next
// version, the way a teammate would.
func amendTerms(t *testing.T, svc *crm.Service, actor string, deal crm.ID, edit func(*crm.Terms)) {
	t.Helper()
	l, err := svc.Ledger(deal)
	if err != nil {
		t.Fatal(err)
	}
	next, _ := l.Current()
	edit(&next)
	if _, err := svc.SaveTerms(actor, deal, l.Version, next); err != nil {
		t.Fatal(err)
	}
}

func TestTermsTabShowsTermsMoneyDeliverablesAndVersions(t *testing.T) {
	m, _ := termsModel(t)
	press(t, m, "enter", "5")
	s := frame(m)
	for _, want := range []string{
		"5 Terms",
		"Terms v2 · recorded by bob",
		"650.00 USD",
		"MAYA10",
		"90 days · on tiktok · paid ads allowed",
		"50% on signing, 50% within 30 days of the last post",
		"agreed 650.00 USD · paid 300.00 USD · owed 350.00 USD · overdue 25.00 USD",
		"1  50% on signing                       325.00 USD  due 2026-11-14  overdue 25.00 USD",
		"2  50% within 30 days of the last post  325.00 USD  due 2026-12-20",
		"due 2026-12-20",
		"PP-7",
		"2 tiktok video",
		"overdue",
		"v2  ",
		"fee: 500.00 USD → 650.00 USD",
		"agreed in: removed (was deal@studio.example)",
		"agreed in <deal@studio.example>",
		"fee: set to 500.00 USD",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("terms tab lacks %q:\n%s", want, s)
		}
	}
	// The newest version comes first.
	if strings.Index(s, "v2  ") > strings.Index(s, "v1  ") {
		t.Errorf("versions not newest first:\n%s", s)
	}
}

// TestPayablesFitAt80Columns: at 80 columns each payable keeps its amount,
// its whole due date and what is overdue; the label (the schedule, shown
// whole above) is what gets shortened.
func TestPayablesFitAt80Columns(t *testing.T) {
	m, deal := termsModel(t)
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	press(t, m, "enter", "5")
	screenHas(t, frame(m), "the payables at 80 columns", "1  50% on signing", "325.00 USD  due 2026-11-14  overdue 25.00 USD",
		"2  50% within 30 days of", "325.00 USD  due 2026-12-20")
	// 125.00 USD more settles the first and leaves the second owed in part.
	l, _ := m.c.Svc.Ledger(deal)
	if _, err := m.c.Svc.RecordPayment("bob", deal, l.Version, crm.Payment{Amount: crm.Money{AmountMinor: 12500, Currency: "USD"},
		PaidOn: testNow}); err != nil {
		t.Fatal(err)
	}
	run(t, m, loadDetailCmd(m.c.Svc, m.detail.creatorID()))
	screenHas(t, frame(m), "the payables at 80 columns", "325.00 USD  due 2026-11-14  settled", "325.00 USD  due 2026-12-20  owed 225.00 USD")
}

func TestPaidWhileOwedAsksAndSaysHowMuch(t *testing.T) {
	m, deal := termsModel(t)
	press(t, m, "L")
	s := frame(m)
	if !strings.Contains(s, "Maya Chen is still owed 350.00 USD. Mark the deal paid anyway?") {
		t.Fatalf("moving to paid while owed should ask:\n%s", s)
	}
	if c, _ := m.c.Svc.Card(deal); c.Deal.Stage != crm.Active {
		t.Fatalf("the deal moved before the answer: %s", c.Deal.Stage)
	}
	press(t, m, "n")
	if c, _ := m.c.Svc.Card(deal); c.Deal.Stage != crm.Active {
		t.Fatalf("n moved the deal: %s", c.Deal.Stage)
	}
	press(t, m, "L", "y")
	c, _ := m.c.Svc.Card(deal)
	if c.Deal.Stage != crm.Paid || c.Deal.History[len(c.Deal.History)-1].Reason != "marked paid while still owed 350.00 USD" {
		t.Fatalf("after y: %+v", c.Deal)
	}
	if !strings.Contains(frame(m), "Maya Chen → paid") {
		t.Fatalf("status should confirm the move:\n%s", frame(m))
	}
}

func TestCardsFlagLatePostsAndPaidDealsStillOwed(t *testing.T) {
	m, deal := termsModel(t)
	if s := frame(m); !strings.Contains(s, "⚑1 late") {
		t.Fatalf("the card should flag the late video:\n%s", s)
	}
	postFirstDeliverable(t, m, deal)
	if s := frame(m); strings.Contains(s, "late") || !strings.Contains(s, "⚑pay due") {
		t.Fatalf("after posting, the overdue payment is what the card says:\n%s", s)
	}
	press(t, m, "L", "y")
	if s := frame(m); !strings.Contains(s, "⚑owed") {
		t.Fatalf("a paid deal still owed money must say so:\n%s", s)
	}
}

func TestBoardHeaderShowsTheCampaignsMoneyAndCSwitches(t *testing.T) {
	m, _ := termsModel(t)
	if s := frame(m); !strings.Contains(s, "committed 650.00 USD · paid 300.00 USD · owed 350.00 USD") {
		t.Fatalf("header should show the campaign's money:\n%s", s)
	}
	if _, err := m.c.Svc.CreateCampaign("tess", crm.Campaign{Name: "Spring", Budget: crm.Money{AmountMinor: 1_000_000, Currency: "EUR"}}); err != nil {
		t.Fatal(err)
	}
	run(t, m, m.loadBoard())
	press(t, m, "C")
	s := frame(m)
	if m.board.data.Campaign.Name != "Spring" || !strings.Contains(s, "budget 10,000.00 EUR · committed - · paid - · owed -") {
		t.Fatalf("C should switch to Spring and show its budget:\n%s", s)
	}
	press(t, m, "C")
	if m.board.data.Campaign.Name != crm.DefaultCampaignName {
		t.Fatalf("C should wrap around to %s, on %s", crm.DefaultCampaignName, m.board.data.Campaign.Name)
	}
}

func TestDueViewListsOverdueDeliverables(t *testing.T) {
	m, _ := termsModel(t)
	press(t, m, "!")
	s := frame(m)
	if !strings.Contains(s, "Deliverables overdue or due in the next 7 days") || !strings.Contains(s, "2026-11-20  OVERDUE Maya Chen") ||
		!strings.Contains(s, "2 tiktok video") {
		t.Fatalf("due view:\n%s", s)
	}
	press(t, m, "esc")
	if m.confirm != nil {
		t.Fatal("esc should close the due view")
	}
}

func TestDiffAnyTwoVersions(t *testing.T) {
	m, deal := termsModel(t)
	amendTerms(t, m.c.Svc, "tess", deal, func(v3 *crm.Terms) { v3.PromoCode = "MAYA20" })
	press(t, m, "enter", "5")
	typeCommand(t, m, "diff 1 v3")
	s := frame(m)
	for _, want := range []string{"Terms v1 → v3", "fee: 500.00 USD → 650.00 USD", "promo code: MAYA10 → MAYA20", "agreed in: removed (was deal@studio.example)"} {
		if !strings.Contains(s, want) {
			t.Errorf("diff lacks %q:\n%s", want, s)
		}
	}
	press(t, m, "esc")
	typeCommand(t, m, "diff 1 9")
	if s := frame(m); !strings.Contains(s, `diff: "9" is not a version of these terms (1 to 3)`) {
		t.Fatalf("a missing version should be named:\n%s", s)
	}
}

// TestDiffScrollsOnThePagerAt80x24: a diff longer than the screen (long
// notes, many fields) is shown on the scrolling pager, wrapped, never
// cut off; esc goes back to the creator.
func TestDiffScrollsOnThePagerAt80x24(t *testing.T) {
	m, deal := termsModel(t)
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	amendTerms(t, m.c.Svc, "tess", deal, func(v3 *crm.Terms) {
		v3.PromoCode, v3.AffiliateLink, v3.CommissionBP = "MAYA20", "https://glow.example/r/maya", 1250
		v3.Exclusivity = crm.Exclusivity{Category: "skincare", Days: 30}
		v3.Notes = strings.Repeat("She asked for the serum before filming and a second round of edits. ", 12) + "LAST-WORD"
	})
	press(t, m, "enter", "5")
	typeCommand(t, m, "diff 1 3")
	s := frame(m)
	if m.screen != screenPager || m.confirm != nil || !strings.Contains(s, "Terms v1 → v3 · Maya Chen") || !strings.Contains(s, "fee: 500.00 USD → 650.00 USD") {
		t.Fatalf(":diff should open the pager:\n%s", s)
	}
	if n := strings.Count(s, "\n") + 1; n > 24 || strings.Contains(s, "LAST-WORD") || !strings.Contains(s, "lines 1–") {
		t.Fatalf("the diff should fill 80×24 and say there is more (%d lines):\n%s", n, s)
	}
	press(t, m, "G")
	if s := frame(m); !strings.Contains(s, "LAST-WORD") || !strings.Contains(s, "agreed in: removed") {
		t.Fatalf("G should reach the end of the diff, the long notes wrapped, not cut:\n%s", s)
	}
	press(t, m, "esc")
	if m.screen != screenDetail || m.detail.tab != tabTerms {
		t.Fatalf("esc should return to the Terms tab:\n%s", frame(m))
	}
}

func TestReportScreen(t *testing.T) {
	m, _ := termsModel(t)
	press(t, m, "#")
	s := frame(m)
	for _, want := range []string{"Funnel: deals that reached each stage", "active       ██████████████████████████████     1",
		"General: 1 live deal", "committed 650.00 USD · paid 300.00 USD · owed 350.00 USD"} {
		if !strings.Contains(s, want) {
			t.Errorf("report screen lacks %q:\n%s", want, s)
		}
	}
	if m.screen != screenPager {
		t.Fatalf("# should open the report screen, not an overlay")
	}
	press(t, m, "esc")
	if m.screen != screenBoard {
		t.Fatal("esc should go back to the board")
	}
}

func TestDeliverableCommandMarksItPosted(t *testing.T) {
	m, deal := termsModel(t)
	press(t, m, "enter", "5")
	typeCommand(t, m, "deliverable 1 posted https://tiktok.example/v/9")
	l, _ := m.c.Svc.Ledger(deal)
	if d := l.Deliverables[0]; d.Status != crm.Posted || d.URL != "https://tiktok.example/v/9" || d.PostedAt.IsZero() {
		t.Fatalf("deliverable %+v", d)
	}
	s := frame(m)
	if !strings.Contains(s, "2 tiktok videos are posted") || !strings.Contains(s, "https://tiktok.example/v/9") {
		t.Fatalf("after :deliverable:\n%s", s)
	}
	typeCommand(t, m, "deliverable 1 published")
	if s := frame(m); !strings.Contains(s, `deliverable 1: status: "published" is not one of planned, drafted, approved, posted, late`) {
		t.Fatalf("a bad status should be named:\n%s", s)
	}
}

// TestVoidPaymentKeepsItAndOwesAgain: a payment recorded by mistake is
// taken back from the command line with a reason; the Terms tab still
// lists it, marked, and the money is owed again.
func TestVoidPaymentKeepsItAndOwesAgain(t *testing.T) {
	m, deal := termsModel(t)
	press(t, m, "enter", "5")
	typeCommand(t, m, "void-payment 1")
	if s := frame(m); !strings.Contains(s, "say which payment and why") {
		t.Fatalf("a void without a reason should ask for one:\n%s", s)
	}
	typeCommand(t, m, "void-payment 1 paid to the wrong creator")
	l, _ := m.c.Svc.Ledger(deal)
	if len(l.Payments) != 1 || !l.Payments[0].Voided() || l.Payments[0].VoidReason != "paid to the wrong creator" || l.Payments[0].VoidedBy != "tess" {
		t.Fatalf("payments %+v", l.Payments)
	}
	s := frame(m)
	for _, want := range []string{"VOIDED by tess", "paid to the wrong creator", "payment 1 voided; owed 650.00 USD", "owed 650.00 USD"} {
		if !strings.Contains(s, want) {
			t.Errorf("the Terms tab lacks %q:\n%s", want, s)
		}
	}
}

// TestBoardMoneyFitsAt80Columns: on a narrow terminal the campaign's
// money takes a header line of its own instead of being cut off.
func TestBoardMoneyFitsAt80Columns(t *testing.T) {
	m, _ := termsModel(t)
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	s := frame(m)
	lines := strings.Split(s, "\n")
	if !strings.Contains(lines[1], "committed 650.00 USD · paid 300.00 USD · owed 350.00 USD") {
		t.Fatalf("the money should be whole on the second header line:\n%s", s)
	}
	if n := len(lines); n > 24 {
		t.Fatalf("%d lines at 80×24", n)
	}
	m.Update(tea.WindowSizeMsg{Width: 200, Height: 24})
	if lines := strings.Split(frame(m), "\n"); !strings.Contains(lines[0], "committed 650.00 USD") {
		t.Fatalf("on a wide terminal the money shares the first line:\n%s", frame(m))
	}
}

// TestDeliverableAddOutsideTheTerms: an extra deliverable is added from
// the command line; a spec that is not one is refused, naming why.
func TestDeliverableAddOutsideTheTerms(t *testing.T) {
	m, deal := termsModel(t)
	press(t, m, "enter", "5")
	typeCommand(t, m, "deliverable-add instagram")
	if s := frame(m); !strings.Contains(s, `deliverable-add: deliverables: "instagram" is not a deliverable`) {
		t.Fatalf("a bad spec should be refused:\n%s", s)
	}
	before, _ := m.c.Svc.Ledger(deal)
	typeCommand(t, m, "deliverable-add 1 instagram story by 2026-12-05")
	l, _ := m.c.Svc.Ledger(deal)
	if len(l.Deliverables) != len(before.Deliverables)+1 {
		t.Fatalf("deliverables %+v", l.Deliverables)
	}
	d := l.Deliverables[len(l.Deliverables)-1]
	if d.Platform != crm.Instagram || d.Kind != "story" || d.Quantity != 1 || d.Due.Format("2006-01-02") != "2026-12-05" || d.Status != crm.Planned {
		t.Fatalf("added %+v", d)
	}
	if s := frame(m); !strings.Contains(s, "added 1 instagram story") {
		t.Fatalf("the status line should say it was added:\n%s", s)
	}
}

// TestLongAgreedInFitsAt80Columns: a real Message-ID is long; it gets a
// line of its own under the current terms' heading instead of running
// the heading off an 80-column screen.
func TestLongAgreedInFitsAt80Columns(t *testing.T) {
	m, deal := termsModel(t)
	const id = "CAF4x9qZ7Lm2Pq8Rt5Vw3Yb6Nc1Hd0Jk@mail.gmail.example"
	amendTerms(t, m.c.Svc, "bob", deal, func(tr *crm.Terms) { tr.MessageID = id })
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	press(t, m, "enter", "5")
	screenHas(t, frame(m), "the current terms at 80 columns", "Terms v3 · recorded by bob", "agreed in <"+id+">")
}

// TestBudgetCommandSetsTheCampaignsBudget: :budget sets what the header
// measures spend against, in the budget's currency by default; none
// clears it; a bad amount is named.
func TestBudgetCommandSetsTheCampaignsBudget(t *testing.T) {
	m, _ := termsModel(t)
	typeCommand(t, m, "budget 15,000 USD")
	run(t, m, m.loadBoard())
	if s := frame(m); !strings.Contains(s, "budget 15,000.00 USD · committed 650.00 USD") {
		t.Fatalf("the header should show the budget:\n%s", s)
	}
	typeCommand(t, m, "budget lots")
	if s := frame(m); !strings.Contains(s, "budget: lots is not an amount") || !strings.Contains(s, "budget 15,000.00 USD") {
		t.Fatalf("a bad amount should be named, the budget kept:\n%s", s)
	}
	typeCommand(t, m, "budget none")
	run(t, m, m.loadBoard())
	if s := frame(m); strings.Contains(s, "budget 15,000.00") {
		t.Fatalf(":budget none should clear it:\n%s", s)
	}
}

// TestMoneyHeaderKeepsOwedAt80Columns: with a budget the header's money
// does not fit 80 columns; what is owed stays whole, the budget is what
// gets cut.
func TestMoneyHeaderKeepsOwedAt80Columns(t *testing.T) {
	m, _ := termsModel(t)
	if _, err := m.c.Svc.SetCampaignBudget("tess", m.board.data.Campaign.ID, crm.Money{AmountMinor: 1_500_000, Currency: "USD"}); err != nil {
		t.Fatal(err)
	}
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	run(t, m, m.loadBoard())
	if s := frame(m); !strings.Contains(s, "owed 350.00 USD · committed 650.00 USD") {
		t.Fatalf("at 80 columns the owed money should lead the header's money:\n%s", s)
	}
}

// TestDeliverableOnADealWithoutAnySaysSo: :deliverable on a deal with no
// deliverables says there are none and how to add one, not "(1 to 0)".
func TestDeliverableOnADealWithoutAnySaysSo(t *testing.T) {
	m := newSeeded(t, 120, 40)
	press(t, m, "enter", "5")
	typeCommand(t, m, "deliverable 1 posted")
	if s := frame(m); !strings.Contains(s, "this deal has no deliverables yet") || strings.Contains(s, "1 to 0") {
		t.Fatalf("want a plain refusal:\n%s", s)
	}
}

// TestBudgetInAnotherCurrencySaysSo: a budget in a currency none of the
// fees are in is set, but the status line and the report say it measures
// none of them; without a currency, :budget takes the fees' one.
func TestBudgetInAnotherCurrencySaysSo(t *testing.T) {
	m, deal := termsModel(t)
	typeCommand(t, m, "budget 15000 EUR")
	if s := frame(m); !strings.Contains(s, "budget is 15,000.00 EUR, but it counts EUR only and the campaign's money is in USD") {
		t.Fatalf("a budget in another currency than the fees should be flagged:\n%s", s)
	}
	r, err := m.c.Svc.Report()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	WriteReport(&b, r)
	if !strings.Contains(b.String(), "(the budget counts EUR only; money in USD is not measured against it)") {
		t.Fatalf("the report should say what the budget leaves out:\n%s", b.String())
	}

	typeCommand(t, m, "budget none")
	amendTerms(t, m.c.Svc, "bob", deal, func(tr *crm.Terms) { tr.Fee.Currency = "GBP" })
	run(t, m, m.loadBoard())
	typeCommand(t, m, "budget 9000")
	if s := frame(m); !strings.Contains(s, "budget is 9,000.00 GBP") {
		t.Fatalf("without a currency the budget should take the fees' one:\n%s", s)
	}
}
