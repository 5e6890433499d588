package ui

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"roster/crm"
)

// The terms editor and the payment form reuse the creator form's screen
// (keys, focus, dirty check, drawing): formModel.ledger says which deal
// and what is being recorded. Every save of the terms editor is a new
// version; nothing typed is lost when a field is wrong, and the wrong
// field is marked.

// ledgerEdit is what a form over a deal's ledger records.
type ledgerEdit struct {
	payment bool // a payment; otherwise a terms version
	title   string
	deal    crm.ID
	creator crm.ID
	version uint64 // the ledger version the form was opened on
	// keys are the crm.FieldError field names of the form's fields, in
	// order, so an error can mark its field.
	keys []string
}

// termsSavedMsg reports a ledger save from one of these forms.
type termsSavedMsg struct {
	creator crm.ID
	summary string
	err     error
}

func (f *formModel) addField(c *Common, label, value, placeholder string) {
	f.fields = append(f.fields, formField{label: label, input: newTextInput(c, 2000, placeholder, value)})
}

// openTermsEditor opens the editor on the current terms of the detail's
// deal. On the Mail tab the selected message is filled in as the one the
// terms were agreed in; elsewhere the current version's message stays,
// since an amendment made away from a message was still agreed there
// unless the manager changes or clears the field.
func (m *Model) openTermsEditor() tea.Cmd {
	deal, ok := m.detailDeal()
	if !ok || !m.detail.loaded() {
		m.setErr(errors.New("terms: this creator has no deal in this campaign"))
		return nil
	}
	l := m.detail.d.Ledgers[deal.ID]
	cur, _ := l.Current()
	tf := crm.FormOf(cur)
	if tf.Currency == "" {
		tf.Currency = "USD"
	}
	if msg, ok := m.detail.selectedMessage(); ok && m.detail.tab == tabMail {
		tf.MessageID = msg.MessageID
	}
	e := &ledgerEdit{title: fmt.Sprintf("Terms v%d for %s", len(l.Terms)+1, sanitize(m.detail.name())), deal: deal.ID,
		creator: m.detail.creatorID(), version: l.Version}
	return m.openLedgerForm(e, []ledgerField{
		{"fee", "Fee", tf.Fee, "e.g. 1,500.00"},
		{"currency", "Currency", tf.Currency, "e.g. USD"},
		{"commission", "Commission", tf.Commission, "e.g. 12.5%"},
		{"promo code", "Promo code", tf.PromoCode, "e.g. MAYA10"},
		{"affiliate link", "Affiliate link", tf.AffiliateLink, "e.g. https://brand.example/r/maya"},
		{"deliverables", "Deliverables", tf.Deliverables, "e.g. 2 tiktok videos by 2026-12-01; 1 ig story"},
		{"usage days", "Usage days", tf.UsageDays, "e.g. 90"},
		{"usage platforms", "Usage on", tf.UsagePlatforms, "e.g. tiktok, instagram"},
		{"paid ads", "Paid ads", tf.PaidAds, "yes or no"},
		{"exclusivity category", "Exclusive in", tf.ExclusivityCategory, "e.g. skincare"},
		{"exclusivity days", "  for days", tf.ExclusivityDays, "e.g. 30"},
		{"schedule", "Schedule", tf.Schedule, "e.g. 50% on signing, 50% within 30 days of the last post"},
		{"notes", "Notes", tf.Notes, ""},
		{"message", "Agreed in", tf.MessageID, "Message-ID (t on a message in the Mail tab fills it)"},
	})
}

// ledgerField is one field of a ledger form: its crm.FieldError name,
// label, first value and placeholder.
type ledgerField struct{ key, label, value, hint string }

// openLedgerForm shows a form of fields that records e.
func (m *Model) openLedgerForm(e *ledgerEdit, fields []ledgerField) tea.Cmd {
	f := formModel{errField: -1, width: m.c.Width, ledger: e}
	for _, x := range fields {
		f.addField(m.c, x.label, x.value, x.hint)
		e.keys = append(e.keys, x.key)
	}
	f.initial = f.values()
	f.setWidth(m.c.Width)
	m.form = f
	m.screen = screenForm
	return m.form.focus()
}

