// Package cli is roster's command line: subcommands, their flags and help,
// and the exit codes scripts rely on: 0 on success, 1 on any user error
// (a bad file, a bad flag, a locked database) with the message on stderr. Like the TUI it talks only to the
// domain; main.go hands it the ways to open the database and run the
// board, so this package never imports the store.
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"

	"roster/crm"
)

// Deps are the capabilities main.go wires in.
type Deps struct {
	Stdout, Stderr io.Writer
	Stdin          io.Reader
	// Open opens the roster database at path ("" for the default) and
	// returns a service over it and a function that closes it. With
	// create false a missing file is an error wrapping fs.ErrNotExist
	// and nothing is made at path.
	Open func(path string, create bool) (*crm.Service, func() error, error)
	// DefaultDB is the path used when neither --db nor ROSTER_DB is given.
	DefaultDB func() (string, error)
	// Board runs the interactive board until the user quits, syncing
	// mail in the background when accounts are configured.
	Board func(ctx context.Context, svc *crm.Service, opts BoardOptions) error
	// Sync syncs every configured account: once and return, or on until
	// ctx ends. It returns the one-line summary of the last sync.
	Sync func(ctx context.Context, svc *crm.Service, configPath string, once bool) (string, error)
	// Backup copies the database at path to w, also while another roster
	// process holds it.
	Backup func(path string, w io.Writer) (int64, error)
	// Serve runs the team's SSH server over svc until ctx ends.
	Serve func(ctx context.Context, svc *crm.Service, opts ServeOptions) error
	// Mail sets up sending on svc from the mail config at configPath
	// (accounts, the delivery worker) and returns a function that sends
	// everything due and returns.
	Mail func(svc *crm.Service, configPath string) (flush func(context.Context) error, err error)
	// Drafts sets svc up only to write mail from the config's accounts,
	// for a dry run: it prints what would go and reaches no server, so
	// an account needs its address, not [accounts.smtp]. account is the
	// --account asked for ("" for the default). note, when not empty,
	// says what a real run would still need.
	Drafts func(svc *crm.Service, configPath, account string) (note string, err error)
	// Getenv reads the environment (tests pass their own).
	Getenv  func(string) string
	Version string
}

// BoardOptions are what the board needs from the command line.
type BoardOptions struct {
	Actor    string
	Campaign string
	Title    string
	NoColor  bool
	// Config is the mail config file ("" for the default).
	Config string
	// Demo starts the embedded demo mail servers instead of reading a
	// config.
	Demo bool
}

// usageError is a mistake in how roster was called; the command's usage
// follows the message.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// command is one subcommand.
type command struct {
	name    string
	args    string
	summary string
	flags   func(fs *flag.FlagSet, o *globals)
	run     func(ctx context.Context, d *Deps, g *globals, fs *flag.FlagSet) error
}

// globals are flags every command takes.
type globals struct {
	db string
	// dbFrom is where db came from: "--db", "ROSTER_DB", or "" for the
	// default path, so a message about the file names what to check.
	dbFrom      string
	config      string
	once        bool
	actor       string
	campaign    string
	format      string
	dryRun      bool
	skipInvalid bool
	keep        bool
	force       bool
	serve       ServeOptions
	outreach    outreachFlags
	payouts     payoutsFlags
	due         dueFlags
}

func commands() []command {
	return []command{
		{name: "board", summary: "open the pipeline board (the default)", run: runBoard,
			flags: func(fs *flag.FlagSet, g *globals) {
				fs.StringVar(&g.campaign, "campaign", "", "open this campaign's board")
			}},
		{name: "import", args: "FILE", summary: "import creators from a CSV or roster JSON file", run: runImport,
			flags: func(fs *flag.FlagSet, g *globals) {
				fs.StringVar(&g.campaign, "campaign", "", "put new deals in this campaign (created if missing)")
				fs.BoolVar(&g.dryRun, "dry-run", false, "report what would happen and write nothing")
				fs.BoolVar(&g.skipInvalid, "skip-invalid", false, "import the valid rows and report the others")
			}},
		{name: "export", summary: "write the whole roster to stdout", run: runExport,
			flags: func(fs *flag.FlagSet, g *globals) {
				fs.StringVar(&g.format, "format", "json", "json (everything, re-importable) or csv (one row per creator)")
			}},
		{name: "sync", summary: "sync mail from every configured account (--once: then exit)", run: runSync,
			flags: func(fs *flag.FlagSet, g *globals) {
				fs.BoolVar(&g.once, "once", false, "sync every account once and exit (default: keep syncing until interrupted)")
			}},
		outboxCommand(),
		ignoredCommand(),
		outreachCommand(),
		payoutsCommand(),
		reportCommand(),
		dueCommand(),
		{name: "backup", args: "FILE", summary: "write a consistent copy of the database, also while roster runs", run: runBackup,
			flags: func(fs *flag.FlagSet, g *globals) {
				fs.BoolVar(&g.force, "force", false, "write over FILE if it exists (by default an existing file, perhaps the last good backup, is kept)")
			}},
		{name: "demo", summary: "open a fresh roster filled with sample creators", run: runDemo,
			flags: func(fs *flag.FlagSet, g *globals) {
				fs.BoolVar(&g.keep, "keep", true, "keep the demo database after quitting (its path is printed)")
			}},
		{name: "serve", summary: "share this roster with a team over SSH (see docs/serve.md)", run: runServe, flags: serveFlags},
		{name: "version", summary: "print roster's version", run: func(_ context.Context, d *Deps, _ *globals, _ *flag.FlagSet) error {
			fmt.Fprintln(d.Stdout, "roster", d.Version)
			return nil
		}},
	}
}

