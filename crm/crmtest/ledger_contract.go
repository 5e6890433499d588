package crmtest

import (
	"errors"
	"testing"

	"roster/crm"
)

// LedgerContract runs the behaviours crm.LedgerTx promises against the
// repositories open makes, one fresh repository per subtest, as
// MailContract does for the mail half.
func LedgerContract(t *testing.T, open func(t *testing.T) crm.Repository) {
	for _, c := range []struct {
		name string
		run  func(t *testing.T, h *harness)
	}{
		{"RoundTripAndVersions", testLedgerVersions},
		{"NeedsItsDeal", testLedgerNeedsDeal},
		{"ForEachInDealOrder", testLedgerForEach},
		{"RollbackLeavesNothing", testLedgerRollback},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.run(t, &harness{r: open(t), check: func(*testing.T, crm.Repository) {}})
		})
	}
}

// putDeals stores a creator and one deal per id for ledgers to hang on.
func (h *harness) putDeals(t *testing.T, ids ...crm.ID) {
	t.Helper()
	h.update(t, func(tx crm.Tx) error {
		k := crm.Campaign{ID: "k1", Name: "General", CreatedAt: day0}
		if err := tx.PutCampaign(&k); err != nil {
			return err
		}
		c := crm.Creator{ID: "c1", Name: "Maya", CreatedAt: day0, UpdatedAt: day0}
		if err := tx.PutCreator(&c); err != nil {
			return err
		}
		for _, id := range ids {
			d := crm.Deal{ID: id, CreatorID: "c1", CampaignID: "k1", Stage: crm.Active, CreatedAt: day0, UpdatedAt: day0}
			if err := tx.PutDeal(&d); err != nil {
				return err
			}
		}
		return nil
	})
}

func ledger(deal crm.ID, fee int64) *crm.Ledger {
	return &crm.Ledger{DealID: deal,
		Terms:        []crm.Terms{{N: 1, At: day0, By: "alice", MessageID: "m1@x", Fee: crm.Money{AmountMinor: fee, Currency: "USD"}}},
		Deliverables: []crm.Deliverable{{ID: "v1", Platform: crm.TikTok, Kind: "video", Quantity: 2, Due: day(7), Status: crm.Planned}},
		Payments:     []crm.Payment{{ID: "p1", Amount: crm.Money{AmountMinor: 100, Currency: "USD"}, PaidOn: day(1), RecordedBy: "bob", RecordedAt: day(1)}},
	}
}

func (h *harness) ledgerOf(t *testing.T, deal crm.ID) (crm.Ledger, error) {
	t.Helper()
	var l crm.Ledger
	err := h.r.View(func(tx crm.Tx) (err error) {
		l, err = tx.Ledger(deal)
		return err
	})
	return l, err
}

func testLedgerVersions(t *testing.T, h *harness) {
	h.putDeals(t, "d1")
	if _, err := h.ledgerOf(t, "d1"); !errors.Is(err, crm.ErrNotFound) {
		t.Fatalf("ledger before any: %v, want not found", err)
	}
	l := ledger("d1", 50000)
	h.update(t, func(tx crm.Tx) error { return tx.PutLedger(l) })
	if l.Version != 1 {
		t.Fatalf("version after create = %d", l.Version)
	}
	got, err := h.ledgerOf(t, "d1")
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != 1 || len(got.Terms) != 1 || got.Terms[0].Fee.AmountMinor != 50000 || got.Terms[0].MessageID != "m1@x" ||
		len(got.Deliverables) != 1 || !got.Deliverables[0].Due.Equal(day(7)) || len(got.Payments) != 1 || got.Payments[0].Amount.Currency != "USD" {
		t.Fatalf("read back %+v", got)
	}
	stale := ledger("d1", 1)
	err = h.r.Update(func(tx crm.Tx) error { return tx.PutLedger(stale) })
	var ce *crm.ConflictError
	if !errors.As(err, &ce) || ce.Current != 1 || ce.Have != 0 {
		t.Fatalf("stale create: %v, want a conflict at version 1", err)
	}
	got.Terms = append(got.Terms, crm.Terms{N: 2, Fee: crm.Money{AmountMinor: 65000, Currency: "USD"}})
	h.update(t, func(tx crm.Tx) error { return tx.PutLedger(&got) })
	if again, _ := h.ledgerOf(t, "d1"); again.Version != 2 || len(again.Terms) != 2 {
		t.Fatalf("after update %+v", again)
	}
}

func testLedgerNeedsDeal(t *testing.T, h *harness) {
	err := h.r.Update(func(tx crm.Tx) error { return tx.PutLedger(ledger("nobody", 1)) })
	if !errors.Is(err, crm.ErrNotFound) {
		t.Fatalf("ledger of a missing deal: %v, want not found", err)
	}
	h.putDeals(t, "d1")
	err = h.r.Update(func(tx crm.Tx) error { l := ledger("d1", 1); l.Version = 3; return tx.PutLedger(l) })
	if !errors.Is(err, crm.ErrNotFound) {
		t.Fatalf("version 3 of a new ledger: %v, want not found", err)
	}
}

func testLedgerForEach(t *testing.T, h *harness) {
	h.putDeals(t, "d3", "d1", "d2")
	h.update(t, func(tx crm.Tx) error {
		for _, id := range []crm.ID{"d3", "d1", "d2"} {
			if err := tx.PutLedger(ledger(id, 1)); err != nil {
				return err
			}
		}
		return nil
	})
	var seen []crm.ID
	h.view(t, func(tx crm.Tx) error {
		return tx.ForEachLedger(func(l *crm.Ledger) error { seen = append(seen, l.DealID); return nil })
	})
	want(t, "ledgers", seen, "d1", "d2", "d3")
}

func testLedgerRollback(t *testing.T, h *harness) {
	h.putDeals(t, "d1")
	boom := errors.New("boom")
	err := h.r.Update(func(tx crm.Tx) error {
		if err := tx.PutLedger(ledger("d1", 1)); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	if _, err := h.ledgerOf(t, "d1"); !errors.Is(err, crm.ErrNotFound) {
		t.Fatalf("after rollback: %v, want not found", err)
	}
}
