package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"roster/crm"
	"roster/mail"
	"roster/mail/config"
	"roster/mail/dovecottest"
	"roster/mail/msgparse"
	"roster/store"
)

// Sizes and knobs of the mail measurements (issue 3).
const (
	// mailPerfMessages messages exchanged with mailPerfCreators
	// creators fill INBOX and Sent.
	mailPerfMessages = 50_000
	mailPerfCreators = 5_000
	// mailPerfRuns is how many runs a median is taken over.
	mailPerfRuns = 5
	// mailPerfSyncRuns is how many initial syncs (roster and mbsync,
	// about 12 s and 20–35 s each at full size) a median is taken over.
	mailPerfSyncRuns = 3
	// mailPerfPassEnv carries the test account's password to roster
	// (password_env), as a user's config would.
	mailPerfPassEnv = "ROSTER_PERF_IMAP_PASSWORD"
	// mailPerfProfileEnv, set to a file name, adds an in-process initial
	// sync (on a second fresh database) under the CPU profiler and
	// writes the profile there: `go tool pprof -top FILE`.
	mailPerfProfileEnv = "ROSTER_MAIL_PERF_CPUPROFILE"
	// mailPerfSyncLimit bounds the initial sync; past it the sync is
	// stopped with SIGQUIT (goroutine dump in the failure).
	mailPerfSyncLimit = 4 * time.Minute
	// mailPerfKeepDBEnv, set to a file name, keeps a copy of the
	// database after the initial sync there, to investigate.
	mailPerfKeepDBEnv = "ROSTER_MAIL_PERF_KEEPDB"
)

// mailPerformance measures syncing a large mailbox: a private Dovecot on
// loopback (plain IMAP) holding mailPerfMessages messages with
// mailPerfCreators creators, synced into a fresh database that already
// knows the creators (so every body is fetched, as in real use); against
// mbsync and a bare go-imap FETCH loop over the same mailboxes; then a
// resync with nothing new and the board on the synced database.
func mailPerformance(t *testing.T, rep *report) {
	mailPerformanceSized(t, rep, mailPerfMessages, mailPerfCreators)
}

// Referenced until TestPerformanceReport calls mailPerformance.

