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
	"io"
	"os"
	"os/signal"
	"syscall"

	"roster/crm"
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
		Backup:    backup,
		Version:   version,
	})
	stop()
	os.Exit(code)
}

// openService opens the database (the default one for "") and builds the
// service over it. While the database is open this process answers backup
// requests on its control socket, so `roster backup` works beside it.
func openService(path string) (*crm.Service, func() error, error) {
	if path == "" {
		var err error
		if path, err = store.DefaultPath(); err != nil {
			return nil, nil, err
		}
	}
	db, err := store.Open(path, store.Options{})
	if err != nil {
		return nil, nil, err
	}
	stopControl, err := db.ServeControl(context.Background())
	if err != nil {
		stopControl = func() {}
	}
	return crm.NewService(db, nil), func() error {
		stopControl()
		return db.Close()
	}, nil
}

func runBoard(ctx context.Context, svc *crm.Service, o cli.BoardOptions) error {
	return ui.Run(ctx, ui.Options{Service: svc, Actor: o.Actor, Campaign: o.Campaign, Title: o.Title, NoColor: o.NoColor})
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
