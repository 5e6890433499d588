package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"roster/crm"
)

func outboxCommand() command {
	return command{name: "outbox", args: "[list|retry ID|cancel ID]", summary: "show the outbox, retry or cancel a mail", run: runOutbox}
}

// runOutbox lists the outbox (problems first), or retries or cancels one
// mail by the ID the list shows (or 6 or more characters starting it).
func runOutbox(_ context.Context, d *Deps, g *globals, fs *flag.FlagSet) error {
	verb, id, err := listOr(fs, "outbox", "ID", "retry", "cancel")
	if err != nil {
		return err
	}
	svc, closeDB, err := openInitialised(d, g, mustExist)
	if err != nil {
		return err
	}
	defer closeDB()
	if verb == "list" {
		ms, err := svc.Outbox(crm.OutboxQuery{})
		if err != nil {
			return err
		}
		printOutbox(d.Stdout, ms)
		return nil
	}
	if verb == "retry" {
		m, err := svc.RetryMail(g.actor, crm.ID(id))
		if err != nil {
			return err
		}
		fmt.Fprintf(d.Stdout, "%s to %s is queued again; it goes out with the next `roster sync` or while the board runs\n", m.ShortID(), clean(m.ToLine()))
		return nil
	}
	m, err := svc.CancelMail(g.actor, crm.ID(id))
	if err != nil {
		return err
	}
	fmt.Fprintf(d.Stdout, "%s to %s is cancelled\n", m.ShortID(), clean(m.ToLine()))
	return nil
}

// listOr reads the arguments of a command that lists by default and
// whose other verbs each take one argument, named arg ("ID", "ADDRESS":
// a word "an" fits):
// "[list|VERB ARG...]". Anything else is a usage error saying what fits.
func listOr(fs *flag.FlagSet, command, arg string, verbs ...string) (verb, value string, err error) {
	verb = "list"
	switch fs.NArg() {
	case 0:
	case 1:
		verb = fs.Arg(0)
	case 2:
		verb, value = fs.Arg(0), fs.Arg(1)
	default:
		return "", "", usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(2))}
	}
	if verb != "list" && !slices.Contains(verbs, verb) {
		fits := []string{"list"}
		for _, v := range verbs {
			fits = append(fits, v+" "+arg)
		}
		return "", "", usageError{fmt.Sprintf("unknown %s command %q (%s)", command, verb, strings.Join(fits, ", "))}
	}
	if verb == "list" && value != "" {
		return "", "", usageError{fmt.Sprintf("%q takes no %s", verb, arg)}
	}
	if verb != "list" && value == "" {
		return "", "", usageError{fmt.Sprintf("%q takes an %s", verb, arg)}
	}
	return verb, value, nil
}

func clean(s string) string { return crm.SanitizeLine(s) }

// printOutbox lists mail needing attention first (in doubt, failed), then
// what is on its way, then what went, newest first in each group.
func printOutbox(w io.Writer, ms []crm.OutboxMail) {
	if len(ms) == 0 {
		fmt.Fprintln(w, "The outbox is empty.")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTATE\tTO\tSUBJECT\tDATE\tSERVER SAID")
	for _, st := range crm.OutboxStates {
		for _, m := range ms {
			if m.State != st {
				continue
			}
			said := m.LastError
			if m.State == crm.OutboxSent {
				said = m.Response
				if m.SentCopy != "" {
					said += " (Sent copy: " + m.SentCopy + ")"
				}
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", m.ShortID(), m.State, cut(clean(m.ToLine()), 32),
				cut(clean(m.Subject), 40), m.Date.Local().Format("Jan 2 15:04"), cut(clean(said), 100))
		}
	}
	tw.Flush()
}

func cut(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return strings.TrimSpace(s)
}
