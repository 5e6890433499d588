package mail

import (
	"fmt"
	"net"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"

	"roster/mail/config"
	"roster/mail/dovecottest"
)

// TestDovecot runs the engine against a real Dovecot (skipped when it is
// not installed): CONDSTORE and HIGHESTMODSEQ, SPECIAL-USE folders, TLS
// with ca_file, flag changes that must not cost a FETCH, deletions. The
// scenario tests (onBothServers in servers_test.go) run against Dovecot
// too; this one covers what only it has: TLS and mod-sequences.
func TestDovecot(t *testing.T) {
	t.Parallel()
	ds := dovecottest.Start(t, dovecottest.Options{Users: map[string]string{testUser: testPass}, TLS: true})
	svc := newService(t)
	alice := addCreator(t, svc, "Alice", "alice@creators.example")
	for i := range 30 {
		m := mail{from: "alice@creators.example", to: testUser, subject: fmt.Sprintf("Topic %d", i/3), id: fmt.Sprintf("d%d@creators.example", i),
			date: time.Date(2025, 3, 1, 9, i, 0, 0, time.UTC).Format(time.RFC1123Z)}
		if i%3 != 0 {
			m.subject = "Re: " + m.subject
			m.inReplyTo = fmt.Sprintf("<d%d@creators.example>", i-1)
		}
		mbox := "INBOX"
		if i%3 == 1 {
			m.from, m.to, mbox = testUser, "alice@creators.example", "Sent"
		}
		ds.Append(t, testUser, mbox, []byte(strings.ReplaceAll(m.String(), "\n", "\r\n")))
	}
	_, port, _ := net.SplitHostPort(ds.TLSAddr)
	setScenarioPassword()
	cfg, err := config.Parse(filepath.Join(t.TempDir(), "config.toml"), []byte(fmt.Sprintf(`[[accounts]]
name = "work"
email = %q
[accounts.imap]
host = "localhost"
port = %s
security = "tls"
ca_file = %q
password_env = %q
`, testUser, port, ds.CAFile, scenarioPassword)))
	if err != nil {
		t.Fatal(err)
	}
	var dbg syncBuffer
	e := New(svc, cfg, Options{BatchSize: 8, debug: &dbg})
	fetches := func() int { return len(regexp.MustCompile(`(?m)^T\d+ UID FETCH `).FindAllString(dbg.String(), -1)) }

	sum := syncOnce(t, e)
	if sum.New != 30 || sum.Bodies != 30 || sum.Mailboxes != 3 {
		t.Fatalf("first sync: %s %v", sum, sum.Warnings)
	}
	if n := len(conversations(t, svc, alice)); n != 10 {
		t.Errorf("threads: %d", n)
	}
	st, _, _ := svc.MailboxState("work", "INBOX")
	if st.HighestModSeq == 0 || st.Count != 20 {
		t.Errorf("INBOX cursor: %+v", st)
	}

	// A flag change moves HIGHESTMODSEQ: recorded without any FETCH.
	c := ds.Login(t, testUser)
	if _, err := c.Select("INBOX", nil).Wait(); err != nil {
		t.Fatal(err)
	}
	if err := c.Store(imap.SeqSetNum(1), &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagSeen}}, nil).Close(); err != nil {
		t.Fatal(err)
	}
	before := fetches()
	syncOnce(t, e)
	st2, _, _ := svc.MailboxState("work", "INBOX")
	if st2.HighestModSeq <= st.HighestModSeq {
		t.Errorf("modseq not recorded: %d → %d", st.HighestModSeq, st2.HighestModSeq)
	}
	if n := fetches() - before; n != 0 {
		t.Errorf("flag change cost %d FETCH", n)
	}

	// Deletion.
	if err := c.Store(imap.SeqSetNum(2), &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagDeleted}}, nil).Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.Expunge().Close(); err != nil {
		t.Fatal(err)
	}
	sum = syncOnce(t, e)
	if sum.Vanished != 1 || sum.New != 0 {
		t.Errorf("after expunge: %s", sum)
	}
	before = fetches()
	start := time.Now()
	syncOnce(t, e)
	t.Logf("no-change resync against Dovecot over TLS: %v", time.Since(start))
	if n := fetches() - before; n != 0 {
		t.Errorf("no-change resync cost %d FETCH", n)
	}
}
