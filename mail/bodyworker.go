package mail

import (
	"context"
	"slices"
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
	// queue holds what the header pass handed over, not fetched yet;
	// the header pass waits (room) while it is full, so a body pass that
	// falls behind costs no memory. stopped is set when run returns.
	mu      sync.Mutex
	room    *sync.Cond
	queue   []crm.Message
	stopped bool
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
	w.room = sync.NewCond(&w.mu)
	w.headers.Store(true)
	b.headersBusy = &w.headers
	go func() {
		err := w.run(ctx)
		w.mu.Lock()
		w.stopped = true
		w.room.Broadcast()
		w.mu.Unlock()
		w.end <- err
	}()
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

// maxQueued is how many handed-over messages may wait for the body
// worker before the header pass waits for it.
const maxQueued = pendingPage

// stored hands the worker the messages a stored header batch left
// waiting for their bodies, waiting while the queue is full (or not at
// all once the worker has stopped).
func (w *bodyWorker) stored(pending []crm.Message) {
	if len(pending) == 0 {
		return
	}
	w.mu.Lock()
	for len(w.queue) >= maxQueued && !w.stopped {
		w.room.Wait()
	}
	if !w.stopped {
		w.queue = append(w.queue, pending...)
	}
	w.mu.Unlock()
	select {
	case w.kick <- struct{}{}:
	default:
	}
}

// take removes up to a page from the queue, oldest first.
func (w *bodyWorker) take() []crm.Message {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := min(len(w.queue), pendingPage)
	batch := slices.Clone(w.queue[:n])
	w.queue = w.queue[n:]
	if len(w.queue) == 0 {
		w.queue = nil
	}
	w.room.Broadcast()
	return batch
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
