package mail

import (
	"context"
	"sync"
	"sync/atomic"

	"roster/crm"
)

// bodyWorker fetches bodies on a second connection while the header pass
// is still running on the first. The header pass stores batch after
// batch and hands the worker the matched messages each batch left without
// a body (crm.IngestResult.Pending), which it fetches at once: the two
// passes overlap, so an initial sync costs about the longer of them, not
// their sum, and both cores have work. What the domain lists as pending
// otherwise (PendingBodies: a sync killed before its bodies, threads
// claimed or merged) is drained before and after, so reading message
// records back is kept to those.
//
// The header pass still comes first for every message (a body is fetched
// only for mail the domain has stored and matched), and a sync with no
// pending bodies never opens the second connection.
type bodyWorker struct {
	s    *session
	kick chan struct{}
	done chan struct{}
	end  chan error
	// queue holds what the header pass handed over, not fetched yet.
	mu    sync.Mutex
	queue []crm.Message
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

// run fetches what is left pending from before, then what the header
// pass hands over as it comes, and once the header pass is over whatever
// else is pending.
func (w *bodyWorker) run(ctx context.Context) error {
	tried := map[crm.ID]bool{}
	if err := w.s.fetchBodies(ctx, tried); err != nil {
		return err
	}
	for {
		if batch := w.take(); len(batch) > 0 {
			if err := w.s.fetchSome(ctx, batch, tried); err != nil {
				return err
			}
			continue
		}
		select {
		case <-w.kick:
		case <-w.done:
			if batch := w.take(); len(batch) > 0 {
				if err := w.s.fetchSome(ctx, batch, tried); err != nil {
					return err
				}
			}
			return w.s.fetchBodies(ctx, tried)
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// stored hands the worker the messages a stored header batch left
// waiting for their bodies. It never blocks.
func (w *bodyWorker) stored(pending []crm.Message) {
	if len(pending) == 0 {
		return
	}
	w.mu.Lock()
	w.queue = append(w.queue, pending...)
	w.mu.Unlock()
	select {
	case w.kick <- struct{}{}:
	default:
	}
}

// take empties the queue.
func (w *bodyWorker) take() []crm.Message {
	w.mu.Lock()
	defer w.mu.Unlock()
	q := w.queue
	w.queue = nil
	return q
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