func mailPerformanceSized(t *testing.T, rep *report, nMsgs, nCreators int) {
	needTmux(t)
	// dovecottest.Start would skip the whole report without Dovecot;
	// only these rows need it.
	if !haveDovecot() && os.Getenv(dovecottest.EnvRequire) != "1" {
		rep.add("Mail sync rows (initial sync, mbsync, bare FETCH loop, resync, board on a synced db)", "—", "not measured",
			"Dovecot is not installed: `apt-get install -y dovecot-imapd` (and `isync` for mbsync)")
		t.Log("mail: Dovecot not installed; mail rows skipped")
		return
	}
	dir := t.TempDir()
	const pass = "perf-Secret-1"
	srv := dovecottest.Start(t, dovecottest.Options{Users: map[string]string{perfManager: pass}, Storage: "maildir"})

	// The mailbox: Maildir files written before the first login.
	t0 := time.Now()
	count, size, err := fillMaildir(filepath.Join(srv.Dir, "home", perfManager), nMsgs, nCreators)
	if err != nil {
		t.Fatalf("filling the Maildir: %v", err)
	}
	fillTime := time.Since(t0)
	t.Logf("mail: wrote %d messages (%d INBOX, %d Sent, %.0f MB) as Maildir files in %v", nMsgs, count["INBOX"], count["Sent"], mb(size), fillTime.Round(time.Millisecond))
	t0 = time.Now()
	if err := indexMailboxes(srv.Addr, pass, count); err != nil {
		t.Fatalf("indexing: %v\n%s", err, srv.LogTail(20))
	}
	indexTime := time.Since(t0)
	t.Logf("mail: Dovecot indexed both mailboxes on first SELECT in %v", indexTime.Round(time.Millisecond))
	// One untimed read of everything, so every contender finds the
	// files in the page cache.
	if n, _, err := bareFetchAll(srv.Addr, pass); err != nil || n != nMsgs {
		t.Fatalf("warm-up read: %d messages, %v", n, err)
	}
	// And one of the header fields, which Dovecot caches on first use:
	// the first contender would pay for building that cache otherwise.
	if n, err := bareHeaderLoop(srv.Addr, pass); err != nil || n != nMsgs {
		t.Fatalf("warm-up header read: %d messages, %v", n, err)
	}

	// A fresh database with the creators, and a config for the account.
	csv := filepath.Join(dir, "creators.csv")
	if err := os.WriteFile(csv, generateCSV(nCreators), 0o600); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "mail.db")
	if out, errOut, code := roster(t, nil, "--db", db, "import", csv); code != 0 || !strings.Contains(out, fmt.Sprintf("imported %d new", nCreators)) {
		t.Fatalf("import: exit %d\n%s%s", code, out, errOut)
	}
	fresh, nomail := filepath.Join(dir, "fresh.db"), filepath.Join(dir, "nomail.db")
	copyFile(t, db, fresh)
	copyFile(t, db, nomail)
	port := srv.Addr[strings.LastIndexByte(srv.Addr, ':')+1:]
	cfgText := fmt.Sprintf("[[accounts]]\nname = \"perf\"\nemail = %q\n\n[accounts.imap]\nhost = \"127.0.0.1\"\nport = %s\nsecurity = \"none\"\nusername = %q\npassword_env = %q\n",
		perfManager, port, perfManager, mailPerfPassEnv)
	cfgPath := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(cfgPath, []byte(cfgText), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv(mailPerfPassEnv, pass)

	// Initial sync by the real binary, each run into a fresh copy of the
	// creators-only database; the first run's database is kept for the
	// resync and board measurements.
	var syncTimes []time.Duration
	var syncRSS int64
	var peak rssPeak
	var newN, bodies int
	var cpus []cpuUse
	for i := range mailPerfSyncRuns {
		target := db
		if i > 0 {
			target = filepath.Join(dir, fmt.Sprintf("mail-%d.db", i))
			copyFile(t, nomail, target)
		}
		t.Logf("mail: initial sync of %d messages by roster (run %d of %d)…", nMsgs, i+1, mailPerfSyncRuns)
		r := rosterInitialSync(t, target, cfgPath)
		syncTimes = append(syncTimes, r.wall)
		cpus = append(cpus, r.cpu)
		syncRSS = max(syncRSS, r.maxrss)
		peak.anon, peak.file = max(peak.anon, r.peak.anon), max(peak.file, r.peak.file)
		if i == 0 {
			newN, bodies = r.newN, r.bodies
		}
		if r.newN != nMsgs || r.bodies != nMsgs {
			t.Errorf("initial sync stored %d new messages and %d bodies, want %d of each:\n%s", r.newN, r.bodies, nMsgs, r.out)
		}
		if i == 0 {
			if path := os.Getenv(mailPerfKeepDBEnv); path != "" {
				copyFile(t, db, path)
			}
		} else if err := os.Remove(target); err != nil {
			t.Fatal(err)
		}
	}
	syncTime := median(syncTimes)
	var syncCPU cpuUse
	for i, d := range syncTimes {
		if d == syncTime {
			syncCPU = cpus[i]
		}
	}
	dbSize := fileSize(t, db)

	if path := os.Getenv(mailPerfProfileEnv); path != "" {
		d := profiledSync(t, fresh, cfgPath, path)
		t.Logf("mail: in-process initial sync under the profiler took %v; profile in %s", d.Round(time.Millisecond), path)
	}

	// mbsync pulling the same two folders into a fresh Maildir each run.
	var mbsyncTimes []time.Duration
	var mbsyncNote string
	for i := range mailPerfSyncRuns {
		d, note := runMbsync(t, filepath.Join(dir, fmt.Sprintf("mbsync-%d", i)), port, pass, nMsgs)
		mbsyncNote = note
		if d == 0 {
			break
		}
		mbsyncTimes = append(mbsyncTimes, d)
	}
	var mbsyncTime time.Duration
	if len(mbsyncTimes) == mailPerfSyncRuns {
		mbsyncTime = median(mbsyncTimes)
	}

	// The protocol floor: one connection, FETCH BODY.PEEK[] of all.
	var bare []time.Duration
	var bareBytes int64
	for range 3 {
		t0 := time.Now()
		n, b, err := bareFetchAll(srv.Addr, pass)
		bare = append(bare, time.Since(t0))
		if err != nil || n != nMsgs {
			t.Fatalf("bare FETCH loop: %d messages, %v", n, err)
		}
		bareBytes = b
	}
	bareTime := median(bare)
	t.Logf("mail: bare go-imap FETCH loop: median %v of 3 (%.0f MB)", bareTime.Round(time.Millisecond), mb(bareBytes))
	// The header pass's own protocol floor: the items roster's header
	// pass asks for, in one FETCH per mailbox.
	var bareHdr []time.Duration
	for range 3 {
		t0 := time.Now()
		n, err := bareHeaderLoop(srv.Addr, pass)
		bareHdr = append(bareHdr, time.Since(t0))
		if err != nil || n != nMsgs {
			t.Fatalf("bare header loop: %d messages, %v", n, err)
		}
	}
	bareHdrTime := median(bareHdr)

	// Resync with nothing new: whole process, then in process.
	var resyncProc []time.Duration
	for range mailPerfRuns {
		cmd := exec.Command(binary, "sync", "--once", "--config", cfgPath, "--db", db)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		t0 := time.Now()
		if err := cmd.Run(); err != nil {
			t.Fatalf("roster resync: %v\n%s", err, out.String())
		}
		resyncProc = append(resyncProc, time.Since(t0))
		if n, b := syncCounts(t, out.String()); n != 0 || b != 0 {
			t.Errorf("resync with nothing new did work: %s", out.String())
		}
	}
	resyncIn := inProcessResync(t, db, cfgPath)
	t.Logf("mail: resync with nothing new: median %v in process, %v as a process", median(resyncIn), median(resyncProc))

	// The board on the synced database, with the account configured (so
	// its background sync runs too, as in real use); and, for comparison
	// in the same conditions, on the database before the sync, without
	// mail.
	want := fmt.Sprintf("%d creators", nCreators)
	starts, boardRSS := boardRuns(t, fmt.Sprintf("env NO_COLOR=1 %s=%s %s --db %s --config %s", mailPerfPassEnv, pass, binary, db, cfgPath), want)
	noCfg := filepath.Join(dir, "no-accounts.toml")
	if err := os.WriteFile(noCfg, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	ctlStarts, ctlRSS := boardRuns(t, fmt.Sprintf("env NO_COLOR=1 %s --db %s --config %s", binary, nomail, noCfg), want)
	t.Logf("mail: board on the synced db: median %v to first frame, %s; without mail: %v, %s", median(starts), boardRSS, median(ctlStarts), ctlRSS)

	// The report.
	sizes := fmt.Sprintf("%s messages / %s creators", thousands(nMsgs), thousands(nCreators))
	setup := fmt.Sprintf("Dovecot 2.3 (Maildir) on loopback, plain IMAP; %s INBOX + %s Sent, %.0f MB, threads of 5–15, 2–10 KB, a third multipart/alternative, a fifth UTF-8 in quoted-printable", thousands(count["INBOX"]), thousands(count["Sent"]), mb(size))
	rep.add("Test mailbox for the mail rows (not timed)", "—",
		fmt.Sprintf("written in %.1f s, indexed by Dovecot in %.2f s", fillTime.Seconds(), indexTime.Seconds()),
		setup+"; generated Maildir files written straight into the account's Maildir before the first login (APPEND runs at ~800/s), then indexed by Dovecot on the first SELECT")
	got := fmt.Sprintf("median %.1f s", syncTime.Seconds())
	var ratios []string
	if mbsyncTime > 0 {
		r := syncTime.Seconds() / mbsyncTime.Seconds()
		ratios = append(ratios, fmt.Sprintf("%.2f× mbsync (goal %s)", r, verdict(r <= 0.5)))
	} else {
		ratios = append(ratios, "mbsync not measured")
	}
	rb := syncTime.Seconds() / bareTime.Seconds()
	ratios = append(ratios, fmt.Sprintf("%.1f× the bare loop (goal %s)", rb, verdict(rb <= 3)))
	rep.add("Initial sync of "+sizes+" (roster)", "≤ 0.5× mbsync, ≤ 3× bare FETCH loop",
		got+": "+strings.Join(ratios, ", "),
		fmt.Sprintf("median of %d runs (%s) of the real binary `roster sync --once`, each into a fresh db holding the creators (every body fetched: %s new, %s bodies); CPU during the median run: %.1f s of the machine's two cores, %.1f s of it roster's (the rest mostly Dovecot)", mailPerfSyncRuns, secs(syncTimes), thousands(newN), thousands(bodies), syncCPU.machine, syncCPU.self))
	if mbsyncTime > 0 {
		rep.add("mbsync", "—", fmt.Sprintf("median %.1f s of %d (%s)", mbsyncTime.Seconds(), mailPerfSyncRuns, secs(mbsyncTimes)), mbsyncNote)
	} else {
		rep.add("mbsync", "—", "not measured", mbsyncNote)
	}
	rep.add("bare go-imap FETCH loop", "—", fmt.Sprintf("median %.2f s of 3", bareTime.Seconds()),
		fmt.Sprintf("protocol floor: go-imap v2 imapclient, one connection, SELECT and `UID FETCH 1:* (BODY.PEEK[])` of INBOX then Sent into io.Discard (%.0f MB)", mb(bareBytes)))
	rep.add("bare go-imap header-pass loop", "—", fmt.Sprintf("median %.2f s of 3", bareHdrTime.Seconds()),
		"the header pass's own floor, for comparison: the same connection and mailboxes, `UID FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS (…)])` with roster's header fields, collected in memory; roster reads both (headers first, then bodies of matched mail)")
	rin, rproc := median(resyncIn), median(resyncProc)
	rep.add("Resync with nothing new", "≤ 50 ms",
		fmt.Sprintf("median %s in process (goal %s), %s as a whole `roster sync --once` process", ms(rin), verdict(rin <= 50*time.Millisecond), ms(rproc)),
		fmt.Sprintf("%d runs each after the initial sync; in process: mail.Engine.SyncOnce on the synced db, a new connection each time (connect, LOGIN, LIST, STATUS, LOGOUT); process: the real binary, including its start", mailPerfRuns))
	rep.add("Peak RSS during sync", "≤ 80 MB",
		fmt.Sprintf("%.1f MB (goal %s)", float64(syncRSS)/1024, verdict(syncRSS <= 80*1024)),
		fmt.Sprintf("largest getrusage maxrss of the `roster sync --once` children of the initial syncs above; sampled every 10 ms: at most %.0f MB anonymous (Go heap) and %.0f MB file-backed (mostly the mmap'd database, %.0f MB after the sync)", float64(peak.anon)/1024, float64(peak.file)/1024, mb(dbSize)))
	rep.add("Board on the synced db: start to first frame", "≤ 100 ms",
		fmt.Sprintf("median %s of %d runs (goal %s)", ms(median(starts)), mailPerfRuns, verdict(median(starts) <= 100*time.Millisecond)),
		fmt.Sprintf("real binary in tmux with the account configured (its background sync runs), includes tmux's polling (2 ms); the same %s creators without mail, same run: median %s", thousands(nCreators), ms(median(ctlStarts))))
	rep.add("Board on the synced db: peak RSS", "≤ 80 MB",
		fmt.Sprintf("%.1f MB (goal %s)", float64(boardRSS.hwm)/1024, verdict(boardRSS.hwm <= 80*1024)),
		fmt.Sprintf("VmHWM after navigating, filtering and opening a creator; resident then: %s; without mail, same run: %.1f MB", boardRSS.split(), float64(ctlRSS.hwm)/1024))
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "**missed**"
}

func mb(n int64) float64 { return float64(n) / (1 << 20) }

func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

var syncSummaryRe = regexp.MustCompile(`(\d+) new, \d+ cop(?:y|ies), (\d+) bod(?:y|ies)`)

// syncCounts reads the new messages and bodies from `roster sync`'s
// summary line.
func syncCounts(t *testing.T, out string) (newN, bodies int) {
	t.Helper()
	m := syncSummaryRe.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no summary in roster sync's output:\n%s", out)
	}
	newN, _ = strconv.Atoi(m[1])
	bodies, _ = strconv.Atoi(m[2])
	return newN, bodies
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	_, err = io.Copy(out, in)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
}

