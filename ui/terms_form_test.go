package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"roster/crm"
)

func TestTermsEditorSavesANewVersionAndNamesTheBadField(t *testing.T) {
	m, deal := termsModel(t)
	press(t, m, "enter", "5", "t")
	s := frame(m)
	if m.screen != screenForm || !strings.Contains(s, "Terms v3 for Maya Chen") || !strings.Contains(s, "650.00") ||
		!strings.Contains(s, "50% on signing, 50% within 30 days of the last post") {
		t.Fatalf("editor should open on the current terms:\n%s", s)
	}
	if m.form.fields[m.form.focusIdx].label != "Fee" {
		t.Fatalf("focus on %q", m.form.fields[m.form.focusIdx].label)
	}
	press(t, m, "ctrl+u")
	typeText(t, m, "1,2,00")
	press(t, m, "ctrl+s")
	s = frame(m)
	if m.screen != screenForm || !strings.Contains(s, "Fee: 1,2,00 is not an amount") || m.form.fields[m.form.errField].label != "Fee" {
		t.Fatalf("a bad fee should keep the form and name the field:\n%s", s)
	}
	if l, _ := m.c.Svc.Ledger(deal); len(l.Terms) != 2 {
		t.Fatalf("a refused form saved a version: %d", len(l.Terms))
	}
	press(t, m, "ctrl+u")
	typeText(t, m, "700")
	press(t, m, "ctrl+s")
	s = frame(m)
	if m.screen != screenDetail || !strings.Contains(s, "Terms v3 · recorded by tess") || !strings.Contains(s, "fee: 650.00 USD → 700.00 USD") {
		t.Fatalf("after saving:\n%s", s)
	}
	l, _ := m.c.Svc.Ledger(deal)
	if len(l.Terms) != 3 || l.Terms[2].Fee.AmountMinor != 70000 || l.Terms[2].By != "tess" || l.Terms[2].PromoCode != "MAYA10" {
		t.Fatalf("saved %+v", l.Terms)
	}
}

func TestPaymentFormRecordsWhatIsOwed(t *testing.T) {
	m, deal := termsModel(t)
	press(t, m, "enter", "5", "P")
	s := frame(m)
	if m.screen != screenForm || !strings.Contains(s, "Payment to Maya Chen") || !strings.Contains(s, "25.00") {
		t.Fatalf("payment form should offer what is owed on payable 1:\n%s", s)
	}
	press(t, m, "tab", "tab", "tab")
	typeText(t, m, "Wise")
	press(t, m, "ctrl+s")
	s = frame(m)
	if m.screen != screenDetail || !strings.Contains(s, "recorded a payment of 25.00 USD") || !strings.Contains(s, "owed 325.00 USD") {
		t.Fatalf("after recording:\n%s", s)
	}
	l, _ := m.c.Svc.Ledger(deal)
	if n := len(l.Payments); n != 2 || l.Payments[1].Method != "Wise" || l.Payments[1].Payable != 1 || l.Payments[1].Amount != (crm.Money{AmountMinor: 2500, Currency: "USD"}) {
		t.Fatalf("payments %+v", l.Payments)
	}
}

