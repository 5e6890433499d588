package mail

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
	"github.com/emersion/go-sasl"

	"roster/crm"
	"roster/mail/config"
	"roster/store"
)

const (
	testUser  = "manager@brand.example"
	testPass  = "s3cret-pass"
	testToken = "ya29.test-token"
)

// testServer is go-imap's in-memory IMAP server on a loopback port, with
// a thin session wrapper that counts FETCH commands, can mark folders
// with special-use attributes (imapmemserver cannot) and accepts XOAUTH2.
type testServer struct {
	t    testing.TB
	addr string
	user *imapmemserver.User
	srv  *imapserver.Server
	ln   net.Listener

	fetches atomic.Int64
	mu      sync.Mutex
	attrs   map[string][]imap.MailboxAttr // name → special use; nil: plain LIST
	names   []string
}

var quietLog = log.New(io.Discard, "", 0)

func newTestServer(t testing.TB) *testServer {
	t.Helper()
	ts := &testServer{t: t}
	mem := imapmemserver.New()
	ts.user = imapmemserver.NewUser(testUser, testPass)
	mem.AddUser(ts.user)
	ts.srv = imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return &testSession{Session: mem.NewSession(), ts: ts}, nil, nil
		},
		Caps: imap.CapSet{
			imap.CapIMAP4rev1: {}, imap.CapESearch: {}, imap.CapListExtended: {},
			imap.CapSpecialUse: {}, imap.CapUIDPlus: {},
		},
		InsecureAuth: true,
		Logger:       quietLog,
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ts.ln, ts.addr = ln, ln.Addr().String()
	go ts.srv.Serve(ln)
	t.Cleanup(func() { ts.srv.Close() })
	ts.create("INBOX")
	return ts
}

type testSession struct {
	imapserver.Session
	ts *testServer
}

func (s *testSession) Fetch(w *imapserver.FetchWriter, numSet imap.NumSet, opts *imap.FetchOptions) error {
	s.ts.fetches.Add(1)
	return s.Session.Fetch(w, numSet, opts)
}

func (s *testSession) List(w *imapserver.ListWriter, ref string, patterns []string, opts *imap.ListOptions) error {
	s.ts.mu.Lock()
	attrs, names := s.ts.attrs, append([]string(nil), s.ts.names...)
	s.ts.mu.Unlock()
	if attrs == nil {
		return s.Session.List(w, ref, patterns, opts)
	}
	for _, n := range names {
		if err := w.WriteList(&imap.ListData{Mailbox: n, Delim: '/', Attrs: attrs[n]}); err != nil {
			return err
		}
	}
	return nil
}

func (s *testSession) AuthenticateMechanisms() []string { return []string{"PLAIN", "XOAUTH2"} }

func (s *testSession) Authenticate(mech string) (sasl.Server, error) {
	switch mech {
	case "PLAIN":
		return sasl.NewPlainServer(func(_, user, pass string) error { return s.Login(user, pass) }), nil
	case "XOAUTH2":
		return &xoauth2Server{login: s.Login}, nil
	}
	return nil, errors.New("unsupported mechanism")
}

// xoauth2Server checks "user=U\x01auth=Bearer T\x01\x01" and logs in with
// the token as password when it is testToken.
type xoauth2Server struct {
	login  func(user, pass string) error
	failed bool
}

func (x *xoauth2Server) Next(resp []byte) ([]byte, bool, error) {
	if x.failed {
		return nil, true, errors.New("invalid token")
	}
	m := regexp.MustCompile("^user=([^\x01]*)\x01auth=Bearer ([^\x01]*)\x01\x01$").FindSubmatch(resp)
	if m != nil && string(m[2]) == testToken {
		return nil, true, x.login(string(m[1]), testPass)
	}
	x.failed = true
	return []byte(`{"status":"401","schemes":"bearer"}`), false, nil
}

func (ts *testServer) create(name string) {
	ts.t.Helper()
	if err := ts.user.Create(name, nil); err != nil {
		ts.t.Fatal(err)
	}
	ts.mu.Lock()
	ts.names = append(ts.names, name)
	ts.mu.Unlock()
}

// specialUse switches LIST to report these attributes.
func (ts *testServer) specialUse(attrs map[string][]imap.MailboxAttr) {
	ts.mu.Lock()
	ts.attrs = attrs
	ts.mu.Unlock()
}

type literal struct{ *bytes.Reader }

