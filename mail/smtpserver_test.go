package mail

import (
	"bytes"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// testSMTP is a go-smtp submission server on a loopback port that counts
// what it accepted and can be told to fail at one step: refuse the login,
// answer 4xx or 5xx at RCPT or after the message, or drop the connection
// mid-message or after the final dot without answering. fileSent, when
// set, gets every accepted message, as Gmail files it into Sent.
type testSMTP struct {
	t    testing.TB
	addr string
	srv  *smtp.Server

	mu       sync.Mutex
	accepted [][]byte
	rcpts    [][]string
	fault    string // "", "auth", "rcpt4", "rcpt5", "data4", "data5", "drop-body", "drop-after-dot"
	// once makes the fault apply to the next message only.
	once     bool
	fileSent func(raw []byte)
	// dropped is signalled when a drop fault has closed the connection.
	dropped chan struct{}
}

func newTestSMTP(t testing.TB, tlsCfg *tls.Config) *testSMTP {
	t.Helper()
	ts := &testSMTP{t: t, dropped: make(chan struct{}, 16)}
	ts.srv = smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &testSMTPSession{ts: ts, conn: c}, nil
	}))
	ts.srv.Domain = "localhost"
	ts.srv.AllowInsecureAuth = true
	ts.srv.MaxMessageBytes = 64 << 20
	ts.srv.ReadTimeout = 30 * time.Second
	ts.srv.WriteTimeout = 30 * time.Second
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if tlsCfg != nil {
		ln = tls.NewListener(ln, tlsCfg)
	}
	ts.addr = ln.Addr().String()
	go ts.srv.Serve(ln)
	t.Cleanup(func() { ts.srv.Close() })
	return ts
}

func (ts *testSMTP) setFault(f string, once bool) {
	ts.mu.Lock()
	ts.fault, ts.once = f, once
	ts.mu.Unlock()
}

// takeFault returns the fault for this step and clears a one-shot one
// when it fires.
func (ts *testSMTP) takeFault(names ...string) string {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	for _, n := range names {
		if ts.fault == n {
			if ts.once {
				ts.fault = ""
			}
			return n
		}
	}
	return ""
}

// count is how many messages the server accepted.
func (ts *testSMTP) count() int {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return len(ts.accepted)
}

func (ts *testSMTP) messages() [][]byte {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return append([][]byte(nil), ts.accepted...)
}

type testSMTPSession struct {
	ts    *testSMTP
	conn  *smtp.Conn
	rcpts []string
}

func (s *testSMTPSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *testSMTPSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if s.ts.takeFault("auth") != "" || pass != testPass {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "Username and Password not accepted"}
		}
		return nil
	}), nil
}

func (s *testSMTPSession) Mail(string, *smtp.MailOptions) error { return nil }

func (s *testSMTPSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	switch s.ts.takeFault("rcpt4", "rcpt5") {
	case "rcpt4":
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Mailbox busy, try again"}
	case "rcpt5":
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user " + to}
	}
	s.rcpts = append(s.rcpts, to)
	return nil
}

var errDropped = errors.New("dropped on purpose")

func (s *testSMTPSession) Data(r io.Reader) error {
	switch s.ts.takeFault("data4", "data5", "drop-body", "drop-after-dot") {
	case "data4":
		_, _ = io.Copy(io.Discard, r)
		return &smtp.SMTPError{Code: 452, EnhancedCode: smtp.EnhancedCode{4, 3, 1}, Message: "Insufficient system storage"}
	case "data5":
		_, _ = io.Copy(io.Discard, r)
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: "Message rejected as spam"}
	case "drop-body":
		// Hang up with most of the message unread: the kernel answers
		// the client with a reset, and the final dot never arrives.
		_, _ = io.ReadFull(r, make([]byte, 16))
		if tc, ok := s.conn.Conn().(*net.TCPConn); ok {
			_ = tc.SetLinger(0) // close with a reset, not a goodbye
		}
		s.conn.Conn().Close()
		s.ts.dropped <- struct{}{}
		return errDropped
	case "drop-after-dot":
		// The message is complete and accepted, but the answer is lost.
		raw, err := io.ReadAll(r)
		if err != nil {
			return err
		}
		s.accept(raw)
		s.conn.Conn().Close()
		s.ts.dropped <- struct{}{}
		return errDropped
	}
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.accept(raw)
	return nil
}

func (s *testSMTPSession) accept(raw []byte) {
	s.ts.mu.Lock()
	s.ts.accepted = append(s.ts.accepted, bytes.Clone(raw))
	s.ts.rcpts = append(s.ts.rcpts, s.rcpts)
	file := s.ts.fileSent
	s.ts.mu.Unlock()
	s.rcpts = nil
	if file != nil {
		file(raw)
	}
}

func (s *testSMTPSession) Reset()        { s.rcpts = nil }
func (s *testSMTPSession) Logout() error { return nil }
