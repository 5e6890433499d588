package crm

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Ledger is everything agreed and paid on one deal: the terms versions,
// the deliverables tracked against them and the payments made. It is one
// record per deal (keyed by the deal's ID) so that recording a payment or
// a new version is one versioned write, checked for conflicts like the
// deal itself. Payables are not stored: they follow from the current
// terms and the deliverables' dates (see Payables), so they can never
// disagree with the terms.
type Ledger struct {
	DealID       ID            `json:"deal_id"`
	Version      uint64        `json:"version"`
	Terms        []Terms       `json:"terms,omitempty"`
	Deliverables []Deliverable `json:"deliverables,omitempty"`
	Payments     []Payment     `json:"payments,omitempty"`
}

// LedgerTx is the part of a transaction that holds ledgers. PutLedger
// checks versions as the other Put methods do; Ledger of a deal with no
// ledger wraps ErrNotFound.
type LedgerTx interface {
	Ledger(deal ID) (Ledger, error)
	PutLedger(l *Ledger) error
	// ForEachLedger visits every ledger in deal ID order.
	ForEachLedger(fn func(*Ledger) error) error
}

// Current is the latest terms version; ok is false before any.
func (l *Ledger) Current() (Terms, bool) {
	if len(l.Terms) == 0 {
		return Terms{}, false
	}
	return l.Terms[len(l.Terms)-1], true
}

// Payment is money paid to the creator against the deal.
type Payment struct {
	ID     ID        `json:"id"`
	Amount Money     `json:"amount"`
	PaidOn time.Time `json:"paid_on"`
	Method string    `json:"method,omitempty"`
	// Reference is the bank or PayPal reference, or the payout reference
	// roster printed for the payable.
	Reference string `json:"reference,omitempty"`
	// Payable is the 1-based number of the payable the manager meant it
	// for; 0 applies it to the earliest open ones.
	Payable    int       `json:"payable,omitempty"`
	RecordedBy string    `json:"recorded_by"`
	RecordedAt time.Time `json:"recorded_at"`
	// A payment recorded by mistake (wrong amount, wrong creator) is
	// voided, never deleted: it stays in the ledger, with who voided it,
	// when and why, and no longer counts.
	VoidedBy   string    `json:"voided_by,omitempty"`
	VoidedAt   time.Time `json:"voided_at,omitzero"`
	VoidReason string    `json:"void_reason,omitempty"`
}

// Voided reports whether the payment was taken back (VoidPayment).
func (p *Payment) Voided() bool { return !p.VoidedAt.IsZero() }

// Validate checks the fields of a payment being recorded.
func (p *Payment) Validate() error {
	c, err := NormalizeCurrency("currency", p.Amount.Currency)
	if err != nil {
		return err
	}
	p.Amount.Currency = c
	if p.Amount.AmountMinor <= 0 {
		return &FieldError{Field: "amount", Msg: "must be more than zero"}
	}
	if p.PaidOn.IsZero() {
		return &FieldError{Field: "date", Msg: "is missing"}
	}
	p.Method = SanitizeLine(strings.TrimSpace(p.Method))
	p.Reference = SanitizeLine(strings.TrimSpace(p.Reference))
	return nil
}

// Payable is one installment of the current terms turned into money and
// a date, with what has been paid against it.
type Payable struct {
	// N numbers the payables of a deal from 1, in schedule order.
	N      int
	Label  string // "50% on signing"
	Amount Money
	Due    time.Time
	Paid   Money
	// Known is false when the due date waits on something not yet
	// planned (the last post, with no deliverable dated).
	Known bool
}

// Owed is what is left to pay on the payable.
func (p Payable) Owed() Money {
	return Money{AmountMinor: p.Amount.AmountMinor - p.Paid.AmountMinor, Currency: p.Amount.Currency}
}

// Overdue reports whether money is owed and the due day is before day
// now: what flags a card, and with now the day after a cutoff, what
// Payouts lists. A payable whose date waits on the last post never is.
func (p Payable) Overdue(now time.Time) bool {
	return p.Known && p.Owed().AmountMinor > 0 && Day(now).After(Day(p.Due))
}

