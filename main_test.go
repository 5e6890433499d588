package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// binary is the roster binary built once for the tests of this package.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "roster-bin-")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "roster")
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building roster:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// roster runs the binary with args and returns stdout, stderr and the exit
// status.
func roster(t *testing.T, env []string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

// tmuxSession drives the real binary in a real terminal emulator.
type tmuxSession struct {
	t      *testing.T
	socket string
	name   string
}

func needTmux(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("ROSTER_TEST_TMUX") != "" {
			t.Fatal("tmux is required here (ROSTER_TEST_TMUX is set) but not installed")
		}
		t.Skip("tmux not installed")
	}
}

func startTmux(t *testing.T, w, h int, command string) *tmuxSession {
	t.Helper()
	s := &tmuxSession{t: t, socket: fmt.Sprintf("roster-e2e-%d", os.Getpid()), name: fmt.Sprintf("s%d", time.Now().UnixNano())}
	s.tmux("new-session", "-d", "-s", s.name, "-x", fmt.Sprint(w), "-y", fmt.Sprint(h), command)
	s.tmux("set-option", "-t", s.name, "remain-on-exit", "on")
	t.Cleanup(func() { _ = exec.Command("tmux", "-L", s.socket, "kill-session", "-t", s.name).Run() })
	return s
}

func (s *tmuxSession) tmux(args ...string) string {
	s.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", s.socket}, args...)...).CombinedOutput()
	if err != nil {
		s.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

func (s *tmuxSession) screen() string { return s.tmux("capture-pane", "-p", "-t", s.name) }

// history is the screen with its scrollback: what a program printed after
// leaving the alternate screen may have scrolled up.
func (s *tmuxSession) history() string { return s.tmux("capture-pane", "-p", "-S", "-", "-t", s.name) }

// keys sends named keys (Enter, Escape, Left) or single characters, one at
// a time, as a person types.
func (s *tmuxSession) keys(keys ...string) {
	s.t.Helper()
	for _, k := range keys {
		s.tmux("send-keys", "-t", s.name, k)
		if k == "Escape" {
			// A lone ESC is told from alt+key by the pause after it, as
			// with a person's typing.
			time.Sleep(200 * time.Millisecond)
		}
		time.Sleep(30 * time.Millisecond)
	}
}

// waitFor polls the screen until it contains want; it fails the test with
// the last screen after a generous bound (this is a liveness bound, not a
// timing assertion).
func (s *tmuxSession) waitFor(want string) string {
	s.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		scr := s.screen()
		if strings.Contains(scr, want) {
			return scr
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("screen never showed %q; last screen:\n%s", want, scr)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitExit waits for the program in the pane to end.
func (s *tmuxSession) waitExit() {
	s.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if strings.TrimSpace(s.tmux("display-message", "-p", "-t", s.name, "#{pane_dead}")) == "1" {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.t.Fatalf("roster did not exit; screen:\n%s", s.screen())
}

const e2eCSV = "Full Name,Email,TikTok,TikTok Followers,Tags\r\n" +
	"Maya Chen,maya@mayamakes.example,@mayamakes,48.2k,beauty\r\n" +
	"Leo Park,leo@cookswithleo.example,@leo.cooks,9100,food\r\n" +
	"Ava Thompson,ava@avamoves.example,@avamoves,540k,dance\r\n"

// TestEndToEndImportMoveQuitReopen imports a CSV with the real binary,
// moves a card with the keys in a real terminal, quits, reopens, and finds
// the card where it was moved with the move in the activity log.
func TestEndToEndImportMoveQuitReopen(t *testing.T) {
	needTmux(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "roster.db")
	csv := filepath.Join(dir, "creators.csv")
	if err := os.WriteFile(csv, []byte(e2eCSV), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := roster(t, nil, "--db", db, "import", csv)
	if code != 0 || !strings.Contains(out, "imported 3 new") {
		t.Fatalf("import: exit %d\n%s%s", code, out, errOut)
	}
	cmd := fmt.Sprintf("env ROSTER_USER=erin NO_COLOR=1 TERM=xterm-256color %s --db %s", binary, db)

	s := startTmux(t, 100, 30, cmd)
	s.waitFor("Prospect 3")
	scr := s.screen()
	// The first card is selected; remember who it is.
	var first string
	for _, name := range []string{"Maya Chen", "Leo Park", "Ava Thompson"} {
		for _, line := range strings.Split(scr, "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "▌ "+name) {
				first = name
			}
		}
	}
	if first == "" {
		t.Fatalf("no selected card on screen:\n%s", scr)
	}
	s.keys("L")
	s.waitFor(first + " → contacted")
	s.waitFor("Contacted 1")
	s.keys("q")
	s.waitExit()

	s2 := startTmux(t, 100, 30, cmd)
	s2.waitFor("Prospect 2")
	s2.waitFor("Contacted 1")
	s2.keys("l", "Enter")
	s2.waitFor("1 Profile")
	s2.keys("4")
	s2.waitFor("erin moved " + first + " from prospect to contacted")
	s2.keys("Escape", "q")
	s2.waitExit()
}

// TestEndToEndSecondProcessIsTurnedAway opens the board, then tries a
// second roster on the same file: it must fail at once naming roster
// serve, while backup still works through the running process.
func TestEndToEndSecondProcessIsTurnedAway(t *testing.T) {
	needTmux(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "roster.db")
	csv := filepath.Join(dir, "creators.csv")
	if err := os.WriteFile(csv, []byte(e2eCSV), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, errOut, code := roster(t, nil, "--db", db, "import", csv); code != 0 {
		t.Fatal(errOut)
	}
	s := startTmux(t, 100, 30, fmt.Sprintf("env NO_COLOR=1 %s --db %s", binary, db))
	s.waitFor("Prospect 3")

	start := time.Now()
	_, errOut, code := roster(t, nil, "--db", db, "export")
	if code != 1 || !strings.Contains(errOut, "roster serve") {
		t.Fatalf("second process: exit %d, stderr %q", code, errOut)
	}
	t.Logf("second process refused after %v", time.Since(start))

	backup := filepath.Join(dir, "copy.db")
	out, errOut, code := roster(t, nil, "--db", db, "backup", backup)
	if code != 0 {
		t.Fatalf("backup while running: exit %d %s", code, errOut)
	}
	t.Log(strings.TrimSpace(out))
	s.keys("q")
	s.waitExit()
	out, errOut, code = roster(t, nil, "--db", backup, "export", "--format", "csv")
	if code != 0 || !strings.Contains(out, "Maya Chen") {
		t.Fatalf("export of the backup: exit %d\n%s%s", code, out, errOut)
	}
}
