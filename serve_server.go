// The SSH server of `roster serve`: one roster shared by a team over SSH.
// Every SSH session gets its own Bubble Tea program (its own size, colour
// profile and styles) over the one crm.Service of this process, which
// alone holds the database and runs mail sync. Changes reach every other
// session through the service's change feed; a small presence hub tells
// each session who else has a creator open.
//
// It lives in package main (the serve_*.go files), not under ui/, because
// it listens on a socket and nothing under ui/ does I/O of its own; it
// uses crm and ui only, and runServe (main_serve.go) wires the store and
// mail in. Its names carry an ssh, session, presence or team prefix so
// they read clearly beside the rest of package main.

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"

	"roster/crm"
)

// sshConfig is what an sshServer needs; runServe (main_serve.go) builds it.
type sshConfig struct {
	// Service is the one domain service every session shares. Required.
	Service *crm.Service
	// Team says who may log in and under which name. Required.
	Team *sshTeam
	// HostKeyPath is the server's private key, created (ed25519, 0600)
	// when missing. Required.
	HostKeyPath string
	// Log receives connection, session and error lines. nil discards.
	Log *slog.Logger
	// Title is shown in every session's header ("roster").
	Title string
	// IdleTimeout ends a connection with no traffic for this long; zero
	// keeps it open (the board is often left open all day).
	IdleTimeout time.Duration
	// Export serves `ssh HOST export [--format csv]` to a session without
	// a terminal; nil answers such sessions with an explanation only.
	Export func(w io.Writer, format string) error
}

// sshServer is roster's SSH server: public-key login against the team file,
// one Bubble Tea program per terminal session, presence between them, and
// a polite shutdown.
type sshServer struct {
	cfg     sshConfig
	log     *slog.Logger
	srv     *ssh.Server
	hub     *presenceHub
	signer  gossh.Signer
	created bool

	mu       sync.Mutex
	sessions map[*sshSession]struct{}
	closing  bool
	running  sync.WaitGroup
	nextID   atomic.Uint64
}

// newSSHServer builds a server; it reads (or creates) the host key but does not
// listen yet.
func newSSHServer(cfg sshConfig) (*sshServer, error) {
	if cfg.Service == nil || cfg.Team == nil || cfg.HostKeyPath == "" {
		return nil, errors.New("serve: Service, Team and HostKeyPath are required")
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Title == "" {
		cfg.Title = "roster"
	}
	signer, created, err := loadHostKey(cfg.HostKeyPath)
	if err != nil {
		return nil, err
	}
	s := &sshServer{cfg: cfg, log: cfg.Log, hub: newPresenceHub(), signer: signer, created: created, sessions: map[*sshSession]struct{}{}}
	s.srv = &ssh.Server{
		Handler:     s.handle,
		HostSigners: []ssh.Signer{signer},
		Version:     "roster",
		IdleTimeout: cfg.IdleTimeout,
		// Public keys only: with no password or keyboard-interactive
		// handler the client is never offered either, and because a
		// public-key handler is set the server never falls back to
		// "no authentication".
		PublicKeyHandler: s.allow,
		ConnectionFailedCallback: func(conn net.Conn, err error) {
			s.log.Debug("connection failed", "remote", conn.RemoteAddr().String(), "err", err)
		},
	}
	return s, nil
}

// HostKeyFingerprint is the SHA256 fingerprint teammates compare on their
// first connection.
func (s *sshServer) HostKeyFingerprint() string { return gossh.FingerprintSHA256(s.signer.PublicKey()) }

// HostKeyCreated says newSSHServer made a fresh host key (first start).
func (s *sshServer) HostKeyCreated() bool { return s.created }

// HostPublicKey is the server's public host key, for known_hosts.
func (s *sshServer) HostPublicKey() gossh.PublicKey { return s.signer.PublicKey() }

// Sessions counts open terminal sessions.
func (s *sshServer) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sessions)
}

// Serve accepts connections on ln until Shutdown; it returns nil then.
func (s *sshServer) Serve(ln net.Listener) error {
	err := s.srv.Serve(ln)
	if errors.Is(err, ssh.ErrServerClosed) {
		return nil
	}
	return err
}

// allow is the public-key check: the key must be in the team file now.
func (s *sshServer) allow(ctx ssh.Context, key ssh.PublicKey) bool {
	name, ok := s.cfg.Team.Lookup(key)
	if !ok {
		s.log.Warn("login refused: key not in authorized keys", "ssh_user", ctx.User(), "remote", ctx.RemoteAddr().String(),
			"key", gossh.FingerprintSHA256(key))
		return false
	}
	s.log.Debug("key accepted", "user", name, "remote", ctx.RemoteAddr().String())
	return true
}

// sshSession is one running terminal program.
type sshSession struct {
	actor string
	prog  *tea.Program
	// bye, set by Shutdown, is printed after the program has left the
	// alternate screen.
	bye string
}

// handle runs one SSH session: the board on a terminal, a command or an
// explanation without one.
func (s *sshServer) handle(sess ssh.Session) {
	id := s.nextID.Add(1)
	log := s.log.With("session", id, "remote", sess.RemoteAddr().String())
	defer func() {
		if r := recover(); r != nil {
			log.Error("session handler panic; ending this session only", "panic", fmt.Sprint(r))
			_ = sess.Exit(1)
		}
	}()
	// The key that signed is the one in the session (not merely the
	// last one offered), so the name is resolved from it here.
	actor, ok := s.cfg.Team.Lookup(sess.PublicKey())
	if !ok {
		fmt.Fprintln(sess.Stderr(), "roster: your key is not (or no longer) in the team's authorized keys")
		_ = sess.Exit(1)
		return
	}
	log = log.With("user", actor)
	pty, winCh, isPty := sess.Pty()
	if !isPty {
		s.runCommand(sess, log)
		return
	}
	s.runBoard(sess, actor, pty, winCh, log)
}

// Shutdown ends every session with why as a last line, waits for them
// until ctx ends, then closes every connection. It returns ctx's error if
// sessions had to be cut off.
func (s *sshServer) Shutdown(ctx context.Context, why string) error {
	s.mu.Lock()
	s.closing = true
	open := make([]*sshSession, 0, len(s.sessions))
	for ss := range s.sessions {
		ss.bye = why
		open = append(open, ss)
	}
	s.mu.Unlock()
	s.log.Info("shutting down", "sessions", len(open), "why", why)
	// Stop accepting at once. Shutdown then waits for the connections to
	// close: each client hangs up once it has read its session's last
	// line and exit status.
	shut := make(chan struct{})
	go func() { _ = s.srv.Shutdown(ctx); close(shut) }()
	for _, ss := range open {
		go ss.prog.Send(sessionByeMsg{})
	}
	done := make(chan struct{})
	go func() { s.running.Wait(); close(done) }()
	var err error
	select {
	case <-done:
		// Give the clients the rest of the grace to hang up by
		// themselves, so nothing they were sent is cut off.
		select {
		case <-shut:
		case <-ctx.Done():
		}
	case <-ctx.Done():
		err = ctx.Err()
		s.log.Warn("sessions did not end in time; closing their connections", "err", err)
	}
	_ = s.srv.Close()
	return err
}
