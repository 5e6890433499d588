package mail

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"sync"
	"time"

	"roster/crm"
	"roster/mail/config"
)

// SendOptions tune the delivery worker; the zero value is sensible.
type SendOptions struct {
	// Log receives what the worker does: recipients and server replies,
	// never a secret or a message body.
	Log *slog.Logger
	// Timeout bounds each SMTP and IMAP step (default 60s).
	Timeout time.Duration
	// Backoff is the wait after each temporary failure (default 1m, 5m,
	// 15m, 1h, 4h; the last repeats), with up to 20% jitter.
	Backoff []time.Duration
	// SentGrace is how long a sent mail may take to appear in the Sent
	// folder when the provider files it itself (default 20s): only
	// after it does roster APPEND its own copy, or give up on a mail in
	// doubt.
	SentGrace time.Duration
	// Unlimited ignores max_per_minute and max_per_day (benchmarks and
	// tests on a loopback server).
	Unlimited bool
	// Pause is a test hook: it is called at each step of a mail's way
	// ("due", "claimed", "before-dot", "accepted", "delivered"). PauseFromEnv
	// builds the one the crash test uses.
	Pause func(step string, id crm.ID)
}

func (o *SendOptions) defaults() {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Timeout <= 0 {
		o.Timeout = 60 * time.Second
	}
	if len(o.Backoff) == 0 {
		o.Backoff = []time.Duration{time.Minute, 5 * time.Minute, 15 * time.Minute, time.Hour, 4 * time.Hour}
	}
	if o.SentGrace <= 0 {
		o.SentGrace = 20 * time.Second
	}
	if o.Pause == nil {
		o.Pause = func(string, crm.ID) {}
	}
}

// EnvTestPause names the TEST-ONLY environment variable that makes the
// worker stop dead at one step of the outbox ("due", "claimed",
// "before-dot", "accepted", "delivered"): it prints "roster-test: paused at STEP ID" on
// stderr and sleeps until killed. The crash test (main_test.go) uses it
// to kill a real roster between every two steps. Never set it otherwise.
const EnvTestPause = "ROSTER_TEST_PAUSE_AT"

// PauseFromEnv returns the pause hook EnvTestPause asks for, or nil.
func PauseFromEnv() func(step string, id crm.ID) {
	at := os.Getenv(EnvTestPause)
	if at == "" {
		return nil
	}
	return func(step string, id crm.ID) {
		if step == at {
			fmt.Fprintf(os.Stderr, "roster-test: paused at %s %s\n", step, id)
			select {}
		}
	}
}

// Sender is the delivery worker: it sends what the outbox holds, one
// committed step at a time (see crm/delivery.go), resolves mail in doubt
// by looking for it in the Sent folder, and files a copy of sent mail in
// Sent unless the provider already did. One Sender per database: bbolt's
// lock already keeps a second process off it.
type Sender struct {
	svc  *crm.Service
	cfg  *config.Config
	opts SendOptions
	log  *slog.Logger
	imap *Engine // for its IMAP sessions

	wake chan struct{}
	// mu serialises passes: Run's loop and Flush never interleave.
	mu     sync.Mutex
	limits map[string]*rateLimit
	// filesItself remembers accounts whose provider was seen filing sent
	// mail into Sent itself.
	filesItself map[string]bool
	// delivered is set when a pass sent something, so the pass ends by
	// asking for a mail sync: the sent mail then shows in its thread in
	// seconds, not at the next full sync (Sent is not IDLE-watched).
	delivered bool
}

var _ crm.Deliverer = (*Sender)(nil)

// NewSender builds the worker; nothing connects until Run or Flush.
func NewSender(svc *crm.Service, cfg *config.Config, opts SendOptions) *Sender {
	opts.defaults()
	return &Sender{
		svc: svc, cfg: cfg, opts: opts, log: opts.Log,
		imap:   New(svc, cfg, Options{Log: opts.Log, CommandTimeout: opts.Timeout}),
		wake:   make(chan struct{}, 1),
		limits: map[string]*rateLimit{}, filesItself: map[string]bool{},
	}
}

// Accounts are the configured accounts that can send, for
// crm.Service.SetSending.
func Accounts(cfg *config.Config) []crm.SendingAccount {
	var out []crm.SendingAccount
	for i := range cfg.Accounts {
		if cfg.Accounts[i].SMTP != nil {
			out = append(out, SendingAccount(&cfg.Accounts[i]))
		}
	}
	return out
}

// SendingAccount is what crm needs of an account to write mail from it:
// its name and the addresses it writes as. A dry run of outreach drafts
// from accounts without [accounts.smtp] too.
func SendingAccount(a *config.Account) crm.SendingAccount {
	return crm.SendingAccount{Name: a.Name, DisplayName: a.DisplayName, Email: a.Email, Aliases: a.Aliases}
}

