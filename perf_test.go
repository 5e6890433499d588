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
  while the header pass goes on, and stores all of it in bbolt. The CPU figure in the
  initial-sync row shows the two cores close to full; what is left is roster's own work per
  message: threading lookups by References in the indexes, MIME parsing, bbolt commits and
  garbage collection. ` + "`" + `ROSTER_MAIL_PERF_CPUPROFILE=FILE make bench` + "`" + ` writes a CPU profile of an
  in-process sync.
- **Peak RSS.** The file-backed part is the binary's code (about 15 MB) and bbolt's memory
  map. Every message costs about a dozen lookups in B-trees keyed at random (Message-ID,
  References, thread), so one header batch of 500 reads about 23 MB of index pages through
  the map, and copy-on-write moves those pages at every commit. Left alone the map's resident
  pages grew to 116 MB; the store now drops them from the resident set after every 8 MB
  written (store/maptrim.go), which leaves one or two batches' working set. The pages stay in
  the page cache. The anonymous part is the Go heap, with the header and body passes both in
  flight: live data is 20 MB most of the time and up to 35–40 MB while a header batch
  commits (bbolt's dirty nodes), and the collector (GOGC=100) lets the heap reach twice that.
  A soft limit (GOMEMLIMIT=48MiB) brought the anonymous peak to 48 MB but the sync took 9.9 s
  against 7.0 s without it in one trial, so none is set; 80 MB in total would need both that
  and smaller commits, which write more.
- **What meeting 3× would take.** Measured on the same generated mailbox with a scratch
  build (not part of ` + "`" + `make bench` + "`" + `): the header pass alone, with the body pass switched off,
  takes 2.8 s, 2.5× the bare loop (roster 3.3 s of CPU, Dovecot 0.6 s), so it nearly spends
  the whole budget before a body is fetched. Turning off fsync (bbolt NoSync) left the sync's
  wall time unchanged (6.14 s against 6.17 s).
- **The one writer is the critical path.** Timing bbolt's write lock in a scratch build,
  during an in-process initial sync of 6.2 s: the lock was held for 5.6 s of it (header
  batches about 3.4 s, body batches about 2.2 s), commits took 2.3 s of that for 303 commits
  writing 630 MB, and the two passes waited 2.3 s for each other. Fetching and parsing are
  already hidden behind it: only less work per write transaction shortens a sync. In paired
  runs on this machine: storing 16-byte stand-ins for the bodies (223 MB of text) took
  5.3–5.5 s against 6.4–7.0 s, so compressing stored bodies could win back part of that;
  not writing the Message-ID index at all (the most that merging it into the thread index
  could save), cleaning mail text before taking the lock, and growing the file 16 MB at a
  time instead of 1 MB each moved the median less than the noise; fetching 1,000 headers at a
  time cut the held time by a quarter and raised the live heap from 33 to 70 MB. Reaching 3×
  needs the writer's work per message about halved: fewer B-tree pages dirtied at random
  per message (one Message-ID index for messages and threads, or a sorted bulk load for an
  initial sync), bodies stored compressed, and a body pass that does not decode each header a
  second time. None is built.
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
