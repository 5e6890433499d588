package mail

import (
	"bytes"
	"fmt"
	"net"
	netmail "net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"roster/crm"
	"roster/mail/config"
	"roster/mail/dovecottest"
)

// The scenario tests (lifecycle, deletions, UIDVALIDITY, kill and resume,
// hostile content, charsets) run one body of test code against two
// servers: go-imap's imapmemserver in process, and a private Dovecot
// (dovecottest: skipped when Dovecot is not installed, a failure when
// ROSTER_TEST_DOVECOT=1). Delivering, deleting and reading mail back is
// plain IMAP and the same on both (account); imapServer is the little that
// differs.

// imapServer is one of the servers a scenario runs against.
type imapServer interface {
	// newAccount returns the address and login (password testPass) of
	// an account no other test uses, with INBOX, Sent, Archive, Junk,
	// Drafts and Trash and no mail.
	newAccount(t *testing.T) (addr, user string)
	// renew gives mbox, which c has just emptied, a UIDVALIDITY other
	// than old. Nothing is selected on c.
	renew(t *testing.T, c *imapclient.Client, user, mbox string, old uint32)
}

// onBothServers runs scenario as the parallel subtests "memserver" and
// "dovecot". The Dovecot is started once for the test and has accounts
// users; each newAccount on it takes the next.
func onBothServers(t *testing.T, accounts int, scenario func(t *testing.T, srv imapServer)) {
	t.Run("memserver", func(t *testing.T) {
		t.Parallel()
		scenario(t, memServer{})
	})
	t.Run("dovecot", func(t *testing.T) {
		t.Parallel()
		users := map[string]string{}
		var free []string
		for i := range accounts {
			u := fmt.Sprintf("acct%d", i)
			users[u] = testPass
			free = append(free, u)
		}
		ds := dovecottest.Start(t, dovecottest.Options{Users: users})
		scenario(t, &dovecotServer{ds: ds, free: free})
	})
}

// memServer makes every account a fresh imapmemserver (see testServer).
type memServer struct{}

func (memServer) newAccount(t *testing.T) (string, string) {
	ts := newTestServer(t)
	for _, name := range []string{"Sent", "Archive", "Junk", "Drafts", "Trash"} {
		ts.create(name)
	}
	return ts.addr, testUser
}

// renew deletes and creates the mailbox again: imapmemserver gives every
// new mailbox a new UIDVALIDITY, INBOX included.
func (memServer) renew(t *testing.T, c *imapclient.Client, _, mbox string, _ uint32) {
	t.Helper()
	deleteAndCreate(t, c, mbox)
}

// dovecotServer hands out the users of one Dovecot instance.
type dovecotServer struct {
	ds   *dovecottest.Server
	mu   sync.Mutex
	free []string
}

func (d *dovecotServer) newAccount(t *testing.T) (string, string) {
	t.Helper()
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.free) == 0 {
		t.Fatal("dovecot: no unused account left; raise the count given to onBothServers")
	}
	u := d.free[0]
	d.free = d.free[1:]
	return d.ds.Addr, u
}

// renew deletes and creates a mailbox again, which gives it a new
// UIDVALIDITY. Dovecot refuses to delete INBOX, so INBOX gets its new
// UIDVALIDITY from `doveadm mailbox update --uid-validity`, which keeps
// the mailbox (and its UIDNEXT) and changes only the number.
func (d *dovecotServer) renew(t *testing.T, c *imapclient.Client, user, mbox string, old uint32) {
	t.Helper()
	if mbox != "INBOX" {
		deleteAndCreate(t, c, mbox)
		return
	}
	d.setValidity(t, user, mbox, old+1)
}

// renewInPlace changes mbox's UIDVALIDITY and nothing else: the same
// messages under the same UIDs, as after a server rebuilt its index.
// Only Dovecot can; see inPlaceRenewer.
func (d *dovecotServer) renewInPlace(t *testing.T, user, mbox string, old uint32) {
	t.Helper()
	d.setValidity(t, user, mbox, old+1)
}