// indexMailboxes logs in for the first time and selects INBOX and Sent,
// which makes Dovecot assign UIDs and build its index, and checks the
// counts.
func indexMailboxes(addr, pass string, want map[string]int) error {
	c, err := imapclient.DialInsecure(addr, nil)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.Login(perfManager, pass).Wait(); err != nil {
		return err
	}
	for _, box := range []string{"INBOX", "Sent"} {
		sel, err := c.Select(box, &imap.SelectOptions{ReadOnly: true}).Wait()
		if err != nil {
			return fmt.Errorf("select %s: %w", box, err)
		}
		if int(sel.NumMessages) != want[box] {
			return fmt.Errorf("%s has %d messages, want %d", box, sel.NumMessages, want[box])
		}
	}
	return c.Logout().Wait()
}

// bareFetchAll is the protocol floor: one connection fetching every
// message of INBOX and Sent whole, into io.Discard.
func bareFetchAll(addr, pass string) (msgs int, size int64, err error) {
	c, err := imapclient.DialInsecure(addr, nil)
	if err != nil {
		return 0, 0, err
	}
	defer c.Close()
	if err := c.Login(perfManager, pass).Wait(); err != nil {
		return 0, 0, err
	}
	opts := &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{{Peek: true}}}
	for _, box := range []string{"INBOX", "Sent"} {
		if _, err := c.Select(box, &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
			return msgs, size, err
		}
		cmd := c.Fetch(imap.UIDSet{imap.UIDRange{Start: 1, Stop: 0}}, opts)
		for m := cmd.Next(); m != nil; m = cmd.Next() {
			for item := m.Next(); item != nil; item = m.Next() {
				if b, ok := item.(imapclient.FetchItemDataBodySection); ok {
					n, err := io.Copy(io.Discard, b.Literal)
					size += n
					if err != nil {
						cmd.Close()
						return msgs, size, err
					}
				}
			}
			msgs++
		}
		if err := cmd.Close(); err != nil {
			return msgs, size, err
		}
	}
	return msgs, size, c.Logout().Wait()
}

