package ui

import "testing"

// TestDoubleEscapeGoesBackTwice: two escapes sent back to back reach
// roster as one alt+esc (the first ESC reads as the second's alt
// prefix); they go back twice, as two escapes do, on every screen.
func TestDoubleEscapeGoesBackTwice(t *testing.T) {
	m := newSending(t, 100, 30)
	withThread(t, m)
	press(t, m, "O")
	if m.screen != screenOutbox {
		t.Fatalf("O should open the outbox:\n%s", frame(m))
	}
	press(t, m, "alt+esc")
	if m.screen != screenBoard {
		t.Fatalf("esc esc on the outbox opened from a creator should reach the board, on %v:\n%s", m.screen, frame(m))
	}
	// A form and the dialog over it take their escapes too.
	press(t, m, "enter", "t", "alt+esc")
	if m.screen != screenBoard {
		t.Fatalf("esc esc on an unchanged form should close it and leave the creator, on %v:\n%s", m.screen, frame(m))
	}
	press(t, m, "enter", "t")
	typeText(t, m, "450")
	press(t, m, "alt+esc")
	if m.screen != screenForm || m.confirm != nil || m.form.values()[0] != "450" {
		t.Fatalf("esc on an edited form asks, and the second esc keeps editing:\n%s", frame(m))
	}
}
