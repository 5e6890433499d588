package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// TestServePerformance measures only roster serve's rows (propagation to
// 50 sessions, memory per session) and prints them, for a quick look
// without the whole of make bench: ROSTER_BENCH_REPORT=1 go test -run
// '^TestServePerformance$' -v .
func TestServePerformance(t *testing.T) {
	if os.Getenv("ROSTER_BENCH_REPORT") == "" {
		t.Skip("set ROSTER_BENCH_REPORT=1 to measure")
	}
	needOpenSSH(t)
	var rep report
	servePerformance(t, &rep)
	for _, r := range rep.rows {
		t.Logf("| %s | %s | %s | %s |", r[0], r[1], r[2], r[3])
	}
}

// servePerformance runs the real `roster serve` with 50 terminal sessions
// (x/crypto/ssh clients with a PTY, on loopback): the server's RSS before
// and after they connect gives the memory per session, and one session
// moving a card gives the time until all the other 49 screens show it.
func servePerformance(t *testing.T, rep *report) {
	const n = 50
	srv := startTeamServer(t, "Full Name,Email\r\nQuokka,q@example.com\r\nWombat,w@example.com\r\nNumbat,n@example.com\r\n", "bench")
	key, err := os.ReadFile(filepath.Join(srv.dir, "bench"))
	if err != nil {
		t.Fatal(err)
	}
	signer, err := gossh.ParsePrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	pid := strconv.Itoa(srv.cmd.Process.Pid)
	time.Sleep(300 * time.Millisecond)
	before := vmRSS(t, pid)

	terms := make([]*benchTerm, n)
	for i := range terms {
		terms[i] = openBenchTerm(t, fmt.Sprintf("127.0.0.1:%d", srv.port), signer)
	}
	for _, tm := range terms {
		if !tm.seen("Prospect 3", 20*time.Second) {
			t.Fatalf("a session never showed the board:\n%s", tm.text())
		}
	}
	time.Sleep(500 * time.Millisecond)
	after := vmRSS(t, pid)
	perSession := float64(after-before) / n / 1024

	// The mover is session 0. Its selected card goes back and forth
	// between contacted, negotiating and active, so each move lands in an
	// empty column: the card's name is drawn there anew, in full, on every
	// other screen, which is what the watchers wait for.
	mover, watchers := terms[0], terms[1:]
	name := ""
	for _, c := range []string{"Quokka", "Wombat", "Numbat"} {
		if strings.Contains(mover.text(), "▌ "+c) {
			name = c
		}
	}
	if name == "" {
		t.Fatalf("no selected card on the mover's screen:\n%s", mover.text())
	}
	var worst, typical []time.Duration
	for r, key := range []string{"L", "L", "L", "H", "H", "L", "L", "H", "H"} {
		for _, tm := range watchers {
			tm.mark()
		}
		t0 := time.Now()
		mover.type_(key)
		took := make([]time.Duration, len(watchers))
		var wg sync.WaitGroup
		for i, tm := range watchers {
			wg.Go(func() {
				if tm.seen(name, 20*time.Second) {
					took[i] = time.Since(t0)
				}
			})
		}
		wg.Wait()
		slices.Sort(took)
		if took[0] == 0 {
			t.Fatalf("round %d (%s): a session never showed the move", r, key)
		}
		worst = append(worst, took[len(took)-1])
		typical = append(typical, took[len(took)/2])
	}
	rep.add("A card moved in one SSH session, until all 49 other sessions' screens show it (`roster serve`, 50 sessions)", "≤ 100 ms",
		fmt.Sprintf("median %s for the last session (median session %s), %d moves", ms(median(worst)), ms(median(typical)), len(worst)),
		"real binary on loopback; 50 x/crypto/ssh clients with a PTY; from the key press in one session to the card's name in each other's output stream")
	rep.add("Memory per SSH session (`roster serve`, 50 sessions on a 3-card board)", "≤ 10 MB",
		fmt.Sprintf("%.2f MB (server RSS %.1f MB with none, %.1f MB with 50)", perSession, float64(before)/1024, float64(after)/1024),
		"VmRSS of the server process before the sessions connect and after all 50 show the board, divided by 50")
}

// vmRSS is the resident set of pid in KB.
func vmRSS(t *testing.T, pid string) int64 {
	t.Helper()
	b, err := os.ReadFile("/proc/" + pid + "/status")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`VmRSS:\s+(\d+) kB`).FindSubmatch(b)
	if m == nil {
		t.Fatal("no VmRSS")
	}
	v, _ := strconv.ParseInt(string(m[1]), 10, 64)
	return v
}

// benchTerm is one client terminal: what it received, escapes removed.
type benchTerm struct {
	mu  sync.Mutex
	buf bytes.Buffer
	in  interface{ Write([]byte) (int, error) }
}

func openBenchTerm(t *testing.T, addr string, signer gossh.Signer) *benchTerm {
	t.Helper()
	c, err := gossh.Dial("tcp", addr, &gossh.ClientConfig{User: "bench", Auth: []gossh.AuthMethod{gossh.PublicKeys(signer)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.RequestPty("xterm-256color", 30, 100, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	tm := &benchTerm{}
	if tm.in, err = sess.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	sess.Stdout, sess.Stderr = tm, tm
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	return tm
}

func (tm *benchTerm) Write(p []byte) (int, error) {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return tm.buf.Write(p)
}

func (tm *benchTerm) mark() {
	tm.mu.Lock()
	tm.buf.Reset()
	tm.mu.Unlock()
}

// ansiSeq matches the terminal escape sequences (CSI, OSC, DCS and
// two-byte ESC) a session writes, so tests compare the text on screen;
// the in-process tests of serve_*.go use it too.
var ansiSeq = regexp.MustCompile(`\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|P[^\x1b]*\x1b\\|[@-Z\\-_])`)

func (tm *benchTerm) text() string {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return ansiSeq.ReplaceAllString(tm.buf.String(), "")
}

func (tm *benchTerm) type_(s string) { _, _ = tm.in.Write([]byte(s)) }

// seen polls for want; the bound only keeps a broken run from hanging.
func (tm *benchTerm) seen(want string, bound time.Duration) bool {
	deadline := time.Now().Add(bound)
	for !strings.Contains(tm.text(), want) {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(time.Millisecond)
	}
	return true
}
