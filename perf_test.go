package main

import (
	"bufio"
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestPerformanceReport is `make bench`: it runs the Go benchmarks and
// measures the real binary on generated data at the sizes the issues name,
// then rewrites docs/PERFORMANCE.md. It is skipped unless
// ROSTER_BENCH_REPORT=1, because figures belong in the report, not in
// pass/fail unit tests.
func TestPerformanceReport(t *testing.T) {
	if os.Getenv("ROSTER_BENCH_REPORT") == "" {
		t.Skip("set ROSTER_BENCH_REPORT=1 (make bench) to measure")
	}
	needTmux(t)
	dir := t.TempDir()
	csv := filepath.Join(dir, "creators-5000.csv")
	if err := os.WriteFile(csv, generateCSV(5000), 0o600); err != nil {
		t.Fatal(err)
	}
	var rep report

	// Import of a 5,000-row CSV by the real binary, fresh database each run.
	var importTimes []time.Duration
	var importRSS int64
	var db string
	for i := range 5 {
		db = filepath.Join(dir, fmt.Sprintf("import-%d.db", i))
		cmd := exec.Command(binary, "--db", db, "import", csv)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		t0 := time.Now()
		if err := cmd.Run(); err != nil {
			t.Fatalf("import: %v\n%s", err, out.String())
		}
		importTimes = append(importTimes, time.Since(t0))
		importRSS = max(importRSS, cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss)
		if !strings.Contains(out.String(), "imported 5000 new") {
			t.Fatalf("import said: %s", out.String())
		}
	}
	rep.add("Import of a 5,000-row CSV (`roster import`, whole process, fresh db)", "≤ 1 s", "median "+ms(median(importTimes))+" of 5 runs", "real binary")
	rep.add("Peak RSS of that import", "—", fmt.Sprintf("%.1f MB", float64(importRSS)/1024), "getrusage of the child")

	// Start to first frame and peak RSS of the board on 5,000 creators.
	var starts []time.Duration
	var boardRSS int64
	for i := range 7 {
		s := startTmux(t, 160, 48, "sleep 30")
		t0 := time.Now()
		s.tmux("respawn-pane", "-k", "-t", s.name, fmt.Sprintf("env NO_COLOR=1 %s --db %s", binary, db))
		deadline := t0.Add(10 * time.Second)
		for !strings.Contains(s.screen(), "5000 creators") {
			if time.Now().After(deadline) {
				t.Fatalf("board never appeared:\n%s", s.screen())
			}
			time.Sleep(2 * time.Millisecond)
		}
		starts = append(starts, time.Since(t0))
		if i == 0 {
			pid := strings.TrimSpace(s.tmux("display-message", "-p", "-t", s.name, "#{pane_pid}"))
			for _, k := range []string{"j", "j", "G", "l", "L", "g", "/", "m", "a", "y", "a", "Escape", "Enter", "3", "Escape"} {
				s.keys(k)
			}
			time.Sleep(300 * time.Millisecond)
			boardRSS = vmHWM(t, pid)
		}
		s.keys("q")
		s.waitExit()
	}
	rep.add("Start to first frame, 5,000 creators (process start → board on screen in tmux)", "≤ 100 ms", "median "+ms(median(starts))+" of 7 runs", "real binary, includes tmux's polling (2 ms)")
	rep.add("Peak RSS of the board, 5,000 creators, after navigating, filtering and opening a creator", "—", fmt.Sprintf("%.1f MB", float64(boardRSS)/1024), "VmHWM of the process")

	// Go benchmarks.
	bench := exec.Command("go", "test", "-run", "^$", "-bench", ".", "-benchmem", "-benchtime", "2000x", "./ui/")
	rep.bench = append(rep.bench, runBench(t, bench)...)
	bench = exec.Command("go", "test", "-run", "^$", "-bench", ".", "-benchmem", "./store/", "./crm/transfer/")
	rep.bench = append(rep.bench, runBench(t, bench)...)
	// Inputs built to hit quadratic paths in MIME parsing and quote
	// splitting: each should take milliseconds, not seconds.
	bench = exec.Command("go", "test", "-run", "^$", "-bench", "^BenchmarkAdversarial$", "-benchmem", "-benchtime", "3x", "./mail/msgparse/")
	rep.bench = append(rep.bench, runBench(t, bench)...)
	for _, b := range rep.bench {
		switch b.name {
		case "BenchmarkBoardKey5000":
			rep.add("Key press to rendered frame on the board, 5,000 cards (Update + View)", "≤ 2 ms median", fmt.Sprintf("median %s µs, p99 %s µs", b.metrics["median-µs"], b.metrics["p99-µs"]), "ui BenchmarkBoardKey5000")
		case "BenchmarkFilterKey5000":
			rep.add("One typed character of the live `/` filter, 5,000 cards", "—", fmt.Sprintf("median %s µs, p99 %s µs", b.metrics["median-µs"], b.metrics["p99-µs"]), "ui BenchmarkFilterKey5000")
		case "BenchmarkFilterTypoKey5000":
			rep.add("One typed character of a `/` filter word no card holds (a typo, matched within an edit), 5,000 cards", "—", fmt.Sprintf("median %s µs, p99 %s µs", b.metrics["median-µs"], b.metrics["p99-µs"]), "ui BenchmarkFilterTypoKey5000")
		}
	}
	mailPerformance(t, &rep)
	outboxPerformance(t, &rep)
	servePerformance(t, &rep)
	if err := rep.write("docs/PERFORMANCE.md"); err != nil {
		t.Fatal(err)
	}
	t.Log("wrote docs/PERFORMANCE.md")
}

// generateCSV makes a Creator Marketplace-like export of n distinct
// creators, deterministic for a given n.
func generateCSV(n int) []byte {
	r := rand.New(rand.NewPCG(5000, 1))
	first := []string{"Maya", "Leo", "Priya", "Sofia", "Jonas", "Amara", "Ethan", "Hana", "Lucas", "Zara", "Noah", "Isabella", "Kai", "Olivia", "Mateo", "Chloe"}
	last := []string{"Chen", "Park", "Raman", "Alvarez", "Weber", "Okafor", "Brooks", "Sato", "Moreau", "Ahmed", "Fischer", "Rossi", "Nakamura", "Bennett"}
	tags := []string{"beauty", "food", "fitness", "travel", "tech", "fashion", "gaming", "home"}
	stages := []string{"prospect", "prospect", "contacted", "negotiating", "active", "paid"}
	var b bytes.Buffer
	b.WriteString("Creator Name,Email,TikTok,TikTok Followers,Instagram,Instagram Followers,TikTok Engagement,Tags,Stage,Notes\r\n")
	for i := range n {
		name := fmt.Sprintf("%s %s", first[r.IntN(len(first))], last[r.IntN(len(last))])
		fmt.Fprintf(&b, "%s %d,creator%d@example.com,@creator_%d,%.1fk,@creator.%d,%d,%.1f%%,\"%s; %s\",%s,\"Found via search, batch %d\"\r\n",
			name, i, i, i, float64(r.IntN(99_000)+1000)/1000, i, r.IntN(200_000), float64(r.IntN(90)+10)/10,
			tags[r.IntN(len(tags))], tags[r.IntN(len(tags))], stages[r.IntN(len(stages))], i/500)
	}
	return b.Bytes()
}

func vmHWM(t *testing.T, pid string) int64 {
	b, err := os.ReadFile("/proc/" + pid + "/status")
	if err != nil {
		t.Fatalf("reading the board's memory: %v", err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmHWM:") {
			f := strings.Fields(l)
			n, _ := strconv.ParseInt(f[1], 10, 64)
			return n
		}
	}
	t.Fatal("no VmHWM")
	return 0
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

type benchLine struct {
	name    string
	nsOp    string
	bytesOp string
	allocs  string
	metrics map[string]string
}

var benchRe = regexp.MustCompile(`^(Benchmark\S+?)(-\d+)?\s+\d+\s+(.*)$`)

func runBench(t *testing.T, cmd *exec.Cmd) []benchLine {
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %v\n%s", cmd.Args, err, out)
	}
	var lines []benchLine
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		m := benchRe.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		bl := benchLine{name: m[1], metrics: map[string]string{}}
		f := strings.Fields(m[3])
		for i := 0; i+1 < len(f); i += 2 {
			switch f[i+1] {
			case "ns/op":
				bl.nsOp = f[i]
			case "B/op":
				bl.bytesOp = f[i]
			case "allocs/op":
				bl.allocs = f[i]
			default:
				bl.metrics[f[i+1]] = f[i]
			}
		}
		lines = append(lines, bl)
	}
	return lines
}

