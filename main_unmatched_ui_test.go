package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestDemoUnmatchedPitchIsReadOnDemand: the demo syncs unmatched mail
// headers only; opening Rachel's pitch in the unmatched list reads its
// text from the demo's IMAP server through the real binary.
func TestDemoUnmatchedPitchIsReadOnDemand(t *testing.T) {
	needTmux(t)
	db := filepath.Join(t.TempDir(), "demo.db")
	s := startTmux(t, 120, 36, "env NO_COLOR=1 "+binary+" demo --db "+db)
	s.waitFor("synced")
	s.keys("u")
	scr := s.waitFor("Rachel Adeyemi")
	sel, rachel := -1, -1
	for i, l := range strings.Split(scr, "\n") {
		if strings.Contains(l, "▌") && sel < 0 {
			sel = i
		}
		if strings.Contains(l, "Rachel Adeyemi") {
			rachel = i
		}
	}
	if sel < 0 || rachel < sel {
		t.Fatalf("cannot find the cursor above Rachel's pitch:\n%s", scr)
	}
	for range rachel - sel {
		s.keys("j")
	}
	s.keys("Enter")
	s.waitFor("I've been buying Glow since the first SPF")
	s.keys("Escape", "Escape", "q")
	s.waitExit()
}
