package cli

import (
	"bytes"
	"context"
	"flag"
	"io"
	"slices"
	"strings"
	"testing"
)

// TestCommandHelpPrintsOnce: `roster help CMD` and `roster CMD --help`
// print the command's usage once, on stdout; flag.Parse used to print it
// to stderr as well, so a terminal showed it twice. A bad flag gets its
// message and the usage once, on stderr.
func TestCommandHelpPrintsOnce(t *testing.T) {
	for _, args := range [][]string{{"help", "import"}, {"import", "--help"}, {"export", "-h"}, {"--db", "x.db", "payouts", "-help"}} {
		var out, errOut bytes.Buffer
		code := Run(context.Background(), args, Deps{Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }})
		if code != 0 || errOut.Len() != 0 || strings.Count(out.String(), "usage: roster ") != 1 {
			t.Errorf("roster %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, &out, &errOut)
		}
	}
	var out, errOut bytes.Buffer
	code := Run(context.Background(), []string{"export", "--frobnicate"}, Deps{Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }})
	if code != 1 || out.Len() != 0 || !strings.Contains(errOut.String(), "flag provided but not defined: -frobnicate") || strings.Count(errOut.String(), "usage: roster export") != 1 {
		t.Errorf("bad flag: exit %d\nstdout:\n%s\nstderr:\n%s", code, &out, &errOut)
	}
}

// TestFlagsAfterArguments: a flag after the file, as in `roster import
// list.csv --skip-invalid`, is a flag (flag.Parse alone took it for a
// second file); after "--" everything is an argument.
func TestFlagsAfterArguments(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want []string
		skip bool
	}{
		{[]string{"list.csv", "--skip-invalid"}, []string{"list.csv"}, true},
		{[]string{"--skip-invalid", "list.csv"}, []string{"list.csv"}, true},
		{[]string{"a", "--db", "x.db", "b", "--skip-invalid"}, []string{"a", "b"}, true},
		{[]string{"a", "--", "--skip-invalid", "-"}, []string{"a", "--skip-invalid", "-"}, false},
		{[]string{"-", "--dry-run"}, []string{"-"}, false},
		{nil, nil, false},
	} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		skip := fs.Bool("skip-invalid", false, "")
		fs.Bool("dry-run", false, "")
		db := fs.String("db", "", "")
		if err := parseAnywhere(fs, tc.args); err != nil {
			t.Errorf("%q: %v", tc.args, err)
			continue
		}
		if got := fs.Args(); !slices.Equal(got, tc.want) || *skip != tc.skip {
			t.Errorf("%q: args %q skip %v, want %q %v", tc.args, got, *skip, tc.want, tc.skip)
		}
		if slices.Contains(tc.args, "--db") && *db != "x.db" {
			t.Errorf("%q: db %q", tc.args, *db)
		}
	}
	// "--" as a flag's value is the value, not the end of the flags.
	for _, args := range [][]string{
		{"--db", "--", "a", "--skip-invalid"},
		{"a", "-db", "--", "--skip-invalid"},
		{"--skip-invalid", "--db", "--", "a"},
	} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		skip := fs.Bool("skip-invalid", false, "")
		db := fs.String("db", "", "")
		if err := parseAnywhere(fs, args); err != nil {
			t.Errorf("%q: %v", args, err)
			continue
		}
		if got := fs.Args(); !slices.Equal(got, []string{"a"}) || !*skip || *db != "--" {
			t.Errorf("%q: args %q skip %v db %q, want [a] true \"--\"", args, got, *skip, *db)
		}
	}
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if err := parseAnywhere(fs, []string{"list.csv", "--nope"}); err == nil || !strings.Contains(err.Error(), "-nope") {
		t.Errorf("an unknown flag after the file: %v", err)
	}
}
