package ui

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"roster/crm"
	"roster/crm/crmtest"
	"roster/crm/demo"
)

var update = flag.Bool("update", false, "rewrite golden files")

// testNow is the fixed "now" of every UI test, so ages on cards are stable.
var testNow = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

// newSeeded returns a model over the demo roster at w×h, board loaded.
func newSeeded(t testing.TB, w, h int) *Model {
	t.Helper()
	svc := crm.NewService(crmtest.NewMemory(), crm.FixedClock{T: testNow})
	if err := demo.Seed(svc, testNow); err != nil {
		t.Fatal(err)
	}
	return newModel(t, svc, w, h)
}

func newModel(t testing.TB, svc *crm.Service, w, h int) *Model {
	t.Helper()
	m := New(Options{Service: svc, Actor: "tess", NoColor: true})
	t.Cleanup(m.Close)
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	run(t, m, m.loadBoard())
	return m
}

// run executes cmd and feeds its messages back into m, following batches,
// the way the Bubble Tea loop would. The change pump is left out: tests
// deliver changes explicitly.
func run(t testing.TB, m *Model, cmd tea.Cmd) {
	t.Helper()
	if cmd == nil {
		return
	}
	// A command that waits for something a test does not drive (a timer,
	// the cursor's blink, the change and presence pumps) is dropped if it
	// does not answer at once, as a test has no use for a blink. Any other
	// command is real work (a load, a save) and is waited for however busy
	// the machine is: dropping one that took over 20 ms lost its answer.
	limit := 10 * time.Second
	if waiting(cmd) {
		limit = 20 * time.Millisecond
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-done:
	case <-time.After(limit):
		if limit > time.Second {
			t.Fatalf("%s did not answer in %v", runtime.FuncForPC(reflect.ValueOf(cmd).Pointer()).Name(), limit)
		}
		return
	}
	switch msg := msg.(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			run(t, m, c)
		}
	default:
		_, next := m.Update(msg)
		run(t, m, next)
	}
}

// waiting reports the commands that block until something outside the
// test happens, by the name of the closure (which keeps the name of the
// function that made it, also where that function was inlined).
func waiting(cmd tea.Cmd) bool {
	name := runtime.FuncForPC(reflect.ValueOf(cmd).Pointer()).Name()
	for _, kind := range []string{
		"Tick.func",                                  // timers (the ready delay)
		"Blink.func",                                 // a focused input's cursor
		"waitChangeCmd.func", "waitPresenceCmd.func", // the pumps
	} {
		if strings.Contains(name, kind) {
			return true
		}
	}
	return false
}

// press sends keys: single characters as typed text, longer names
// ("enter", "esc", "ctrl+s", "shift+right") as special keys.
func press(t testing.TB, m *Model, keys ...string) {
	t.Helper()
	for _, k := range keys {
		_, cmd := m.Update(keyMsg(k))
		run(t, m, cmd)
	}
}

// typeText sends each rune of s as a key press.
func typeText(t testing.TB, m *Model, s string) {
	t.Helper()
	for _, r := range s {
		_, cmd := m.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
		run(t, m, cmd)
	}
}

// typeCommand runs line on the `:` command line, as typed.
func typeCommand(t testing.TB, m *Model, line string) {
	t.Helper()
	press(t, m, ":")
	typeText(t, m, line)
	press(t, m, "enter")
}

func keyMsg(k string) tea.KeyPressMsg {
	special := map[string]rune{"enter": tea.KeyEnter, "esc": tea.KeyEscape, "tab": tea.KeyTab, "up": tea.KeyUp,
		"down": tea.KeyDown, "left": tea.KeyLeft, "right": tea.KeyRight, "home": tea.KeyHome, "end": tea.KeyEnd,
		"backspace": tea.KeyBackspace, "space": tea.KeySpace, "pgdown": tea.KeyPgDown, "pgup": tea.KeyPgUp}
	var mod tea.KeyMod
	name := k
	for _, p := range []struct {
		prefix string
		mod    tea.KeyMod
	}{{"ctrl+", tea.ModCtrl}, {"shift+", tea.ModShift}, {"alt+", tea.ModAlt}} {
		if strings.HasPrefix(name, p.prefix) && len(name) > len(p.prefix) {
			mod |= p.mod
			name = name[len(p.prefix):]
		}
	}
	if code, ok := special[name]; ok {
		return tea.KeyPressMsg{Code: code, Mod: mod}
	}
	r, _ := utf8.DecodeRuneInString(name)
	if mod != 0 {
		return tea.KeyPressMsg{Code: r, Mod: mod}
	}
	return tea.KeyPressMsg{Code: r, Text: name}
}

// frame is the plain text of the current frame.
func frame(m *Model) string { return ansi.Strip(m.View().Content) }

// screenHas reports each of wants that the screen s lacks, saying what
// the screen is.
func screenHas(t *testing.T, s, what string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(s, want) {
			t.Errorf("%s lacks %q:\n%s", what, want, s)
		}
	}
}

// golden compares got with testdata/NAME.golden; -update rewrites it.
func golden(t *testing.T, got string) {
	t.Helper()
	path := filepath.Join("testdata", strings.ReplaceAll(t.Name(), "/", "_")+".golden")
	// Trailing spaces are layout padding; keep files readable.
	lines := strings.Split(got, "\n")
	for i := range lines {
		lines[i] = strings.TrimRight(lines[i], " ")
	}
	got = strings.Join(lines, "\n") + "\n"
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./ui -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the frame (go test ./ui -run %s -update rewrites it)\n--- want\n%s\n--- got\n%s", path, t.Name(), want, got)
	}
}

// focusField tabs through the open form to the field labelled label.
func focusField(t testing.TB, m *Model, label string) {
	t.Helper()
	for range m.form.fields {
		if m.form.fields[m.form.focusIdx].label == label {
			return
		}
		press(t, m, "tab")
	}
	t.Fatalf("the form has no field %q", label)
}

// setField replaces the value of the form's field labelled label with
// value, typed, leaving the cursor on it.
func setField(t testing.TB, m *Model, label, value string) {
	t.Helper()
	focusField(t, m, label)
	press(t, m, "ctrl+u")
	typeText(t, m, value)
}

// TestRunWaitsForWorkNotForTimers: the helper every ui test goes through
// keeps the answer of a slow command (a load on a busy machine) and drops
// only the commands that wait for the outside world.
func TestRunWaitsForWorkNotForTimers(t *testing.T) {
	m := newSeeded(t, 100, 30)
	run(t, m, func() tea.Msg {
		time.Sleep(100 * time.Millisecond)
		return statusMsg{text: "slow work answered"}
	})
	if !strings.Contains(m.View().Content, "slow work answered") {
		t.Error("the answer of a slow command was dropped")
	}
	sub := m.c.Svc.Subscribe()
	defer sub.Close()
	in := newTextInput(m.c, 10, "", "")
	for _, cmd := range []tea.Cmd{tea.Tick(time.Hour, nil), in.Focus(), waitChangeCmd(context.Background(), sub)} {
		if !waiting(cmd) {
			t.Errorf("%s is not taken for a waiting command", runtime.FuncForPC(reflect.ValueOf(cmd).Pointer()).Name())
		}
	}
	start := time.Now()
	run(t, m, tea.Tick(time.Hour, func(time.Time) tea.Msg { return nil }))
	if time.Since(start) > 5*time.Second {
		t.Error("run waited for a timer")
	}
}