// Run runs roster with args (without the program name) and returns the
// exit status.
func Run(ctx context.Context, args []string, d Deps) int {
	if d.Getenv == nil {
		d.Getenv = os.Getenv
	}
	// Global flags may come before the command: roster --db x.db import f.
	var pre globals
	args, err := leadingGlobals(args, &pre)
	if err != nil {
		fmt.Fprintf(d.Stderr, "roster: %v\n", err)
		return 1
	}
	name := "board"
	named := len(args) > 0 && !strings.HasPrefix(args[0], "-")
	if named {
		name, args = args[0], args[1:]
	}
	if !named && len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
		// "roster --help" asks about roster, not only its board.
		usage(d.Stdout)
		return 0
	}
	if name == "help" {
		if len(args) > 0 {
			name, args = args[0], []string{"--help"}
		} else {
			usage(d.Stdout)
			return 0
		}
	}
	var cmd *command
	for _, c := range commands() {
		if c.name == name {
			cmd = &c
			break
		}
	}
	if cmd == nil {
		fmt.Fprintf(d.Stderr, "roster: unknown command %q\n\n", name)
		usage(d.Stderr)
		return 1
	}
	g := pre
	fs := flag.NewFlagSet("roster "+cmd.name, flag.ContinueOnError)
	fs.SetOutput(d.Stderr)
	fs.StringVar(&g.db, "db", pre.db, "database file (default $ROSTER_DB, else the XDG data dir)")
	fs.StringVar(&g.actor, "as", pre.actor, "your name in the activity log (default $ROSTER_USER, else $USER)")
	fs.StringVar(&g.config, "config", pre.config, "mail accounts config (default $ROSTER_CONFIG, else the XDG config dir)")
	if cmd.flags != nil {
		cmd.flags(fs, &g)
	}
	printUsage := func(w io.Writer) {
		fs.SetOutput(w)
		fmt.Fprintf(w, "usage: roster %s [flags] %s\n\n%s.\n\nflags:\n", cmd.name, cmd.args, upper(cmd.summary))
		fs.PrintDefaults()
	}
	// Parse would print the usage itself, to stderr, before returning
	// ErrHelp; it is printed here instead, once: to stdout when asked
	// for, to stderr after a bad flag's message.
	fs.Usage = func() {}
	if err := parseAnywhere(fs, args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printUsage(d.Stdout)
			return 0
		}
		printUsage(d.Stderr)
		return 1
	}
	if g.db != "" {
		g.dbFrom = "--db"
	} else if g.db = d.Getenv("ROSTER_DB"); g.db != "" {
		g.dbFrom = "ROSTER_DB"
	}
	if g.config == "" {
		g.config = d.Getenv("ROSTER_CONFIG")
	}
	if g.actor == "" {
		g.actor = firstNonEmpty(d.Getenv("ROSTER_USER"), d.Getenv("USER"), "me")
	}
	if err := cmd.run(ctx, &d, &g, fs); err != nil {
		var ue usageError
		if errors.As(err, &ue) {
			fmt.Fprintf(d.Stderr, "roster %s: %v\n", cmd.name, err)
			printUsage(d.Stderr)
			return 1
		}
		fmt.Fprintf(d.Stderr, "roster %s: %v\n", cmd.name, err)
		return 1
	}
	return 0
}