// TestAPaymentOverWhatIsOwedAsksFirst: a payment larger than what is left
// on its payable, or on the deal, asks before it is recorded; n goes back
// to the form with nothing recorded, y records it.
func TestAPaymentOverWhatIsOwedAsksFirst(t *testing.T) {
	m, deal := termsModel(t)
	payments := func() int {
		l, err := m.c.Svc.Ledger(deal)
		if err != nil {
			t.Fatal(err)
		}
		return len(l.Payments)
	}
	press(t, m, "enter", "5", "P", "ctrl+u")
	typeText(t, m, "900")
	press(t, m, "ctrl+s")
	s := frame(m)
	if m.confirm == nil || !strings.Contains(s, "has 25.00 USD left to pay; this pays 900.00 USD") || payments() != 1 {
		t.Fatalf("900 on a payable with 25 left should ask first:\n%s", s)
	}
	press(t, m, "n")
	if m.confirm != nil || m.screen != screenForm || m.form.fields[0].input.Value() != "900" || payments() != 1 {
		t.Fatalf("n should go back to the form with the amount kept:\n%s", frame(m))
	}
	// On no payable, against the deal's 350.00 owed.
	setField(t, m, "For payable", "")
	press(t, m, "ctrl+s")
	if s := frame(m); m.confirm == nil || !strings.Contains(s, "Maya Chen is owed 350.00 USD; this pays 900.00 USD, 550.00 USD more") {
		t.Fatalf("900 against 350 owed should ask first:\n%s", s)
	}
	press(t, m, "y")
	if m.screen != screenDetail || payments() != 2 {
		t.Fatalf("y should record it:\n%s", frame(m))
	}
}

func TestTOnAMessageRecordsTermsAgreedInIt(t *testing.T) {
	m := newSending(t, 100, 40)
	withThread(t, m)
	// The newest message (Maya's reply with her rate) is selected.
	pressSync(t, m, "t")
	s := frame(m)
	if m.screen != screenForm || !strings.Contains(s, "r1@x.example") {
		t.Fatalf("t on the Mail tab should fill in the selected message:\n%s", s)
	}
	typeText(t, m, "450")
	pressSync(t, m, "ctrl+s")
	deal, _ := m.detailDeal()
	l, _ := m.c.Svc.Ledger(deal.ID)
	cur, ok := l.Current()
	if !ok || cur.MessageID != "r1@x.example" || cur.Fee != (crm.Money{AmountMinor: 45000, Currency: "USD"}) {
		t.Fatalf("saved %+v", l.Terms)
	}
	if s := frame(m); !strings.Contains(s, "agreed in <r1@x.example>") {
		t.Fatalf("the Terms tab should say where it was agreed:\n%s", s)
	}
}

// TestTOnTheTermsTabKeepsWhereTheTermsWereAgreed: t away from a message
// (on the Terms tab) amends the terms without forgetting the message
// they were agreed in; only the manager clearing the field removes it.
func TestTOnTheTermsTabKeepsWhereTheTermsWereAgreed(t *testing.T) {
	m := newSending(t, 100, 40)
	deal := withAgreedTerms(t, m)
	pressSync(t, m, "5", "t")
	if s := frame(m); m.screen != screenForm || !strings.Contains(s, "r1@x.example") {
		t.Fatalf("t on the Terms tab should keep the message the terms were agreed in:\n%s", s)
	}
	press(t, m, "ctrl+u")
	typeText(t, m, "500")
	pressSync(t, m, "ctrl+s")
	l, _ := m.c.Svc.Ledger(deal.ID)
	cur, _ := l.Current()
	if cur.N != 2 || cur.Fee.AmountMinor != 50000 || cur.MessageID != "r1@x.example" {
		t.Fatalf("v2 should keep where v1 was agreed: %+v", cur)
	}
	if s := frame(m); strings.Contains(s, "agreed in: removed") || !strings.Contains(s, "fee: 450.00 USD → 500.00 USD") {
		t.Fatalf("the versions should show the fee changed and nothing removed:\n%s", s)
	}
}

// withAgreedTerms opens Maya's Mail tab (withThread) with terms v1
// agreed in her reply and returns her deal.
func withAgreedTerms(t *testing.T, m *Model) crm.Deal {
	t.Helper()
	withThread(t, m)
	deal, _ := m.detailDeal()
	terms, err := crm.TermsForm{Fee: "450", Currency: "USD", Deliverables: "1 tiktok video by 2026-12-01", PromoCode: "MAYA15",
		Commission: "10%", UsageDays: "90", MessageID: "r1@x.example"}.Parse()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.c.Svc.SaveTerms("sam", deal.ID, 0, terms); err != nil {
		t.Fatal(err)
	}
	run(t, m, loadDetailCmd(m.c.Svc, m.detail.creatorID()))
	return deal
}

