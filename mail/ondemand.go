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
// the views hear of it. A message with no copy left on the server gets a
// problem saying so rather than an error, as in a sync; a server that
// cannot be reached, or a copy it cannot deliver, is the error.
//
// It runs beside a sync (another connection, and the store's write
// transactions keep the two apart) and reports no progress: the status
// line is the sync's.
func (e *Engine) FetchBody(ctx context.Context, m crm.Message) error {
	acct := -1
	for i := range e.cfg.Accounts {
		if e.cfg.Accounts[i].Name == m.Account {
			acct = i
		}
	}
	if acct < 0 {
		return fmt.Errorf("the message came from account %q, which the config no longer has", m.Account)
	}
	s := e.newSession(&e.cfg.Accounts[acct])
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
	return nil
}
