package mail

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-sasl"
)

// xoauth2 is the SASL XOAUTH2 client Gmail and Microsoft 365 require for
// OAuth2 access tokens; go-sasl ships OAUTHBEARER but not this one.
type xoauth2 struct {
	user, token string
	// failure is the server's JSON error challenge, kept for the
	// message (it names the problem, e.g. an expired token; it holds no
	// secret).
	failure string
}

func (x *xoauth2) Start() (mech string, ir []byte, err error) {
	return "XOAUTH2", []byte("user=" + x.user + "\x01auth=Bearer " + x.token + "\x01\x01"), nil
}

// Next answers the server's error challenge with an empty response, as
// the protocol asks, so the server ends the exchange with a tagged NO.
func (x *xoauth2) Next(challenge []byte) ([]byte, error) {
	x.failure = string(challenge)
	return []byte{}, nil
}

var _ sasl.Client = (*xoauth2)(nil)

// login authenticates the session with the account's secret, fetched now:
// tokens expire, so every connection asks the command again.
func (s *session) login(ctx context.Context) error {
	srv := &s.acct.IMAP
	secret, err := srv.Secret(ctx)
	if err != nil {
		return err
	}
	var authErr error
	err = s.guard(ctx, "login", func() error {
		switch {
		case srv.OAuth():
			x := &xoauth2{user: srv.Username, token: secret}
			authErr = s.c.Authenticate(x)
			if authErr != nil && x.failure != "" {
				authErr = fmt.Errorf("%w (server said %s)", authErr, sanitizeServer(x.failure))
			}
		case s.c.Caps().Has(imap.CapLoginDisabled):
			authErr = s.c.Authenticate(sasl.NewPlainClient("", srv.Username, secret))
		default:
			authErr = s.c.Login(srv.Username, secret).Wait()
		}
		return authErr
	})
	if err != nil {
		var ie *imap.Error
		if errors.As(err, &ie) {
			return fmt.Errorf("login as %s refused: %s", srv.Username, sanitizeServer(ie.Text))
		}
		return err
	}
	return nil
}

// sanitizeServer keeps server text printable and short for messages.
func sanitizeServer(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return strings.TrimSpace(s)
}
