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

// outreachRoster is a roster of two prospects (Ann Lee, Bo Kim) and a
// config with the account "work" (Sam Rivera <sam@brand.example>), its
// IMAP server and then more, such as an [accounts.smtp] table; it
// returns the directory (also XDG_CONFIG_HOME), the database, the config
// file and the environment naming them.
func outreachRoster(t *testing.T, more string) (dir, db, cfg string, env []string) {
	t.Helper()
	dir = t.TempDir()
	db = filepath.Join(dir, "r.db")
	cfg = writeFile(t, dir, "config.toml", `[[accounts]]
name = "work"
email = "sam@brand.example"
display_name = "Sam Rivera"
[accounts.imap]
host = "127.0.0.1"
port = 1
security = "none"
password_env = "NOPE"
`+more)
	env = []string{"ROSTER_CONFIG=" + cfg, "XDG_CONFIG_HOME=" + dir, "ROSTER_USER=sam"}
	csv := writeFile(t, dir, "c.csv", "name,email\nAnn Lee,ann@creator.example\nBo Kim,bo@creator.example\n")
	if _, errOut, code := roster(t, env, "--db", db, "import", csv); code != 0 {
		t.Fatal(errOut)
	}
	return dir, db, cfg, env
}

// TestOutreachDryRunAndUsage: --dry-run prints every mail as it would go
// out and sends nothing; the flags are checked; an empty outbox says so.
func TestOutreachDryRunAndUsage(t *testing.T) {
	dir, db, _, env := outreachRoster(t, `[accounts.smtp]
host = "127.0.0.1"
port = 1
security = "none"
password_env = "NOPE"
`)
	out, errOut, code := roster(t, env, "--db", db, "outreach", "--template", "outreach", "--dry-run")
	if code != 0 || !strings.Contains(out, "To: Ann Lee <ann@creator.example>") || !strings.Contains(out, "Subject: Paid partnership idea for you, Bo") ||
		!strings.Contains(out, "From: Sam Rivera <sam@brand.example>") || !strings.Contains(out, "2 mails would be sent; skipped 0 do-not-contact") {
		t.Fatalf("dry run: exit %d\n%s%s", code, out, errOut)
	}
	if out, _, _ := roster(t, env, "--db", db, "outbox"); !strings.Contains(out, "The outbox is empty.") {
		t.Errorf("a dry run queued mail:\n%s", out)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"outreach", "--template", "outreach"}, "choose --dry-run"},
		{[]string{"outreach", "--dry-run"}, "--template is missing"},
		{[]string{"outreach", "--template", "nope", "--dry-run"}, `no template "nope" (have follow-up, outreach, terms-confirmation)`},
		{[]string{"outreach", "--template", "outreach", "--stage", "limbo", "--dry-run"}, "limbo"},
		{[]string{"outbox", "retry"}, `"retry" takes an ID`},
		{[]string{"outbox", "retry", "0123456789"}, "not found"},
	} {
		_, errOut, code := roster(t, env, append([]string{"--db", db}, c.args...)...)
		if code != 1 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, stderr %q, want %q", c.args, code, errOut, c.want)
		}
	}
	// A broken template file is named with its line, and nothing is sent.
	os.MkdirAll(filepath.Join(dir, "roster", "templates"), 0o700)
	writeFile(t, filepath.Join(dir, "roster", "templates"), "outreach.tmpl", "Subject: hi\n\nHi {{.Creator.Nmae}}\n")
	if _, errOut, code := roster(t, env, "--db", db, "outreach", "--template", "outreach", "--dry-run"); code != 1 || !strings.Contains(errOut, "outreach.tmpl:3") {
		t.Errorf("broken template: exit %d %q", code, errOut)
	}
}

// TestOutreachDryRunNeedsNoSMTP: a dry run only writes the mails and
// prints them, so an account without [accounts.smtp] is enough: its
// address is the From, and a note says --yes needs [accounts.smtp]. The
// real run still refuses without it. No account at all, in a file named
// or in the default one not there, is an error naming the file.
func TestOutreachDryRunNeedsNoSMTP(t *testing.T) {
	dir, db, cfg, env := outreachRoster(t, "")
	dry := []string{"--db", db, "outreach", "--template", "outreach", "--dry-run"}
	out, errOut, code := roster(t, env, dry...)
	if code != 0 || !strings.Contains(out, "From: Sam Rivera <sam@brand.example>") || !strings.Contains(out, "To: Ann Lee <ann@creator.example>") ||
		!strings.Contains(out, "2 mails would be sent;") {
		t.Fatalf("a dry run from an account without [accounts.smtp]: exit %d\n%s%s", code, out, errOut)
	}
	if !strings.Contains(errOut, `account "work" has no [accounts.smtp] in `+cfg) || !strings.Contains(errOut, "--yes") {
		t.Errorf("the dry run should say the real run needs [accounts.smtp]: %q", errOut)
	}
	if out, _, _ := roster(t, env, "--db", db, "outbox"); !strings.Contains(out, "The outbox is empty.") {
		t.Errorf("a dry run queued mail:\n%s", out)
	}
	// --account names one of the file's accounts, SMTP or not.
	if out, errOut, code := roster(t, env, append(dry, "--account", "work")...); code != 0 || !strings.Contains(out, "From: Sam Rivera <sam@brand.example>") {
		t.Errorf("--account work: exit %d\n%s%s", code, out, errOut)
	}
	if _, errOut, code := roster(t, env, append(dry, "--account", "home")...); code != 1 || !strings.Contains(errOut, `no account "home" in `+cfg) {
		t.Errorf("--account home: exit %d, stderr %q", code, errOut)
	}
	// The real run still needs a server to send through.
	if _, errOut, code := roster(t, env, "--db", db, "outreach", "--template", "outreach", "--yes"); code != 1 ||
		!strings.Contains(errOut, "no account can send: add [accounts.smtp] to the mail config") {
		t.Errorf("--yes without [accounts.smtp]: exit %d, stderr %q", code, errOut)
	}
	// No account to write from: the file is named, the one given or the
	// default one that is not there.
	empty := writeFile(t, dir, "empty.toml", "")
	missing := filepath.Join(dir, "none.toml")
	def := filepath.Join(dir, "roster", "config.toml")
	for _, c := range []struct {
		env  []string
		want string
	}{
		{[]string{"ROSTER_CONFIG=" + empty}, "no mail accounts in " + empty},
		{[]string{"ROSTER_CONFIG=" + missing}, missing},
		{[]string{"ROSTER_CONFIG="}, "no mail accounts in " + def},
	} {
		_, errOut, code := roster(t, append(env, c.env...), dry...)
		if code != 1 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, stderr %q, want %q", c.env, code, errOut, c.want)
		}
	}
}
