package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"roster/crm"
	"roster/mail/config"
	"roster/store"
	"roster/ui/cli"
)

// shutdownGrace bounds how long `roster serve` waits for sessions to end
// after SIGINT/SIGTERM before it cuts their connections and closes the
// database.
const shutdownGrace = 5 * time.Second

// runServe is `roster serve`: this process holds the database and runs
// mail sync for the whole team, and every teammate gets the board over
// SSH. It returns after a signal, once every session has ended (or the
// grace period is over) and mail sync has stopped; the caller then
// closes the database.
func runServe(ctx context.Context, svc *crm.Service, o cli.ServeOptions) error {
	log, closeLog, err := serveLogger(o.LogFile)
	if err != nil {
		return err
	}
	defer closeLog()
	team, err := loadSSHTeam(o.AuthorizedKeys, log)
	if err != nil {
		return err
	}
	cfg, err := config.Load(o.Config)
	if err != nil {
		return err
	}
	srv, err := newSSHServer(sshConfig{
		Service: svc, Team: team, HostKeyPath: o.HostKey, Log: log,
		Export: func(w io.Writer, format string) error { return cli.Export(svc, w, format) },
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.Listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", o.Listen, err)
	}
	addr := ln.Addr().String()
	removeNotice, err := writeServeNotice(o.DB, addr)
	if err != nil {
		log.Warn("could not leave the ssh command next to the database", "err", err)
	}
	defer removeNotice()
	if srv.HostKeyCreated() {
		log.Info("created host key", "file", o.HostKey)
	}
	log.Info("roster serve listening", "addr", addr, "db", o.DB, "ssh", sshCommandFor(addr),
		"host_key", srv.HostKeyFingerprint(), "teammates", strings.Join(team.Names(), ","))

	// Mail sync and the outbox run here, once for everyone, as the local
	// board runs them.
	syncCtx, stopSync := context.WithCancel(context.Background())
	var syncDone sync.WaitGroup
	if len(cfg.Accounts) > 0 {
		eng, sender := startMail(svc, cfg, log.With("part", "mail"))
		syncDone.Go(func() { eng.Run(syncCtx) })
		syncDone.Go(func() { sender.Run(syncCtx) })
		log.Info("mail sync and outbox started", "accounts", len(cfg.Accounts))
	}

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	var serveErr error
	select {
	case serveErr = <-served:
		// The listener failed: the sessions already in still end
		// politely before the database closes under them.
	case <-ctx.Done():
	}
	grace, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(grace, "the server is shutting down; everything you saved is kept. Reconnect when it is back."); err != nil {
		log.Warn("shutdown cut sessions off", "err", err)
	}
	if serveErr == nil {
		<-served
	}
	stopSync()
	syncDone.Wait()
	log.Info("roster serve stopped; closing the database")
	return serveErr
}

// serveLogger logs in logfmt to stderr or, with --log, to a file that is
// appended to (0600: it names teammates and addresses).
func serveLogger(path string) (*slog.Logger, func(), error) {
	if path == "" {
		return slog.New(slog.NewTextHandler(os.Stderr, nil)), func() {}, nil
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("--log: %w", err)
	}
	return slog.New(slog.NewTextHandler(f, nil)), func() { f.Close() }, nil
}

// lockedByServer rewrites a "database is locked" error when the process
// holding it is roster serve, to give the exact ssh command.
func lockedByServer(path string, err error) error {
	cmd := readServeNotice(path)
	if cmd == "" {
		return err
	}
	return fmt.Errorf("%s %w: roster serve is running on it; connect with: %s", filepath.Base(path), store.ErrLocked, cmd)
}