// bareHeaderLoop reads what roster's header pass asks for, for every
// message of INBOX and Sent, on one connection: the header pass's floor.
func bareHeaderLoop(addr, pass string) (msgs int, err error) {
	c, err := imapclient.DialInsecure(addr, nil)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	if err := c.Login(perfManager, pass).Wait(); err != nil {
		return 0, err
	}
	section := &imap.FetchItemBodySection{Specifier: imap.PartSpecifierHeader, HeaderFields: msgparse.HeaderFields, Peek: true}
	opts := &imap.FetchOptions{UID: true, Flags: true, InternalDate: true, RFC822Size: true, BodySection: []*imap.FetchItemBodySection{section}}
	for _, box := range []string{"INBOX", "Sent"} {
		if _, err := c.Select(box, &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
			return msgs, err
		}
		cmd := c.Fetch(imap.UIDSet{imap.UIDRange{Start: 1, Stop: 0}}, opts)
		for m := cmd.Next(); m != nil; m = cmd.Next() {
			if _, err := m.Collect(); err != nil {
				cmd.Close()
				return msgs, err
			}
			msgs++
		}
		if err := cmd.Close(); err != nil {
			return msgs, err
		}
	}
	return msgs, c.Logout().Wait()
}

// runMbsync pulls INBOX and Sent into a fresh Maildir with mbsync and
// returns its wall time, or 0 and why not.
func runMbsync(t *testing.T, dir, port, pass string, want int) (time.Duration, string) {
	t.Helper()
	bin, err := exec.LookPath("mbsync")
	if err != nil {
		return 0, "not installed: `apt-get install -y isync` (Debian isync 1.4.4) to measure it"
	}
	version, _ := exec.Command(bin, "--version").Output()
	local := filepath.Join(dir, "maildir")
	if err := os.MkdirAll(local, 0o700); err != nil {
		t.Fatal(err)
	}
	rc := filepath.Join(dir, "mbsyncrc")
	text := fmt.Sprintf(`IMAPAccount perf
Host 127.0.0.1
Port %s
User %s
Pass %s
SSLType None
AuthMechs LOGIN

IMAPStore perf-far
Account perf

MaildirStore perf-near
Path %s/
Inbox %s/INBOX
SubFolders Verbatim

Channel perf
Far :perf-far:
Near :perf-near:
Patterns INBOX Sent
Create Near
Sync Pull
SyncState *
`, port, perfManager, pass, local, local)
	if err := os.WriteFile(rc, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Logf("mail: %s pulling INBOX and Sent…", strings.TrimSpace(string(version)))
	cmd := exec.Command(bin, "-c", rc, "-a")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	t0 := time.Now()
	err = cmd.Run()
	d := time.Since(t0)
	if err != nil {
		t.Logf("mbsync failed: %v\n%s", err, out.String())
		return 0, fmt.Sprintf("mbsync failed (%v); see the test log", err)
	}
	got := 0
	for _, box := range []string{"INBOX", "Sent"} {
		for _, sub := range []string{"cur", "new"} {
			es, _ := os.ReadDir(filepath.Join(local, box, sub))
			got += len(es)
		}
	}
	if got != want {
		t.Errorf("mbsync stored %d messages, want %d:\n%s", got, want, out.String())
	}
	t.Logf("mail: mbsync: %v, %d messages", d.Round(time.Millisecond), got)
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	return d, fmt.Sprintf("%s (`apt-get install -y isync`): `mbsync -c RC -a`, Channel with Patterns INBOX Sent, Create Near, Sync Pull, SyncState *, plain IMAP (SSLType None), into a fresh Maildir each run (its default FSync yes); %s messages stored",
		strings.TrimSpace(string(version)), thousands(got))
}

// openPerfEngine opens db and builds an engine for the config at path,
// as `roster sync` does; close closes the database.
func openPerfEngine(t *testing.T, db, cfgPath string) (eng *mail.Engine, closeDB func()) {
	t.Helper()
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	svc := crm.NewService(st, nil)
	if err := svc.Init("perf"); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse(cfgPath, data)
	if err != nil {
		t.Fatal(err)
	}
	return mail.New(svc, cfg, mail.Options{}), func() { st.Close() }
}

// inProcessResync times mail.Engine.SyncOnce with nothing new,
// mailPerfRuns times after one untimed run.
func inProcessResync(t *testing.T, db, cfgPath string) []time.Duration {
	t.Helper()
	eng, closeDB := openPerfEngine(t, db, cfgPath)
	defer closeDB()
	var ds []time.Duration
	for i := range mailPerfRuns + 1 {
		t0 := time.Now()
		sum, err := eng.SyncOnce(context.Background())
		d := time.Since(t0)
		if err != nil || sum.New != 0 || sum.Bodies != 0 {
			t.Fatalf("resync with nothing new: %s, %v", sum, err)
		}
		if i > 0 {
			ds = append(ds, d)
		}
	}
	return ds
}

// profiledSync runs an initial sync in process into db under the CPU
// profiler, writing the profile to path.
func profiledSync(t *testing.T, db, cfgPath, path string) time.Duration {
	t.Helper()
	eng, closeDB := openPerfEngine(t, db, cfgPath)
	defer closeDB()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := pprof.StartCPUProfile(f); err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	sum, err := eng.SyncOnce(context.Background())
	d := time.Since(t0)
	pprof.StopCPUProfile()
	if err != nil {
		t.Fatalf("in-process sync: %v", err)
	}
	t.Logf("mail: in process: %s", sum)
	return d
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

// rssPeak is the most resident memory seen, in KB, split as the kernel
// counts it: anonymous (heap, stacks) and file-backed (the binary, mmap'd
// files such as the bbolt database).
type rssPeak struct{ anon, file int64 }

// sampleRSS reads /proc/PID/status every 10 ms until stop is closed, then
// sends the peaks.
func sampleRSS(pid int, stop <-chan struct{}) <-chan rssPeak {
	res := make(chan rssPeak, 1)
	go func() {
		var p rssPeak
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid)); err == nil {
				for _, l := range strings.Split(string(b), "\n") {
					f := strings.Fields(l)
					if len(f) < 2 {
						continue
					}
					n, _ := strconv.ParseInt(f[1], 10, 64)
					switch f[0] {
					case "RssAnon:":
						p.anon = max(p.anon, n)
					case "RssFile:":
						p.file = max(p.file, n)
					}
				}
			}
			select {
			case <-stop:
				res <- p
				return
			case <-tick.C:
			}
		}
	}()
	return res
}