// Wake asks the worker to look at the outbox now; it never blocks.
func (s *Sender) Wake() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Run delivers until ctx ends: first it recovers what a previous process
// left "sending", then it passes over the outbox whenever woken or when
// the next mail or Sent check falls due.
func (s *Sender) Run(ctx context.Context) {
	if n, err := s.svc.RecoverOutbox(); err != nil {
		s.log.Warn("outbox recovery", "err", err)
	} else if n > 0 {
		s.log.Warn("mail in doubt after a stop while sending", "count", n)
	}
	for {
		next, _ := s.pass(ctx)
		if ctx.Err() != nil {
			return
		}
		t := time.NewTimer(time.Until(next))
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-s.wake:
		case <-t.C:
		}
		t.Stop()
	}
}

// flushWaitLimit is the longest Flush waits for the rate limit to let
// queued mail go: a per-minute limit is waited out, a daily one is not.
const flushWaitLimit = 2 * time.Minute

// Flush recovers, then sends everything due and settles the Sent copies
// and doubts it can, waiting for them at most SentGrace past the last
// send; it returns when nothing more is due now. roster outreach --yes and
// roster sync --once call it.
func (s *Sender) Flush(ctx context.Context) error {
	if _, err := s.svc.RecoverOutbox(); err != nil {
		return err
	}
	deadline := time.Now().Add(s.opts.SentGrace + s.opts.SentGrace/2)
	for {
		next, queued := s.pass(ctx)
		if err := ctx.Err(); err != nil {
			return err
		}
		if !next.After(time.Now()) {
			continue // more can go at once
		}
		switch {
		case !queued && !s.anyUnsettled():
			return nil
		case !queued && next.After(deadline):
			return nil // only Sent copies and doubts left, past the grace
		case queued && time.Until(next) > flushWaitLimit:
			// Held back for long (a daily limit): the delivery
			// worker or the next sync sends it.
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Until(next)):
		}
	}
}

// anyUnsettled reports whether a sent mail waits for its Sent copy or a
// doubt for its lookup (an error counts as none: Flush then stops).
func (s *Sender) anyUnsettled() bool {
	ms, err := s.unsettled()
	return err == nil && len(ms) > 0
}

// pass does one round: doubts, due mail, Sent copies. It returns when the
// next round is worth running, and whether mail is still queued.
func (s *Sender) pass(ctx context.Context) (time.Time, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	next := time.Now().Add(time.Hour)
	soon := func(t time.Time) {
		if t.Before(next) {
			next = t
		}
	}
	soon(s.settle(ctx))
	limitAt, skip := s.sendDue(ctx)
	soon(limitAt)
	soon(s.settle(ctx))
	at, queued := s.nextDue(skip)
	soon(at)
	if s.delivered {
		s.delivered = false
		s.svc.SyncNow()
	}
	return next, queued
}

// nextDue is when queued mail next needs a pass: the earliest due time
// (a retry's backoff), or now for mail that fell due during this pass (a
// retry with a short backoff, mail queued meanwhile). What sendDue
// skipped is left out: mail of an account the rate limit held back
// (sendDue said when the limit frees) and mail it could not claim; waking
// for those sooner would only spin, and counting them would hide another
// account's later retry. queued says whether any mail waits at all.
func (s *Sender) nextDue(skip skipped) (at time.Time, queued bool) {
	now := time.Now()
	at = now.Add(time.Hour)
	ms, err := s.svc.Outbox(crm.OutboxQuery{States: []crm.OutboxState{crm.OutboxQueued}})
	if err != nil {
		s.log.Warn("outbox", "err", err)
		return at, false
	}
	for _, m := range ms {
		if !skip.accounts[m.Account] && !skip.mails[m.ID] && m.NextAt.Before(at) {
			at = m.NextAt
		}
	}
	if at.Before(now) {
		at = now
	}
	return at, len(ms) > 0
}

// skipped is the due mail a pass left queued on purpose.
type skipped struct {
	accounts map[string]bool // held back by the account's rate limit
	mails    map[crm.ID]bool // could not be claimed
}