// openPaymentForm records a payment on the detail's deal, prefilled with
// what is owed on the first open payable.
func (m *Model) openPaymentForm() tea.Cmd {
	deal, ok := m.detailDeal()
	if !ok || !m.detail.loaded() {
		m.setErr(errors.New("payment: this creator has no deal in this campaign"))
		return nil
	}
	l := m.detail.d.Ledgers[deal.ID]
	amount, currency, payable := "", "USD", ""
	if cur, ok := l.Current(); ok && cur.Fee.Currency != "" {
		currency = cur.Fee.Currency
	}
	for _, p := range l.Payables() {
		if p.Owed().AmountMinor > 0 {
			amount, payable = p.Owed().Plain(), strconv.Itoa(p.N)
			break
		}
	}
	e := &ledgerEdit{payment: true, title: "Payment to " + sanitize(m.detail.name()), deal: deal.ID,
		creator: m.detail.creatorID(), version: l.Version}
	return m.openLedgerForm(e, []ledgerField{
		{"amount", "Amount", amount, "e.g. 500.00"},
		{"currency", "Currency", currency, "e.g. USD"},
		{"date", "Paid on", m.c.Svc.Clock().Now().Format(time.DateOnly), "YYYY-MM-DD"},
		{"method", "Method", "", "e.g. bank, PayPal, Wise…"},
		{"reference", "Reference", "", "the bank's or PayPal's reference"},
		{"payable", "For payable", payable, "1 (empty: the earliest open)"},
	})
}

// saveLedgerForm parses the form and saves it; a field error marks the
// field and keeps everything typed.
func (m *Model) saveLedgerForm() tea.Cmd {
	f := &m.form
	e := f.ledger
	v := f.values()
	val := func(key string) string {
		for i, k := range e.keys {
			if k == key {
				return v[i]
			}
		}
		return ""
	}
	svc, actor := m.c.Svc, m.c.Actor
	var save func() (string, error)
	ask := "" // a question to answer before saving
	if e.payment {
		p, err := paymentOf(val)
		if err != nil {
			return m.ledgerFormFailed(err)
		}
		ask = m.overpaymentQuestion(e.deal, p)
		save = func() (string, error) {
			l, err := svc.RecordPayment(actor, e.deal, e.version, p)
			if err != nil {
				return "", err
			}
			return "recorded a payment of " + p.Amount.String() + balanceNote(l.Balance(svc.Clock().Now())), nil
		}
	} else {
		t, err := crm.TermsForm{Fee: val("fee"), Currency: val("currency"), Commission: val("commission"),
			PromoCode: val("promo code"), AffiliateLink: val("affiliate link"), Deliverables: val("deliverables"),
			UsageDays: val("usage days"), UsagePlatforms: val("usage platforms"), PaidAds: val("paid ads"),
			ExclusivityCategory: val("exclusivity category"), ExclusivityDays: val("exclusivity days"),
			Schedule: val("schedule"), Notes: val("notes"), MessageID: val("message")}.Parse()
		if err != nil {
			return m.ledgerFormFailed(err)
		}
		save = func() (string, error) {
			l, err := svc.SaveTerms(actor, e.deal, e.version, t)
			if err != nil {
				return "", err
			}
			cur, _ := l.Current()
			return fmt.Sprintf("terms v%d saved", cur.N), nil
		}
	}
	f.err = ""
	creator := e.creator
	saveCmd := func() tea.Msg {
		s, err := save()
		return termsSavedMsg{creator: creator, summary: s, err: err}
	}
	if ask != "" {
		m.confirm = &confirmModel{text: ask, choices: []choice{
			{key: "y", label: "record it anyway", run: func(*Model) tea.Cmd { return saveCmd }},
			{key: "n", label: "back to the form"},
		}}
		return nil
	}
	return saveCmd
}

// overpaymentQuestion asks before a payment pays more than is owed, on
// its payable or on the deal, in its currency, as the ledger on screen
// has it: a typo of a zero would otherwise go into the books as paid,
// and `roster payouts mark-paid` refuses the same payment outright. It
// returns "" when the payment fits. The payment is allowed anyway (a
// bonus, a reimbursement), once the manager says so.
func (m *Model) overpaymentQuestion(deal crm.ID, p crm.Payment) string {
	l := m.detail.d.Ledgers[deal]
	name := sanitize(m.detail.name())
	if p.Payable > 0 {
		ps := l.Payables()
		if p.Payable > len(ps) {
			return "" // the domain names the missing payable
		}
		// A payable in another currency is measured as the deal is.
		if pay := ps[p.Payable-1]; pay.Amount.Currency == p.Amount.Currency {
			if p.Amount.AmountMinor <= pay.Owed().AmountMinor {
				return ""
			}
			return fmt.Sprintf("Payable %d (%s) has %s left to pay; this pays %s.\nRecord it anyway?", pay.N, sanitize(pay.Label), pay.Owed(), p.Amount)
		}
	}
	owed := l.Balance(m.c.Svc.Clock().Now()).Owed[p.Amount.Currency]
	if p.Amount.AmountMinor <= owed {
		return ""
	}
	if owed == 0 {
		return fmt.Sprintf("Nothing is owed to %s in %s; this pays %s.\nRecord it anyway?", name, p.Amount.Currency, p.Amount)
	}
	more := crm.Money{AmountMinor: p.Amount.AmountMinor - owed, Currency: p.Amount.Currency}
	return fmt.Sprintf("%s is owed %s; this pays %s, %s more.\nRecord it anyway?", name, crm.Money{AmountMinor: owed, Currency: p.Amount.Currency}, p.Amount, more)
}