// Payables expands the current terms' schedule into amounts that add up
// to the fee exactly (largest remainder, see Split) with their due dates,
// and applies the payments in the fee's currency to them: a payment meant
// for one payable goes there first, anything else fills the earliest
// open payable. A fee with no schedule is one payable due on signing.
func (l *Ledger) Payables() []Payable {
	t, ok := l.Current()
	if !ok || t.Fee.AmountMinor == 0 {
		return nil
	}
	sched := t.Schedule
	if len(sched) == 0 {
		sched = []Installment{{ShareBP: 10000, Trigger: OnSigning}}
	}
	weights := make([]int64, len(sched))
	for i, in := range sched {
		weights[i] = int64(in.ShareBP)
	}
	amounts := Split(t.Fee.AmountMinor, weights)
	signed := Day(t.At)
	last, haveLast := l.lastPost()
	out := make([]Payable, len(sched))
	for i, in := range sched {
		p := Payable{N: i + 1, Label: in.String(), Amount: Money{AmountMinor: amounts[i], Currency: t.Fee.Currency},
			Paid: Money{Currency: t.Fee.Currency}, Known: true}
		switch in.Trigger {
		case OnDate:
			p.Due = in.Date
		case OnLastPost:
			p.Due, p.Known = last.AddDate(0, 0, in.Days), haveLast
		default:
			p.Due = signed.AddDate(0, 0, in.Days)
		}
		out[i] = p
	}
	pays := slices.DeleteFunc(slices.Clone(l.Payments), func(p Payment) bool { return p.Voided() })
	slices.SortStableFunc(pays, func(a, b Payment) int { return a.PaidOn.Compare(b.PaidOn) })
	for _, pay := range pays {
		if pay.Amount.Currency != t.Fee.Currency {
			continue
		}
		left := pay.Amount.AmountMinor
		fill := func(p *Payable) {
			room := p.Amount.AmountMinor - p.Paid.AmountMinor
			if room <= 0 || left <= 0 {
				return
			}
			n := min(room, left)
			p.Paid.AmountMinor += n
			left -= n
		}
		if pay.Payable >= 1 && pay.Payable <= len(out) {
			fill(&out[pay.Payable-1])
		}
		for i := range out {
			fill(&out[i])
		}
	}
	return out
}

// Balance is a deal's money at a glance, one total per currency: never
// a sum across currencies.
type Balance struct {
	Agreed  Totals
	Paid    Totals
	Owed    Totals
	Overdue Totals
	// Overpaid is what was paid beyond the agreed fee, per currency of
	// the fee. A manager may confirm a payment of more than is owed (a
	// bonus, a reimbursement, a typo let through), and Owed stops at
	// zero, so without it an overpaid deal would read like one paid
	// exactly on the board, the report and the Terms tab alike.
	Overpaid Totals
}

// Balance sums the ledger on day now. Owed is agreed minus paid per
// currency, never below zero, and Overpaid is paid minus agreed, never
// below zero; payments in a currency the fee is not in count as paid,
// not against the fee, so they are neither owed nor overpaid.
func (l *Ledger) Balance(now time.Time) Balance {
	b := Balance{Agreed: Totals{}, Paid: Totals{}, Owed: Totals{}, Overdue: Totals{}, Overpaid: Totals{}}
	if t, ok := l.Current(); ok && t.Fee.AmountMinor != 0 {
		b.Agreed.Add(t.Fee)
	}
	for _, p := range l.Payments {
		if !p.Voided() {
			b.Paid.Add(p.Amount)
		}
	}
	for c, n := range b.Agreed {
		switch owed := n - b.Paid[c]; {
		case owed > 0:
			b.Owed[c] = owed
		case owed < 0:
			b.Overpaid[c] = -owed
		}
	}
	for _, p := range l.Payables() {
		if p.Overdue(now) {
			b.Overdue.Add(p.Owed())
		}
	}
	return b
}

// OwedError is what moving a deal to paid returns while money is still
// owed on it: the UI turns it into a confirmation that says how much
// ("Maya Chen is still owed 250.00 USD. Mark paid anyway?") and calls
// MoveDealOwing when the manager confirms.
type OwedError struct {
	Deal    ID
	Creator string
	Owed    Totals
}

func (e *OwedError) Error() string {
	return fmt.Sprintf("%s is still owed %s", e.Creator, e.Owed)
}

// Is makes an OwedError match ErrInvalid for callers that only know that.
func (e *OwedError) Is(target error) bool { return target == ErrInvalid }
