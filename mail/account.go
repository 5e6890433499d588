package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net"
	"sync/atomic"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-message/charset"

	"roster/crm"
	"roster/mail/config"
)

// session is one IMAP connection of one account and what it learned:
// capabilities, the folders to sync, the selected mailbox. The sync loop
// keeps it between syncs so a resync with nothing new costs one round
// trip.
type session struct {
	e     *Engine
	acct  *config.Account
	ident crm.Identity
	log   *slog.Logger

	c        *imapclient.Client
	caps     imap.CapSet
	gmail    bool
	folders  []string
	idleBox  string
	selected string
	// selValidity is the UIDVALIDITY of the selected mailbox, as its
	// SELECT answered; every UID below selUIDNext that the server had
	// is in the session's view of it (useMailbox).
	selValidity uint32
	selUIDNext  imap.UID

	// onChange, when set, is called (from go-imap's reader) when the
	// server announces new or expunged mail: the IDLE watcher uses it.
	onChange func()
	// debug, when set, sees the raw protocol.
	debug bool

	sum       Summary
	reconnect int // reconnections in this sync, bounded

	// bodies is the second connection that fetches bodies while this
	// one runs the header pass (bodyworker.go); nil until first needed.
	bodies *session
	// bodyStored, during a sync, hands the body worker the messages a
	// stored header batch left waiting for their bodies.
	bodyStored func(pending []crm.Message)
	// headersBusy, on a body session, is true while the header pass
	// reports progress, so the two do not fight over the status line.
	headersBusy *atomic.Bool
	// quiet sessions (FetchBody) report no progress: the status line is
	// the sync's, and nothing would end a phase they started there.
	quiet bool
}

// maxReconnects bounds how often one sync reconnects (poison isolation,
// dropped connections) before giving up on the account until next time.
const maxReconnects = 40

func (e *Engine) newSession(a *config.Account) *session {
	return &session{
		e: e, acct: a, debug: true,
		ident: crm.Identity{Account: a.Name, Addresses: a.Identities()},
		log:   e.log.With("account", a.Name),
	}
}

// alive reports whether the connection is open as far as we know.
func (s *session) alive() bool {
	if s.c == nil {
		return false
	}
	select {
	case <-s.c.Closed():
		return false
	default:
		return true
	}
}

// connect dials, secures and logs in. Every step runs under the command
// timeout: a server that accepts the TCP connection and then says nothing
// must not hang sync.
func (s *session) connect(ctx context.Context) error {
	// This connection only: the body worker may be using its own.
	s.closeConn()
	srv := &s.acct.IMAP
	tlsCfg, err := srv.TLSConfig()
	if err != nil {
		return err
	}
	tlsCfg.NextProtos = []string{"imap"}
	opts := &imapclient.Options{
		TLSConfig:   tlsCfg,
		WordDecoder: &mime.WordDecoder{CharsetReader: charset.Reader},
		UnilateralDataHandler: &imapclient.UnilateralDataHandler{
			Mailbox: func(d *imapclient.UnilateralDataMailbox) {
				if d.NumMessages != nil && s.onChange != nil {
					s.onChange()
				}
			},
			Expunge: func(uint32) {
				if s.onChange != nil {
					s.onChange()
				}
			},
		},
	}
	if s.debug && s.e.opts.debug != nil {
		opts.DebugWriter = s.e.opts.debug
	}
	timeout := s.e.opts.CommandTimeout
	d := &net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second}
	tcp, err := d.DialContext(ctx, "tcp", srv.Addr())
	if err != nil {
		return fmt.Errorf("connect to %s: %w", srv.Addr(), err)
	}
	raw := newReaderFirstConn(tcp)
	w := newWatchdog(ctx, timeout, func() { raw.Close() })
	var c *imapclient.Client
	switch srv.Security {
	case config.SecurityTLS:
		tc := tls.Client(raw, tlsCfg)
		if err = tc.HandshakeContext(ctx); err == nil {
			c = imapclient.New(tc, opts)
			raw.follow(c)
			err = c.WaitGreeting()
		}
	case config.SecurityStartTLS:
		if c, err = imapclient.NewStartTLS(raw, opts); err == nil {
			raw.follow(c)
		}
	default:
		c = imapclient.New(raw, opts)
		raw.follow(c)
		err = c.WaitGreeting()
	}
	if err = w.stop(ctx, "connect to "+srv.Addr(), err); err != nil {
		if c != nil {
			c.Close()
		}
		raw.Close()
		return err
	}
	s.c, s.selected, s.folders = c, "", nil
	if err := s.login(ctx); err != nil {
		s.closeConn()
		return err
	}
	err = s.guard(ctx, "capability", func() error {
		s.caps = c.Caps()
		if s.caps == nil {
			return errors.New("no capability list")
		}
		return nil
	})
	if err != nil {
		s.closeConn()
		return err
	}
	s.gmail = s.caps.Has(capGmail)
	s.log.Debug("connected", "addr", srv.Addr(), "gmail", s.gmail)
	return nil
}

// capGmail marks Gmail's IMAP, whose folders are labels (see folders.go).
const capGmail imap.Cap = "X-GM-EXT-1"