func paymentOf(val func(string) string) (crm.Payment, error) {
	var p crm.Payment
	var err error
	if p.Amount, err = crm.ParseMoney("amount", val("amount"), val("currency")); err != nil {
		return p, err
	}
	// A code typed with the amount wins over the Currency field; when
	// the two disagree, which one was meant is the manager's to say.
	if cur := strings.ToUpper(strings.TrimSpace(val("currency"))); cur != "" && cur != p.Amount.Currency {
		return p, &crm.FieldError{Field: "amount", Msg: fmt.Sprintf("%s is in %s but Currency says %s; make them agree", strings.TrimSpace(val("amount")), p.Amount.Currency, cur)}
	}
	if p.PaidOn, err = crm.ParseDate("date", val("date")); err != nil {
		return p, err
	}
	p.Method, p.Reference = val("method"), val("reference")
	if s := strings.TrimSpace(val("payable")); s != "" {
		if p.Payable, err = strconv.Atoi(s); err != nil || p.Payable < 1 {
			return p, &crm.FieldError{Field: "payable", Msg: fmt.Sprintf("%q is not a payable number", s)}
		}
	}
	return p, p.Validate()
}

// formKeyOf is the form field holding what crm names field in its
// errors, where the two names differ.
func formKeyOf(field string) string {
	switch field {
	case "agreed in":
		return "message"
	}
	return field
}

// ledgerFormFailed shows err in the form and focuses the field it names.
func (m *Model) ledgerFormFailed(err error) tea.Cmd {
	f := &m.form
	f.err = sanitize(err.Error())
	f.errField = -1
	var fe *crm.FieldError
	if errors.As(err, &fe) {
		field := formKeyOf(fe.Field)
		for i, k := range f.ledger.keys {
			if k == field {
				f.errField = i
				break
			}
		}
	}
	if f.errField >= 0 {
		f.focusIdx = f.errField
		// Say it with the label the field shows ("Paid on", not crm's
		// "date"); an indented label ("  for days") reads only beside
		// the one above it, so crm's name stays there.
		if label := f.fields[f.errField].label; !strings.HasPrefix(label, " ") {
			f.err = sanitize(strings.Replace(err.Error(), fe.Error(), label+": "+fe.Msg, 1))
		}
	}
	return f.focus()
}

// termsSaved closes the form on success and reloads the creator; a
// conflict or any other refusal stays in the form with what was typed.
func (m *Model) termsSaved(msg termsSavedMsg) tea.Cmd {
	if msg.err != nil {
		if m.screen == screenForm && m.form.ledger != nil {
			if errors.Is(msg.err, crm.ErrConflict) {
				return m.ledgerConflictDialog()
			}
			return m.ledgerFormFailed(msg.err)
		}
		m.setErr(msg.err)
		return nil
	}
	if m.screen == screenForm && m.form.ledger != nil {
		m.screen = screenDetail
		m.detail.setTab(tabTerms)
	}
	m.setStatus(msg.summary)
	return loadDetailCmd(m.c.Svc, msg.creator)
}

