package crm

import "sync"

// maxPending bounds what a subscriber that does not read can hold; past it
// the subscriber is told to reload everything instead.
const maxPending = 4096

// Feed fans committed events out to subscribers (one per UI program). A
// publisher never blocks and a subscriber never misses a change: events
// queue per subscriber, and a subscriber that falls far behind gets one
// Reset instead of an unbounded queue. It is safe for concurrent use.
type Feed struct {
	mu   sync.Mutex
	subs map[*Subscription]struct{}
}

// Subscription is one reader of a Feed.
type Subscription struct {
	feed    *Feed
	ready   chan struct{}
	mu      sync.Mutex
	pending []Event
	reset   bool
}

// Subscribe starts receiving events committed from now on.
func (f *Feed) Subscribe() *Subscription {
	s := &Subscription{feed: f, ready: make(chan struct{}, 1)}
	f.mu.Lock()
	if f.subs == nil {
		f.subs = map[*Subscription]struct{}{}
	}
	f.subs[s] = struct{}{}
	f.mu.Unlock()
	return s
}

// Publish hands events to every subscriber. The store calls it after a
// commit, outside the transaction.
func (f *Feed) Publish(events []Event) {
	if len(events) == 0 {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for s := range f.subs {
		s.mu.Lock()
		if len(s.pending)+len(events) > maxPending {
			s.pending, s.reset = nil, true
		} else if !s.reset {
			s.pending = append(s.pending, events...)
		}
		s.mu.Unlock()
		select {
		case s.ready <- struct{}{}:
		default:
		}
	}
}

// Ready is signalled when events are waiting; then call Take.
func (s *Subscription) Ready() <-chan struct{} { return s.ready }

// Take returns the waiting events, oldest first, or reset=true when the
// subscriber fell behind and must reload everything.
func (s *Subscription) Take() (events []Event, reset bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	events, reset = s.pending, s.reset
	s.pending, s.reset = nil, false
	return events, reset
}

// Close stops the subscription; it is safe to call twice.
func (s *Subscription) Close() {
	s.feed.mu.Lock()
	delete(s.feed.subs, s)
	s.feed.mu.Unlock()
}

// Subscribers counts open subscriptions, for the server's status and tests.
func (f *Feed) Subscribers() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.subs)
}
