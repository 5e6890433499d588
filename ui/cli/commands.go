package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"roster/crm"
	"roster/crm/demo"
	"roster/crm/transfer"
)

func runImport(_ context.Context, d *Deps, g *globals, fs *flag.FlagSet) error {
	file, err := oneArg(fs, "FILE")
	if err != nil {
		return err
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	name := filepath.Base(file)
	opts := crm.ImportOptions{File: name, Campaign: g.campaign, DryRun: g.dryRun, SkipInvalid: g.skipInvalid}
	svc, closeDB, err := open(d, g, mayCreate)
	if err != nil {
		return err
	}
	defer closeDB()

	var res crm.ImportResult
	switch transfer.Detect(file, data) {
	case transfer.FormatJSON:
		snap, err := transfer.ReadJSON(name, bytes.NewReader(data))
		if err != nil {
			return err
		}
		res, err = svc.Restore(g.actor, snap, opts)
		if err != nil {
			return reportProblems(d, res, err)
		}
	default:
		parsed, err := transfer.ReadCSV(name, bytes.NewReader(data))
		if err != nil {
			return err
		}
		if len(parsed.Ignored) > 0 {
			fmt.Fprintf(d.Stderr, "%s: ignored columns: %s\n", name, joinQuoted(parsed.Ignored))
		}
		res, err = svc.Import(g.actor, parsed.Records, parsed.Problems, opts)
		if err != nil {
			return reportProblems(d, res, err)
		}
		for _, p := range res.Problems { // skipped rows under --skip-invalid
			fmt.Fprintln(d.Stderr, p.Error())
		}
	}
	prefix := ""
	if g.dryRun {
		prefix = "dry run: would have "
	}
	fmt.Fprintln(d.Stdout, prefix+res.Summary())
	return nil
}

// reportProblems prints every problem as FILE:LINE: reason and returns the
// one-line error that ends the command.
func reportProblems(d *Deps, res crm.ImportResult, err error) error {
	var pe *crm.ProblemsError
	if !errors.As(err, &pe) {
		return err
	}
	for _, p := range pe.Problems {
		fmt.Fprintln(d.Stderr, p.Error())
	}
	return importProblemsErr(len(pe.Problems))
}

func importProblemsErr(n int) error {
	them := map[bool]string{true: "it", false: "them"}[n == 1]
	return fmt.Errorf("%s; nothing was imported (fix %s, or pass --skip-invalid to import the valid rows)", crm.Count(n, "problem"), them)
}

func joinQuoted(ss []string) string {
	var b bytes.Buffer
	for i, s := range ss {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%q", s)
	}
	return b.String()
}

func runExport(_ context.Context, d *Deps, g *globals, fs *flag.FlagSet) error {
	if err := noArgs(fs); err != nil {
		return err
	}
	if err := oneFormat(g.format, "json", "csv"); err != nil {
		return err
	}
	svc, closeDB, err := open(d, g, mustExist)
	if err != nil {
		return err
	}
	defer closeDB()
	return Export(svc, d.Stdout, g.format)
}

func runBackup(_ context.Context, d *Deps, g *globals, fs *flag.FlagSet) error {
	file, err := oneArg(fs, "FILE")
	if err != nil {
		return err
	}
	db := g.db
	if db == "" {
		if db, err = d.DefaultDB(); err != nil {
			return err
		}
	}
	if crm.SameFile(db, file) {
		return fmt.Errorf("%s is the database itself; name another file", file)
	}
	write := crm.WriteNewFileAtomic
	if g.force {
		write = crm.WriteFileAtomic
	}
	n, err := write(file, func(w io.Writer) (int64, error) { return d.Backup(db, w) })
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("%v and was kept; name a new file, or add --force to write over it", err)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(d.Stdout, "backup of %s written to %s (%d bytes)\n", db, file, n)
	return nil
}

// runDemo seeds a fresh roster and opens it. The database goes to --db, or
// to a new temporary directory, and its path is printed on exit so the
// newcomer can come back to it.
func runDemo(ctx context.Context, d *Deps, g *globals, fs *flag.FlagSet) error {
	if err := noArgs(fs); err != nil {
		return err
	}
	path := g.db
	if path == "" {
		dir, err := os.MkdirTemp("", "roster-demo-")
		if err != nil {
			return err
		}
		path = filepath.Join(dir, "roster.db")
	} else if _, err := os.Stat(path); err == nil {
		if g.dbFrom == "ROSTER_DB" {
			return fmt.Errorf("%s (from ROSTER_DB) exists; the demo needs a new file (or unset ROSTER_DB)", path)
		}
		return fmt.Errorf("%s exists; the demo needs a new file (or leave out --db)", path)
	}
	svc, closeDB, err := d.Open(path, mayCreate)
	if err != nil {
		return err
	}
	if err := demo.Seed(svc, time.Now()); err != nil {
		closeDB()
		return err
	}
	err = d.Board(ctx, svc, BoardOptions{Actor: g.actor, Title: "roster demo", NoColor: noColor(d), Demo: true})
	if cerr := closeDB(); err == nil {
		err = cerr
	}
	if g.keep {
		fmt.Fprintf(d.Stdout, "The demo roster is in %s\nOpen it again with: roster --db %s\n", path, path)
	} else {
		os.RemoveAll(filepath.Dir(path))
	}
	return err
}