func TestSConfirmsTheTermsInTheThread(t *testing.T) {
	m := newSending(t, 100, 50)
	deal := withAgreedTerms(t, m)
	pressSync(t, m, "5")
	if s := frame(m); !strings.Contains(s, "not confirmed to the creator yet") {
		t.Fatalf("terms tab before confirming:\n%s", s)
	}
	pressSync(t, m, "S")
	s := frame(m)
	if m.screen != screenPreview || m.confirm != nil {
		t.Fatalf("S should show the confirmation on the review, not in a dialog:\n%s", s)
	}
	for _, want := range []string{"Send this confirmation of the current terms?", "In-Reply-To  <r1@x.example>", "Subject      Re: Collab with Glow?",
		"- Fee: 450.00 USD", "- Your promo code: MAYA15"} {
		if !strings.Contains(s, want) {
			t.Errorf("the confirmation's review lacks %q:\n%s", want, s)
		}
	}
	if len(outbox(t, m)) != 0 {
		t.Fatal("S queued before the answer")
	}
	pressSync(t, m, "y")
	ms := outbox(t, m)
	if len(ms) != 1 || ms[0].Kind != "terms-confirmation" || ms[0].InReplyTo != "r1@x.example" {
		t.Fatalf("outbox %+v", ms)
	}
	l, _ := m.c.Svc.Ledger(deal.ID)
	if cur, _ := l.Current(); cur.ConfirmedIn != ms[0].MessageID || cur.ConfirmedBy != "tess" {
		t.Fatalf("terms after confirming %+v", cur)
	}
	if s := frame(m); !strings.Contains(s, "confirmed to the creator by tess") || !strings.Contains(s, "confirmation of terms v1 queued to") ||
		!strings.Contains(s, "· queued") {
		t.Fatalf("after y:\n%s", s)
	}
	// Whether it really went out shows beside the terms: a refusal is
	// plain to see, with the server's words.
	if _, err := m.c.Svc.ClaimMail(ms[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := m.c.Svc.MailFailed(ms[0].ID, "550 mailbox unavailable"); err != nil {
		t.Fatal(err)
	}
	run(t, m, loadDetailCmd(m.c.Svc, m.detail.creatorID()))
	if s := frame(m); !strings.Contains(s, "· failed: 550 mailbox unavailable (O to retry)") {
		t.Fatalf("a failed confirmation should say so on the Terms tab:\n%s", s)
	}
}

// TestTermsConflictOffersReloadOrSaveOnTop: a teammate saved terms while
// the editor was open; saving asks, and o saves these as the next version
// after theirs, with nothing lost.
func TestTermsConflictOffersReloadOrSaveOnTop(t *testing.T) {
	m, deal := termsModel(t)
	press(t, m, "enter", "5", "t", "ctrl+u")
	typeText(t, m, "700")
	amendTerms(t, m.c.Svc, "bob", deal, func(theirs *crm.Terms) { theirs.PromoCode = "BOB15" })
	press(t, m, "ctrl+s")
	if m.confirm == nil || !strings.Contains(frame(m), "bob changed this deal while you were editing its terms: ") {
		t.Fatalf("a lost race should ask:\n%s", frame(m))
	}
	if l, _ := m.c.Svc.Ledger(deal); len(l.Terms) != 3 {
		t.Fatalf("nothing may be saved before the choice: %d versions", len(l.Terms))
	}
	press(t, m, "o")
	l, _ := m.c.Svc.Ledger(deal)
	if len(l.Terms) != 4 || l.Terms[2].By != "bob" || l.Terms[3].By != "tess" || l.Terms[3].Fee.AmountMinor != 70000 {
		t.Fatalf("o should save mine after theirs: %+v", l.Terms)
	}
	if m.screen != screenDetail {
		t.Fatalf("after saving:\n%s", frame(m))
	}
}

// TestTermsConfirmationIsReviewedWholeAt80x24: S shows the confirmation
// on the review screen every mail goes through, where at 80×24 the
// manager scrolls to its last line before y sends it. esc drops it
// unsent, and terms changed meanwhile are refused on y rather than
// confirmed unread.
func TestTermsConfirmationIsReviewedWholeAt80x24(t *testing.T) {
	m := newSending(t, 80, 24)
	deal := withAgreedTerms(t, m)
	pressSync(t, m, "5", "S")
	s := frame(m)
	if m.screen != screenPreview || m.confirm != nil || !strings.Contains(s, "Review: Confirmation of terms v1") ||
		!strings.Contains(s, "To           ") || !strings.Contains(s, "- Fee: 450.00 USD") {
		t.Fatalf("S should open the confirmation on the review:\n%s", s)
	}
	if n := strings.Count(s, "\n") + 1; n > 24 {
		t.Fatalf("the review is %d lines tall at 80×24", n)
	}
	if strings.Contains(s, "Thanks,") {
		t.Fatalf("this test wants a confirmation longer than the screen:\n%s", s)
	}
	if !strings.Contains(s, "lines 1–") {
		t.Fatalf("the review should say there is more below:\n%s", s)
	}
	press(t, m, "G")
	if s := frame(m); !strings.Contains(s, "Thanks,") || !strings.Contains(s, "Sam Rivera") {
		t.Fatalf("G should show the end of the mail:\n%s", s)
	}
	press(t, m, "esc")
	if m.screen != screenDetail || len(outbox(t, m)) != 0 {
		t.Fatalf("esc should drop the confirmation unsent:\n%s", frame(m))
	}

	// A teammate changes the terms while the confirmation is on screen.
	pressSync(t, m, "S")
	amendTerms(t, m.c.Svc, "bob", deal.ID, func(v2 *crm.Terms) { v2.PromoCode = "MAYA20" })
	pressSync(t, m, "y")
	if m.screen != screenPreview || len(outbox(t, m)) != 0 || !strings.Contains(m.status, "the terms changed since this confirmation was written") {
		t.Fatalf("y on a stale confirmation should refuse and stay (status %q):\n%s", m.status, frame(m))
	}
	press(t, m, "esc")
	run(t, m, loadDetailCmd(m.c.Svc, m.detail.creatorID()))
	pressSync(t, m, "S")
	press(t, m, "G")
	if s := frame(m); !strings.Contains(s, "Review: Confirmation of terms v2") || !strings.Contains(s, "MAYA20") {
		t.Fatalf("S again should confirm the new terms:\n%s", s)
	}
	pressSync(t, m, "y")
	ms := outbox(t, m)
	if len(ms) != 1 || ms[0].Kind != "terms-confirmation" || !strings.Contains(ms[0].Text, "MAYA20") {
		t.Fatalf("y should queue the reviewed confirmation: %+v", ms)
	}
	l, _ := m.c.Svc.Ledger(deal.ID)
	if cur, _ := l.Current(); cur.N != 2 || cur.ConfirmedIn != ms[0].MessageID {
		t.Fatalf("terms v2 should be confirmed by the queued mail: %+v", cur)
	}
	if s := frame(m); m.screen != screenDetail || !strings.Contains(s, "confirmation of terms v2 queued to") {
		t.Fatalf("after y the Terms tab should say it is queued:\n%s", s)
	}
}

func TestABadAgreedInIsRefusedWithTheFieldFocused(t *testing.T) {
	m, deal := termsModel(t)
	press(t, m, "enter", "5", "t")
	setField(t, m, "Agreed in", "<a@b.example>Some note")
	press(t, m, "shift+tab")
	press(t, m, "ctrl+s")
	s := frame(m)
	if m.screen != screenForm || !strings.Contains(s, "is not a Message-ID") ||
		m.form.errField < 0 || m.form.fields[m.form.errField].label != "Agreed in" || m.form.fields[m.form.focusIdx].label != "Agreed in" {
		t.Fatalf("a bad Agreed in should keep the form and focus that field:\n%s", s)
	}
	if l, _ := m.c.Svc.Ledger(deal); len(l.Terms) != 2 {
		t.Fatalf("a refused form saved a version: %d", len(l.Terms))
	}
}

// TestTermsConflictNamesATeammatesConfirmation: a confirmation of the
// terms (S, y) changes the ledger as a new version does, so a terms form
// opened before it meets a conflict, which names who confirmed them, not
// whoever recorded terms last.
func TestTermsConflictNamesATeammatesConfirmation(t *testing.T) {
	m := newSending(t, 100, 50)
	deal := withAgreedTerms(t, m)
	press(t, m, "5", "t", "ctrl+u")
	typeText(t, m, "700")
	svc := m.c.Svc
	d, err := svc.TermsConfirmationDraft(deal.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	l, _ := svc.Ledger(deal.ID)
	if _, _, err := svc.ConfirmTerms("bob", deal.ID, l.Version, d); err != nil {
		t.Fatal(err)
	}
	press(t, m, "ctrl+s")
	if s := frame(m); m.confirm == nil || !strings.Contains(s, "bob changed this deal while you were editing its terms: sent") {
		t.Fatalf("the conflict should name bob, who confirmed the terms:\n%s", s)
	}
}

// TestSConfirmsTheStoredTermsBeforeTheScreenReloads: S writes the
// confirmation of the terms as stored; when a teammate's new version has
// not reached this screen yet, the review names that version and y
// confirms it, rather than showing v2's mail as v1 and refusing it.
func TestSConfirmsTheStoredTermsBeforeTheScreenReloads(t *testing.T) {
	m := newSending(t, 100, 50)
	deal := withAgreedTerms(t, m)
	press(t, m, "5")
	amendTerms(t, m.c.Svc, "bob", deal.ID, func(v2 *crm.Terms) { v2.PromoCode = "MAYA20" })
	pressSync(t, m, "S")
	if s := frame(m); !strings.Contains(s, "Review: Confirmation of terms v2") || !strings.Contains(s, "MAYA20") {
		t.Fatalf("S should confirm the stored terms, v2:\n%s", s)
	}
	pressSync(t, m, "y")
	ms := outbox(t, m)
	l, _ := m.c.Svc.Ledger(deal.ID)
	if cur, _ := l.Current(); len(ms) != 1 || cur.N != 2 || cur.ConfirmedIn != ms[0].MessageID {
		t.Fatalf("y should confirm v2 with the mail (status %q): %+v", m.status, cur)
	}
}

func TestABadCurrencyFocusesCurrencyInBothForms(t *testing.T) {
	for _, open := range []string{"t", "P"} {
		m, _ := termsModel(t)
		press(t, m, "enter", "5", open)
		setField(t, m, "Currency", "1")
		press(t, m, "shift+tab") // away from Currency, to see the error bring it back
		press(t, m, "ctrl+s")
		s := frame(m)
		if m.screen != screenForm || !strings.Contains(s, "Currency: \"1\" is not a currency") ||
			m.form.errField < 0 || m.form.fields[m.form.errField].label != "Currency" || m.form.fields[m.form.focusIdx].label != "Currency" {
			t.Errorf("%s: a bad currency should focus Currency:\n%s", open, s)
		}
	}
}

// TestLedgerFormErrorsUseTheFieldsLabels: an error about a field says
// it with the label the form shows, so the manager finds the field;
// the domain calls the payment's date "date", the form "Paid on".
func TestLedgerFormErrorsUseTheFieldsLabels(t *testing.T) {
	m, _ := termsModel(t)
	press(t, m, "enter", "5", "P")
	setField(t, m, "Paid on", "yesterday")
	press(t, m, "ctrl+s")
	s := frame(m)
	if m.screen != screenForm || !strings.Contains(s, "Paid on: ") || strings.Contains(s, "date: ") ||
		m.form.errField < 0 || m.form.fields[m.form.errField].label != "Paid on" {
		t.Fatalf("a bad date should be named as Paid on:\n%s", s)
	}
}

// TestFormExamplesReadAsExamples: an empty field's placeholder says it
// is an example, and without colour (the tests' mode) it is drawn faint
// and italic, so "MAYA10" is never read as a promo code already agreed.
func TestFormExamplesReadAsExamples(t *testing.T) {
	m := newSeeded(t, 120, 40)
	press(t, m, "enter", "5", "t")
	s := frame(m)
	if m.screen != screenForm || !strings.Contains(s, "e.g. MAYA10") || !strings.Contains(s, "e.g. 1,500.00") {
		t.Fatalf("the terms form's examples should say so:\n%s", s)
	}
	st := m.form.fields[0].input.Styles()
	if !st.Focused.Placeholder.GetFaint() || !st.Blurred.Placeholder.GetItalic() {
		t.Fatal("without colour, placeholders should be faint and italic")
	}
}

// TestAnErrorNamingNoFieldGoesOnTheNextEdit: "nothing to record" names no
// field, so the first edit anywhere answers it and it leaves the screen.
func TestAnErrorNamingNoFieldGoesOnTheNextEdit(t *testing.T) {
	m := newSeeded(t, 120, 40)
	press(t, m, "enter", "5", "t", "ctrl+s")
	if !strings.Contains(frame(m), "nothing to record") {
		t.Fatalf("an empty terms form should say there is nothing to record:\n%s", frame(m))
	}
	typeText(t, m, "5")
	if strings.Contains(frame(m), "nothing to record") {
		t.Fatalf("typing a fee should clear the error:\n%s", frame(m))
	}
}

// TestPaymentAmountAndCurrencyMustAgree: "400 EUR" typed as the amount
// while the Currency field says USD is refused, naming both, on Amount.
func TestPaymentAmountAndCurrencyMustAgree(t *testing.T) {
	m, deal := termsModel(t)
	press(t, m, "enter", "5", "P", "ctrl+u")
	typeText(t, m, "400 EUR")
	press(t, m, "ctrl+s")
	s := frame(m)
	if m.screen != screenForm || !strings.Contains(s, "400 EUR is in EUR but Currency says USD") || m.form.fields[m.form.focusIdx].label != "Amount" {
		t.Fatalf("a currency clash should be refused on Amount:\n%s", s)
	}
	if l, _ := m.c.Svc.Ledger(deal); len(l.Payments) != 1 {
		t.Fatalf("a payment was recorded: %+v", l.Payments)
	}
}

// TestAnOverpaidDealSaysByHowMuch: a payment past what is owed, once
// confirmed, leaves the deal overpaid; the Terms tab's money line and the
// status say by how much in the fee's currency instead of "owed -", at
// 120 and at 80 columns, and voiding the payment owes again.
func TestAnOverpaidDealSaysByHowMuch(t *testing.T) {
	m, _ := termsModel(t)
	press(t, m, "enter", "5", "P", "ctrl+u")
	typeText(t, m, "900")
	setField(t, m, "For payable", "")
	press(t, m, "ctrl+s", "y")
	screenHas(t, frame(m), "the Terms tab of an overpaid deal",
		"recorded a payment of 900.00 USD; overpaid by 550.00 USD",
		"agreed 650.00 USD · paid 1,200.00 USD · overpaid by 550.00 USD · overdue -")
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	screenHas(t, frame(m), "the Terms tab of an overpaid deal at 80 columns", "overpaid by 550.00 USD · overdue -")
	typeCommand(t, m, "void-payment 2 typed a zero too many")
	screenHas(t, frame(m), "the Terms tab once the overpayment is voided",
		"payment 2 voided; owed 350.00 USD", "agreed 650.00 USD · paid 300.00 USD · owed 350.00 USD")
	if strings.Contains(frame(m), "overpaid") {
		t.Errorf("still overpaid after the void:\n%s", frame(m))
	}
}