// parseAnywhere parses flags wherever they stand among the arguments, as
// a terminal user expects of `roster import list.csv --skip-invalid`
// (flag.Parse stops at the first argument that is not a flag). Everything
// after "--" is an argument, so a file named "-x.csv" can still be given.
// The arguments are left in order in fs.Args().
func parseAnywhere(fs *flag.FlagSet, args []string) error {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		if endsAtDoubleDash(fs, args[:len(args)-len(rest)]) {
			positional = append(positional, rest...)
			break
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
	// Parsing "--" alone leaves the flags as they are and fs.Args() as
	// the arguments gathered.
	return fs.Parse(append([]string{"--"}, positional...))
}

// endsAtDoubleDash reports whether flags, the arguments one Parse took,
// ended with the "--" that ends the flags, rather than with "--" as a
// flag's value (`--campaign -- list.csv --dry-run` names a campaign "--"
// and still has a flag after the file).
func endsAtDoubleDash(fs *flag.FlagSet, flags []string) bool {
	for i := 0; i < len(flags); i++ {
		if flags[i] == "--" {
			return true
		}
		name := strings.TrimPrefix(strings.TrimPrefix(flags[i], "-"), "-")
		if strings.Contains(name, "=") {
			continue // -name=value
		}
		if f := fs.Lookup(name); f != nil && !isBoolFlag(f) {
			i++ // its value, whatever it looks like
		}
	}
	return false
}

// isBoolFlag reports whether f takes no value of its own, as the flag
// package decides it.
func isBoolFlag(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// leadingGlobals consumes --db and --as given before the command name.
func leadingGlobals(args []string, g *globals) ([]string, error) {
	for len(args) > 0 && strings.HasPrefix(args[0], "-") {
		name, value, hasValue := strings.Cut(strings.TrimLeft(args[0], "-"), "=")
		var dst *string
		switch name {
		case "db":
			dst = &g.db
		case "as":
			dst = &g.actor
		case "config":
			dst = &g.config
		default:
			return args, nil // the command's own flags, or --help
		}
		args = args[1:]
		if !hasValue {
			if len(args) == 0 {
				return nil, fmt.Errorf("flag --%s needs a value", name)
			}
			value, args = args[0], args[1:]
		}
		*dst = value
	}
	return args, nil
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "roster: creator outreach from the terminal — a pipeline board with every email beside the card.")
	fmt.Fprintln(w, "\nusage: roster [command] [flags]\n\ncommands:")
	// A command whose arguments are too long for the column gets a line
	// of its own, with its summary below.
	const width = 16
	for _, c := range commands() {
		head := strings.TrimSpace(c.name + " " + c.args)
		if len(head) > width {
			fmt.Fprintf(w, "  %s\n  %-*s  %s\n", head, width, "", c.summary)
			continue
		}
		fmt.Fprintf(w, "  %-*s  %s\n", width, head, c.summary)
	}
	fmt.Fprintln(w, "\nEvery command takes --db PATH, --config PATH and --as NAME; `roster help COMMAND` shows its flags.")
}

func upper(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}

func noArgs(fs *flag.FlagSet) error {
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	return nil
}

func oneArg(fs *flag.FlagSet, what string) (string, error) {
	switch fs.NArg() {
	case 0:
		return "", usageError{what + " is missing"}
	case 1:
		return fs.Arg(0), nil
	}
	return "", usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(1))}
}

// oneFormat checks --format against the formats a command writes, so
// every command refuses an unknown one in the same words.
func oneFormat(format string, allowed ...string) error {
	if !slices.Contains(allowed, format) {
		return usageError{fmt.Sprintf("--format %q: want %s", format, strings.Join(allowed, " or "))}
	}
	return nil
}

// writeJSON writes v as the indented JSON every --format json prints.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func noColor(d *Deps) bool { return d.Getenv("NO_COLOR") != "" }

// Whether a command may create the database it is pointed at: those that
// start a roster (board, import, demo, serve) may; those that only work
// on one (report, export, the outbox, sync) refuse a missing file, which
// is far more often a mistyped --db than a wish for an empty roster.
const (
	mayCreate = true
	mustExist = false
)

// open opens the database, explaining a missing one in terms of where its
// path came from.
func open(d *Deps, g *globals, create bool) (*crm.Service, func() error, error) {
	svc, closeDB, err := d.Open(g.db, create)
	if err != nil && !create && errors.Is(err, fs.ErrNotExist) {
		return nil, nil, noRoster(d, g)
	}
	return svc, closeDB, err
}

// noRoster says that no database is where the command looked.
func noRoster(d *Deps, g *globals) error {
	const create = "create one by opening the board or with roster import"
	switch g.dbFrom {
	case "--db":
		return fmt.Errorf("no roster at %s: check --db, or %s", g.db, create)
	case "ROSTER_DB":
		return fmt.Errorf("no roster at %s (from ROSTER_DB): check ROSTER_DB, or %s", g.db, create)
	}
	path := "the default path"
	if d.DefaultDB != nil {
		if p, err := d.DefaultDB(); err == nil {
			path = p
		}
	}
	return fmt.Errorf("no roster at %s yet: give its path with --db or ROSTER_DB, or %s", path, create)
}

// openInitialised opens the database for a command that shows or syncs
// the roster, which needs the default campaign to exist.
func openInitialised(d *Deps, g *globals, create bool) (*crm.Service, func() error, error) {
	svc, closeDB, err := open(d, g, create)
	if err != nil {
		return nil, nil, err
	}
	if err := svc.Init(g.actor); err != nil {
		closeDB()
		return nil, nil, err
	}
	return svc, closeDB, nil
}

func runBoard(ctx context.Context, d *Deps, g *globals, fs *flag.FlagSet) error {
	if err := noArgs(fs); err != nil {
		return err
	}
	svc, closeDB, err := openInitialised(d, g, mayCreate)
	if err != nil {
		return err
	}
	defer closeDB()
	return d.Board(ctx, svc, BoardOptions{Actor: g.actor, Campaign: g.campaign, NoColor: noColor(d), Config: g.config})
}
