// Command roster is a terminal CRM for creator outreach: a pipeline board
// of creators, every email thread beside the card, and the agreed terms and
// payments in one place.
//
// main.go only wires: it opens the store, builds the domain service over
// it, and hands both to the command line and the board. Everything else
// lives in crm (the domain), store (bbolt), ui (the terminal) and ui/cli
// (subcommands).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"

	"roster/crm"
	"roster/mail"
	"roster/mail/config"
	"roster/mail/demomail"
	"roster/store"
	"roster/ui"
	"roster/ui/cli"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], cli.Deps{
		Stdout: os.Stdout, Stderr: os.Stderr, Stdin: os.Stdin,
		Open:      openService,
		DefaultDB: store.DefaultPath,
		Board:     runBoard,
		Sync:      runSync,
		Backup:    backup,
		Mail:      setupMail,
		Drafts:    setupDrafts,
		Serve:     runServe,
		Version:   version,
	})
	stop()
	os.Exit(code)
}

// openService opens the database (the default one for "") and builds the
// service over it; unless create, a missing file is an error and none is
// made. While the database is open this process answers backup
// requests on its control socket, so `roster backup` works beside it.
func openService(path string, create bool) (*crm.Service, func() error, error) {
	if path == "" {
		var err error
		if path, err = store.DefaultPath(); err != nil {
			return nil, nil, err
		}
	}
	db, err := store.Open(path, store.Options{MustExist: !create})
	if errors.Is(err, store.ErrLocked) {
		return nil, nil, lockedByServer(path, err)
	}
	if err != nil {
		return nil, nil, err
	}
	stopControl, err := db.ServeControl(context.Background())
	if err != nil {
		stopControl = func() {}
	}
	svc := crm.NewService(db, nil)
	svc.SetMailRenderer(mail.Renderer{TemplateDir: mail.DefaultTemplateDir()})
	return svc, func() error {
		stopControl()
		return db.Close()
	}, nil
}

// runBoard shows the board and, when mail is configured (or this is the
// demo), keeps it synced in the background: a full sync at start, then
// IDLE brings new mail within seconds.
func runBoard(ctx context.Context, svc *crm.Service, o cli.BoardOptions) error {
	var cfg *config.Config
	if o.Demo {
		srv, demoCfg, err := startDemoMail()
		if err != nil {
			return err
		}
		defer srv.Close()
		cfg = demoCfg
	} else {
		var err error
		if cfg, err = config.Load(o.Config); err != nil {
			return err
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// Loading the first board allocates a few MB per thousand creators in
	// one burst; with the default GC target that is several collections
	// before the first frame. Relax it until the board is up.
	gc := debug.SetGCPercent(400)
	ready := func() { debug.SetGCPercent(gc) }
	if len(cfg.Accounts) > 0 {
		eng, sender := startMail(svc, cfg, quietLog())
		ready = func() { debug.SetGCPercent(gc); go eng.Run(ctx); go sender.Run(ctx) }
	}
	return ui.Run(ctx, ui.Options{Service: svc, Actor: o.Actor, Campaign: o.Campaign, Title: o.Title, NoColor: o.NoColor,
		DownloadDir: downloadDir(), OnReady: ready})
}

// runSync syncs from the shell: once, or on until interrupted.
func runSync(ctx context.Context, svc *crm.Service, path string, once bool) (string, error) {
	cfg, err := config.Load(path)
	if err != nil {
		return "", err
	}
	if len(cfg.Accounts) == 0 {
		return "", fmt.Errorf("no mail accounts in %s; docs/config.md shows how to add one", cfg.Path)
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	eng, sender := startMail(svc, cfg, log)
	if !once {
		go sender.Run(ctx)
		eng.Run(ctx)
		return svc.SyncStatus().Summary, nil
	}
	// The outbox first, so a reply sent now is in the sync that follows.
	ferr := sender.Flush(ctx)
	sum, err := eng.SyncOnce(ctx)
	if sum.Accounts == 0 && err != nil {
		// No account synced: the error says why, and a "synced"
		// line beside it would read as success.
		return "", errors.Join(ferr, err)
	}
	return sum.String(), errors.Join(ferr, err)
}

// quietLog keeps the engine's warnings out of the terminal the board is
// drawn on; they reach the user through the status line instead. Set
// ROSTER_LOG=FILE to keep them.
func quietLog() *slog.Logger {
	if path := os.Getenv("ROSTER_LOG"); path != "" {
		if f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600); err == nil {
			return slog.New(slog.NewTextHandler(f, nil))
		}
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// startDemoMail starts the embedded IMAP and SMTP servers of the demo and
// a config that points roster at them. The password travels through the
// environment of this process only, as a real one would.
func startDemoMail() (*demomail.Server, *config.Config, error) {
	srv, err := demomail.Start(time.Now())
	if err != nil {
		return nil, nil, fmt.Errorf("demo mail server: %w", err)
	}
	host, port, _ := net.SplitHostPort(srv.IMAPAddr)
	shost, sport, _ := net.SplitHostPort(srv.SMTPAddr)
	os.Setenv("ROSTER_DEMO_PASSWORD", srv.Password)
	toml := fmt.Sprintf(`[[accounts]]
name = "demo"
email = %q
display_name = %q
aliases = [%q]
[accounts.imap]
host = %q
port = %s
security = "none"
username = %q
password_env = "ROSTER_DEMO_PASSWORD"
[accounts.smtp]
host = %q
port = %s
security = "none"
username = %q
password_env = "ROSTER_DEMO_PASSWORD"
`, demomail.Manager, demomail.ManagerName, demomail.Aliases[0], host, port, srv.User, shost, sport, srv.User)
	cfg, err := config.Parse("demo.toml", []byte(toml))
	if err != nil {
		srv.Close()
		return nil, nil, err
	}
	return srv, cfg, nil
}

// backup copies the database directly, or through the control socket of
// the roster process that holds it.
func backup(path string, w io.Writer) (int64, error) {
	db, err := store.Open(path, store.Options{ReadOnly: true})
	if errors.Is(err, store.ErrLocked) {
		return store.RemoteBackup(path, w)
	}
	if err != nil {
		return 0, err
	}
	defer db.Close()
	return db.Backup(w)
}
