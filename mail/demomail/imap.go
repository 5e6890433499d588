package demomail

import (
	"log"
	"sort"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
)

// newIMAP builds the IMAP server. It advertises IMAP4rev1 with the
// extensions imapmemserver implements, like Gmail and Dovecot do, rather
// than IMAP4rev2: that is the dialect roster meets in the wild. There is
// no CONDSTORE: imapmemserver keeps no MODSEQs, so the sync engine's
// non-CONDSTORE path is what the demo exercises.
func (s *Server) newIMAP() *imapserver.Server {
	return imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return &session{srv: s}, nil, nil
		},
		Caps: imap.CapSet{
			imap.CapIMAP4rev1:    {},
			imap.CapNamespace:    {},
			imap.CapUIDPlus:      {},
			imap.CapMove:         {},
			imap.CapListExtended: {},
			imap.CapListStatus:   {},
			imap.CapStatusSize:   {},
			imap.CapSpecialUse:   {},
		},
		// Loopback only, and the demo has no certificate to offer.
		InsecureAuth: true,
		Logger:       log.New(discard{}, "", 0),
	})
}

// discard drops imapserver's per-connection error logs (a client closing
// mid-IDLE is normal and would scribble over the TUI).
type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// session is imapmemserver's per-connection session with the listing
// replaced: imapmemserver accepts special-use attributes on CREATE but
// drops them, so LIST would never say \Sent. This session reports them
// on every LIST, as Gmail and Dovecot do, and keeps the set of mailboxes
// and subscriptions that listing needs.
type session struct {
	*imapmemserver.UserSession // nil until login
	srv                        *Server
}

func (sess *session) Login(username, password string) error {
	if err := sess.srv.user.Login(username, password); err != nil {
		return err
	}
	sess.UserSession = imapmemserver.NewUserSession(sess.srv.user)
	return nil
}

func (sess *session) Close() error {
	if sess.UserSession == nil {
		return nil
	}
	return sess.UserSession.Close()
}

func (sess *session) Create(name string, opts *imap.CreateOptions) error {
	if err := sess.UserSession.Create(name, opts); err != nil {
		return err
	}
	sess.srv.mu.Lock()
	sess.srv.boxes[trimDelim(name)] = &boxState{}
	sess.srv.mu.Unlock()
	return nil
}

func (sess *session) Delete(name string) error {
	if err := sess.UserSession.Delete(name); err != nil {
		return err
	}
	sess.srv.mu.Lock()
	delete(sess.srv.boxes, name)
	sess.srv.mu.Unlock()
	return nil
}

func (sess *session) Rename(name, newName string, opts *imap.RenameOptions) error {
	if err := sess.UserSession.Rename(name, newName, opts); err != nil {
		return err
	}
	sess.srv.mu.Lock()
	sess.srv.boxes[trimDelim(newName)] = sess.srv.boxes[name]
	delete(sess.srv.boxes, name)
	sess.srv.mu.Unlock()
	return nil
}

func (sess *session) Subscribe(name string) error   { return sess.setSubscribed(name, true) }
func (sess *session) Unsubscribe(name string) error { return sess.setSubscribed(name, false) }

func (sess *session) setSubscribed(name string, on bool) error {
	var err error
	if on {
		err = sess.UserSession.Subscribe(name)
	} else {
		err = sess.UserSession.Unsubscribe(name)
	}
	if err != nil {
		return err
	}
	sess.srv.mu.Lock()
	if b := sess.srv.boxes[name]; b != nil {
		b.subscribed = on
	}
	sess.srv.mu.Unlock()
	return nil
}

// Idle polls the session's update queue instead of using imapserver's
// SessionTracker.Idle, which registers for notifications only after it
// has sent "+ idling": an update queued in between is not written until
// the next one arrives, and a client waiting for new mail waits forever.
// A short poll of an in-memory queue is cheap and loses nothing.
func (sess *session) Idle(w *imapserver.UpdateWriter, stop <-chan struct{}) error {
	tick := time.NewTicker(idlePoll)
	defer tick.Stop()
	for {
		if err := sess.UserSession.Poll(w, true); err != nil {
			return err
		}
		select {
		case <-stop:
			return nil
		case <-tick.C:
		}
	}
}

// idlePoll is how often an idling client's updates are flushed.
const idlePoll = 200 * time.Millisecond

// List answers LIST and LSUB from the server's mailbox set, with
// special-use attributes always included and LIST-STATUS honoured.
func (sess *session) List(w *imapserver.ListWriter, ref string, patterns []string, opts *imap.ListOptions) error {
	if len(patterns) == 0 {
		return w.WriteList(&imap.ListData{Attrs: []imap.MailboxAttr{imap.MailboxAttrNoSelect}, Delim: delim})
	}
	type row struct {
		name       string
		subscribed bool
	}
	var rows []row
	sess.srv.mu.Lock()
	for name, b := range sess.srv.boxes {
		for _, p := range patterns {
			if imapserver.MatchList(name, delim, ref, p) {
				rows = append(rows, row{name, b.subscribed})
				break
			}
		}
	}
	sess.srv.mu.Unlock()
	sort.Slice(rows, func(i, j int) bool { return rows[i].name < rows[j].name })

	for _, r := range rows {
		attr, special := specialUse[r.name]
		if (opts.SelectSubscribed && !r.subscribed) || (opts.SelectSpecialUse && !special) {
			continue
		}
		data := imap.ListData{Mailbox: r.name, Delim: delim}
		if r.subscribed && (opts.SelectSubscribed || opts.ReturnSubscribed) {
			data.Attrs = append(data.Attrs, imap.MailboxAttrSubscribed)
		}
		if special {
			data.Attrs = append(data.Attrs, attr)
		}
		if opts.ReturnStatus != nil {
			st, err := sess.UserSession.Status(r.name, opts.ReturnStatus)
			if err != nil {
				return err
			}
			data.Status = st
		}
		if err := w.WriteList(&data); err != nil {
			return err
		}
	}
	return nil
}

// delim is imapmemserver's hierarchy separator.
const delim = '/'

func trimDelim(name string) string {
	for len(name) > 0 && name[len(name)-1] == delim {
		name = name[:len(name)-1]
	}
	return name
}
