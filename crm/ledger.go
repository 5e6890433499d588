package crm

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// The ledger's events in the activity log.
const (
	TermsRecorded      EventKind = "terms.recorded"
	DeliverableAdded   EventKind = "deliverable.added"
	DeliverableChanged EventKind = "deliverable.changed"
	PaymentRecorded    EventKind = "payment.recorded"
	PaymentVoided      EventKind = "payment.voided"
)

// Ledger loads a deal's terms, deliverables and payments. A deal nobody
// recorded terms for has an empty ledger at version 0.
func (s *Service) Ledger(deal ID) (Ledger, error) {
	var l Ledger
	err := s.repo.View(func(tx Tx) (err error) {
		l, err = ledgerOf(tx, deal)
		return err
	})
	return l, err
}

// ledgerOf reads a deal's ledger, an empty one when there is none, and
// fails when the deal itself does not exist.
func ledgerOf(tx Tx, deal ID) (Ledger, error) {
	if _, err := tx.Deal(deal); err != nil {
		return Ledger{}, fmt.Errorf("deal %s: %w", deal, err)
	}
	l, err := tx.Ledger(deal)
	if errors.Is(err, ErrNotFound) {
		return Ledger{DealID: deal}, nil
	}
	return l, err
}

// ledgersOf reads the ledgers of deals, leaving out deals without one.
func ledgersOf(tx Tx, deals []Deal) (map[ID]Ledger, error) {
	out := map[ID]Ledger{}
	for _, d := range deals {
		l, err := tx.Ledger(d.ID)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out[d.ID] = l
	}
	return out, nil
}

// editLedger runs one change to a deal's ledger in one transaction: load
// (checking the version the caller read), change, store, log. change
// returns the event's kind and summary; an empty summary writes nothing.
func (s *Service) editLedger(actor string, deal ID, version uint64, change func(w *writer, name string, l *Ledger) (EventKind, string, error)) (Ledger, error) {
	var out Ledger
	err := s.repo.Update(func(tx Tx) error {
		d, err := tx.Deal(deal)
		if err != nil {
			return fmt.Errorf("deal %s: %w", deal, err)
		}
		l, err := ledgerOf(tx, deal)
		if err != nil {
			return err
		}
		if l.Version != version {
			return &ConflictError{Kind: "terms", ID: deal, Have: version, Current: l.Version}
		}
		before := rawJSON(l)
		name := string(d.CreatorID)
		if c, err := tx.Creator(d.CreatorID); err == nil {
			name = c.Name
		}
		w := s.writer(tx, actor)
		kind, summary, err := change(w, name, &l)
		if err != nil || summary == "" {
			out = l
			return err
		}
		if err := tx.PutLedger(&l); err != nil {
			return err
		}
		out = l
		return w.event(Event{Kind: kind, CreatorID: d.CreatorID, DealID: deal, CampaignID: d.CampaignID,
			Summary: summary, Before: before, After: rawJSON(l)})
	})
	return out, err
}

// SaveTerms records t as the deal's next terms version, stamped with who
// and when; version is the ledger version the caller read (0 for a deal
// without terms). Saving terms equal to the current ones writes nothing.
// Deliverables in the terms that nobody tracks yet become planned
// deliverables.
func (s *Service) SaveTerms(actor string, deal ID, version uint64, t Terms) (Ledger, error) {
	if err := t.Validate(); err != nil {
		return Ledger{}, err
	}
	if t.empty() {
		return Ledger{}, invalidf("nothing to record: fill in at least a fee, commission or deliverable")
	}
	return s.editLedger(actor, deal, version, func(w *writer, name string, l *Ledger) (EventKind, string, error) {
		cur, had := l.Current()
		if err := w.checkAgreedIn(t.MessageID, cur.MessageID); err != nil {
			return "", "", err
		}
		t.N, t.At, t.By = len(l.Terms)+1, w.now, w.actor
		t.ConfirmedIn, t.ConfirmedAt, t.ConfirmedBy = "", time.Time{}, "" // a new version is not confirmed yet
		diff := DiffTerms(cur, t)
		if had && len(diff) == 0 {
			return "", "", nil
		}
		l.Terms = append(l.Terms, t)
		said := l.syncDeliverables(t.Deliverables, w.ids)
		summary := fmt.Sprintf("recorded terms v%d for %s", t.N, name)
		// A later version's diff names its message when it changed; one
		// kept from the version before is not news.
		if had {
			summary += ": " + strings.Join(diff, "; ")
		} else {
			if t.Fee.AmountMinor != 0 {
				summary += ": fee " + t.Fee.String()
			}
			if t.MessageID != "" {
				summary += " (agreed in <" + t.MessageID + ">)"
			}
		}
		if len(said) > 0 {
			summary += "; deliverables " + strings.Join(said, ", ")
		}
		return TermsRecorded, summary, nil
	})
}

