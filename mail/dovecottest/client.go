package dovecottest

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/mail"
	"os"
	"testing"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// Login opens a new plain-IMAP connection logged in as user; it is
// closed on t.Cleanup. Tests that check the protocol use it; code under
// test should dial Addr itself.
func (s *Server) Login(t testing.TB, user string) *imapclient.Client {
	t.Helper()
	c, err := s.login(user)
	if err != nil {
		t.Fatalf("dovecottest: %v\n%s", err, s.LogTail(20))
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func (s *Server) login(user string) (*imapclient.Client, error) {
	pass, ok := s.Users[user]
	if !ok {
		return nil, fmt.Errorf("no user %q", user)
	}
	c, err := imapclient.DialInsecure(s.Addr, nil)
	if err != nil {
		return nil, err
	}
	if err := c.Login(user, pass).Wait(); err != nil {
		_ = c.Close()
		return nil, fmt.Errorf("login %s: %w", user, err)
	}
	return c, nil
}

// TLSConfig trusts exactly this instance's certificate; nil without TLS.
func (s *Server) TLSConfig() (*tls.Config, error) {
	if s.CAFile == "" {
		return nil, nil
	}
	pem, err := os.ReadFile(s.CAFile)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, errors.New("no certificate in " + s.CAFile)
	}
	return &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}, nil
}

// Append stores raw in user's mailbox through IMAP APPEND, as mail
// arrives in real life, creating the mailbox if needed. The message's
// Date header becomes its INTERNALDATE. One connection per user is kept
// open across calls, so filling a mailbox is fast.
func (s *Server) Append(t testing.TB, user, mailbox string, raw []byte) {
	t.Helper()
	if err := s.append(user, mailbox, raw); err != nil {
		t.Fatalf("dovecottest: append to %s/%s: %v\n%s", user, mailbox, err, s.LogTail(20))
	}
}

func (s *Server) append(user, mailbox string, raw []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.clients == nil {
		return errors.New("server stopped")
	}
	c := s.clients[user]
	if c == nil {
		var err error
		if c, err = s.login(user); err != nil {
			return err
		}
		s.clients[user] = c
	}
	opts := &imap.AppendOptions{}
	if m, err := mail.ReadMessage(bytes.NewReader(raw)); err == nil {
		if d, err := m.Header.Date(); err == nil {
			opts.Time = d
		}
	}
	err := appendOnce(c, mailbox, raw, opts)
	var ierr *imap.Error
	if errors.As(err, &ierr) && ierr.Code == imap.ResponseCodeTryCreate {
		if err := c.Create(mailbox, nil).Wait(); err != nil {
			return err
		}
		err = appendOnce(c, mailbox, raw, opts)
	}
	return err
}

func appendOnce(c *imapclient.Client, mailbox string, raw []byte, opts *imap.AppendOptions) error {
	cmd := c.Append(mailbox, int64(len(raw)), opts)
	if _, err := cmd.Write(raw); err != nil {
		_ = cmd.Close()
		return err
	}
	if err := cmd.Close(); err != nil {
		return err
	}
	_, err := cmd.Wait()
	return err
}
