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
	svc, closeDB, err := openInitialised(d, g, mustExist)
	if err != nil {
		return err
	}
	defer closeDB()
	stop := func() {}
	if isTerminal(d.Stdout) {
		sub := svc.Subscribe()
		defer sub.Close()
		stop = statusLine(d.Stdout, sub, func() string { return progressLine(svc.SyncStatus(), 60) })
	}
	summary, err := d.Sync(ctx, svc, g.config, g.once)
	stop()
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

// statusLine redraws one line on w, at most ten times a second, whenever
// the service reports a change, with what line returns ("" leaves the
// line as it is). The returned stop clears the line and returns only once
// the drawing has ended, so what the caller prints next is never cut into.
func statusLine(w io.Writer, sub *crm.Subscription, line func() string) (stop func()) {
	done, ended := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(ended)
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
				if l := line(); l != "" {
					fmt.Fprint(w, "\r\x1b[K"+l)
				}
			}
		}
	}()
	return func() { close(done); <-ended }
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
