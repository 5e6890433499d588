package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"roster/crm"
	"roster/store"
	"roster/ui/cli"
)

// sshTestServer is a real server on a loopback port over a real bbolt
// store, in process (TestEndToEndTeamOverOpenSSH runs the binary).
type sshTestServer struct {
	*sshServer
	addr    string
	svc     *crm.Service
	db      *store.DB
	dir     string
	keys    string // the authorized_keys file
	logBuf  *syncBuffer
	signers map[string]gossh.Signer
}

// sshCreators are one-word names, so a name on the wire is one run of
// cells however the renderer diffs the screen.
var sshCreators = []string{"Quokka", "Wombat", "Numbat"}

// startSSHServer runs an sshServer in process over a fresh store holding
// sshCreators; team names the teammates in its authorized_keys, and a
// "stranger" gets a key the file does not list.
func startSSHServer(t testing.TB, team ...string) *sshTestServer {
	t.Helper()
	dir := t.TempDir()
	db, err := store.Open(filepath.Join(dir, "roster.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	svc := crm.NewService(db, nil)
	if err := svc.Init("setup"); err != nil {
		t.Fatal(err)
	}
	camps, err := svc.Campaigns()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range sshCreators {
		if _, err := svc.AddCreator("setup", crm.Creator{Name: name, Emails: []string{strings.ToLower(name) + "@example.com"}}, camps[0].ID, crm.Prospect); err != nil {
			t.Fatal(err)
		}
	}
	ts := &sshTestServer{svc: svc, db: db, dir: dir, keys: filepath.Join(dir, "authorized_keys"), logBuf: &syncBuffer{}, signers: map[string]gossh.Signer{}}
	var lines []string
	for _, name := range append(team, "stranger") {
		ts.signers[name] = newSSHSigner(t)
		if name != "stranger" {
			lines = append(lines, authorizedLine(ts.signers[name], name))
		}
	}
	writeAuthorizedKeys(t, ts.keys, lines...)
	log := slog.New(slog.NewTextHandler(ts.logBuf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	tm, err := loadSSHTeam(ts.keys, log)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := newSSHServer(sshConfig{Service: svc, Team: tm, HostKeyPath: filepath.Join(dir, "host_key"), Log: log,
		Export: func(w io.Writer, format string) error { return cli.Export(svc, w, format) }})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ts.sshServer, ts.addr = srv, ln.Addr().String()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	t.Cleanup(func() {
		_ = srv.srv.Close()
		if err := <-served; err != nil {
			t.Errorf("Serve: %v", err)
		}
		db.Close()
		if t.Failed() {
			t.Logf("server log:\n%s", ts.logBuf.String())
		}
	})
	return ts
}

// newSSHSigner is a fresh ed25519 client key.
func newSSHSigner(t testing.TB) gossh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// authorizedLine is s's authorized_keys line, named name.
func authorizedLine(s gossh.Signer, name string) string {
	return strings.TrimSpace(string(gossh.MarshalAuthorizedKey(s.PublicKey()))) + " " + name
}

// writeAuthorizedKeys replaces the team file at path with lines.
func writeAuthorizedKeys(t testing.TB, path string, lines ...string) {
	t.Helper()
	// Write beside and rename, as an editor does, so a login never reads
	// half a file.
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

// dial logs in with auth, checking the server's host key.
func (ts *sshTestServer) dial(auth ...gossh.AuthMethod) (*gossh.Client, error) {
	return gossh.Dial("tcp", ts.addr, &gossh.ClientConfig{
		User: "whoever", Auth: auth, Timeout: 5 * time.Second,
		HostKeyCallback: gossh.FixedHostKey(ts.HostPublicKey()),
	})
}

// login connects as who with their key; the test ends the connection.
func (ts *sshTestServer) login(t testing.TB, who string) *gossh.Client {
	t.Helper()
	c, err := ts.dial(gossh.PublicKeys(ts.signers[who]))
	if err != nil {
		t.Fatalf("%s: %v", who, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// sshTerm is a terminal session as a client sees it: what it typed and
// what came back, escape sequences stripped.
type sshTerm struct {
	t    testing.TB
	who  string
	sess *gossh.Session
	in   interface{ Write([]byte) (int, error) }
	out  *syncBuffer
	done chan struct{}
}

// openTerm opens who's board in a w×h PTY.
func (ts *sshTestServer) openTerm(t testing.TB, who string, w, h int) *sshTerm {
	t.Helper()
	c := ts.login(t, who)
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.RequestPty("xterm-256color", h, w, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	in, err := sess.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	tm := &sshTerm{t: t, who: who, sess: sess, in: in, out: &syncBuffer{}, done: make(chan struct{})}
	sess.Stdout, sess.Stderr = tm.out, tm.out
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = sess.Wait(); close(tm.done) }()
	t.Cleanup(func() { sess.Close() })
	return tm
}

// keys types s into the session.
func (tm *sshTerm) keys(s string) {
	tm.t.Helper()
	if _, err := tm.in.Write([]byte(s)); err != nil {
		tm.t.Fatalf("%s typing %q: %v", tm.who, s, err)
	}
}

// waitFor waits until the output since the last mark contains want. The
// bound is for liveness only: a broken server fails here, not hangs.
func (tm *sshTerm) waitFor(want string) {
	tm.t.Helper()
	if !tm.seen(want, 10*time.Second) {
		tm.t.Fatalf("%s never saw %q; got:\n%s", tm.who, want, tm.out.text())
	}
}

// seen polls the output for want until bound passes; safe to call from
// any goroutine.
func (tm *sshTerm) seen(want string, bound time.Duration) bool {
	deadline := time.Now().Add(bound)
	for !strings.Contains(tm.out.text(), want) {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(2 * time.Millisecond)
	}
	return true
}

// mark forgets the output so far, so waitFor only looks at what comes
// next.
func (tm *sshTerm) mark() { tm.out.reset() }

// waitEnd waits for the server to end the session.
func (tm *sshTerm) waitEnd() {
	tm.t.Helper()
	select {
	case <-tm.done:
	case <-time.After(10 * time.Second):
		tm.t.Fatalf("%s: the session did not end; output:\n%s", tm.who, tm.out.text())
	}
}

// syncBuffer collects output from the session's reader goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func (b *syncBuffer) reset() {
	b.mu.Lock()
	b.b.Reset()
	b.mu.Unlock()
}

// text is the output with escape sequences removed.
func (b *syncBuffer) text() string { return ansiSeq.ReplaceAllString(b.String(), "") }
