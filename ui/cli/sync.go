package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"roster/crm"
)

// runSync syncs mail from the shell. On a terminal it draws a progress
// bar from the sync's status reports; in a pipe or a log it prints only
// the summary, so cron mail stays short.
func runSync(ctx context.Context, d *Deps, g *globals, fs *flag.FlagSet) error {
	if err := noArgs(fs); err != nil {
		return err
	}
	svc, closeDB, err := openInitialised(d, g)
	if err != nil {
		return err
	}
	defer closeDB()
	done := make(chan struct{})
	if isTerminal(d.Stdout) {
		sub := svc.Subscribe()
		defer sub.Close()
		go drawProgress(d.Stdout, svc, sub, done)
	}
	summary, err := d.Sync(ctx, svc, g.config, g.once)
	close(done)
	if summary != "" {
		fmt.Fprintln(d.Stdout, summary)
	}
	return err
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// drawProgress redraws one status line at most ten times a second until
// done, then clears it.
func drawProgress(w io.Writer, svc *crm.Service, sub *crm.Subscription, done <-chan struct{}) {
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	dirty := false
	for {
		select {
		case <-done:
			fmt.Fprint(w, "\r\x1b[K")
			return
		case <-sub.Ready():
			sub.Take()
			dirty = true
		case <-tick.C:
			if !dirty {
				continue
			}
			dirty = false
			fmt.Fprint(w, "\r\x1b[K"+progressLine(svc.SyncStatus(), 60))
		}
	}
}

// progressLine draws "[#####.....] INBOX headers 1200/5000".
func progressLine(s crm.SyncStatus, width int) string {
	if !s.Running {
		return ""
	}
	label := strings.TrimSpace(fmt.Sprintf("%s %s %s", crm.SanitizeLine(s.Account), crm.SanitizeLine(s.Mailbox), s.Phase))
	if s.Total <= 0 {
		return label + "…"
	}
	bar := 24
	n := min(bar, s.Done*bar/s.Total)
	out := "[" + strings.Repeat("#", n) + strings.Repeat(".", bar-n) + "] " + label + fmt.Sprintf(" %d/%d", s.Done, s.Total)
	if r := []rune(out); len(r) > width {
		out = string(r[:width]) // by runes: mailbox names are often not ASCII
	}
	return out
}
