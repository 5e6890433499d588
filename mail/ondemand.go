package mail

import (
	"context"
	"errors"

	"roster/crm"
)

var _ crm.BodyFetcher = (*Engine)(nil)

// FetchBody reads one message's body now, on a connection of its own, from
// the first copy the sync knows that the server still has: unmatched mail
// is synced headers only (mail-layer.md: bodies for matched mail), and a
// manager reading a pitch from someone unknown should not have to make
// them a prospect first. The body is stored as the sync stores bodies
// (crm.SetBodies), so the views hear of it. When no body comes back it is
// an error saying why: every copy the last sync saw is gone (moved or
// deleted on the server since; one roster knows no copy of at all is also
// marked with that problem, as a sync marks it), the server cannot be
// reached, the message is over maxWholeMessage, or the copy it has cannot
// be delivered.
//
// It runs beside a sync (another connection, and the store's write
// transactions keep the two apart) and reports no progress: the status
// line is the sync's.
func (e *Engine) FetchBody(ctx context.Context, m crm.Message) error {
	raw, known, err := e.fetchWhole(ctx, m)
	if err != nil {
		if !known && errors.Is(err, errGoneFromServer) {
			// Marked as a sync marks it, so it is not asked for again.
			problem := crm.ParsedMessage{Problems: []string{"no copy left on the server to read the body from"}}
			if _, err := e.svc.SetBodies([]crm.FetchedBody{{Message: m, Parsed: problem}}); err != nil {
				return err
			}
		}
		return err
	}
	_, err = e.svc.SetBodies([]crm.FetchedBody{{Message: m, Parsed: parseBody(&rawBody{msg: m, raw: raw})}})
	return err
}