// ledgerConflictDialog offers the two honest ways out when someone else
// saved this deal's terms or payments while the form was open: see
// theirs, or save this form on top of theirs knowingly (terms become the
// next version after theirs, a payment is added to theirs). Nothing typed
// is lost by asking. The dialog names who saved, once the log is read.
func (m *Model) ledgerConflictDialog() tea.Cmd {
	e := m.form.ledger
	what := "terms"
	mine := "save mine as the next version after theirs"
	if e.payment {
		what, mine = "payments", "record my payment as well"
	}
	svc, deal, creator := m.c.Svc, e.deal, e.creator
	m.confirm = &confirmModel{
		text: "Someone else changed this deal's " + what + " while you were editing.",
		choices: []choice{
			{key: "r", label: "reload theirs (your edits are dropped)", run: func(m *Model) tea.Cmd {
				m.screen = screenDetail
				m.detail.setTab(tabTerms)
				return loadDetailCmd(svc, creator)
			}},
			{key: "o", label: mine, run: func(m *Model) tea.Cmd {
				// The current version is read off the UI loop; the
				// form is saved over it when it arrives.
				return func() tea.Msg {
					l, err := svc.Ledger(deal)
					return ledgerVersionMsg{version: l.Version, err: err}
				}
			}},
			{key: "esc", label: "keep editing"},
		},
	}
	// Any ledger change bumps the version the form was opened at, a
	// confirmation (S) too.
	return nameConflict(svc, m.confirm, creator, deal, ledgerEvent, func(by, change string) string {
		return fmt.Sprintf("%s changed this deal while you were editing its %s: %s.", by, what, change)
	})
}

// ledgerVersionMsg carries the ledger version a form is saved over after
// a conflict (the "save mine on top" choice).
type ledgerVersionMsg struct {
	version uint64
	err     error
}

// saveOverCurrent saves the open ledger form over the version just read.
func (m *Model) saveOverCurrent(msg ledgerVersionMsg) tea.Cmd {
	if m.screen != screenForm || m.form.ledger == nil {
		return nil
	}
	if msg.err != nil {
		m.form.err = msg.err.Error()
		return nil
	}
	m.form.ledger.version = msg.version
	return m.saveLedgerForm()
}

// termsDraftMsg carries a terms confirmation written for the detail's
// deal, and the ledger version and terms version it was written from.
type termsDraftMsg struct {
	draft   crm.Draft
	confirm termsConfirm
	err     error
}

// termsConfirm is what makes a mail on the review a confirmation of
// terms: y queues it with ConfirmTerms, which also records on the terms
// version that they were confirmed, by which mail, in one step.
type termsConfirm struct {
	deal    crm.ID
	version uint64 // the ledger version the mail was written from
	n       int    // the terms version it confirms, for the screen
	creator crm.ID
}

// queue queues d as the confirmation. Terms changed since it was written
// are refused by the version check rather than confirmed unread.
func (t *termsConfirm) queue(svc *crm.Service, actor string, d crm.Draft) mailQueuedMsg {
	om, l, err := svc.ConfirmTerms(actor, t.deal, t.version, d)
	if errors.Is(err, crm.ErrConflict) {
		err = errors.New("the terms changed since this confirmation was written; esc drops it and S writes it again")
	}
	if err != nil {
		return mailQueuedMsg{err: err}
	}
	cur, _ := l.Current()
	return mailQueuedMsg{mail: om, reload: t.creator,
		status: fmt.Sprintf("confirmation of terms v%d queued to %s", cur.N, sanitize(om.ToLine()))}
}

// confirmTerms writes the confirmation of the current terms (S) and shows
// it on the review, as any mail: nothing is queued before y there.
func (m *Model) confirmTerms() tea.Cmd {
	deal, ok := m.detailDeal()
	if !ok || !m.detail.loaded() {
		m.setErr(errors.New("confirm: this creator has no deal in this campaign"))
		return nil
	}
	svc, creator := m.c.Svc, m.detail.creatorID()
	return func() tea.Msg {
		// The version is what is stored, not what this screen last
		// loaded, read before the mail is written from it: terms changed
		// in between are refused on y, never confirmed unread.
		l, err := svc.Ledger(deal.ID)
		if err != nil {
			return termsDraftMsg{err: err}
		}
		cur, _ := l.Current()
		d, err := svc.TermsConfirmationDraft(deal.ID, "")
		return termsDraftMsg{draft: d, confirm: termsConfirm{deal: deal.ID, version: l.Version, n: cur.N, creator: creator}, err: err}
	}
}

// termsDraftReady opens the confirmation on the review screen, where the
// manager reads the whole mail before y sends it (and may edit it first,
// as any mail).
func (m *Model) termsDraftReady(msg termsDraftMsg) tea.Cmd {
	if msg.err != nil {
		m.setErr(msg.err)
		return nil
	}
	focus := m.startCompose(msg.draft)
	m.compose.terms = &msg.confirm
	return tea.Batch(focus, m.reviewDraft())
}
