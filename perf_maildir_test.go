package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"syscall"

	"roster/mail/mailgen"
)

// perfManager is the manager's own address in the generated mailbox.
const perfManager = mailgen.Manager

// fillMaildir writes the generated mail straight into the Maildir of a
// Dovecot user (home/Maildir for INBOX, home/Maildir/.Sent for Sent)
// before the user's first login, as a delivery agent would: one file per
// message in cur/ with Dovecot's size fields (S= file size, W= size with
// CRLF) and flags in its name, the Date as its mtime (INTERNALDATE), owned
// by the home's owner. Dovecot assigns UIDs and builds its index on the
// first SELECT. It returns the number of messages and bytes per mailbox.
func fillMaildir(home string, n, creators int) (count map[string]int, size int64, err error) {
	fi, err := os.Stat(home)
	if err != nil {
		return nil, 0, err
	}
	st := fi.Sys().(*syscall.Stat_t)
	uid, gid := int(st.Uid), int(st.Gid)
	chown := uid != os.Geteuid() || gid != os.Getegid()
	dirs := map[string]string{"INBOX": filepath.Join(home, "Maildir"), "Sent": filepath.Join(home, "Maildir", ".Sent")}
	for _, root := range []string{dirs["INBOX"], dirs["Sent"]} {
		for _, sub := range []string{"", "cur", "new", "tmp"} {
			d := filepath.Join(root, sub)
			if err := os.MkdirAll(d, 0o700); err != nil {
				return nil, 0, err
			}
			if chown {
				if err := os.Chown(d, uid, gid); err != nil {
					return nil, 0, err
				}
			}
		}
	}
	count = map[string]int{}
	ch := make(chan mailgen.Message, 256)
	errs := make(chan error, 4)
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for m := range ch {
				flags := ""
				if m.Seen {
					flags = "S"
				}
				vsize := len(m.Raw) + bytes.Count(m.Raw, []byte("\n"))
				name := fmt.Sprintf("%d.M%06dP%d.roster-perf,S=%d,W=%d:2,%s", m.Date.Unix(), m.Seq%1_000_000, m.Seq, len(m.Raw), vsize, flags)
				p := filepath.Join(dirs[m.Box], "cur", name)
				err := os.WriteFile(p, m.Raw, 0o600)
				if err == nil && chown {
					err = os.Chown(p, uid, gid)
				}
				if err == nil {
					err = os.Chtimes(p, m.Date, m.Date)
				}
				if err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		}()
	}
	mailgen.Mailbox(n, creators, func(m mailgen.Message) {
		count[m.Box]++
		size += int64(len(m.Raw))
		ch <- m
	})
	close(ch)
	wg.Wait()
	select {
	case err := <-errs:
		return nil, 0, err
	default:
	}
	return count, size, nil
}
