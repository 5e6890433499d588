package cli

import (
	"bufio"
	"context"
	"flag"
	"io"
	"path/filepath"

	"roster/crm"
	"roster/crm/transfer"
)

// ServeOptions are `roster serve`'s flags, with the defaults filled in.
type ServeOptions struct {
	// Listen is the address to listen on (127.0.0.1:2222: teammates
	// reach it through an SSH tunnel or a deliberate --listen :2222).
	Listen string
	// HostKey is the server's private key, created on first start.
	HostKey string
	// AuthorizedKeys names the teammates: key, then name.
	AuthorizedKeys string
	// LogFile receives the log in logfmt; "" means stderr.
	LogFile string
	// DB is the database path the server holds (for the notice that tells
	// a local roster where the server is).
	DB string
	// Config is the mail accounts config ("" for the default).
	Config string
}

func serveFlags(fs *flag.FlagSet, g *globals) {
	fs.StringVar(&g.serve.Listen, "listen", "127.0.0.1:2222", "address to listen on (HOST:PORT; :2222 for every interface)")
	fs.StringVar(&g.serve.HostKey, "host-key", "", "the server's SSH host key, created if missing (default: ssh_host_ed25519 next to the database)")
	fs.StringVar(&g.serve.AuthorizedKeys, "authorized-keys", "", "teammates' public keys, one per line with the name after the key (default: authorized_keys next to the database)")
	fs.StringVar(&g.serve.LogFile, "log", "", "append the log (logfmt) to this file instead of stderr")
}

func runServe(ctx context.Context, d *Deps, g *globals, fs *flag.FlagSet) error {
	if err := noArgs(fs); err != nil {
		return err
	}
	o := g.serve
	o.Config = g.config
	o.DB = g.db
	if o.DB == "" {
		var err error
		if o.DB, err = d.DefaultDB(); err != nil {
			return err
		}
	}
	if abs, err := filepath.Abs(o.DB); err == nil {
		o.DB = abs
	}
	dir := filepath.Dir(o.DB)
	if o.HostKey == "" {
		o.HostKey = filepath.Join(dir, "ssh_host_ed25519")
	}
	if o.AuthorizedKeys == "" {
		o.AuthorizedKeys = filepath.Join(dir, "authorized_keys")
	}
	gg := *g
	gg.db = o.DB
	svc, closeDB, err := openInitialised(d, &gg, mayCreate)
	if err != nil {
		return err
	}
	defer closeDB()
	return d.Serve(ctx, svc, o)
}

// Export writes the whole roster to w as JSON (everything, re-importable)
// or CSV (one row per creator): `roster export`, and `ssh HOST export`
// on a server.
func Export(svc *crm.Service, w io.Writer, format string) error {
	snap, err := svc.Snapshot()
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	if format == "csv" {
		err = transfer.WriteCSV(bw, snap)
	} else {
		err = transfer.WriteJSON(bw, snap)
	}
	if err != nil {
		return err
	}
	return bw.Flush()
}
