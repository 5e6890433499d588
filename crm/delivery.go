package crm

import (
	"fmt"
	"time"
)

// The delivery worker's side of the outbox. Each method is one committed
// step, so that a crash between any two of them leaves a state the next
// start understands: a mail found "sending" was in the hands of a process
// that died, and nobody knows whether the server took it.

// DueMails lists queued mail whose time has come, oldest first, at most
// limit (0: all).
func (s *Service) DueMails(now time.Time, limit int) ([]OutboxMail, error) {
	var out []OutboxMail
	err := s.repo.View(func(tx Tx) error {
		ms, err := tx.OutboxByState(OutboxQueued)
		for _, m := range ms {
			if !m.NextAt.After(now) {
				out = append(out, m)
				if limit > 0 && len(out) == limit {
					break
				}
			}
		}
		return err
	})
	return out, err
}

// ClaimMail moves a queued mail to sending and counts the attempt,
// committed before the worker dials: from here until the outcome is
// recorded, a crash makes the mail in doubt rather than queued, so it is
// never sent again blindly. A mail that is no longer queued (cancelled a
// moment ago) is refused with ErrConflict.
func (s *Service) ClaimMail(id ID) (OutboxMail, error) {
	return s.step(id, func(w *writer, m *OutboxMail) error {
		if m.State != OutboxQueued {
			return fmt.Errorf("outbox mail %s is %s, not queued: %w", id, m.State, ErrConflict)
		}
		m.State = OutboxSending
		m.Attempts++
		return nil
	})
}

// MailDelivered records that the server accepted the message (or that it
// was found in the Sent folder); response is the server's reply. The
// first mail to a prospect moves the deal to contacted.
func (s *Service) MailDelivered(id ID, response string) (OutboxMail, error) {
	return s.step(id, func(w *writer, m *OutboxMail) error {
		if m.State != OutboxSending && m.State != OutboxInDoubt {
			return fmt.Errorf("outbox mail %s is %s: %w", id, m.State, ErrConflict)
		}
		m.State, m.Response, m.LastError, m.SentAt = OutboxSent, SanitizeLine(response), "", w.now
		if err := w.mailEvent(m, MailSent, "sent "+m.describe()); err != nil {
			return err
		}
		return s.followSent(w, m)
	})
}

// MailDeferred records a temporary failure before the server took the
// message (4xx, a server that could not be reached): the mail is queued
// again for next. After MaxAttempts it is failed instead.
func (s *Service) MailDeferred(id ID, problem string, next time.Time) (OutboxMail, error) {
	return s.step(id, func(w *writer, m *OutboxMail) error {
		if m.State != OutboxSending {
			return fmt.Errorf("outbox mail %s is %s: %w", id, m.State, ErrConflict)
		}
		m.LastError = SanitizeLine(problem)
		if m.Attempts >= MaxAttempts {
			m.State = OutboxFailed
			m.LastError = fmt.Sprintf("gave up after %d attempts: %s", m.Attempts, m.LastError)
			return w.mailEvent(m, MailFailed, "could not send "+m.describe()+": "+m.LastError)
		}
		m.State, m.NextAt = OutboxQueued, next
		w.tx.Notify(Event{Kind: OutboxChanged, CreatorID: m.CreatorID, At: w.now})
		return nil
	})
}

// MailFailed records a permanent refusal (5xx, a refused login, a TLS
// failure): the mail waits for the manager to fix the cause and retry,
// or cancel.
func (s *Service) MailFailed(id ID, problem string) (OutboxMail, error) {
	return s.leaveSending(id, OutboxFailed, MailFailed, "could not send ", problem)
}

// MailInDoubt records that nobody knows whether the server took the
// message: the connection dropped after the final dot, or the process
// died while sending.
func (s *Service) MailInDoubt(id ID, why string) (OutboxMail, error) {
	return s.leaveSending(id, OutboxInDoubt, MailInDoubt, "may or may not have sent ", why)
}

// leaveSending ends an attempt in state to, logging verb, the mail and
// the problem.
func (s *Service) leaveSending(id ID, to OutboxState, kind EventKind, verb, problem string) (OutboxMail, error) {
	return s.step(id, func(w *writer, m *OutboxMail) error {
		if m.State != OutboxSending {
			return fmt.Errorf("outbox mail %s is %s: %w", id, m.State, ErrConflict)
		}
		m.State, m.LastError = to, SanitizeLine(problem)
		return w.mailEvent(m, kind, verb+m.describe()+": "+m.LastError)
	})
}

// DoubtUnresolved records that the Sent folder was searched for a mail in
// doubt and does not hold it: roster stops looking, the manager decides.
func (s *Service) DoubtUnresolved(id ID, note string) (OutboxMail, error) {
	return s.step(id, func(w *writer, m *OutboxMail) error {
		if m.State != OutboxInDoubt {
			return fmt.Errorf("outbox mail %s is %s: %w", id, m.State, ErrConflict)
		}
		m.DoubtChecked = true
		m.LastError = SanitizeLine(m.LastError + "; " + note)
		w.tx.Notify(Event{Kind: OutboxChanged, CreatorID: m.CreatorID, At: w.now})
		return nil
	})
}

// MailFiled records how the Sent folder got its copy of a sent mail:
// "server" or "appended".
func (s *Service) MailFiled(id ID, how string) (OutboxMail, error) {
	return s.step(id, func(w *writer, m *OutboxMail) error {
		if m.State != OutboxSent {
			return fmt.Errorf("outbox mail %s is %s: %w", id, m.State, ErrConflict)
		}
		m.SentCopy = how
		w.tx.Notify(Event{Kind: OutboxChanged, CreatorID: m.CreatorID, At: w.now})
		return nil
	})
}

// RecoverOutbox runs when a worker starts: every mail still "sending" was
// being sent by a process that stopped, so it is now in doubt. It returns
// how many.
func (s *Service) RecoverOutbox() (int, error) {
	var n int
	err := s.repo.Update(func(tx Tx) error {
		n = 0
		ms, err := tx.OutboxByState(OutboxSending)
		if err != nil {
			return err
		}
		w := s.writer(tx, "roster")
		for i := range ms {
			m := &ms[i]
			m.State = OutboxInDoubt
			m.LastError = "roster stopped while sending it"
			m.UpdatedAt = w.now
			if err := tx.PutOutboxMail(m); err != nil {
				return err
			}
			if err := w.mailEvent(m, MailInDoubt, "may or may not have sent "+m.describe()+": "+m.LastError); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// step changes one mail as the worker (actor "roster") in one transaction.
func (s *Service) step(id ID, fn func(w *writer, m *OutboxMail) error) (OutboxMail, error) {
	var m OutboxMail
	err := s.repo.Update(func(tx Tx) (err error) {
		if m, err = tx.OutboxMail(id); err != nil {
			return err
		}
		w := s.writer(tx, "roster")
		if err := fn(w, &m); err != nil {
			return err
		}
		m.UpdatedAt = w.now
		return tx.PutOutboxMail(&m)
	})
	return m, err
}