// checkAgreedIn refuses an "agreed in" that cannot name a message: typed
// text such as "notanid" would be saved as "agreed in <notanid>", and S
// would answer no message. A Message-ID has the id-left@id-right shape;
// mail roster holds passes whatever its id (mail without one gets a
// synthetic-… id, and some mailers write ids without an @), and so does
// the id the version before named, whose mail a restore may not have
// brought back yet.
func (w *writer) checkAgreedIn(id, before string) error {
	if id == "" || id == before || hasIDShape(id) {
		return nil
	}
	if _, ok, err := w.tx.MessageByMessageID(id); err != nil || ok {
		return err
	}
	return &FieldError{Field: "agreed in", Msg: fmt.Sprintf("%q is not a Message-ID: it has no @ (one looks like <abc123@mail.example>) and no mail roster holds has it", id)}
}

// AddDeliverable tracks a deliverable outside the terms' list (an extra
// story the creator offered).
func (s *Service) AddDeliverable(actor string, deal ID, version uint64, d Deliverable) (Ledger, error) {
	if err := d.Validate(); err != nil {
		return Ledger{}, err
	}
	return s.editLedger(actor, deal, version, func(w *writer, name string, l *Ledger) (EventKind, string, error) {
		d.ID = w.ids.New()
		if d.Status == Posted && d.PostedAt.IsZero() {
			d.PostedAt = w.now
		}
		l.Deliverables = append(l.Deliverables, d)
		return DeliverableAdded, fmt.Sprintf("added deliverable %s for %s (%s)", d.Label(), name, d.Status), nil
	})
}

// UpdateDeliverable replaces the deliverable with d's ID. Marking it
// posted stamps PostedAt (the "last post" a schedule counts from).
func (s *Service) UpdateDeliverable(actor string, deal ID, version uint64, d Deliverable) (Ledger, error) {
	if err := d.Validate(); err != nil {
		return Ledger{}, err
	}
	return s.editLedger(actor, deal, version, func(w *writer, name string, l *Ledger) (EventKind, string, error) {
		i := slices.IndexFunc(l.Deliverables, func(x Deliverable) bool { return x.ID == d.ID })
		if i < 0 {
			return "", "", fmt.Errorf("deliverable %s: %w", d.ID, ErrNotFound)
		}
		old := l.Deliverables[i]
		if d.Status == Posted && old.Status != Posted && d.PostedAt.IsZero() {
			d.PostedAt = w.now
		}
		switch {
		case d.Status != Posted:
			d.PostedAt = time.Time{}
		case old.Status == Posted && d.PostedAt.IsZero():
			d.PostedAt = old.PostedAt
		}
		if d == old {
			return "", "", nil
		}
		l.Deliverables[i] = d
		var what []string
		if old.Status != d.Status {
			what = append(what, fmt.Sprintf("%s → %s", old.Status, d.Status))
		}
		if old.URL != d.URL && d.URL != "" {
			what = append(what, "at "+d.URL)
		}
		if old.Label() != d.Label() || !old.Due.Equal(d.Due) {
			what = append(what, "now "+DeliverableSpec{d.Platform, d.Kind, d.Quantity, d.Due}.String())
		}
		if len(what) == 0 {
			what = append(what, "edited")
		}
		return DeliverableChanged, fmt.Sprintf("deliverable %s for %s: %s", old.Label(), name, strings.Join(what, ", ")), nil
	})
}