// boardRuns starts the board with command in tmux mailPerfRuns times and
// returns the times from start to a screen showing want, and the VmHWM
// of the first run after navigating, filtering and opening a creator.
func boardRuns(t *testing.T, command, want string) (starts []time.Duration, mem procMem) {
	t.Helper()
	for i := range mailPerfRuns {
		s := startTmux(t, 160, 48, "sleep 30")
		t0 := time.Now()
		s.tmux("respawn-pane", "-k", "-t", s.name, command)
		deadline := t0.Add(10 * time.Second)
		for !strings.Contains(s.screen(), want) {
			if time.Now().After(deadline) {
				t.Fatalf("board never appeared:\n%s", s.screen())
			}
			time.Sleep(2 * time.Millisecond)
		}
		starts = append(starts, time.Since(t0))
		if i == 0 {
			pid := strings.TrimSpace(s.tmux("display-message", "-p", "-t", s.name, "#{pane_pid}"))
			for _, k := range []string{"j", "j", "G", "l", "g", "/", "m", "a", "y", "a", "Escape", "Enter", "3", "Escape"} {
				s.keys(k)
			}
			time.Sleep(500 * time.Millisecond)
			mem = readProcMem(t, pid)
		}
		s.keys("q")
		s.waitExit()
	}
	return starts, mem
}

