package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"roster/crm"
)

// overpaidModel is termsModel with the deal paid 550.00 USD beyond its
// 650.00 USD fee (a confirmed overpayment), the board reloaded.
func overpaidModel(t *testing.T) (*Model, crm.ID) {
	t.Helper()
	m, deal := termsModel(t)
	l, err := m.c.Svc.Ledger(deal)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.c.Svc.RecordPayment("bob", deal, l.Version, crm.Payment{Amount: crm.Money{AmountMinor: 90000, Currency: "USD"}, PaidOn: testNow}); err != nil {
		t.Fatal(err)
	}
	run(t, m, m.loadBoard())
	return m, deal
}

// TestBoardHeaderShowsWhatWasOverpaid: the campaign's money in the board
// header says what live deals were paid beyond their fees, after what is
// owed, at 120 columns and on the header's second line at 80; with a
// budget, where the money no longer fits 80 columns, the surplus follows
// owed at the front.
func TestBoardHeaderShowsWhatWasOverpaid(t *testing.T) {
	m, _ := overpaidModel(t)
	const money = "committed 650.00 USD · paid 1,200.00 USD · owed - · overpaid 550.00 USD"
	if s := frame(m); !strings.Contains(strings.Split(s, "\n")[0], money) {
		t.Fatalf("at 120 columns the header should show the surplus:\n%s", s)
	}
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	if s := frame(m); !strings.Contains(strings.Split(s, "\n")[1], money) {
		t.Fatalf("at 80 columns the money's own line should show the surplus:\n%s", s)
	}
	if _, err := m.c.Svc.SetCampaignBudget("tess", m.board.data.Campaign.ID, crm.Money{AmountMinor: 1_500_000, Currency: "USD"}); err != nil {
		t.Fatal(err)
	}
	run(t, m, m.loadBoard())
	if s := frame(m); !strings.Contains(strings.Split(s, "\n")[1], "owed - · overpaid 550.00 USD · committed 650.00 USD") {
		t.Fatalf("at 80 columns with a budget the surplus should follow owed at the front:\n%s", s)
	}
}

// TestMoneyHeaderDrawsTheSurplusAsAWarning: in colour, the surplus is
// drawn in the warning style, as on the Terms tab, not muted with the
// rest.
func TestMoneyHeaderDrawsTheSurplusAsAWarning(t *testing.T) {
	m, _ := overpaidModel(t)
	st := NewStyles(true, false)
	want := st.Warn.Render("overpaid 550.00 USD")
	if want == "overpaid 550.00 USD" {
		t.Fatal("the warning style draws no colour; the test would prove nothing")
	}
	if got := moneyHeader(&st, &m.board.data); !strings.Contains(got, want) {
		t.Fatalf("header money %q lacks the warning-styled %q", got, want)
	}
	if got := moneyHeaderFit(&st, &m.board.data, 40); !strings.Contains(got, want) {
		t.Fatalf("fitted header money %q lacks the warning-styled %q", got, want)
	}
}

// TestAnOverpaidCardSaysSo: once nothing more urgent is on it, an
// overpaid deal's card says so in its first line.
func TestAnOverpaidCardSaysSo(t *testing.T) {
	m, deal := overpaidModel(t)
	if s := frame(m); !strings.Contains(s, "⚑1 late") || strings.Contains(s, "⚑overpaid") {
		t.Fatalf("a late post outranks the surplus:\n%s", s)
	}
	postFirstDeliverable(t, m, deal)
	if s := frame(m); !strings.Contains(s, "⚑overpaid") {
		t.Fatalf("the card should flag the surplus:\n%s", s)
	}
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	if s := frame(m); !strings.Contains(s, "⚑overpaid") {
		t.Fatalf("the card should flag the surplus at 80 columns:\n%s", s)
	}
}

// TestReportShowsWhatWasOverpaid: the report's campaign money line says
// what was paid beyond the fees, after what is owed.
func TestReportShowsWhatWasOverpaid(t *testing.T) {
	m, _ := overpaidModel(t)
	press(t, m, "#")
	screenHas(t, frame(m), "the report of an overpaid campaign",
		"budget none · committed 650.00 USD · paid 1,200.00 USD · owed - · overpaid 550.00 USD")
}