// RecordPayment adds a payment to the deal's ledger.
func (s *Service) RecordPayment(actor string, deal ID, version uint64, p Payment) (Ledger, error) {
	if err := p.Validate(); err != nil {
		return Ledger{}, err
	}
	return s.editLedger(actor, deal, version, func(w *writer, name string, l *Ledger) (EventKind, string, error) {
		return w.recordPayment(name, l, p)
	})
}

// recordPayment appends p to l and says so; the payouts batch shares it.
func (w *writer) recordPayment(name string, l *Ledger, p Payment) (EventKind, string, error) {
	if p.Payable < 0 || p.Payable > len(l.Payables()) {
		return "", "", &FieldError{Field: "payable", Msg: fmt.Sprintf("there is no payable %d", p.Payable)}
	}
	p.ID, p.RecordedBy, p.RecordedAt = w.ids.New(), w.actor, w.now
	l.Payments = append(l.Payments, p)
	summary := fmt.Sprintf("recorded a payment of %s to %s on %s", p.Amount, name, p.PaidOn.Format("2006-01-02"))
	if p.Method != "" {
		summary += " by " + p.Method
	}
	if p.Reference != "" {
		summary += ", reference " + p.Reference
	}
	if owed := l.Balance(w.now).Owed; len(owed) > 0 {
		summary += "; still owed " + owed.String()
	} else if _, ok := l.Current(); ok {
		summary += "; nothing owed"
	}
	return PaymentRecorded, summary, nil
}

// VoidPayment takes back payment n (1-based, in the order the ledger lists
// them) recorded by mistake: it stays in the ledger, marked with who
// voided it, when and why, and no longer counts as paid. A reason is
// required, so the log says why money the books showed as paid is owed
// again.
func (s *Service) VoidPayment(actor string, deal ID, version uint64, n int, reason string) (Ledger, error) {
	reason = SanitizeLine(reason)
	if reason == "" {
		return Ledger{}, &FieldError{Field: "reason", Msg: "is empty: say why the payment is taken back"}
	}
	return s.editLedger(actor, deal, version, func(w *writer, name string, l *Ledger) (EventKind, string, error) {
		if n < 1 || n > len(l.Payments) {
			return "", "", &FieldError{Field: "payment", Msg: fmt.Sprintf("there is no payment %d (the deal has %d)", n, len(l.Payments))}
		}
		p := &l.Payments[n-1]
		if p.Voided() {
			return "", "", invalidf("payment %d was voided by %s on %s", n, p.VoidedBy, p.VoidedAt.Format("2006-01-02"))
		}
		p.VoidedBy, p.VoidedAt, p.VoidReason = w.actor, w.now, reason
		summary := fmt.Sprintf("voided the payment of %s to %s on %s (%s)", p.Amount, name, p.PaidOn.Format("2006-01-02"), reason)
		if owed := l.Balance(w.now).Owed; len(owed) > 0 {
			summary += "; owed " + owed.String()
		}
		return PaymentVoided, summary, nil
	})
}

// owedGuard refuses to move a deal to paid while its ledger says money is
// owed, with an *OwedError that names the amount.
func owedGuard(tx Tx, d *Deal, to Stage) error {
	if to != Paid {
		return nil
	}
	l, err := tx.Ledger(d.ID)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	owed := l.Balance(time.Time{}).Owed // owed does not depend on the day
	if len(owed) == 0 {
		return nil
	}
	name := string(d.CreatorID)
	if c, err := tx.Creator(d.CreatorID); err == nil {
		name = c.Name
	}
	return &OwedError{Deal: d.ID, Creator: name, Owed: owed}
}