func (d *dovecotServer) setValidity(t *testing.T, user, mbox string, v uint32) {
	t.Helper()
	conf := filepath.Join(d.ds.Dir, "dovecot.conf")
	if _, err := os.Stat(conf); err != nil {
		t.Fatalf("dovecot config not where expected: %v", err)
	}
	doveadm, err := exec.LookPath("doveadm")
	if err != nil {
		t.Fatalf("doveadm (dovecot-core) is needed to change INBOX's UIDVALIDITY: %v", err)
	}
	out, err := exec.Command(doveadm, "-c", conf, "mailbox", "update", "-u", user, "--uid-validity", fmt.Sprint(v), mbox).CombinedOutput()
	if err != nil {
		t.Fatalf("doveadm mailbox update: %v: %s", err, out)
	}
}

// inPlaceRenewer is a server that can give a mailbox a new UIDVALIDITY
// without touching its messages.
type inPlaceRenewer interface {
	renewInPlace(t *testing.T, user, mbox string, old uint32)
}

func deleteAndCreate(t *testing.T, c *imapclient.Client, mbox string) {
	t.Helper()
	if err := c.Delete(mbox).Wait(); err != nil {
		t.Fatalf("delete %s: %v", mbox, err)
	}
	if err := c.Create(mbox, nil).Wait(); err != nil {
		t.Fatalf("create %s: %v", mbox, err)
	}
}

// account is one test's mailbox set on one server: an admin connection
// to deliver, delete and renumber mail, and a proxy the engine connects
// through, which records the engine's commands.
type account struct {
	t     *testing.T
	srv   imapServer
	addr  string
	user  string
	admin *imapclient.Client
	proxy *cmdProxy
}

func newAccount(t *testing.T, srv imapServer) *account {
	t.Helper()
	addr, user := srv.newAccount(t)
	c, err := imapclient.DialInsecure(addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if err := c.Login(user, testPass).Wait(); err != nil {
		t.Fatalf("login %s: %v", user, err)
	}
	return &account{t: t, srv: srv, addr: addr, user: user, admin: c, proxy: newCmdProxy(t, addr)}
}

// append delivers raw (LF or CRLF line ends) to mbox and returns its UID.
// The Date header becomes the INTERNALDATE, as on delivery.
func (a *account) append(mbox, raw string, flags ...imap.Flag) imap.UID {
	a.t.Helper()
	return a.appendAt(mbox, []byte(raw), time.Time{}, flags...)
}

func (a *account) appendAt(mbox string, raw []byte, at time.Time, flags ...imap.Flag) imap.UID {
	a.t.Helper()
	raw = bytes.ReplaceAll(bytes.ReplaceAll(raw, []byte("\r\n"), []byte("\n")), []byte("\n"), []byte("\r\n"))
	if at.IsZero() {
		at = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
		if m, err := netmail.ReadMessage(bytes.NewReader(raw)); err == nil {
			if d, err := m.Header.Date(); err == nil {
				at = d
			}
		}
	}
	flags = slices.DeleteFunc(slices.Clone(flags), func(f imap.Flag) bool { return f == "\\Recent" })
	cmd := a.admin.Append(mbox, int64(len(raw)), &imap.AppendOptions{Flags: flags, Time: at})
	if _, err := cmd.Write(raw); err != nil {
		a.t.Fatalf("append to %s: %v", mbox, err)
	}
	if err := cmd.Close(); err != nil {
		a.t.Fatalf("append to %s: %v", mbox, err)
	}
	data, err := cmd.Wait()
	if err != nil {
		a.t.Fatalf("append to %s: %v", mbox, err)
	}
	if data == nil || data.UID == 0 {
		a.t.Fatalf("append to %s: no APPENDUID", mbox)
	}
	return data.UID
}

var idHeader = &imap.FetchItemBodySection{Specifier: imap.PartSpecifierHeader, HeaderFields: []string{"Message-ID"}, Peek: true}

// uids maps the normalised Message-IDs in mbox to their UIDs, as the
// server has them now.
func (a *account) uids(mbox string) map[string]imap.UID {
	a.t.Helper()
	out := map[string]imap.UID{}
	a.inMailbox(mbox, func(c *imapclient.Client, n uint32) {
		if n == 0 {
			return
		}
		msgs, err := c.Fetch(imap.SeqSet{{Start: 1, Stop: 0}}, &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{idHeader}}).Collect()
		if err != nil {
			a.t.Fatal(err)
		}
		for _, m := range msgs {
			h, err := netmail.ReadMessage(bytes.NewReader(append(m.FindBodySection(idHeader), "\r\n"...)))
			if err != nil {
				a.t.Fatal(err)
			}
			out[crm.NormalizeMessageID(h.Header.Get("Message-ID"))] = m.UID
		}
	})
	return out
}

