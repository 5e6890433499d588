package main

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"roster/crm"
)

func TestKnownKeyGetsTheBoardUnderItsName(t *testing.T) {
	ts := startSSHServer(t, "alice")
	a := ts.openTerm(t, "alice", 120, 30)
	a.waitFor("Prospect 3")
	a.waitFor("alice")
	a.waitFor("Quokka")
	a.keys("q")
	a.waitEnd()
	if n := ts.Sessions(); n != 0 {
		t.Errorf("%d sessions still registered after quitting", n)
	}
}

func TestUnknownKeyAndPasswordsAreRefused(t *testing.T) {
	ts := startSSHServer(t, "alice")
	for name, auth := range map[string]gossh.AuthMethod{
		"unknown key": gossh.PublicKeys(ts.signers["stranger"]),
		"password":    gossh.Password("alice"),
		"keyboard-interactive": gossh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) {
			return nil, nil
		}),
	} {
		c, err := ts.dial(auth)
		if err == nil {
			c.Close()
			t.Errorf("%s: logged in", name)
			continue
		}
		if !strings.Contains(err.Error(), "unable to authenticate") {
			t.Errorf("%s: %v, want an authentication failure", name, err)
		}
	}
	if !strings.Contains(ts.logBuf.String(), "login refused") {
		t.Errorf("the refused key was not logged:\n%s", ts.logBuf.String())
	}
	// The server offers public keys only.
	_, err := ts.dial(gossh.Password("x"))
	if err == nil || !strings.Contains(err.Error(), "[none]") && !strings.Contains(err.Error(), "publickey") {
		t.Logf("password attempt: %v", err)
	}
}

func TestSessionWithoutTerminal(t *testing.T) {
	ts := startSSHServer(t, "alice")
	c := ts.login(t, "alice")

	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	out, err := sess.CombinedOutput("")
	var exit *gossh.ExitError
	if !errors.As(err, &exit) || exit.ExitStatus() != 1 {
		t.Errorf("shell without a PTY: err %v, want exit status 1", err)
	}
	if lines := strings.Split(strings.TrimSpace(string(out)), "\n"); len(lines) != 1 || !strings.Contains(lines[0], "needs a terminal") {
		t.Errorf("shell without a PTY said %q, want one line explaining", out)
	}

	sess, err = c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	out, err = sess.Output("export --format csv")
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	for _, name := range sshCreators {
		if !strings.Contains(string(out), name) {
			t.Errorf("export lacks %s:\n%s", name, out)
		}
	}

	sess, err = c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	out, err = sess.CombinedOutput("rm -rf /")
	if err == nil || !strings.Contains(string(out), "not something roster serves") {
		t.Errorf("unknown command: err %v, output %q", err, out)
	}
}

// TestMoveReachesTheOtherSession: alice moves a card; bob, who only looks,
// sees it arrive in the next column, and the log names alice.
func TestMoveReachesTheOtherSession(t *testing.T) {
	ts, a, b := aliceAndBob(t)

	b.mark()
	a.keys("L")
	a.waitFor(" → contacted")
	first := ""
	for _, name := range sshCreators {
		if strings.Contains(a.out.text(), name+" → contacted") {
			first = name
		}
	}
	if first == "" {
		t.Fatalf("alice's status names no creator:\n%s", a.out.text())
	}
	// The card is drawn anew in the Contacted column of bob's screen.
	b.waitFor(first)

	card := cardOf(t, ts.svc, first)
	if card.Deal.Stage != crm.Contacted {
		t.Fatalf("%s is %s, want contacted", first, card.Deal.Stage)
	}
	d, err := ts.svc.CreatorDetail(card.Creator.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Events) == 0 || d.Events[0].Actor != "alice" || !strings.Contains(d.Events[0].Summary, "contacted") {
		t.Errorf("latest event %+v, want alice's move", d.Events)
	}
}

// aliceAndBob starts a server and two teammates' boards.
func aliceAndBob(t *testing.T) (*sshTestServer, *sshTerm, *sshTerm) {
	t.Helper()
	ts := startSSHServer(t, "alice", "bob")
	a := ts.openTerm(t, "alice", 120, 30)
	b := ts.openTerm(t, "bob", 120, 30)
	a.waitFor("Prospect 3")
	b.waitFor("Prospect 3")
	return ts, a, b
}

// TestPresenceShowsWhoHasACreatorOpen: bob sees on the card, and in the
// creator's screen, that alice has it open and then that she edits it.
func TestPresenceShowsWhoHasACreatorOpen(t *testing.T) {
	_, a, b := aliceAndBob(t)
	b.mark()
	a.keys("\r")
	b.waitFor("◆ alice")
	b.keys("\r")
	b.waitFor("also open: alice")
	b.mark()
	a.keys("e")
	b.waitFor("alice (editing)")
}

// TestShutdownEndsSessionsPolitely: every session gets the reason as its
// last line and Shutdown returns once they are gone.
func TestShutdownEndsSessionsPolitely(t *testing.T) {
	ts := startSSHServer(t, "alice", "bob")
	a := ts.openTerm(t, "alice", 100, 30)
	b := ts.openTerm(t, "bob", 100, 30)
	a.waitFor("Prospect 3")
	b.waitFor("Prospect 3")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := ts.Shutdown(ctx, "closing for the night"); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	for _, tm := range []*sshTerm{a, b} {
		tm.waitEnd()
		tm.waitFor("roster: closing for the night")
	}
	if _, err := ts.dial(gossh.PublicKeys(ts.signers["alice"])); err == nil {
		t.Error("a new connection was accepted after Shutdown")
	}
}

// TestTeamFileIsReread: a teammate added to authorized_keys gets in
// without a restart, and one removed no longer does.
func TestTeamFileIsReread(t *testing.T) {
	ts := startSSHServer(t, "alice")
	carol := newSSHSigner(t)
	if _, err := ts.dial(gossh.PublicKeys(carol)); err == nil {
		t.Fatal("carol got in before being added")
	}
	// Same size lines would keep the size; the new mtime must be seen
	// even within the same second, so the file grows here.
	writeAuthorizedKeys(t, ts.keys, authorizedLine(ts.signers["alice"], "alice"), authorizedLine(carol, "carol"))
	c, err := ts.dial(gossh.PublicKeys(carol))
	if err != nil {
		t.Fatalf("carol after being added: %v", err)
	}
	c.Close()
	writeAuthorizedKeys(t, ts.keys, "# alice left", authorizedLine(carol, "carol"))
	if _, err := ts.dial(gossh.PublicKeys(ts.signers["alice"])); err == nil {
		t.Error("alice still got in after her key was removed")
	}
}

// cardOf is name's card on the first campaign's board.
func cardOf(t *testing.T, svc *crm.Service, name string) crm.Card {
	t.Helper()
	camps, _ := svc.Campaigns()
	b, err := svc.Board(camps[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, col := range b.Columns {
		for _, c := range col {
			if c.Creator.Name == name {
				return c
			}
		}
	}
	t.Fatalf("no card for %s", name)
	return crm.Card{}
}
