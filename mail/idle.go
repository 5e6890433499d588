package mail

import (
	"context"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"roster/mail/config"
)

// Timings of the background loop.
const (
	// debounce gathers the burst of notifications one delivery causes
	// (EXISTS, then FETCH flags, sometimes per copy) into one sync.
	debounce = 300 * time.Millisecond
	// pollEvery is how often a server without IDLE is asked (NOOP).
	pollEvery = 30 * time.Second
	// backoffMin and backoffMax bound reconnection delays.
	backoffMin = 2 * time.Second
	backoffMax = 5 * time.Minute
)

// Run keeps mail current until ctx ends: a first sync of everything, then
// one IDLE connection per account on INBOX (All Mail on Gmail) that
// triggers a sync of that account within a second of new mail, a full
// sync every [sync] interval for the folders IDLE does not watch, and a
// sync whenever SyncNow is called. Lost connections come back with
// exponential backoff and jitter, so a flaky network or a restarting
// server is neither hammered nor given up on.
func (e *Engine) Run(ctx context.Context) {
	if len(e.cfg.Accounts) == 0 {
		return
	}
	pool := map[string]*session{}
	defer func() {
		for _, s := range pool {
			s.logout()
		}
	}()
	pokes := make(chan string, 64)
	var wg sync.WaitGroup
	defer wg.Wait()
	for i := range e.cfg.Accounts {
		a := &e.cfg.Accounts[i]
		wg.Add(1)
		go func() {
			defer wg.Done()
			e.watch(ctx, a, pokes)
		}()
	}

	all := func() map[string]bool {
		m := map[string]bool{}
		for _, a := range e.cfg.Accounts {
			m[a.Name] = true
		}
		return m
	}
	due := all()
	retry := map[string]time.Time{}
	backoffs := map[string]*backoff{}
	nextFull := time.Now().Add(e.cfg.Sync.Interval)
	for {
		if len(due) > 0 {
			_, failed := e.syncAll(ctx, due, pool)
			if ctx.Err() != nil {
				return
			}
			for name := range due {
				b := backoffs[name]
				if b == nil {
					b = &backoff{}
					backoffs[name] = b
				}
				if err, bad := failed[name]; bad {
					d := b.next()
					retry[name] = time.Now().Add(d)
					e.log.Info("will retry", "account", name, "in", d.Round(time.Second), "err", err)
				} else {
					b.reset()
					delete(retry, name)
				}
			}
			due = map[string]bool{}
			e.prog.idle()
		}
		wake := nextFull
		for _, t := range retry {
			if t.Before(wake) {
				wake = t
			}
		}
		timer := time.NewTimer(time.Until(wake))
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-e.trigger:
			due = all()
		case name := <-pokes:
			due[name] = true
			gather(ctx, pokes, due)
		case <-timer.C:
			now := time.Now()
			if !now.Before(nextFull) {
				due = all()
				nextFull = now.Add(e.cfg.Sync.Interval)
			}
			for name, t := range retry {
				if !now.Before(t) {
					due[name] = true
				}
			}
		}
		timer.Stop()
	}
}

// gather waits briefly for more notifications so one burst is one sync.
func gather(ctx context.Context, pokes <-chan string, due map[string]bool) {
	t := time.NewTimer(debounce)
	defer t.Stop()
	for {
		select {
		case name := <-pokes:
			due[name] = true
		case <-t.C:
			return
		case <-ctx.Done():
			return
		}
	}
}

// watch keeps an IDLE connection for one account open, reconnecting with
// backoff, and sends the account's name on pokes when mail arrives.
func (e *Engine) watch(ctx context.Context, a *config.Account, pokes chan<- string) {
	poke := func() {
		select {
		case pokes <- a.Name:
		default:
		}
	}
	var b backoff
	for first := true; ctx.Err() == nil; first = false {
		start := time.Now()
		err := e.idle(ctx, a, poke, !first)
		if ctx.Err() != nil {
			return
		}
		if time.Since(start) > time.Minute {
			b.reset()
		}
		d := b.next()
		e.log.Info("idle connection lost", "account", a.Name, "retry_in", d.Round(time.Second), "err", err)
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

// idle runs one IDLE connection until it fails or ctx ends. IDLE is
// renewed every IdleRestart, which also proves the connection alive: a
// dead one fails the renewal within CommandTimeout.
func (e *Engine) idle(ctx context.Context, a *config.Account, poke func(), reconnected bool) error {
	s := e.newSession(a)
	s.debug = false
	s.onChange = poke
	defer s.close()
	if err := s.connect(ctx); err != nil {
		return err
	}
	if err := s.discover(ctx); err != nil {
		return err
	}
	if _, err := s.selectMailbox(ctx, s.idleBox); err != nil {
		return err
	}
	if reconnected {
		poke() // mail may have come while nobody watched
	}
	if !s.caps.Has(imap.CapIdle) {
		return s.poll(ctx)
	}
	for {
		var cmd *imapclient.IdleCommand
		if err := s.guard(ctx, "idle", func() (err error) {
			cmd, err = s.c.Idle()
			return err
		}); err != nil {
			return err
		}
		timer := time.NewTimer(e.opts.IdleRestart)
		select {
		case <-ctx.Done():
		case <-timer.C:
		case <-s.c.Closed():
		}
		timer.Stop()
		if ctx.Err() != nil {
			return nil
		}
		if err := s.guard(ctx, "idle renewal", func() error {
			if err := cmd.Close(); err != nil {
				return err
			}
			return cmd.Wait()
		}); err != nil {
			return err
		}
	}
}

// poll stands in for IDLE on servers without it: NOOP makes the server
// report new mail as unilateral EXISTS.
func (s *session) poll(ctx context.Context) error {
	t := time.NewTicker(pollEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		if err := s.guard(ctx, "noop", func() error { return s.c.Noop().Wait() }); err != nil {
			return err
		}
	}
}

// backoff yields growing delays with ±25% jitter, so many clients
// reconnecting after an outage do not arrive together.
type backoff struct{ n int }

func (b *backoff) next() time.Duration {
	d := backoffMin << min(b.n, 10)
	if d > backoffMax {
		d = backoffMax
	}
	b.n++
	jitter := time.Duration(rand.Int64N(int64(d)/2)) - d/4
	return d + jitter
}

func (b *backoff) reset() { b.n = 0 }