// inMailbox runs fn with mbox selected on the admin connection and n its
// message count.
func (a *account) inMailbox(mbox string, fn func(c *imapclient.Client, n uint32)) {
	a.t.Helper()
	c := a.admin
	sel, err := c.Select(mbox, nil).Wait()
	if err != nil {
		a.t.Fatalf("select %s: %v", mbox, err)
	}
	fn(c, sel.NumMessages)
	if err := c.Unselect().Wait(); err != nil {
		a.t.Fatal(err)
	}
}

// expunge deletes the messages with these Message-IDs from mbox in the
// order given. One by one, each is flagged \Deleted and removed by its
// own UID EXPUNGE, so the server removes them in that order; in a burst
// they are flagged in that order and one EXPUNGE removes them all, which
// the server reports in one run of untagged EXPUNGE responses.
func (a *account) expunge(mbox string, burst bool, ids ...string) {
	a.t.Helper()
	byID := a.uids(mbox)
	a.inMailbox(mbox, func(c *imapclient.Client, _ uint32) {
		deleted := &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagDeleted}}
		for _, id := range ids {
			uid, ok := byID[id]
			if !ok {
				a.t.Fatalf("no message %s in %s", id, mbox)
			}
			set := imap.UIDSetNum(uid)
			if err := c.Store(set, deleted, nil).Close(); err != nil {
				a.t.Fatal(err)
			}
			if !burst {
				if err := c.UIDExpunge(set).Close(); err != nil {
					a.t.Fatal(err)
				}
			}
		}
		if burst {
			if err := c.Expunge().Close(); err != nil {
				a.t.Fatal(err)
			}
		}
	})
}

// move moves the message with this Message-ID from one mailbox to
// another (MOVE, or COPY and EXPUNGE where MOVE is not offered).
func (a *account) move(from, to, id string) {
	a.t.Helper()
	uid, ok := a.uids(from)[id]
	if !ok {
		a.t.Fatalf("no message %s in %s", id, from)
	}
	a.inMailbox(from, func(c *imapclient.Client, _ uint32) {
		if _, err := c.Move(imap.UIDSetNum(uid), to).Wait(); err != nil {
			a.t.Fatalf("move %s to %s: %v", id, to, err)
		}
	})
}

// recreate gives mbox a new UIDVALIDITY with the same messages, flags and
// dates, delivered again in reverse order so that no message keeps its
// old UID by chance: only a remap by Message-ID gets the locations right.
func (a *account) recreate(mbox string) {
	a.t.Helper()
	type saved struct {
		raw   []byte
		flags []imap.Flag
		date  time.Time
	}
	var msgs []saved
	whole := &imap.FetchItemBodySection{Peek: true}
	a.inMailbox(mbox, func(c *imapclient.Client, n uint32) {
		if n == 0 {
			return
		}
		all := imap.SeqSet{{Start: 1, Stop: 0}}
		got, err := c.Fetch(all, &imap.FetchOptions{UID: true, Flags: true, InternalDate: true, BodySection: []*imap.FetchItemBodySection{whole}}).Collect()
		if err != nil {
			a.t.Fatal(err)
		}
		for _, m := range got {
			msgs = append(msgs, saved{m.FindBodySection(whole), m.Flags, m.InternalDate})
		}
		if err := c.Store(all, &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagDeleted}}, nil).Close(); err != nil {
			a.t.Fatal(err)
		}
		if err := c.Expunge().Close(); err != nil {
			a.t.Fatal(err)
		}
	})
	old := a.validity(mbox)
	a.srv.renew(a.t, a.admin, a.user, mbox, old)
	for _, m := range slices.Backward(msgs) {
		a.appendAt(mbox, m.raw, m.date, m.flags...)
	}
	if v := a.validity(mbox); v == old {
		a.t.Fatalf("%s kept UIDVALIDITY %d", mbox, v)
	}
}