// sendDue sends the due mail, account by account, in queue order. A
// failure stops nothing else. It returns when the rate limit next allows
// a mail it had to hold back, and what it left queued.
func (s *Sender) sendDue(ctx context.Context) (time.Time, skipped) {
	next := time.Now().Add(time.Hour)
	skip := skipped{accounts: map[string]bool{}, mails: map[crm.ID]bool{}}
	due, err := s.svc.DueMails(time.Now(), 0)
	if err != nil {
		s.log.Warn("outbox", "err", err)
		return next, skip
	}
	if len(due) == 0 {
		return next, skip
	}
	st := crm.OutboxStatus{Running: true, Total: len(due)}
	s.svc.ReportOutbox(st)
	conns := map[string]*smtpConn{}
	defer func() {
		for _, c := range conns {
			c.close()
		}
	}()
	for i := range due {
		if ctx.Err() != nil {
			break
		}
		m := &due[i]
		acct, ok := s.cfg.Account(m.Account)
		st.Account, st.Current = m.Account, m.ToLine()
		if !ok || acct.SMTP == nil {
			if _, err := s.svc.ClaimMail(m.ID); err == nil {
				_, _ = s.svc.MailFailed(m.ID, fmt.Sprintf("account %q is not configured to send", m.Account))
			}
			st.Done++
			st.Failed++
			s.svc.ReportOutbox(st)
			continue
		}
		lim := s.limit(acct)
		if wait := lim.wait(time.Now()); wait > 0 {
			if wait > 2*time.Second || ctx.Err() != nil {
				// Held back by the account's limit: it stays queued.
				if at := time.Now().Add(wait); at.Before(next) {
					next = at
				}
				skip.accounts[acct.Name] = true
				continue
			}
			time.Sleep(wait)
		}
		r, claimed := s.sendOne(ctx, acct, m, conns)
		if !claimed {
			skip.mails[m.ID] = true
		}
		lim.record(time.Now())
		st.Done++
		if r.outcome != delivered {
			st.Failed++
			st.LastErr = r.problem
		}
		s.svc.ReportOutbox(st)
	}
	st.Running, st.Current = false, ""
	s.svc.ReportOutbox(st)
	return next, skip
}

// sendOne claims, sends and records one mail. A reused connection that
// turns out dead before anything was sent is replaced once. claimed is
// false when the mail could not be claimed: it stays as it was.
func (s *Sender) sendOne(ctx context.Context, acct *config.Account, m *crm.OutboxMail, conns map[string]*smtpConn) (r result, claimed bool) {
	s.opts.Pause("due", m.ID)
	got, err := s.svc.ClaimMail(m.ID)
	if err != nil {
		s.log.Warn("claim", "outbox", m.ID, "err", err)
		return result{outcome: refused, problem: err.Error()}, false
	}
	*m = got
	s.opts.Pause("claimed", m.ID)
	for try := 0; try < 2; try++ {
		k := conns[acct.Name]
		if k == nil {
			var dr result
			if k, dr = dialSMTP(ctx, acct, s.opts.Timeout); k == nil {
				r = dr
				break
			}
			conns[acct.Name] = k
		}
		reused := k.used
		r = k.send(m, s.opts.Pause)
		if r.outcome != delivered {
			k.close()
			delete(conns, acct.Name)
		}
		if !(reused && r.outcome == deferred && r.problem != "" && isStale(r.problem)) {
			break
		}
	}
	log := s.log.With("account", acct.Name, "outbox", m.ID, "to", m.ToLine())
	switch r.outcome {
	case delivered:
		s.opts.Pause("accepted", m.ID)
		if _, err := s.svc.MailDelivered(m.ID, r.response); err != nil {
			log.Warn("record delivery", "err", err)
		}
		s.delivered = true
		s.opts.Pause("delivered", m.ID)
		log.Info("sent", "response", r.response)
	case deferred:
		next := time.Now().Add(s.backoff(m.Attempts))
		if _, err := s.svc.MailDeferred(m.ID, r.problem, next); err != nil {
			log.Warn("record deferral", "err", err)
		}
		log.Info("deferred", "problem", r.problem, "next", next)
	case refused:
		if _, err := s.svc.MailFailed(m.ID, r.problem); err != nil {
			log.Warn("record failure", "err", err)
		}
		log.Warn("failed", "problem", r.problem)
	case inDoubt:
		if _, err := s.svc.MailInDoubt(m.ID, r.problem); err != nil {
			log.Warn("record doubt", "err", err)
		}
		log.Warn("in doubt", "problem", r.problem)
	}
	return r, true
}

// isStale says a reused connection died before MAIL FROM got an answer:
// the server closed it while idle, nothing was sent.
func isStale(problem string) bool {
	return len(problem) > len(stageMail) && problem[:len(stageMail)] == stageMail
}

// backoff is the wait after the attempt-th try, with jitter so a batch
// deferred together does not return together.
func (s *Sender) backoff(attempt int) time.Duration {
	b := s.opts.Backoff
	d := b[min(max(attempt-1, 0), len(b)-1)]
	return d + time.Duration(rand.Int64N(int64(d)/5+1))
}
