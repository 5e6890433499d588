package mail

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"
)

// errTimeout marks a command the server did not answer in time. go-imap
// has no deadline while it waits for a response to begin, so a server that
// stops talking would block a sync forever; the watchdog closes the
// connection instead, and the command fails with this error.
var errTimeout = errors.New("server did not answer in time")

// watchdog closes a connection when a command takes longer than the
// timeout without progress, or when the context ends. Streaming commands
// call touch on every message so a large FETCH on a slow link is not cut
// while data still flows.
type watchdog struct {
	timeout time.Duration
	timer   *time.Timer
	stopCtx func() bool
	fired   atomic.Int32 // 0 running, 1 timed out, 2 context done
}

const (
	firedTimeout = 1
	firedContext = 2
)

// newWatchdog arms a watchdog that calls closeFn on expiry.
func newWatchdog(ctx context.Context, timeout time.Duration, closeFn func()) *watchdog {
	w := &watchdog{timeout: timeout}
	w.timer = time.AfterFunc(timeout, func() {
		if w.fired.CompareAndSwap(0, firedTimeout) {
			closeFn()
		}
	})
	w.stopCtx = context.AfterFunc(ctx, func() {
		if w.fired.CompareAndSwap(0, firedContext) {
			closeFn()
		}
	})
	return w
}

// touch restarts the timeout: the server is still sending.
func (w *watchdog) touch() {
	if w.fired.Load() == 0 {
		w.timer.Reset(w.timeout)
	}
}

// halt disarms the watchdog.
func (w *watchdog) halt() {
	w.timer.Stop()
	w.stopCtx()
}

// explain turns a command's error into the reason the connection was
// closed, when the watchdog closed it.
func (w *watchdog) explain(ctx context.Context, what string, err error) error {
	switch w.fired.Load() {
	case firedTimeout:
		return fmt.Errorf("%s: no answer within %s: %w", what, w.timeout, errTimeout)
	case firedContext:
		return ctx.Err()
	}
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// stop is halt then explain.
func (w *watchdog) stop(ctx context.Context, what string, err error) error {
	w.halt()
	return w.explain(ctx, what, err)
}

// watch arms a watchdog on the session's current connection (captured,
// so a late expiry never closes a newer connection).
func (s *session) watch(ctx context.Context) *watchdog {
	c := s.c
	return newWatchdog(ctx, s.e.opts.CommandTimeout, func() {
		if c != nil {
			c.Close()
		}
	})
}

// guard runs one command (fn issues it and waits for its completion) under
// the session's deadline.
func (s *session) guard(ctx context.Context, what string, fn func() error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	w := s.watch(ctx)
	return w.stop(ctx, what, fn())
}