// MoveDealOwing moves a deal like MoveDeal but accepts paid while money
// is owed: the manager saw the OwedError and confirmed. The stage history
// says how much was owed.
func (s *Service) MoveDealOwing(actor string, deal ID, version uint64, to Stage) (Deal, error) {
	return s.moveDeal(actor, deal, version, to, true)
}

// moveDeal is MoveDeal and MoveDealOwing: owing says whether paid while
// owed is accepted (and noted) or refused with an *OwedError.
func (s *Service) moveDeal(actor string, deal ID, version uint64, to Stage, owing bool) (Deal, error) {
	if to.Index() < 0 {
		return Deal{}, invalidf("cannot move a deal to %q; use decline", to)
	}
	var d Deal
	err := s.repo.Update(func(tx Tx) (err error) {
		if d, err = s.load(tx, deal, version); err != nil {
			return err
		}
		if d.Stage == Declined {
			return invalidf("%s is declined; reopen it first", deal)
		}
		if d.Stage == to {
			return nil
		}
		reason := ""
		var owed *OwedError
		switch err := owedGuard(tx, &d, to); {
		case owing && errors.As(err, &owed):
			reason = "marked paid while still owed " + owed.Owed.String()
		case err != nil:
			return err
		}
		return s.writer(tx, actor).moveDeal(&d, to, reason)
	})
	return d, err
}

// CardMoney is what a board card says about a deal's ledger, so that
// nobody misses a post or reads "paid" on a deal still owed money.
type CardMoney struct {
	// Late counts deliverables past their due date and not posted.
	Late int
	// Owed is the money still owed, per currency.
	Owed Totals
	// PayOverdue says a payable is past its due date.
	PayOverdue bool
	// Overpaid is what was paid beyond the agreed fee, per currency
	// (Balance.Overpaid), so a card can flag a surplus nobody meant to
	// leave with the creator.
	Overpaid Totals
}

// cardMoney reads what a card shows of a deal's ledger on day now.
func cardMoney(tx Tx, d *Deal, now time.Time) (CardMoney, error) {
	m, _, err := ledgerGlance(tx, d, now)
	return m, err
}

// addDeal reads a board deal's ledger once for both its card and the
// campaign's totals (as Report counts them), returning the card's part.
func (c *CampaignMoney) addDeal(tx Tx, d *Deal, now time.Time) (CardMoney, error) {
	if c.Committed == nil {
		c.Committed, c.Paid, c.Owed, c.Overpaid = Totals{}, Totals{}, Totals{}, Totals{}
	}
	if d.Stage != Declined {
		c.Deals++
	}
	m, b, err := ledgerGlance(tx, d, now)
	if err != nil || b == nil {
		return m, err
	}
	if d.Stage != Declined {
		addTotals(c.Committed, b.Agreed)
		addTotals(c.Owed, b.Owed)
		addTotals(c.Overpaid, b.Overpaid)
	}
	addTotals(c.Paid, b.Paid)
	return m, nil
}

// addTotals adds every currency's total in from to the same currency's
// in to.
func addTotals(to, from Totals) {
	for k, n := range from {
		to[k] += n
	}
}

// ledgerGlance reads a deal's ledger into its card's flags and its
// balance; the balance is nil for a deal without a ledger.
func ledgerGlance(tx Tx, d *Deal, now time.Time) (CardMoney, *Balance, error) {
	l, err := tx.Ledger(d.ID)
	if errors.Is(err, ErrNotFound) {
		return CardMoney{}, nil, nil
	}
	if err != nil {
		return CardMoney{}, nil, err
	}
	b := l.Balance(now)
	m := CardMoney{Late: len(l.OverdueDeliverables(now)), Owed: b.Owed, PayOverdue: len(b.Overdue) > 0, Overpaid: b.Overpaid}
	if d.Stage == Declined {
		m.Late = 0 // nobody waits for the posts of a declined deal
	}
	return m, &b, nil
}
