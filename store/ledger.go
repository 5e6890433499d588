package store

import (
	"fmt"

	"roster/crm"

	bolt "go.etcd.io/bbolt"
)

// This file is crm.LedgerTx: one bucket, deal ID → ledger (the deal's
// terms versions, deliverables and payments). A ledger is small and read
// with its deal, so it needs no index; the payouts view walks them all.

var (
	bucketLedgers              = []byte("ledgers")
	_             crm.LedgerTx = (*tx)(nil)
)

// createLedgers is schema 6: the ledgers bucket, empty.
func createLedgers(tx *bolt.Tx) error {
	if _, err := tx.CreateBucketIfNotExists(bucketLedgers); err != nil {
		return fmt.Errorf("create bucket %s: %w", bucketLedgers, err)
	}
	return nil
}

// Ledger reads a deal's ledger; a deal without one wraps crm.ErrNotFound.
func (t *tx) Ledger(deal crm.ID) (crm.Ledger, error) {
	var l crm.Ledger
	b, err := t.bucket(bucketLedgers)
	if err != nil {
		return l, err
	}
	return l, get(b, nil, "ledger", deal, &l)
}

// PutLedger stores l at the next version. The deal must exist: a ledger
// of nothing could never be shown or exported.
func (t *tx) PutLedger(l *crm.Ledger) error {
	if err := t.writable(); err != nil {
		return err
	}
	if err := checkID("ledger", l.DealID); err != nil {
		return err
	}
	if t.b.deals.Get([]byte(l.DealID)) == nil {
		return fmt.Errorf("deal %s: %w", l.DealID, crm.ErrNotFound)
	}
	b, err := t.bucket(bucketLedgers)
	if err != nil {
		return err
	}
	key := []byte(l.DealID)
	var old crm.Ledger
	data := b.Get(key)
	if data != nil {
		if err := decode(data, &old); err != nil {
			return unreadable("ledger", l.DealID, err)
		}
	}
	if err := checkVersion("ledger", l.DealID, l.Version, data != nil, old.Version); err != nil {
		return err
	}
	rec := *l
	rec.Version = old.Version + 1
	enc, err := encode(&rec)
	if err != nil {
		return fmt.Errorf("ledger %s: %w", l.DealID, err)
	}
	if err := b.Put(key, enc); err != nil {
		return err
	}
	l.Version = rec.Version
	return nil
}

// ForEachLedger visits every ledger in deal ID order.
func (t *tx) ForEachLedger(fn func(*crm.Ledger) error) error {
	b, err := t.bucket(bucketLedgers)
	if err != nil {
		return err
	}
	return forEach[crm.Ledger](b, nil, "ledger", fn)
}
