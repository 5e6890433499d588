package crmtest

import (
	"roster/crm"
)

// The ledger half of the transaction: one record per deal, keyed by the
// deal's ID.

func (t *tx) Ledger(deal crm.ID) (crm.Ledger, error) {
	l, ok := t.s.Ledgers[deal]
	if !ok {
		return l, notFound("ledger", deal)
	}
	return deep(l), nil
}

func (t *tx) PutLedger(l *crm.Ledger) error {
	t.mustWrite()
	if err := checkID("ledger", l.DealID); err != nil {
		return err
	}
	if _, ok := t.s.Deals[l.DealID]; !ok {
		return notFound("deal", l.DealID)
	}
	old, ok := t.s.Ledgers[l.DealID]
	if err := checkVersion("ledger", l.DealID, old.Version, ok, l.Version); err != nil {
		return err
	}
	l.Version = old.Version + 1
	t.s.Ledgers[l.DealID] = deep(*l)
	return nil
}

func (t *tx) ForEachLedger(fn func(*crm.Ledger) error) error {
	for _, id := range sortedKeys(t.s.Ledgers) {
		l := deep(t.s.Ledgers[id])
		if err := fn(&l); err != nil {
			return err
		}
	}
	return nil
}