type report struct {
	rows  [][4]string
	bench []benchLine
}

func (r *report) add(what, goal, got, how string) {
	r.rows = append(r.rows, [4]string{what, goal, got, how})
}

// syncNotes explains the mail rows whose goals are missed, for whoever
// picks the work up; the figures it points to are in the table.
const syncNotes = `
## Where an initial sync's time and memory go

- **Against the bare loop.** The bare loop reads bodies only. roster first reads every
  message's header fields (the header-pass loop row is that pass's own floor), threads and
  matches them, then fetches and parses the bodies of matched mail on a second connection
  while the header pass goes on, and stores all of it in bbolt. ` + "`" + `ROSTER_MAIL_PERF_CPUPROFILE=FILE make bench` + "`" + `
  writes a CPU profile of an in-process sync.
- **Where the time goes now.** In scratch in-process runs on the same mailbox (4.5–4.8 s),
  roster used 5.6–5.9 s of CPU and everything else (Dovecot serving both passes, and the
  kernel's loopback work) 1.6–1.7 s: 7.3–7.6 s of the 9–9.6 s the two cores had. The critical
  path is bbolt's one write transaction: it was held 3.5–3.7 s of the sync, 2.8 s by header
  batches (0.9 s of it their commits, the rest threading, matching and index lookups) and
  0.8 s by body batches (0.7 s of it their commits, which write the compressed bodies). Header
  and body batches wait for each other (1.9 s of waiting in all), so the header pass takes
  as long as its own storing plus the body batches' storing. At 3× the bare loop the write
  transaction could be held about 2.8 s at most, with the cores near full: storing would have
  to lose another quarter of its work, beside every other part. Turning fsync off (bbolt
  NoSync) leaves the wall time as it is: waiting on the disk is not what costs.
- **What this round changed** (scratch runs, in process, before and after each change):
  the body worker kept re-selecting its mailbox for every batch of bodies, and each SELECT
  made Dovecot open and synchronise the mailbox's index again: 40 SELECTs cost the server
  about 1 s of CPU (its share fell from 2.7 s to 1.6–1.7 s; the sync from 5.2–5.6 s to about
  5.0 s). Bodies are now sanitised and S2-compressed before their write transaction, not
  inside it: the transaction was held 4.3 s of a 4.5 s sync, now 3.5 s. The round before:
  threads are no longer rewritten for every message, the Message-ID index and the reference
  index are one (schema 8), and bodies of 256 bytes or more are stored S2-compressed (the
  database after the sync is about 250 MB instead of 377 MB).
- **What is left in the header commits.** Counting the B-tree nodes each header commit
  dirties, over a whole sync: 46,954 of 56,355 are in the Message-ID index. A sync reads
  newest first, so a reply's References file its ancestors' Message-IDs as references
  first, and the ancestors' own messages, arriving batches later, write the same keys a
  second time; keys in random order touch a page each. Merging the two indexes saved less
  than half for that reason. A scratch build that wrote each Message-ID once (the index
  answering "is this a stored message" from the thread's entries instead) cut the header
  commits' writes from 296 MB to 224 MB, yet roster's CPU and the wall time stayed within
  the noise: the commits are no longer where a sync could be halved, so it is not built.
- **Peak RSS.** The file-backed part is the binary's code (about 15 MB) and bbolt's memory
  map: random index lookups read the index pages through the map, and copy-on-write moves
  them at every commit. Each page read through the map makes 64 KB resident, not 4 KB: the
  kernel maps the cached pages around a faulting one (fault-around), and bbolt's
  MADV_RANDOM does not stop it (Linux 6.18, measured in a scratch program: 1,000 random page
  reads of a cached 250 MB file leave 56 MB resident, with MADV_RANDOM or without). The
  store drops the map's pages from the resident set after every 8 MB written
  (store/maptrim.go), which leaves one or two batches' working set (37 MB at most in a
  scratch run); the pages stay in the page cache. The anonymous part is the Go heap
  with both passes in flight: live data peaks at 28 MB (bbolt's dirty nodes while a header
  batch commits, a body batch being parsed and one being stored), and the collector
  (GOGC=100) lets the heap reach twice that (62 MB anonymous at most). A soft limit
  (GOMEMLIMIT=48MiB) brought the anonymous peak to 48 MB but made the sync 40% slower in one
  trial, so none is set; 80 MB in total would need the live heap and the map's working set
  both about halved.
- **Memory knobs tried this round** (scratch runs, not kept). Dropping the map's pages inside
  a transaction as well, every 32 messages or bodies stored, held the map's resident part to
  18 MB instead of 41 MB but cost 1.2–1.5 s more CPU (each dropped page comes back with a
  minor fault); every 128, 0.2–0.4 s more for less gain. Handing the body worker 500 messages
  at a time instead of 2,500 lowered the live heap's peak from 30 MB to 25–28 MB, within the
  noise of the sync's time; storing bodies 100 at a time instead of 250 lowered it to 24 MB
  and cost 0.4 s. None of them alone, or together (44 MB anonymous and 28 MB of map in one
  run), reaches 80 MB in total without making the sync slower.
`

