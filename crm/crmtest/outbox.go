package crmtest

import (
	"slices"

	"roster/crm"
)

// The outbox half of the transaction, by scans like the mail half.

func (t *tx) OutboxMail(id crm.ID) (crm.OutboxMail, error) {
	m, ok := t.s.Outbox[id]
	if !ok {
		return m, notFound("outbox mail", id)
	}
	return deep(m), nil
}

func (t *tx) PutOutboxMail(m *crm.OutboxMail) error {
	t.mustWrite()
	if err := checkID("outbox mail", m.ID); err != nil {
		return err
	}
	if !m.State.Valid() {
		return &crm.FieldError{Field: "state", Msg: "is not an outbox state: " + string(m.State)}
	}
	old, exists := t.s.Outbox[m.ID]
	if err := checkVersion("outbox mail", m.ID, old.Version, exists, m.Version); err != nil {
		return err
	}
	if m.MessageID != "" {
		for id, x := range t.s.Outbox {
			if id != m.ID && x.MessageID == m.MessageID {
				return &crm.DuplicateError{Key: "Message-ID " + m.MessageID, Owner: id}
			}
		}
	}
	m.Version = old.Version + 1
	t.s.Outbox[m.ID] = deep(*m)
	return nil
}

func (t *tx) outbox(keep func(*crm.OutboxMail) bool) []crm.OutboxMail {
	var out []crm.OutboxMail
	for _, id := range sortedKeys(t.s.Outbox) {
		m := t.s.Outbox[id]
		if keep(&m) {
			out = append(out, deep(m))
		}
	}
	return out
}

func (t *tx) OutboxByState(state crm.OutboxState) ([]crm.OutboxMail, error) {
	return t.outbox(func(m *crm.OutboxMail) bool { return m.State == state }), nil
}

func (t *tx) OutboxByMessageID(mid string) (crm.ID, bool, error) {
	ms := t.outbox(func(m *crm.OutboxMail) bool { return mid != "" && m.MessageID == mid })
	if len(ms) == 0 {
		return "", false, nil
	}
	return ms[0].ID, true, nil
}

func (t *tx) ForEachOutboxMail(fn func(*crm.OutboxMail) error) error {
	for _, m := range slices.Clone(t.outbox(func(*crm.OutboxMail) bool { return true })) {
		if err := fn(&m); err != nil {
			return err
		}
	}
	return nil
}
