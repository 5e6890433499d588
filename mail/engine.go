// Package mail keeps roster's copy of the manager's mail in step with the
// IMAP servers: it finds the folders that hold correspondence, pulls new
// messages header-first and newest-first, fetches the bodies of mail with
// creators, notices what vanished, and watches INBOX with IDLE so new mail
// shows up within seconds.
//
// Everything it learns goes through crm.Service (IngestMail, RemapMailbox,
// ForgetVanished, SetBodies), which stores each batch together with the
// mailbox's cursor in one transaction. The cursor never claims more than is
// stored, so a sync killed at any point resumes where it was without losing
// or duplicating mail.
package mail

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"

	"roster/crm"
	"roster/mail/config"
)

// Options tune the engine; the zero value is sensible.
type Options struct {
	// Log receives what the engine does (main passes a logfmt
	// handler). Secrets and message contents are never logged.
	Log *slog.Logger
	// CommandTimeout bounds every IMAP command (default 60s). go-imap
	// has no timeout while it waits for a response to begin, so without
	// this a silent server would hang sync forever.
	CommandTimeout time.Duration
	// BatchSize is how many UIDs one FETCH asks for (default 250):
	// round trips, not bytes, dominate sync time, and servers such as
	// Yahoo refuse more than 1000 per command.
	BatchSize int
	// IdleRestart is how often IDLE is renewed (default 9 min), well
	// under the 29 minutes RFC 2177 allows, because NAT boxes and some
	// servers drop quiet connections after ten.
	IdleRestart time.Duration

	// Test hooks, unexported: debug sees the raw protocol of the worker
	// connections, afterBatch runs after each stored header batch,
	// noFallback disables the reduced re-fetch of a poison message,
	// maxWhole lowers maxWholeMessage (FetchAttachment).
	debug      io.Writer
	afterBatch func(account, mailbox string)
	noFallback bool
	maxWhole   int64
}

// pipelineDepth is how many FETCH commands are in flight at once: enough
// to hide a round trip behind the previous batch's storage, few enough not
// to trip provider throttling.
const pipelineDepth = 3

// storeBatches is how many FETCH batches of headers are stored in one
// transaction (see fetchHeaders).
const storeBatches = 2

func (o *Options) defaults() {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.CommandTimeout <= 0 {
		o.CommandTimeout = 60 * time.Second
	}
	if o.BatchSize <= 0 {
		o.BatchSize = 250
	}
	if o.BatchSize > 1000 {
		o.BatchSize = 1000
	}
	if o.IdleRestart <= 0 {
		o.IdleRestart = 9 * time.Minute
	}
	if o.maxWhole <= 0 {
		o.maxWhole = maxWholeMessage
	}
}

// Engine syncs every configured account into the crm service. It
// implements crm.Syncer, so the UI can ask for a sync without importing
// this package.
type Engine struct {
	svc  *crm.Service
	cfg  *config.Config
	opts Options
	log  *slog.Logger

	// mu serialises syncs: SyncOnce and Run's loop never interleave
	// writes to the same cursor.
	mu      sync.Mutex
	trigger chan struct{}
	prog    *progress

	qmu        sync.Mutex
	quarantine map[crm.Location]string
}

var _ crm.Syncer = (*Engine)(nil)

// New builds an engine; nothing connects until SyncOnce or Run.
func New(svc *crm.Service, cfg *config.Config, opts Options) *Engine {
	opts.defaults()
	if cfg == nil {
		cfg = &config.Config{}
	}
	return &Engine{
		svc: svc, cfg: cfg, opts: opts, log: opts.Log,
		trigger:    make(chan struct{}, 1),
		prog:       newProgress(svc),
		quarantine: map[crm.Location]string{},
	}
}

// SyncNow asks the running engine (Run) to sync as soon as it can; it
// never blocks, and requests made while a sync runs fold into one.
func (e *Engine) SyncNow() {
	select {
	case e.trigger <- struct{}{}:
	default:
	}
}

// Summary is what one sync did, for the status bar and `roster sync`.
type Summary struct {
	Accounts, Mailboxes int
	// New messages stored, Located extra copies of known messages,
	// Bodies fetched, Vanished server copies forgotten.
	New, Located, Bodies, Vanished int
	Duration                       time.Duration
	// Warnings are problems that did not stop the sync: an account that
	// could not be reached, a message the server could not deliver.
	Warnings []string
}