// ensure reconnects when the connection is gone.
func (s *session) ensure(ctx context.Context) error {
	if s.alive() {
		return nil
	}
	if s.c != nil {
		s.reconnect++
		if s.reconnect > maxReconnects {
			return fmt.Errorf("gave up after %d reconnections", maxReconnects)
		}
		s.log.Info("reconnecting")
	}
	return s.connect(ctx)
}

// close drops the connection, and the body connection with it, without a
// goodbye. Only for when no sync runs (the body worker uses its own).
func (s *session) close() {
	if s.bodies != nil {
		s.bodies.close()
	}
	s.closeConn()
}

// closeConn drops this session's connection alone.
func (s *session) closeConn() {
	if s.c != nil {
		s.c.Close()
		s.c = nil
	}
	s.selected = ""
}

// logout ends the session politely (SyncOnce), not waiting long for it,
// and its body connection with it.
func (s *session) logout() {
	if s.bodies != nil {
		s.bodies.logout()
	}
	if !s.alive() {
		s.close()
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = s.guard(ctx, "logout", func() error { return s.c.Logout().Wait() })
	s.close()
}

// selectMailbox opens a mailbox read-only (EXAMINE): sync never changes
// anything on the server, not even \Recent.
func (s *session) selectMailbox(ctx context.Context, name string) (*imap.SelectData, error) {
	var sel *imap.SelectData
	err := s.guard(ctx, "select "+name, func() (err error) {
		sel, err = s.c.Select(name, &imap.SelectOptions{ReadOnly: true, CondStore: s.caps.Has(imap.CapCondStore) && !s.gmail}).Wait()
		return err
	})
	if err != nil {
		s.selected = ""
		return nil, err
	}
	s.selected, s.selValidity, s.selUIDNext = name, sel.UIDValidity, sel.UIDNext
	return sel, nil
}

// useMailbox selects name unless it is selected already, and returns its
// UIDVALIDITY; newest is the highest UID about to be read. The body
// worker reads batch after batch from the mailbox the header pass is in,
// and a SELECT for each made Dovecot open and synchronise that mailbox's
// index again every time: in a sync of 50,000 messages its 40 SELECTs
// cost the server a second of CPU. The UIDVALIDITY of a selected mailbox
// cannot change (RFC 3501, 2.3.1.1), but the session's view of it is as
// of its last command: Dovecot answers a UID FETCH of mail that arrived
// since with nothing. So a UID at or past what the view is known to hold
// (selUIDNext) is read after a NOOP, which brings the view up to date.
func (s *session) useMailbox(ctx context.Context, name string, newest imap.UID) (uint32, error) {
	if !s.alive() || s.selected != name {
		sel, err := s.selectMailbox(ctx, name)
		if err != nil {
			return 0, err
		}
		return sel.UIDValidity, nil
	}
	if newest >= s.selUIDNext {
		if err := s.guard(ctx, "noop", func() error { return s.c.Noop().Wait() }); err != nil {
			return 0, err
		}
		s.selUIDNext = newest + 1
	}
	return s.selValidity, nil
}

// sync runs one sync of the account: folders, new mail, vanished mail,
// bodies.
func (s *session) sync(ctx context.Context) (Summary, error) {
	s.sum = Summary{Accounts: 1}
	s.reconnect = 0
	s.e.prog.set("connecting", s.acct.Name, "", 0, 0)
	if err := s.ensure(ctx); err != nil {
		return s.sum, err
	}
	if s.folders == nil {
		if err := s.discover(ctx); err != nil {
			return s.sum, err
		}
	}
	status, err := s.statusAll(ctx, s.folders)
	if err != nil {
		return s.sum, err
	}
	bctx, stopBodies := context.WithCancel(ctx)
	bw := s.startBodies(bctx)
	s.bodyStored = bw.stored
	finished := false
	defer func() {
		s.bodyStored = nil
		if !finished {
			// Every way out waits for the body worker: its connection
			// must not be closed under it (syncAll logs out next).
			stopBodies()
			_ = bw.finish(&s.sum)
		}
		stopBodies()
	}()
	for _, name := range s.folders {
		st, ok := status[name]
		if !ok {
			continue
		}
		s.sum.Mailboxes++
		err := s.syncMailbox(ctx, name, st)
		if err == nil {
			continue
		}
		if ctx.Err() != nil {
			return s.sum, ctx.Err()
		}
		s.warn(fmt.Sprintf("mailbox %s: %v", name, err))
		if err := s.ensure(ctx); err != nil {
			return s.sum, err
		}
	}
	s.unselect(ctx)
	finished = true
	if err := bw.finish(&s.sum); err != nil {
		if ctx.Err() != nil {
			return s.sum, ctx.Err()
		}
		s.warn(fmt.Sprintf("bodies: %v", err))
	}
	s.bodies.unselect(ctx)
	return s.sum, nil
}

// unselect leaves the mailbox so the next sync's STATUS is never about
// the selected one (RFC 3501 discourages that, and some servers answer it
// from a stale view).
func (s *session) unselect(ctx context.Context) {
	if s.selected == "" || !s.alive() || !s.caps.Has(imap.CapUnselect) {
		return
	}
	if err := s.guard(ctx, "unselect", func() error { return s.c.Unselect().Wait() }); err == nil {
		s.selected = ""
	}
}

// warn records a problem that does not stop the sync.
func (s *session) warn(msg string) {
	s.sum.Warnings = append(s.sum.Warnings, "account "+s.acct.Name+": "+msg)
	s.log.Warn(msg)
}
