package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// needOpenSSH skips without the OpenSSH client, unless the environment
// says it must be there (CI installs it).
func needOpenSSH(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"ssh", "ssh-keygen"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("ROSTER_TEST_TMUX") != "" {
				t.Fatalf("%s is required here but not installed", tool)
			}
			t.Skipf("%s not installed", tool)
		}
	}
}

// teamServer is a real `roster serve` process on a loopback port.
type teamServer struct {
	cmd  *exec.Cmd
	db   string
	dir  string
	port int
	log  string
	done chan error
}

// startTeamServer imports the e2e creators, makes a key per teammate
// (dir/NAME, its public half in authorized_keys) and starts roster serve.
func startTeamServer(t *testing.T, creatorsCSV string, team ...string) *teamServer {
	t.Helper()
	dir := t.TempDir()
	s := &teamServer{dir: dir, db: filepath.Join(dir, "roster.db"), log: filepath.Join(dir, "serve.log"), done: make(chan error, 1)}
	csv := filepath.Join(dir, "creators.csv")
	if err := os.WriteFile(csv, []byte(creatorsCSV), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, errOut, code := roster(t, nil, "--db", s.db, "import", csv); code != 0 {
		t.Fatal(errOut)
	}
	var keys strings.Builder
	for _, name := range team {
		key := filepath.Join(dir, name)
		if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", key).CombinedOutput(); err != nil {
			t.Fatalf("ssh-keygen: %v\n%s", err, out)
		}
		pub, err := os.ReadFile(key + ".pub")
		if err != nil {
			t.Fatal(err)
		}
		keys.Write(pub)
	}
	if err := os.WriteFile(filepath.Join(dir, "authorized_keys"), []byte(keys.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.port = ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	s.cmd = exec.Command(binary, "--db", s.db, "serve", "--listen", fmt.Sprintf("127.0.0.1:%d", s.port), "--log", s.log)
	noMail := filepath.Join(dir, "no-mail.toml")
	if err := os.WriteFile(noMail, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	s.cmd.Env = append(os.Environ(), "ROSTER_CONFIG="+noMail)
	stderr, err := s.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		b, _ := io.ReadAll(bufio.NewReader(stderr))
		if len(b) > 0 {
			t.Logf("roster serve stderr: %s", b)
		}
		s.done <- s.cmd.Wait()
	}()
	t.Cleanup(func() {
		_ = s.cmd.Process.Kill()
		if t.Failed() {
			b, _ := os.ReadFile(s.log)
			t.Logf("server log:\n%s", b)
		}
	})
	deadline := time.Now().Add(10 * time.Second)
	for {
		b, _ := os.ReadFile(s.log)
		if strings.Contains(string(b), "roster serve listening") {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("roster serve did not start; log:\n%s", b)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// sshCommand is how a teammate connects with OpenSSH.
func (s *teamServer) sshCommand(name string) string {
	return fmt.Sprintf("ssh -i %s -p %d -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=accept-new -o UserKnownHostsFile=%s 127.0.0.1",
		filepath.Join(s.dir, name), s.port, filepath.Join(s.dir, "known_hosts"))
}

// TestEndToEndTeamOverOpenSSH: two teammates on the real binary through
// the OpenSSH client in tmux. Erin moves a card and Sam's screen shows it;
// a local roster on the served database is told the ssh command; SIGTERM
// ends both sessions with a message and the server closes the database.
func TestEndToEndTeamOverOpenSSH(t *testing.T) {
	needTmux(t)
	needOpenSSH(t)
	srv := startTeamServer(t, e2eCSV, "erin", "sam")

	erin := startTmux(t, 110, 30, "env TERM=xterm-256color "+srv.sshCommand("erin"))
	sam := startTmux(t, 110, 30, "env TERM=xterm-256color "+srv.sshCommand("sam"))
	erin.waitFor("Prospect 3")
	sam.waitFor("Prospect 3")
	if !strings.Contains(erin.screen(), "erin") || !strings.Contains(sam.screen(), "sam") {
		t.Fatalf("the header does not name the user:\n%s\n%s", erin.screen(), sam.screen())
	}
	erin.keys("L")
	erin.waitFor("→ contacted")
	sam.waitFor("Contacted 1")
	sam.waitFor("Prospect 2")

	_, errOut, code := roster(t, nil, "--db", srv.db, "export")
	want := fmt.Sprintf("ssh -p %d 127.0.0.1", srv.port)
	if code != 1 || !strings.Contains(errOut, want) {
		t.Errorf("local roster on the served db: exit %d, stderr %q; want it to name %q", code, errOut, want)
	}

	if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-srv.done:
		if err != nil {
			t.Fatalf("roster serve after SIGTERM: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("roster serve did not stop after SIGTERM")
	}
	for _, s := range []*tmuxSession{erin, sam} {
		s.waitExit()
		if h := s.history(); !strings.Contains(h, "server is shutting down") {
			t.Errorf("the session ended without the message:\n%s", h)
		}
	}
	log, _ := os.ReadFile(srv.log)
	if !strings.Contains(string(log), "closing the database") || !strings.Contains(string(log), "user=erin") {
		t.Errorf("server log:\n%s", log)
	}
	// The database was closed cleanly: it opens, and has the move by erin.
	out, errOut, code := roster(t, nil, "--db", srv.db, "export")
	if code != 0 || !strings.Contains(out, `"erin"`) {
		t.Errorf("after the server stopped: exit %d %s\n%.400s", code, errOut, out)
	}
}
