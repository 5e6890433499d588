package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"roster/mail/demomail"
)

// TestOutboxSurvivesAKillAtEveryStep kills a real roster with SIGKILL at
// each step of a mail's way through the outbox (mail.EnvTestPause holds it
// there), restarts it (roster sync --once runs the worker), and counts at
// the server: every mail went exactly once, or it is reported in doubt
// and went not at all; retrying one in doubt sends it once. The demo's
// SMTP server files what it accepts into Sent, as Gmail does, which is
// what lets roster settle a doubt on its own.
func TestOutboxSurvivesAKillAtEveryStep(t *testing.T) {
	if testing.Short() {
		t.Skip("starts roster a dozen times")
	}
	srv, err := demomail.Start(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	dir := t.TempDir()
	shost, sport := splitAddr(t, srv.SMTPAddr)
	ihost, iport := splitAddr(t, srv.IMAPAddr)
	cfg := writeFile(t, dir, "config.toml", fmt.Sprintf(`[[accounts]]
name = "demo"
email = %q
display_name = "Sam Rivera"
[accounts.imap]
host = %q
port = %s
security = "none"
username = %q
password_env = "ROSTER_CRASH_PW"
[accounts.smtp]
host = %q
port = %s
security = "none"
username = %q
password_env = "ROSTER_CRASH_PW"
`, demomail.Manager, ihost, iport, srv.User, shost, sport, srv.User))
	env := []string{"ROSTER_CRASH_PW=" + srv.Password, "ROSTER_CONFIG=" + cfg, "XDG_CONFIG_HOME=" + dir,
		"ROSTER_TEST_SENT_GRACE=300ms", "ROSTER_USER=sam", "NO_COLOR=1"}

	// What the restart must find: a mail the server may have is sent
	// (found in Sent), one it cannot have is in doubt.
	for _, c := range []struct {
		step  string
		state string
	}{
		{"due", "sent"}, // killed before the claim: still queued, sent on restart
		{"claimed", "in-doubt"},
		{"before-dot", "in-doubt"},
		{"accepted", "sent"},
		{"delivered", "sent"},
	} {
		t.Run(c.step, func(t *testing.T) {
			db := filepath.Join(dir, c.step+".db")
			ann, bo := "ann-"+c.step+"@creator.example", "bo-"+c.step+"@creator.example"
			csv := writeFile(t, dir, c.step+".csv", "name,email\nAnn,"+ann+"\nBo,"+bo+"\n")
			if _, errOut, code := roster(t, env, "--db", db, "import", csv); code != 0 {
				t.Fatalf("import: %s", errOut)
			}
			killAt(t, env, c.step, "--db", db, "outreach", "--template", "outreach", "--yes")
			if _, errOut, code := roster(t, env, "--db", db, "sync", "--once"); code != 0 {
				t.Fatalf("restart: exit %d: %s", code, errOut)
			}
			id, state := outboxRow(t, env, db, "Ann <")
			if n := sentCopies(t, srv, ann); state != c.state || n != map[string]int{"sent": 1, "in-doubt": 0}[c.state] {
				t.Fatalf("Ann's mail is %s with %d deliveries, want %s", state, n, c.state)
			}
			if _, state := outboxRow(t, env, db, "Bo <"); state != "sent" || sentCopies(t, srv, bo) != 1 {
				t.Errorf("Bo's mail (queued behind Ann's) is %s with %d deliveries", state, sentCopies(t, srv, bo))
			}
			if state == "in-doubt" {
				if _, errOut, code := roster(t, env, "--db", db, "outbox", "retry", id); code != 0 {
					t.Fatalf("retry: %s", errOut)
				}
				if _, errOut, code := roster(t, env, "--db", db, "sync", "--once"); code != 0 {
					t.Fatalf("sync after retry: %s", errOut)
				}
				if _, state := outboxRow(t, env, db, "Ann <"); state != "sent" || sentCopies(t, srv, ann) != 1 {
					t.Errorf("after retry Ann's mail is %s with %d deliveries", state, sentCopies(t, srv, ann))
				}
			}
			// Nothing goes twice, however often roster runs.
			roster(t, env, "--db", db, "sync", "--once")
			if a, b := sentCopies(t, srv, ann), sentCopies(t, srv, bo); a > 1 || b > 1 {
				t.Errorf("deliveries after another run: Ann %d, Bo %d", a, b)
			}
		})
	}
}

// killAt runs roster until it reports the pause at step, then kills it.
func killAt(t *testing.T, env []string, step string, args ...string) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(append(os.Environ(), env...), "ROSTER_TEST_PAUSE_AT="+step)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	paused := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "roster-test: paused at "+step) {
				paused <- true
				return
			}
		}
		paused <- false
	}()
	select {
	case ok := <-paused:
		if !ok {
			cmd.Wait()
			t.Fatalf("roster ended without pausing at %s", step)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("roster did not reach %s", step)
	}
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
}

// outboxRow finds the row of `roster outbox` that mentions who and
// returns its ID and state.
func outboxRow(t *testing.T, env []string, db, who string) (id, state string) {
	t.Helper()
	out, errOut, code := roster(t, env, "--db", db, "outbox")
	if code != 0 {
		t.Fatalf("outbox: %s", errOut)
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, who) {
			f := strings.Fields(line)
			return f[0], f[1]
		}
	}
	t.Fatalf("no outbox row for %q in\n%s", who, out)
	return "", ""
}

// sentCopies counts the messages to addr the demo server accepted (it
// files each into Sent).
func sentCopies(t *testing.T, srv *demomail.Server, addr string) int {
	t.Helper()
	c, err := imapclient.DialInsecure(srv.IMAPAddr, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login(srv.User, srv.Password).Wait(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Select(demomail.Sent, &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
		t.Fatal(err)
	}
	data, err := c.UIDSearch(&imap.SearchCriteria{Header: []imap.SearchCriteriaHeaderField{{Key: "To", Value: addr}}}, nil).Wait()
	if err != nil {
		t.Fatal(err)
	}
	return len(data.AllUIDs())
}

func splitAddr(t *testing.T, addr string) (string, string) {
	t.Helper()
	i := strings.LastIndexByte(addr, ':')
	return addr[:i], addr[i+1:]
}