// procMem is a process's peak resident memory and what is resident now,
// split as the kernel counts it, in KB.
type procMem struct{ hwm, anon, file int64 }

func readProcMem(t *testing.T, pid string) procMem {
	t.Helper()
	b, err := os.ReadFile("/proc/" + pid + "/status")
	if err != nil {
		t.Fatalf("reading the board's memory: %v", err)
	}
	var m procMem
	for _, l := range strings.Split(string(b), "\n") {
		f := strings.Fields(l)
		if len(f) < 2 {
			continue
		}
		n, _ := strconv.ParseInt(f[1], 10, 64)
		switch f[0] {
		case "VmHWM:":
			m.hwm = n
		case "RssAnon:":
			m.anon = n
		case "RssFile:":
			m.file = n
		}
	}
	return m
}

func (m procMem) String() string {
	return fmt.Sprintf("VmHWM %.1f MB (%s)", float64(m.hwm)/1024, m.split())
}

func (m procMem) split() string {
	return fmt.Sprintf("%.0f MB anonymous, %.0f MB file-backed", float64(m.anon)/1024, float64(m.file)/1024)
}

func secs(ds []time.Duration) string {
	var out []string
	for _, d := range ds {
		out = append(out, fmt.Sprintf("%.1f", d.Seconds()))
	}
	return strings.Join(out, ", ") + " s"
}

