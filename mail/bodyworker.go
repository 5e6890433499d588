package mail

import (
	"context"
	"sync/atomic"

	"roster/crm"
)

// bodyWorker fetches bodies on a second connection while the header pass
// is still running on the first. The header pass stores batch after
// batch; each batch with matched mail kicks the worker, which reads what
// the domain lists as pending (PendingBodies) and fetches it. The two
// passes then overlap, so an initial sync costs about the longer of them,
// not their sum, and both cores have work.
//
// The header pass still comes first for every message (a body is fetched
// only for mail the domain has stored and matched), and a sync with no
// pending bodies never opens the second connection.
type bodyWorker struct {
	s    *session
	kick chan struct{}
	done chan struct{}
	end  chan error
	// headers is true while the header pass runs: it owns the progress
	// line until then.
	headers atomic.Bool
}

// startBodies starts the body worker for one sync of s's account, on
// s.bodies (made on first use, kept between syncs like s itself).
func (s *session) startBodies(ctx context.Context) *bodyWorker {
	if s.bodies == nil {
		s.bodies = s.e.newSession(s.acct)
	}
	b := s.bodies
	b.sum = Summary{}
	b.reconnect = 0
	b.folders = s.folders
	w := &bodyWorker{s: b, kick: make(chan struct{}, 1), done: make(chan struct{}), end: make(chan error, 1)}
	w.headers.Store(true)
	b.headersBusy = &w.headers
	go func() { w.end <- w.run(ctx) }()
	return w
}

// run drains the pending bodies whenever kicked, and once more after the
// header pass ends.
func (w *bodyWorker) run(ctx context.Context) error {
	tried := map[crm.ID]bool{}
	for {
		if err := w.s.fetchBodies(ctx, tried); err != nil {
			return err
		}
		select {
		case <-w.kick:
		case <-w.done:
			return w.s.fetchBodies(ctx, tried)
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// stored tells the worker that a header batch with matched mail is in
// the store. It never blocks: one pending kick covers any number.
func (w *bodyWorker) stored() {
	select {
	case w.kick <- struct{}{}:
	default:
	}
}

// finish ends the header pass and waits for the bodies; the worker's
// counts and warnings join the sync's summary.
func (w *bodyWorker) finish(sum *Summary) error {
	w.headers.Store(false)
	close(w.done)
	err := <-w.end
	sum.Bodies += w.s.sum.Bodies
	sum.Warnings = append(sum.Warnings, w.s.sum.Warnings...)
	return err
}