func (ts *testServer) append(mbox, raw string, flags ...imap.Flag) imap.UID {
	ts.t.Helper()
	raw = strings.ReplaceAll(raw, "\r\n", "\n")
	raw = strings.ReplaceAll(raw, "\n", "\r\n")
	data, err := ts.user.Append(mbox, literal{bytes.NewReader([]byte(raw))}, &imap.AppendOptions{Flags: flags, Time: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)})
	if err != nil {
		ts.t.Fatal(err)
	}
	return data.UID
}

// account is a config for the test server.
func (ts *testServer) config(t testing.TB, extra string) *config.Config {
	t.Helper()
	return ts.configAt(t, ts.addr, extra)
}

func (ts *testServer) configAt(t testing.TB, addr, extra string) *config.Config {
	t.Helper()
	host, port, _ := net.SplitHostPort(addr)
	t.Setenv("ROSTER_TEST_IMAP_PW", testPass)
	body := fmt.Sprintf(`[[accounts]]
name = "work"
email = %q
aliases = ["partnerships@brand.example"]
%s
[accounts.imap]
host = %q
port = %s
security = "none"
password_env = "ROSTER_TEST_IMAP_PW"
`, testUser, extra, host, port)
	cfg, err := config.Parse(filepath.Join(t.TempDir(), "config.toml"), []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// newService opens a real store on a temp file.
func newService(t testing.TB) *crm.Service {
	t.Helper()
	svc, _ := newServiceDB(t)
	return svc
}

// newServiceDB is newService with the store, for tests that read
// messages no conversation shows (bulk, unmatched).
func newServiceDB(t testing.TB) (*crm.Service, *store.DB) {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "roster.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	svc := crm.NewService(db, nil)
	if err := svc.Init("test"); err != nil {
		t.Fatal(err)
	}
	return svc, db
}

func addCreator(t testing.TB, svc *crm.Service, name string, emails ...string) crm.ID {
	t.Helper()
	cs, err := svc.Campaigns()
	if err != nil {
		t.Fatal(err)
	}
	card, err := svc.AddCreator("test", crm.Creator{Name: name, Emails: emails}, cs[0].ID, crm.Prospect)
	if err != nil {
		t.Fatal(err)
	}
	return card.Creator.ID
}

// mail builds a small RFC 5322 message.
type mail struct {
	from, to, subject, id, inReplyTo, refs, date, body, extra string
}

func (m mail) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "From: %s\nTo: %s\nSubject: %s\n", m.from, m.to, m.subject)
	if m.date == "" {
		m.date = "Mon, 03 Mar 2025 10:00:00 +0000"
	}
	fmt.Fprintf(&b, "Date: %s\n", m.date)
	if m.id != "" {
		fmt.Fprintf(&b, "Message-ID: <%s>\n", m.id)
	}
	if m.inReplyTo != "" {
		fmt.Fprintf(&b, "In-Reply-To: %s\n", m.inReplyTo)
	}
	if m.refs != "" {
		fmt.Fprintf(&b, "References: %s\n", m.refs)
	}
	b.WriteString(m.extra)
	b.WriteString("MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n")
	if m.body == "" {
		m.body = "Hello " + m.subject
	}
	b.WriteString(m.body + "\n")
	return b.String()
}

// newFaultProxy forwards connections to target and rewrites marker to
// repl in the FETCH response lines that contain it, so a real message
// makes the real client fail to parse the answer: the way a server bug
// kills a sync. With an empty marker it only forwards (drop still cuts).
func newFaultProxy(t testing.TB, target, marker, repl string) *tcpProxy {
	t.Helper()
	if marker == "" {
		return newTCPProxy(t, target, nil, nil)
	}
	fetchLine := regexp.MustCompile(`^\* \d+ FETCH `)
	return newTCPProxy(t, target, nil, func(line string) string {
		if fetchLine.MatchString(line) {
			line = strings.ReplaceAll(line, marker, repl)
		}
		return line
	})
}

// silentServer accepts connections and never says a word.
func silentServer(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var conns []net.Conn
	var mu sync.Mutex
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
	})
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	return ln.Addr().String()
}

// syncBuffer is a bytes.Buffer safe for go-imap's reader and writer
// goroutines (DebugWriter).
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func syncOnce(t testing.TB, e *Engine) Summary {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	sum, err := e.SyncOnce(ctx)
	if err != nil {
		t.Fatalf("sync: %v (%v)", err, sum.Warnings)
	}
	return sum
}