func (r *report) write(path string) error {
	var b strings.Builder
	cpu := "unknown"
	if info, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(info), "\n") {
			if strings.HasPrefix(l, "model name") {
				cpu = strings.TrimSpace(strings.SplitN(l, ":", 2)[1])
				break
			}
		}
	}
	fmt.Fprintf(&b, "# Performance\n\nMeasured by `make bench` (which runs `ROSTER_BENCH_REPORT=1 go test -run '^TestPerformanceReport$' -v .`) on %s: %s, %d cores, %s, %s.\n",
		time.Now().UTC().Format("2006-01-02"), cpu, runtime.NumCPU(), runtime.Version(), runtime.GOOS+"/"+runtime.GOARCH)
	b.WriteString("Data is generated: a 5,000-row Creator Marketplace-style CSV, imported into a fresh database, and a 5,000-card board.\n")
	b.WriteString("The machine is shared, so single runs vary by ±30%; medians are reported.\n\n")
	b.WriteString("| what | goal | measured | how |\n| --- | --- | --- | --- |\n")
	for _, row := range r.rows {
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", row[0], row[1], row[2], row[3])
	}
	b.WriteString("\n## Go benchmarks\n\n| benchmark | ns/op | B/op | allocs/op | other |\n| --- | ---: | ---: | ---: | --- |\n")
	for _, bl := range r.bench {
		var other []string
		for k, v := range bl.metrics {
			other = append(other, v+" "+k)
		}
		slices.Sort(other)
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", bl.name, bl.nsOp, bl.bytesOp, bl.allocs, strings.Join(other, ", "))
	}
	b.WriteString("\nReproduce one benchmark with, for example, `go test -run '^$' -bench BoardKey5000 -benchtime 2000x ./ui/`.\n")
	b.WriteString(syncNotes)
	return os.WriteFile(path, []byte(b.String()), 0o644)
}
