package cli

import (
	"context"
	"flag"
	"fmt"

	"roster/crm"
)

func ignoredCommand() command {
	return command{name: "ignored", args: "[list|unignore ADDRESS]",
		summary: "list the senders ignored in the unmatched mail, or list one's mail again", run: runIgnored}
}

// runIgnored lists the ignored senders, one address a line (so it pipes
// into other tools), or lifts the ignore on one: the way back from an x
// pressed on the wrong sender, for whoever is not at the board.
func runIgnored(_ context.Context, d *Deps, g *globals, fs *flag.FlagSet) error {
	verb, addr, err := listOr(fs, "ignored", "ADDRESS", "unignore")
	if err != nil {
		return err
	}
	svc, closeDB, err := openInitialised(d, g, mustExist)
	if err != nil {
		return err
	}
	defer closeDB()
	if verb == "unignore" {
		if err := svc.UnignoreSender(g.actor, addr); err != nil {
			return err
		}
		fmt.Fprintf(d.Stdout, "mail from %s is in the unmatched list again\n", clean(crm.NormalizeEmail(addr)))
		return nil
	}
	senders, err := svc.IgnoredSenders()
	if err != nil {
		return err
	}
	if len(senders) == 0 {
		fmt.Fprintln(d.Stderr, "no sender is ignored")
		return nil
	}
	for _, s := range senders {
		fmt.Fprintln(d.Stdout, clean(s))
	}
	return nil
}
