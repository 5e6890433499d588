package mail

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"

	"roster/crm"
	"roster/mail/config"
)

// One SMTP conversation per mail, byte-exact: the stored bytes go through
// MAIL, RCPT and DATA unchanged (go-mail's message writer is not used
// here, so nothing is regenerated). What matters is telling apart the
// outcomes: the server took it (250 after the final dot), it refused for
// now (4xx) or for good (5xx), or nobody knows (no answer after the final
// dot).

// outcome is how one attempt ended.
type outcome int

const (
	delivered outcome = iota
	deferred          // nothing was delivered; try again later
	refused           // nothing was delivered; trying again will not help
	inDoubt           // the server may have the message
)

// result is an attempt's outcome with the server's words.
type result struct {
	outcome  outcome
	response string // the 250 reply, when delivered
	problem  string
}

// Stages of the conversation, named in problems ("RCPT TO: 550 5.1.1 …").
const (
	stageConnect = "connect"
	stageLogin   = "login"
	stageMail    = "MAIL FROM"
	stageRcpt    = "RCPT TO"
	stageData    = "DATA"
	stageBody    = "message"
	stageDot     = "end of message"
)

// classify turns an error at stage into an outcome. The rule that keeps
// mail from going twice: once the final dot may have reached the server,
// only its explicit reply decides; anything else is in doubt.
func classify(stage string, err error) result {
	var tp *textproto.Error
	if errors.As(err, &tp) {
		p := fmt.Sprintf("%s: %d %s", stage, tp.Code, sanitizeServer(tp.Msg))
		if tp.Code >= 400 && tp.Code < 500 {
			return result{outcome: deferred, problem: p}
		}
		return result{outcome: refused, problem: p}
	}
	p := stage + ": " + sanitizeServer(err.Error())
	switch {
	case stage == stageDot:
		return result{outcome: inDoubt, problem: "no answer after the message was sent (" + sanitizeServer(err.Error()) + ")"}
	case isTLSError(err):
		return result{outcome: refused, problem: "TLS: " + sanitizeServer(err.Error())}
	case stage == stageLogin && !isNetError(err):
		return result{outcome: refused, problem: p}
	}
	return result{outcome: deferred, problem: p}
}

func isNetError(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, net.ErrClosed) || strings.Contains(err.Error(), "EOF") ||
		strings.Contains(err.Error(), "connection reset") || strings.Contains(err.Error(), "broken pipe")
}

func isTLSError(err error) bool {
	var (
		cv *tls.CertificateVerificationError
		rh tls.RecordHeaderError
		ae tls.AlertError
		he x509.HostnameError
		ua x509.UnknownAuthorityError
		ci x509.CertificateInvalidError
	)
	return errors.As(err, &cv) || errors.As(err, &rh) || errors.As(err, &ae) || errors.As(err, &he) ||
		errors.As(err, &ua) || errors.As(err, &ci) || strings.Contains(err.Error(), "STARTTLS") ||
		strings.HasPrefix(err.Error(), "tls: ")
}

// smtpConn is one logged-in SMTP connection, reused for the next mails of
// the same account in a pass.
type smtpConn struct {
	c    *gomail.Client
	sc   *smtp.Client
	used bool
}

// dialSMTP connects, secures and logs in as acct. The secret is fetched
// for this connection only and never logged.
func dialSMTP(ctx context.Context, acct *config.Account, timeout time.Duration) (*smtpConn, result) {
	srv := &acct.SMTP.Server
	tlsCfg, err := srv.TLSConfig()
	if err != nil {
		return nil, result{outcome: refused, problem: err.Error()}
	}
	opts := []gomail.Option{gomail.WithPort(srv.Port), gomail.WithTimeout(timeout), gomail.WithTLSConfig(tlsCfg)}
	switch srv.Security {
	case config.SecurityTLS:
		opts = append(opts, gomail.WithSSL())
	case config.SecurityStartTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	}
	c, err := gomail.NewClient(srv.Host, opts...)
	if err != nil {
		return nil, result{outcome: refused, problem: "smtp: " + err.Error()}
	}
	sc, err := c.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return nil, classify(stageConnect, err)
	}
	secret, err := srv.Secret(ctx)
	if err != nil {
		_ = sc.Close()
		return nil, result{outcome: refused, problem: err.Error()}
	}
	var auth smtp.Auth
	plain := srv.Security == config.SecurityNone
	switch _, mechs := sc.Extension("AUTH"); {
	case srv.OAuth():
		auth = smtp.XOAuth2Auth(srv.Username, secret)
	case strings.Contains(strings.ToUpper(mechs), "PLAIN") || mechs == "":
		auth = smtp.PlainAuth("", srv.Username, secret, srv.Host, plain)
	default:
		auth = smtp.LoginAuth(srv.Username, secret, srv.Host, plain)
	}
	if err := sc.Auth(auth); err != nil {
		_ = sc.Close()
		return nil, classify(stageLogin, err)
	}
	return &smtpConn{c: c, sc: sc}, result{}
}

// send runs MAIL, RCPT and DATA for one mail. pause is the test hook
// called with "before-dot" once the body is written and the final dot is
// not.
func (k *smtpConn) send(m *crm.OutboxMail, pause func(step string, id crm.ID)) result {
	k.used = true
	if err := k.sc.Mail(m.From.Email); err != nil {
		return classify(stageMail, err)
	}
	for _, r := range m.Recipients() {
		if err := k.sc.Rcpt(r); err != nil {
			_ = k.sc.Reset()
			return classify(stageRcpt, err)
		}
	}
	w, err := k.sc.Data()
	if err != nil {
		return classify(stageData, err)
	}
	dc, ok := w.(*smtp.DataCloser)
	if !ok {
		return result{outcome: refused, problem: "smtp: unexpected DATA writer"}
	}
	if _, err := dc.Write(m.Raw); err != nil {
		return classify(stageBody, err)
	}
	// Push the body out now: a failure here is before the final dot, so
	// the server discards what it got and the mail can go again.
	if err := k.sc.Text.W.Flush(); err != nil {
		return classify(stageBody, err)
	}
	pause("before-dot", m.ID)
	// The final dot, written without DataCloser.Close, which drops this
	// error: a dot that did not get out means nothing was delivered.
	if err := dc.WriteCloser.Close(); err != nil {
		return classify(stageBody, err)
	}
	code, msg, err := k.sc.Text.ReadResponse(250)
	if err != nil {
		return classify(stageDot, err)
	}
	return result{outcome: delivered, response: fmt.Sprintf("%d %s", code, sanitizeServer(msg))}
}

// close says goodbye without waiting long; the outcome is already known.
func (k *smtpConn) close() {
	if k == nil {
		return
	}
	_ = k.sc.UpdateDeadline(2 * time.Second)
	_ = k.c.CloseWithSMTPClient(k.sc)
	_ = k.sc.Close()
}