func (a *account) validity(mbox string) uint32 {
	a.t.Helper()
	st, err := a.admin.Status(mbox, &imap.StatusOptions{UIDValidity: true}).Wait()
	if err != nil {
		a.t.Fatal(err)
	}
	return st.UIDValidity
}

// scenarioPassword is the environment variable the scenario configs read
// the password from: set once for the whole run, because t.Setenv cannot
// be used in parallel tests.
const scenarioPassword = "ROSTER_TEST_SCENARIO_PW"

var setScenarioPassword = sync.OnceFunc(func() { os.Setenv(scenarioPassword, testPass) })

// config is an account "work" for testUser (alias partnerships@) that
// reaches the server through the proxy.
func (a *account) config(t testing.TB, extra string) *config.Config {
	t.Helper()
	return a.configFor(t, testUser, []string{"partnerships@brand.example"}, extra)
}

func (a *account) configFor(t testing.TB, email string, aliases []string, extra string) *config.Config {
	t.Helper()
	setScenarioPassword()
	host, port, _ := net.SplitHostPort(a.proxy.addr)
	quoted := make([]string, len(aliases))
	for i, al := range aliases {
		quoted[i] = fmt.Sprintf("%q", al)
	}
	body := fmt.Sprintf(`[[accounts]]
name = "work"
email = %q
aliases = [%s]
%s
[accounts.imap]
host = %q
port = %s
security = "none"
username = %q
password_env = %q
`, email, strings.Join(quoted, ", "), extra, host, port, a.user, scenarioPassword)
	cfg, err := config.Parse(filepath.Join(t.TempDir(), "config.toml"), []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

var (
	fetchCmd = regexp.MustCompile(`^\S+ (UID )?FETCH `)
	bodyCmd  = regexp.MustCompile(`^\S+ UID FETCH .*BODY\.PEEK\[\]`)
)

// fetches counts the FETCH commands the engine has sent; bodyFetches
// those that download whole messages (BODY.PEEK[]).
func (a *account) fetches() int     { return a.proxy.count(fetchCmd) }
func (a *account) bodyFetches() int { return a.proxy.count(bodyCmd) }

// cmdProxy forwards TCP connections to an IMAP server and records every
// line the client sends, so tests can count commands the same way on any
// server (the debug writer interleaves both directions, and Dovecot
// cannot be asked).
type cmdProxy struct {
	*tcpProxy

	linesMu sync.Mutex // guards lines and seen
	lines   []string
	// seen, when set, is called with every line before it is
	// forwarded.
	seen func(line string)
}

func newCmdProxy(t testing.TB, target string) *cmdProxy {
	t.Helper()
	p := &cmdProxy{}
	p.tcpProxy = newTCPProxy(t, target, func(line string) string {
		p.linesMu.Lock()
		p.lines = append(p.lines, line)
		seen := p.seen
		p.linesMu.Unlock()
		if seen != nil {
			seen(line)
		}
		return line
	}, nil)
	return p
}

// onLine sets the function called with every line the client sends.
func (p *cmdProxy) onLine(fn func(line string)) {
	p.linesMu.Lock()
	p.seen = fn
	p.linesMu.Unlock()
}

func (p *cmdProxy) count(re *regexp.Regexp) int {
	p.linesMu.Lock()
	defer p.linesMu.Unlock()
	n := 0
	for _, l := range p.lines {
		if re.MatchString(l) {
			n++
		}
	}
	return n
}
