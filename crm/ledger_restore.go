package crm

import (
	"bytes"
	"errors"
	"fmt"
)

// restoreLedgers writes the snapshot's ledgers back over their deals, for
// Restore: each is checked by the rules a form applies (a problem names
// the deal and is reported like any other), keeps its versions, times
// and authors, and replaces what the roster had for that deal. A ledger
// equal to the stored one writes nothing.
func (w *writer) restoreLedgers(snap Snapshot, res *ImportResult, file, from string) error {
	for _, d := range snap.Deals {
		l, ok := snap.Ledgers[d.ID]
		if !ok {
			continue
		}
		problem := func(format string, args ...any) {
			res.Problems = append(res.Problems, Problem{File: file, Msg: fmt.Sprintf("deal %s: ", d.ID) + fmt.Sprintf(format, args...)})
		}
		deal, err := w.tx.Deal(d.ID)
		if errors.Is(err, ErrNotFound) {
			continue // the deal's own problem is reported already
		} else if err != nil {
			return err
		}
		bad := false
		for i := range l.Terms {
			if err := l.Terms[i].Validate(); err != nil {
				problem("terms version %d: %v", l.Terms[i].N, err)
				bad = true
			}
		}
		for i := range l.Deliverables {
			if err := l.Deliverables[i].Validate(); err != nil {
				problem("deliverable %s: %v", l.Deliverables[i].ID, err)
				bad = true
			}
		}
		for i := range l.Payments {
			if err := l.Payments[i].Validate(); err != nil {
				problem("payment %s: %v", l.Payments[i].ID, err)
				bad = true
			}
		}
		if bad {
			continue
		}
		l.DealID, l.Version = d.ID, 0
		old, err := w.tx.Ledger(d.ID)
		switch {
		case errors.Is(err, ErrNotFound):
		case err != nil:
			return err
		default:
			stored := old.Version
			old.Version = 0
			if bytes.Equal(rawJSON(old), rawJSON(l)) {
				continue
			}
			l.Version = stored
		}
		if err := w.tx.PutLedger(&l); err != nil {
			return err
		}
		summary := fmt.Sprintf("%s: %s, %s, %s", from, Count(len(l.Terms), "terms version"), Count(len(l.Deliverables), "deliverable"), Count(len(l.Payments), "payment"))
		if err := w.event(Event{Kind: TermsRecorded, CreatorID: deal.CreatorID, DealID: deal.ID, CampaignID: deal.CampaignID,
			Summary: summary, After: rawJSON(l)}); err != nil {
			return err
		}
	}
	return nil
}
