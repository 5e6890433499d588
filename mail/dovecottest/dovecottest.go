// Package dovecottest runs a private Dovecot IMAP server for tests.
//
// roster's sync engine must be checked against a real server, not only
// against go-imap's in-memory one: Dovecot implements CONDSTORE, QRESYNC,
// SPECIAL-USE, MOVE and IDLE the way production servers do, and it keeps
// UIDs and MODSEQs across restarts like they do. Each Start launches its
// own dovecot master (package dovecot-imapd) with a config, users and
// mail store under a fresh temporary directory and a free loopback port,
// so tests in one binary, several binaries and a system Dovecot never
// collide. Nothing outside that directory is touched; the instance is
// stopped by its own PID and the directory removed on t.Cleanup.
package dovecottest

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2/imapclient"
)

// EnvRequire, set to "1", turns a missing Dovecot from a skip into a
// failure, so CI (which installs it) cannot silently test nothing.
const EnvRequire = "ROSTER_TEST_DOVECOT"

// Options configures one instance. The zero value gives one user
// "test"/"test", plain IMAP only and Maildir storage.
type Options struct {
	// Users maps a login name to its password. Homes are created for
	// each; names may be addresses ("sam@glowbrand.example").
	Users map[string]string
	// TLS adds an implicit-TLS listener (TLSAddr) and STARTTLS on Addr,
	// with a fresh self-signed certificate trusted through CAFile.
	TLS bool
	// Storage is "maildir" (default, the common layout) or "sdbox"
	// (Dovecot's own format, about 2.5× faster to fill).
	Storage string
}

// Server is one running Dovecot instance.
type Server struct {
	// Addr is the plain IMAP listener, host:port on 127.0.0.1. With TLS
	// it also offers STARTTLS.
	Addr string
	// TLSAddr is the implicit-TLS (imaps) listener when Options.TLS.
	TLSAddr string
	// CAFile holds the PEM certificate to trust when Options.TLS.
	CAFile string
	// Dir is the instance's private directory: config, log, run state,
	// homes.
	Dir string
	// Users are the logins and passwords the server accepts.
	Users map[string]string

	logPath string
	stderr  *bytes.Buffer
	cmd     *exec.Cmd
	exited  chan struct{} // closed when the master process has exited

	mu      sync.Mutex
	clients map[string]*imapclient.Client // Append's connections, per user
}

// mailUID and mailGID own the mail homes when the test runs as root:
// Dovecot refuses to run mail processes as root, and a fixed unprivileged
// id needs no /etc/passwd entry.
const mailUID, mailGID = 5000, 5000

var instances atomic.Int64

// Start runs a private Dovecot on a free loopback port and stops it on
// t.Cleanup. It skips the test when Dovecot is not installed, unless
// ROSTER_TEST_DOVECOT=1, when it fails instead. On any failure the tail
// of Dovecot's log is part of the message.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	bin := findDovecot()
	if bin == "" {
		if os.Getenv(EnvRequire) == "1" {
			t.Fatalf("dovecottest: dovecot not found and %s=1 (apt-get install dovecot-imapd)", EnvRequire)
		}
		t.Skip("dovecottest: dovecot not installed (apt-get install dovecot-imapd)")
	}
	if len(opts.Users) == 0 {
		opts.Users = map[string]string{"test": "test"}
	}
	// The port is picked by binding :0 and releasing it, so another
	// process can take it before Dovecot binds; retry on that race.
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		s, err := start(bin, opts)
		if err == nil {
			t.Cleanup(func() {
				if err := s.stop(); err != nil {
					t.Errorf("dovecottest: stop: %v\n%s", err, s.LogTail(20))
				}
			})
			return s
		}
		lastErr = err
		if !errors.Is(err, errAddrInUse) {
			break
		}
	}
	t.Fatalf("dovecottest: %v", lastErr)
	return nil
}

// findDovecot looks in PATH and in /usr/sbin, which a non-root PATH often
// lacks.
func findDovecot() string {
	if p, err := exec.LookPath("dovecot"); err == nil {
		return p
	}
	for _, p := range []string{"/usr/sbin/dovecot", "/usr/local/sbin/dovecot"} {
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p
		}
	}
	return ""
}

var errAddrInUse = errors.New("address already in use")

