package crm

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Payout is one payable that is due: a line of the batch file a bank or
// PayPal takes. Reference names the payable ("<deal>-<n>") so that the
// same file, once paid, can be fed back to MarkPaid.
type Payout struct {
	DealID    ID
	CreatorID ID
	Creator   string
	Email     string
	Amount    Money // what is still owed on the payable
	Due       time.Time
	Reference string
}

// PayoutReference is the reference roster prints for payable n of a deal.
func PayoutReference(deal ID, n int) string { return fmt.Sprintf("%s-%d", deal, n) }

// parseReference splits a payout reference into deal and payable number.
func parseReference(ref string) (ID, int, bool) {
	i := strings.LastIndexByte(ref, '-')
	if i <= 0 {
		return "", 0, false
	}
	n, err := strconv.Atoi(ref[i+1:])
	if err != nil || n <= 0 {
		return "", 0, false
	}
	return ID(ref[:i]), n, true
}

// Payouts lists every payable with money owed that falls due before the
// day dueBefore (midnight UTC), earliest first, then by creator. Declined
// deals are left out: what they are owed is settled by hand.
func (s *Service) Payouts(dueBefore time.Time) ([]Payout, error) {
	var out []Payout
	cutoff := Day(dueBefore)
	err := s.repo.View(func(tx Tx) error {
		return tx.ForEachLedger(func(l *Ledger) error {
			d, err := tx.Deal(l.DealID)
			if err != nil {
				return fmt.Errorf("ledger of deal %s: %w", l.DealID, err)
			}
			if d.Stage == Declined {
				return nil
			}
			c, err := tx.Creator(d.CreatorID)
			if err != nil {
				return fmt.Errorf("deal %s: creator %s: %w", d.ID, d.CreatorID, err)
			}
			for _, p := range l.Payables() {
				if !p.Overdue(cutoff) {
					continue
				}
				out = append(out, Payout{DealID: d.ID, CreatorID: c.ID, Creator: c.Name, Email: c.PrimaryEmail(),
					Amount: p.Owed(), Due: p.Due, Reference: PayoutReference(d.ID, p.N)})
			}
			return nil
		})
	})
	slices.SortStableFunc(out, func(a, b Payout) int {
		if c := a.Due.Compare(b.Due); c != 0 {
			return c
		}
		return strings.Compare(a.Creator, b.Creator)
	})
	return out, err
}

// PaidLine is one line of a paid payouts file: the reference roster
// printed, the amount actually paid, and when and how.
type PaidLine struct {
	// Line is the line number in the file, for error messages.
	Line      int
	Reference string
	Amount    Money
	PaidOn    time.Time
	Method    string
}

// LineError says what is wrong with one line of a batch.
type LineError struct {
	Line int
	Msg  string
}

// BatchError lists every line of a batch that did not match; a batch
// with a BatchError recorded nothing.
type BatchError struct {
	Lines []LineError
}

func (e *BatchError) Error() string {
	parts := make([]string, len(e.Lines))
	for i, l := range e.Lines {
		parts[i] = fmt.Sprintf("line %d: %s", l.Line, l.Msg)
	}
	return strings.Join(parts, "\n")
}

// Is makes a BatchError match ErrInvalid.
func (e *BatchError) Is(target error) bool { return target == ErrInvalid }

// MarkPaid records a batch of payments, all or nothing: each line must
// name a payable roster knows that is still owed at least the amount, in
// its currency. Anything that does not match is reported by line in a
// *BatchError and nothing is recorded. It returns how many payments it
// recorded.
func (s *Service) MarkPaid(actor string, lines []PaidLine) (int, error) {
	return s.markPaid(actor, lines, false)
}

// CheckPaid reports what MarkPaid would refuse in lines, as a
// *BatchError, and records nothing; a batch file with unreadable lines
// can then be reported in full at once.
func (s *Service) CheckPaid(lines []PaidLine) error {
	_, err := s.markPaid("check", lines, true)
	if errors.Is(err, errDryRun) {
		return nil
	}
	return err
}

func (s *Service) markPaid(actor string, lines []PaidLine, dry bool) (int, error) {
	n := 0
	err := s.repo.Update(func(tx Tx) error {
		w := s.writer(tx, actor)
		type open struct {
			l    Ledger
			deal Deal
			name string
		}
		ledgers := map[ID]*open{}
		var order []ID
		var bad []LineError
		var events []Event
		for _, pl := range lines {
			fail := func(format string, args ...any) {
				bad = append(bad, LineError{Line: pl.Line, Msg: fmt.Sprintf(format, args...)})
			}
			deal, num, ok := parseReference(strings.TrimSpace(pl.Reference))
			if !ok {
				fail("reference %q is not a roster payout reference (deal-number)", pl.Reference)
				continue
			}
			o := ledgers[deal]
			if o == nil {
				d, err := tx.Deal(deal)
				if errors.Is(err, ErrNotFound) {
					fail("reference %s: no deal %s", pl.Reference, deal)
					continue
				} else if err != nil {
					return err
				}
				l, err := ledgerOf(tx, deal)
				if err != nil {
					return err
				}
				name := string(d.CreatorID)
				if c, err := tx.Creator(d.CreatorID); err == nil {
					name = c.Name
				}
				o = &open{l: l, deal: d, name: name}
				ledgers[deal] = o
				order = append(order, deal)
			}
			ps := o.l.Payables()
			if num > len(ps) {
				fail("reference %s: %s has no payable %d", pl.Reference, o.name, num)
				continue
			}
			p := ps[num-1]
			switch {
			case pl.Amount.Currency != p.Amount.Currency:
				fail("reference %s: paid in %s but %s is owed in %s", pl.Reference, pl.Amount.Currency, o.name, p.Amount.Currency)
				continue
			case pl.Amount.AmountMinor <= 0:
				fail("reference %s: amount %s is not more than zero", pl.Reference, pl.Amount)
				continue
			case pl.Amount.AmountMinor > p.Owed().AmountMinor:
				fail("reference %s: paid %s but %s is owed %s on it", pl.Reference, pl.Amount, o.name, p.Owed())
				continue
			}
			pay := Payment{Amount: pl.Amount, PaidOn: pl.PaidOn, Method: pl.Method, Reference: pl.Reference, Payable: num}
			if pay.PaidOn.IsZero() {
				pay.PaidOn = Day(w.now)
			}
			if err := pay.Validate(); err != nil {
				fail("%v", err)
				continue
			}
			kind, summary, err := w.recordPayment(o.name, &o.l, pay)
			if err != nil {
				fail("%v", err)
				continue
			}
			events = append(events, Event{Kind: kind, CreatorID: o.deal.CreatorID, DealID: deal,
				CampaignID: o.deal.CampaignID, Summary: summary + " (payout batch)"})
		}
		if len(bad) > 0 {
			return &BatchError{Lines: bad}
		}
		if dry {
			return errDryRun
		}
		for _, id := range order {
			o := ledgers[id]
			if err := tx.PutLedger(&o.l); err != nil {
				return err
			}
		}
		for _, e := range events {
			if err := w.event(e); err != nil {
				return err
			}
		}
		n = len(events)
		return nil
	})
	return n, err
}