// cpuUse is CPU time spent during a measurement: by the whole machine
// (every process, both cores) and by roster itself.
type cpuUse struct{ machine, self float64 }

// machineBusy is the CPU seconds every process has used so far (user,
// nice, system, irq, softirq, steal), from /proc/stat.
func machineBusy() float64 {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	line, _, _ := strings.Cut(string(data), "\n")
	var ticks float64
	for i, f := range strings.Fields(line)[1:] {
		if i == 3 || i == 4 { // idle, iowait
			continue
		}
		n, _ := strconv.ParseFloat(f, 64)
		ticks += n
	}
	return ticks / 100 // USER_HZ
}

// syncRun is one `roster sync --once` by the real binary.
type syncRun struct {
	cpu          cpuUse
	wall         time.Duration
	maxrss       int64 // KB, getrusage of the child
	peak         rssPeak
	newN, bodies int
	out          string
}

// rosterInitialSync runs `roster sync --once` into db and measures it.
func rosterInitialSync(t *testing.T, db, cfgPath string) syncRun {
	t.Helper()
	// A bound, so a hung sync fails the run with its goroutines
	// (SIGQUIT) instead of stalling `make bench`.
	ctx, cancel := context.WithTimeout(context.Background(), mailPerfSyncLimit)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, "sync", "--once", "--config", cfgPath, "--db", db)
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGQUIT) }
	cmd.WaitDelay = 10 * time.Second
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	t0, busy0 := time.Now(), machineBusy()
	err := cmd.Start()
	var r syncRun
	if err == nil {
		stop := make(chan struct{})
		peaks := sampleRSS(cmd.Process.Pid, stop)
		err = cmd.Wait()
		close(stop)
		r.peak = <-peaks
	}
	r.wall = time.Since(t0)
	r.out = out.String()
	if err != nil {
		t.Fatalf("roster sync after %v: %v\n%s", r.wall.Round(time.Millisecond), err, r.out)
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	r.maxrss = ru.Maxrss
	r.cpu = cpuUse{machine: machineBusy() - busy0, self: (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Seconds()}
	r.newN, r.bodies = syncCounts(t, r.out)
	t.Logf("mail: roster: %s (%v, peak RSS %.1f MB: anonymous %.1f MB, file-backed %.1f MB; db %.0f MB)", strings.TrimSpace(r.out), r.wall.Round(time.Millisecond), float64(r.maxrss)/1024, float64(r.peak.anon)/1024, float64(r.peak.file)/1024, mb(fileSize(t, db)))
	return r
}

// haveDovecot reports whether dovecottest.Start can find Dovecot (in
// PATH or /usr/sbin, which a non-root PATH often lacks).
func haveDovecot() bool {
	if _, err := exec.LookPath("dovecot"); err == nil {
		return true
	}
	for _, p := range []string{"/usr/sbin/dovecot", "/usr/local/sbin/dovecot"} {
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return true
		}
	}
	return false
}
