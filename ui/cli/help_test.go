package cli

import (
	"bytes"
	"context"
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
