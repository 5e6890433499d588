package crmtest

import (
	"errors"
	"testing"
	"time"

	"roster/crm"
)

// OutboxContract runs the behaviours crm.OutboxTx promises against the
// repositories open makes, one fresh repository per subtest, as
// MailContract does for the mail half. check, when not nil, runs after
// every write.
func OutboxContract(t *testing.T, open func(t *testing.T) crm.Repository, check func(t *testing.T, r crm.Repository)) {
	if check == nil {
		check = func(*testing.T, crm.Repository) {}
	}
	for _, c := range []struct {
		name string
		run  func(t *testing.T, h *harness)
	}{
		{"StateIndexFollowsTheMail", testOutboxStateIndex},
		{"MessageIDIsUnique", testOutboxMessageID},
		{"Versions", testOutboxVersions},
		{"RollbackLeavesNothing", testOutboxRollback},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.run(t, &harness{r: open(t), check: check})
		})
	}
}

func outboxMail(id crm.ID, state crm.OutboxState) *crm.OutboxMail {
	return &crm.OutboxMail{ID: id, Account: "work", State: state, MessageID: string(id) + "@brand.example",
		To: []crm.Address{{Name: "Maya", Email: "maya@x.example"}}, Subject: "hi", Raw: []byte("Subject: hi\r\n\r\nhi\r\n"),
		Date: day0, NextAt: day0}
}

func (h *harness) putOutbox(t *testing.T, ms ...*crm.OutboxMail) {
	t.Helper()
	h.update(t, func(tx crm.Tx) error {
		for _, m := range ms {
			if err := tx.PutOutboxMail(m); err != nil {
				return err
			}
		}
		return nil
	})
}

func outboxIDs(ms []crm.OutboxMail) []crm.ID {
	var out []crm.ID
	for _, m := range ms {
		out = append(out, m.ID)
	}
	return out
}

func (h *harness) byState(t *testing.T, st crm.OutboxState) []crm.ID {
	t.Helper()
	var out []crm.ID
	h.view(t, func(tx crm.Tx) error {
		ms, err := tx.OutboxByState(st)
		out = outboxIDs(ms)
		return err
	})
	return out
}

func testOutboxStateIndex(t *testing.T, h *harness) {
	a, b, c := outboxMail("a1", crm.OutboxQueued), outboxMail("b2", crm.OutboxQueued), outboxMail("c3", crm.OutboxSent)
	h.putOutbox(t, b, a, c)
	want(t, "queued", h.byState(t, crm.OutboxQueued), "a1", "b2")
	want(t, "sent", h.byState(t, crm.OutboxSent), "c3")
	a.State = crm.OutboxSending
	h.putOutbox(t, a)
	want(t, "queued after claim", h.byState(t, crm.OutboxQueued), "b2")
	want(t, "sending", h.byState(t, crm.OutboxSending), "a1")
	a.State = crm.OutboxInDoubt
	h.putOutbox(t, a)
	want(t, "sending after doubt", h.byState(t, crm.OutboxSending))
	want(t, "in doubt", h.byState(t, crm.OutboxInDoubt), "a1")
	var all []crm.ID
	h.view(t, func(tx crm.Tx) error {
		return tx.ForEachOutboxMail(func(m *crm.OutboxMail) error {
			all = append(all, m.ID)
			return nil
		})
	})
	want(t, "every mail", all, "a1", "b2", "c3")
	h.view(t, func(tx crm.Tx) error {
		got, err := tx.OutboxMail("a1")
		if err != nil {
			return err
		}
		if got.State != crm.OutboxInDoubt || string(got.Raw) != string(a.Raw) || got.To[0].Email != "maya@x.example" {
			t.Errorf("read back %+v", got)
		}
		if _, err := tx.OutboxMail("zz"); !errors.Is(err, crm.ErrNotFound) {
			t.Errorf("missing mail: %v, want ErrNotFound", err)
		}
		return nil
	})
	if err := h.r.Update(func(tx crm.Tx) error {
		return tx.PutOutboxMail(outboxMail("d4", "lost"))
	}); !errors.Is(err, crm.ErrInvalid) {
		t.Errorf("unknown state: %v, want ErrInvalid", err)
	}
}

func testOutboxMessageID(t *testing.T, h *harness) {
	a := outboxMail("a1", crm.OutboxQueued)
	h.putOutbox(t, a)
	h.view(t, func(tx crm.Tx) error {
		id, ok, err := tx.OutboxByMessageID("a1@brand.example")
		if err != nil || !ok || id != "a1" {
			t.Errorf("by Message-ID: %q %v %v", id, ok, err)
		}
		if _, ok, _ := tx.OutboxByMessageID("nope@brand.example"); ok {
			t.Error("found a Message-ID nobody has")
		}
		return nil
	})
	dup := outboxMail("b2", crm.OutboxQueued)
	dup.MessageID = a.MessageID
	if err := h.r.Update(func(tx crm.Tx) error { return tx.PutOutboxMail(dup) }); !errors.Is(err, crm.ErrDuplicate) {
		t.Errorf("second mail with one Message-ID: %v, want ErrDuplicate", err)
	}
}

func testOutboxVersions(t *testing.T, h *harness) {
	a := outboxMail("a1", crm.OutboxQueued)
	h.putOutbox(t, a)
	if a.Version != 1 {
		t.Fatalf("version after create = %d", a.Version)
	}
	stale := *a
	a.State = crm.OutboxSending
	h.putOutbox(t, a)
	stale.State = crm.OutboxCancelled
	err := h.r.Update(func(tx crm.Tx) error { return tx.PutOutboxMail(&stale) })
	if !errors.Is(err, crm.ErrConflict) {
		t.Fatalf("stale write: %v, want ErrConflict", err)
	}
	ghost := outboxMail("g1", crm.OutboxQueued)
	ghost.Version = 3
	if err := h.r.Update(func(tx crm.Tx) error { return tx.PutOutboxMail(ghost) }); !errors.Is(err, crm.ErrNotFound) {
		t.Fatalf("update of a missing mail: %v, want ErrNotFound", err)
	}
}

func testOutboxRollback(t *testing.T, h *harness) {
	a := outboxMail("a1", crm.OutboxQueued)
	h.putOutbox(t, a)
	boom := errors.New("boom")
	err := h.r.Update(func(tx crm.Tx) error {
		a.State = crm.OutboxSent
		a.SentAt = day0.Add(time.Hour)
		if err := tx.PutOutboxMail(a); err != nil {
			return err
		}
		if err := tx.PutOutboxMail(outboxMail("b2", crm.OutboxQueued)); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	h.check(t, h.r)
	want(t, "queued after rollback", h.byState(t, crm.OutboxQueued), "a1")
	want(t, "sent after rollback", h.byState(t, crm.OutboxSent))
}
