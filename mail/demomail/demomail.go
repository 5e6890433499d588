// Package demomail runs the mail servers behind `roster demo`: an IMAP
// server and an SMTP server on loopback, filled with the partnership mail
// of the demo roster (crm/demo), so a newcomer sees threads beside cards
// without an account, and roster syncs them through the real protocol
// code path rather than a shortcut.
//
// The mailbox belongs to the demo manager, Sam Rivera (Manager, with the
// alias partnerships@). Its content is generated deterministically
// relative to "now", on the same timeline crm/demo uses for the deals, so
// a card's stage and its mail agree: outreach when a deal was moved to
// Contacted, negotiation around Negotiating, briefs and content links once
// Active, invoices and payment once Paid. A few messages are deliberately
// messy (odd charsets, HTML-only, attachments, forwarded mail, missing
// References, terminal escape sequences) because real inboxes are, and the
// demo doubles as a fixture for the sync and parsing code.
package demomail

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
	"github.com/emersion/go-smtp"
)

// Manager is the demo manager's address: the mailbox owner, the login,
// and the sender of outgoing mail.
const Manager = "sam@glowbrand.example"

// ManagerName is how the manager signs and appears in From.
const ManagerName = "Sam Rivera"

// Aliases are the manager's other addresses; mail from them is outgoing
// too, and inbound pitches often arrive at the shared one.
var Aliases = []string{"partnerships@glowbrand.example"}

// The mailboxes, named as the usual fallback table expects so a client
// that ignores SPECIAL-USE still finds them.
const (
	Inbox   = "INBOX"
	Sent    = "Sent"
	Archive = "Archive"
	Trash   = "Trash"
)

// specialUse is what LIST reports for each mailbox (imapmemserver itself
// keeps no special-use attributes; see session.List).
var specialUse = map[string]imap.MailboxAttr{
	Sent:    imap.MailboxAttrSent,
	Archive: imap.MailboxAttrArchive,
	Trash:   imap.MailboxAttrTrash,
}

// Server is a running pair of demo servers.
type Server struct {
	// IMAPAddr and SMTPAddr are host:port on 127.0.0.1, plain TCP.
	IMAPAddr, SMTPAddr string
	// User and Password log in to both servers. The password is random
	// per Start: the servers are reachable by other local users.
	User, Password string

	user *imapmemserver.User
	imap *imapserver.Server
	smtp *smtp.Server
	lns  []net.Listener
	wg   sync.WaitGroup

	mu    sync.Mutex
	boxes map[string]*boxState // known mailboxes, for LIST
}

// boxState is what LIST needs to know about a mailbox beyond what
// imapmemserver exposes.
type boxState struct {
	subscribed bool
}

// Start listens on loopback and fills the mailbox as of now. Close stops
// both servers.
func Start(now time.Time) (*Server, error) {
	pw := make([]byte, 12)
	if _, err := rand.Read(pw); err != nil {
		return nil, err
	}
	s := &Server{User: Manager, Password: hex.EncodeToString(pw), boxes: map[string]*boxState{}}
	s.user = imapmemserver.NewUser(s.User, s.Password)
	for _, name := range []string{Inbox, Sent, Archive, Trash} {
		if err := s.user.Create(name, nil); err != nil {
			return nil, err
		}
		if err := s.user.Subscribe(name); err != nil {
			return nil, err
		}
		s.boxes[name] = &boxState{subscribed: true}
	}
	for _, m := range Messages(now) {
		if err := s.Append(m.Mailbox, m.Raw, m.Flags...); err != nil {
			return nil, fmt.Errorf("demomail: %s: %w", m.Mailbox, err)
		}
	}
	if err := s.listen(); err != nil {
		_ = s.Close()
		return nil, err
	}
	return s, nil
}

// listen starts both servers on fresh loopback ports.
func (s *Server) listen() error {
	iln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	s.lns = append(s.lns, iln)
	sln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	s.lns = append(s.lns, sln)
	s.IMAPAddr, s.SMTPAddr = iln.Addr().String(), sln.Addr().String()

	s.imap = s.newIMAP()
	s.smtp = s.newSMTP()
	s.wg.Add(2)
	go func() { defer s.wg.Done(); _ = s.imap.Serve(iln) }()
	go func() { defer s.wg.Done(); _ = s.smtp.Serve(sln) }()
	return nil
}

// Close stops both servers and waits for them.
func (s *Server) Close() error {
	var err error
	if s.imap != nil {
		err = s.imap.Close()
	}
	if s.smtp != nil {
		err = errors.Join(err, s.smtp.Close())
	}
	for _, ln := range s.lns {
		_ = ln.Close() // already closed by Serve's owner; ignore
	}
	s.wg.Wait()
	return err
}

// Append adds a raw message to a mailbox, as delivery would: its Date
// header becomes the INTERNALDATE, and clients in IDLE are told. Flags
// are IMAP flags such as `\Seen`.
func (s *Server) Append(mailbox string, raw []byte, flags ...string) error {
	opts := &imap.AppendOptions{Time: time.Now()}
	if m, err := mail.ReadMessage(bytes.NewReader(raw)); err == nil {
		if d, err := m.Header.Date(); err == nil {
			opts.Time = d
		}
	}
	for _, f := range flags {
		opts.Flags = append(opts.Flags, imap.Flag(f))
	}
	_, err := s.user.Append(mailbox, bytes.NewReader(raw), opts)
	return err
}