func (s *Summary) add(o Summary) {
	s.Accounts += o.Accounts
	s.Mailboxes += o.Mailboxes
	s.New += o.New
	s.Located += o.Located
	s.Bodies += o.Bodies
	s.Vanished += o.Vanished
	s.Warnings = append(s.Warnings, o.Warnings...)
}

// String is the one-line result: "synced 2 accounts, 4 mailboxes: 120
// new, 3 copies, 110 bodies, 1 vanished in 1.2s".
func (s Summary) String() string {
	d := s.Duration.Round(100 * time.Millisecond)
	if s.Duration < time.Second {
		d = s.Duration.Round(time.Millisecond)
	}
	out := fmt.Sprintf("synced %s, %s: %d new, %s, %s, %d vanished in %s",
		crm.Count(s.Accounts, "account"), crm.Count(s.Mailboxes, "mailbox"),
		s.New, crm.Count(s.Located, "copy"), crm.Count(s.Bodies, "body"), s.Vanished, d)
	if n := len(s.Warnings); n > 0 {
		out += fmt.Sprintf(" (%s)", crm.Count(n, "warning"))
	}
	return out
}

// SyncOnce syncs every account and every folder, fetches pending bodies,
// and returns (roster sync --once). An account that fails does not stop
// the others: its error is in the returned error, and the summary counts
// only the accounts that synced (with what a failed one stored before).
func (e *Engine) SyncOnce(ctx context.Context) (Summary, error) {
	sum, failed := e.syncAll(ctx, nil, nil)
	if ctx.Err() != nil {
		return sum, ctx.Err()
	}
	var errs []error
	for _, a := range e.cfg.Accounts {
		if err := failed[a.Name]; err != nil {
			errs = append(errs, fmt.Errorf("account %s: %w", a.Name, err))
		}
	}
	return sum, errors.Join(errs...)
}

// syncAll syncs the named accounts (all when only is nil), reusing the
// sessions in pool when given (Run keeps connections between syncs), and
// returns the accounts that failed with why.
func (e *Engine) syncAll(ctx context.Context, only map[string]bool, pool map[string]*session) (Summary, map[string]error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	start := time.Now()
	var sum Summary
	failed := map[string]error{}
	var causes []string
	for i := range e.cfg.Accounts {
		a := &e.cfg.Accounts[i]
		if only != nil && !only[a.Name] {
			continue
		}
		if ctx.Err() != nil {
			break
		}
		var s *session
		if pool != nil {
			s = pool[a.Name]
		}
		if s == nil {
			s = e.newSession(a)
			if pool != nil {
				pool[a.Name] = s
			}
		}
		as, err := s.sync(ctx)
		if pool == nil || err != nil {
			s.logout()
		}
		if err != nil {
			// What the account stored before it failed is counted; the
			// account is not among those synced.
			as.Accounts = 0
		}
		sum.add(as)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			failed[a.Name] = err
			causes = append(causes, fmt.Sprintf("account %s: %v", a.Name, err))
			if pool != nil {
				// In the background nobody else hears of it; SyncOnce
				// returns it to its caller.
				e.log.Warn("sync failed", "account", a.Name, "err", err)
			}
		}
	}
	sum.Duration = time.Since(start)
	var err error
	switch {
	case ctx.Err() != nil:
		err = ctx.Err()
	case len(failed) > 0:
		// The status bar shows this: the cause, not only a count.
		err = errors.New(strings.Join(causes, "; "))
	}
	e.prog.finish(sum, err)
	e.log.Info(sum.String())
	return sum, failed
}

// quarantined reports whether a message was found to break the
// connection earlier in this run.
func (e *Engine) quarantined(loc crm.Location) bool {
	e.qmu.Lock()
	defer e.qmu.Unlock()
	_, ok := e.quarantine[loc]
	return ok
}

func (e *Engine) addQuarantine(loc crm.Location, why string) {
	e.qmu.Lock()
	e.quarantine[loc] = why
	e.qmu.Unlock()
}

// hasQuarantine reports whether any message of a mailbox is quarantined,
// so the header pass lists UIDs instead of asking for a range again.
func (e *Engine) hasQuarantine(account, mailbox string, validity uint32) bool {
	e.qmu.Lock()
	defer e.qmu.Unlock()
	for l := range e.quarantine {
		if l.Account == account && l.Mailbox == mailbox && l.UIDValidity == validity {
			return true
		}
	}
	return false
}
