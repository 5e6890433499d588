package mail

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"roster/crm"
)

var _ crm.BodyFetcher = (*Engine)(nil)

// FetchBody reads one message's body now, on a connection of its own, from
// a copy in a mailbox the sync knows: unmatched mail is synced headers
// only (mail-layer.md: bodies for matched mail), and a manager reading a
// pitch from someone unknown should not have to make them a prospect
// first. The body is stored as the sync stores bodies (crm.SetBodies), so
// the views hear of it. When no body comes back it is an error saying
// why: the copy the last sync saw is gone (moved or deleted on the
// server since; one roster knows no copy of at all is also marked with
// that problem, as a sync marks it), the server cannot be reached, or
// the copy it has cannot be delivered.
//
// It runs beside a sync (another connection, and the store's write
// transactions keep the two apart) and reports no progress: the status
// line is the sync's.
func (e *Engine) FetchBody(ctx context.Context, m crm.Message) error {
	acct, ok := e.cfg.Account(m.Account)
	if !ok {
		return fmt.Errorf("the message came from account %q, which the config no longer has", m.Account)
	}
	s := e.newSession(acct)
	s.quiet = true
	defer s.logout()
	if err := s.fetchSome(ctx, []crm.Message{m}, map[crm.ID]bool{}); err != nil {
		return err
	}
	if len(s.sum.Warnings) > 0 {
		// fetchSome carries on past a mailbox that failed; here that
		// mailbox was the only one.
		return errors.New(strings.Join(s.sum.Warnings, "; "))
	}
	if s.sum.Bodies == 0 {
		// A UID expunged since the last sync is answered with nothing,
		// not an error: without this the message would stay as it was,
		// headers only, with no word of why.
		return errors.New("the server no longer has this message where roster last saw it: it was moved or deleted since the last sync")
	}
	return nil
}
