package demomail

import (
	"bytes"
	"io"
	"strings"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// newSMTP builds the submission server. Nothing is relayed anywhere: an
// accepted message is filed into the manager's Sent folder, as Gmail and
// Microsoft 365 do for mail submitted over SMTP, so a message sent from
// the demo shows up on the next sync exactly as it would with those
// providers. A client must therefore not also APPEND its own Sent copy.
func (s *Server) newSMTP() *smtp.Server {
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return &smtpSession{srv: s}, nil
	}))
	srv.Domain = "localhost"
	// Loopback only; the demo has no certificate to offer.
	srv.AllowInsecureAuth = true
	srv.MaxMessageBytes = 25 << 20
	srv.MaxRecipients = 100
	srv.ReadTimeout = 5 * time.Minute
	srv.WriteTimeout = 30 * time.Second
	return srv
}

// smtpSession accepts mail only after PLAIN authentication as the
// manager, and only from the manager's own addresses: a real provider
// refuses to send as someone else, and roster must cope with that error.
type smtpSession struct {
	srv    *Server
	authed bool
}

var errSenderNotOwned = &smtp.SMTPError{
	Code:         553,
	EnhancedCode: smtp.EnhancedCode{5, 7, 1},
	Message:      "Sender address is not one of the authenticated user's addresses",
}

func (ss *smtpSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (ss *smtpSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if (identity != "" && identity != username) || ss.srv.user.Login(username, password) != nil {
			return smtp.ErrAuthFailed
		}
		ss.authed = true
		return nil
	}), nil
}

func (ss *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	if !ss.authed {
		return smtp.ErrAuthRequired
	}
	if !OwnAddress(from) {
		return errSenderNotOwned
	}
	return nil
}

func (ss *smtpSession) Rcpt(string, *smtp.RcptOptions) error {
	if !ss.authed {
		return smtp.ErrAuthRequired
	}
	return nil
}

// Data files the message into Sent, read, as the provider's copy.
func (ss *smtpSession) Data(r io.Reader) error {
	if !ss.authed {
		return smtp.ErrAuthRequired
	}
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(r); err != nil {
		return err
	}
	return ss.srv.Append(Sent, buf.Bytes(), `\Seen`)
}

func (ss *smtpSession) Reset()        {}
func (ss *smtpSession) Logout() error { return nil }

// OwnAddress reports whether addr is the manager's address or an alias.
func OwnAddress(addr string) bool {
	addr = strings.ToLower(strings.TrimSpace(addr))
	if addr == Manager {
		return true
	}
	for _, a := range Aliases {
		if addr == a {
			return true
		}
	}
	return false
}
