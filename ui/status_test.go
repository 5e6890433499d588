package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// oneLine joins a frame's lines and collapses runs of spaces, so text that
// wrapped across lines can be looked for whole.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// TestLongErrorsWrapInsteadOfLosingTheirHint: at 80 columns an error's
// hint ("say ...") is the useful half of it; the status line grows rather
// than cutting it off, and the frame still fits the terminal.
func TestLongErrorsWrapInsteadOfLosingTheirHint(t *testing.T) {
	m, _ := termsModel(t)
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	press(t, m, "enter", "5")
	typeCommand(t, m, "deliverable-add junk")
	s := frame(m)
	want := `deliverable-add: deliverables: "junk" is not a deliverable (say "2 tiktok videos by 2026-12-01")`
	if !strings.Contains(oneLine(s), want) {
		t.Fatalf("the error lost its hint at 80 columns:\n%s", s)
	}
	lines := strings.Split(s, "\n")
	if len(lines) != 24 {
		t.Fatalf("%d lines at 80x24:\n%s", len(lines), s)
	}
	for i, l := range lines {
		if w := len([]rune(l)); w > 80 {
			t.Errorf("line %d is %d cells: %q", i, w, l)
		}
	}
}

// TestFormErrorAndFooterFitAt80Columns: the form shows its whole error,
// wrapped, and its footer down to "esc cancel".
func TestFormErrorAndFooterFitAt80Columns(t *testing.T) {
	m, _ := termsModel(t)
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	press(t, m, "enter", "5", "t")
	setField(t, m, "Deliverables", "junk food reels")
	press(t, m, "ctrl+s")
	s := frame(m)
	if m.screen != screenForm {
		t.Fatalf("a bad deliverable closed the form:\n%s", s)
	}
	want := `Deliverables: "junk food reels" is not a deliverable (say "2 tiktok videos by 2026-12-01")`
	if !strings.Contains(oneLine(s), want) {
		t.Fatalf("the form's error lost its hint at 80 columns:\n%s", s)
	}
	if !strings.Contains(s, "esc cancel") {
		t.Fatalf("the form's footer is cut at 80 columns:\n%s", s)
	}
}

// TestAFieldsErrorClearsWhenTheFieldIsEdited: once the field an error
// names is typed in, the error (and its red label) goes, instead of
// saying "is required" over a field that now holds text.
func TestAFieldsErrorClearsWhenTheFieldIsEdited(t *testing.T) {
	m := newSeeded(t, 80, 24)
	press(t, m, "a", "ctrl+s")
	if s := frame(m); !strings.Contains(s, "Name: is required") {
		t.Fatalf("an empty name should be refused:\n%s", s)
	}
	press(t, m, "tab")
	typeText(t, m, "x")
	if s := frame(m); !strings.Contains(s, "Name: is required") {
		t.Fatalf("typing in another field cleared the name's error:\n%s", s)
	}
	press(t, m, "shift+tab")
	typeText(t, m, "Rachel")
	if s := frame(m); strings.Contains(s, "is required") || m.form.errField != -1 {
		t.Fatalf("the name's error outlived its fix:\n%s", s)
	}
}

// TestComposeErrorClearsWhenItsFieldIsEdited: the same on the compose
// screen.
func TestComposeErrorClearsWhenItsFieldIsEdited(t *testing.T) {
	m := newSending(t, 100, 30)
	withThread(t, m)
	press(t, m, "c")
	pressSync(t, m, "enter")
	typeText(t, m, "Samples")
	press(t, m, "shift+tab")
	typeText(t, m, "bob@")
	press(t, m, "ctrl+s")
	if s := frame(m); !strings.Contains(s, `Cc: "bob@" is not an email address`) {
		t.Fatalf("a bad Cc should be named:\n%s", s)
	}
	typeText(t, m, "glow.example")
	if s := frame(m); strings.Contains(s, "is not an email address") || m.compose.errField != -1 {
		t.Fatalf("the Cc's error outlived its fix:\n%s", s)
	}
}

// TestSmallFormKeepsTheFocusedFieldAndItsErrorInView: on a 60x15 window
// the terms form is taller than the screen; it scrolls to the focused
// field, and a refused save shows both the field and its error.
func TestSmallFormKeepsTheFocusedFieldAndItsErrorInView(t *testing.T) {
	m, _ := termsModel(t)
	m.Update(tea.WindowSizeMsg{Width: 60, Height: 15})
	press(t, m, "enter", "5", "t")
	focusField(t, m, "Agreed in")
	if s := frame(m); !strings.Contains(s, "▌ Agreed in") {
		t.Fatalf("the focused last field is off the screen:\n%s", s)
	}
	press(t, m, "shift+tab", "shift+tab", "ctrl+u")
	typeText(t, m, "whenever")
	press(t, m, "tab", "tab", "ctrl+s")
	s := frame(m)
	if m.form.err == "" || m.form.fields[m.form.focusIdx].label != "Schedule" {
		t.Fatalf("a bad schedule should be refused with its field focused (err %q):\n%s", m.form.err, s)
	}
	if !strings.Contains(s, "▌ Schedule") || !strings.Contains(oneLine(s), oneLine(m.form.err)) {
		t.Fatalf("the refused field or its error %q is off the screen:\n%s", m.form.err, s)
	}
	if n := len(strings.Split(s, "\n")); n != 15 {
		t.Fatalf("%d lines at 60x15", n)
	}
	press(t, m, "tab", "tab", "tab")
	if s := frame(m); !strings.Contains(s, "▌ Fee") {
		t.Fatalf("tabbing round to the first field should scroll back up:\n%s", s)
	}
}