// start makes one attempt: directory, config, process, readiness. On
// error everything it created is gone again.
func start(bin string, opts Options) (s *Server, err error) {
	dir, err := os.MkdirTemp("", "roster-dovecot-")
	if err != nil {
		return nil, err
	}
	s = &Server{Dir: dir, Users: opts.Users, logPath: filepath.Join(dir, "dovecot.log"), clients: map[string]*imapclient.Client{}}
	defer func() {
		if err != nil {
			if tail := s.LogTail(20); tail != "" {
				err = fmt.Errorf("%w\n--- dovecot log ---\n%s", err, tail)
			}
			_ = s.stop()
		}
	}()
	cfg, err := s.prepare(opts)
	if err != nil {
		return s, err
	}
	if err := os.WriteFile(filepath.Join(dir, "dovecot.conf"), []byte(cfg), 0o644); err != nil {
		return s, err
	}
	// -F keeps the master in the foreground as our child, so its PID is
	// known without racing on master.pid and it can be reaped.
	s.stderr = &bytes.Buffer{}
	s.cmd = exec.Command(bin, "-F", "-c", filepath.Join(dir, "dovecot.conf"))
	s.cmd.Dir = dir
	s.cmd.Stdout = s.stderr
	s.cmd.Stderr = s.stderr
	s.cmd.SysProcAttr = procAttr()
	if err := s.cmd.Start(); err != nil {
		s.cmd = nil
		return s, fmt.Errorf("start %s: %w", bin, err)
	}
	s.exited = make(chan struct{})
	go func() { _ = s.cmd.Wait(); close(s.exited) }()
	if err := s.waitReady(5 * time.Second); err != nil {
		return s, err
	}
	return s, nil
}

// prepare picks ports, writes users, homes and certificate, and returns
// the config text.
func (s *Server) prepare(opts Options) (string, error) {
	// Dovecot's login and auth processes run as dovenull/dovecot and
	// must traverse the directory to reach their sockets.
	if err := os.Chmod(s.Dir, 0o755); err != nil {
		return "", err
	}
	ports, err := freePorts(1 + btoi(opts.TLS))
	if err != nil {
		return "", err
	}
	s.Addr = fmt.Sprintf("127.0.0.1:%d", ports[0])
	c := config{
		Instance: fmt.Sprintf("roster-test-%d-%d", os.Getpid(), instances.Add(1)),
		Dir:      s.Dir,
		Port:     ports[0],
		Storage:  "maildir:~/Maildir",
		UID:      mailUID,
		GID:      mailGID,
	}
	switch opts.Storage {
	case "", "maildir":
	case "sdbox":
		c.Storage = "sdbox:~/mail"
	default:
		return "", fmt.Errorf("unknown storage %q (want maildir or sdbox)", opts.Storage)
	}
	if os.Geteuid() != 0 {
		if err := c.unprivileged(); err != nil {
			return "", err
		}
	}
	if opts.TLS {
		c.TLSPort = ports[1]
		s.TLSAddr = fmt.Sprintf("127.0.0.1:%d", ports[1])
		c.CertFile, c.KeyFile = filepath.Join(s.Dir, "cert.pem"), filepath.Join(s.Dir, "key.pem")
		if err := writeCert(c.CertFile, c.KeyFile); err != nil {
			return "", err
		}
		s.CAFile = c.CertFile
	}
	if err := s.writeUsers(c.UID, c.GID); err != nil {
		return "", err
	}
	return c.render(), nil
}

// writeUsers writes the passwd-file and creates each home owned by the
// mail uid: Dovecot creates the mail store inside but not the home.
func (s *Server) writeUsers(uid, gid int) error {
	var b strings.Builder
	for user, pass := range s.Users {
		if strings.ContainsAny(user, ":/\n") || strings.ContainsAny(pass, ":\n") {
			return fmt.Errorf("user %q: ':', '/' and newlines cannot be used", user)
		}
		fmt.Fprintf(&b, "%s:{PLAIN}%s::::::\n", strings.ToLower(user), pass)
		home := filepath.Join(s.Dir, "home", strings.ToLower(user))
		if err := os.MkdirAll(home, 0o755); err != nil {
			return err
		}
		if err := os.Chown(home, uid, gid); err != nil {
			return err
		}
	}
	return os.WriteFile(filepath.Join(s.Dir, "users"), []byte(b.String()), 0o644)
}

// freePorts reserves n distinct loopback ports by binding them at once,
// then releases them for Dovecot.
func freePorts(n int) ([]int, error) {
	var ports []int
	for i := 0; i < n; i++ {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		defer ln.Close()
		ports = append(ports, ln.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
