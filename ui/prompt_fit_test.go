package ui

import (
	"fmt"
	"strings"
	"testing"
)

// promptLine is the frame's line holding the `:` command line.
func promptLine(t *testing.T, m *Model) string {
	t.Helper()
	for _, l := range strings.Split(frame(m), "\n") {
		if strings.HasPrefix(l, ":") {
			return l
		}
	}
	t.Fatalf("no command line on the screen:\n%s", frame(m))
	return ""
}

// TestCommandCompletionHasNoStrayEllipsis: with a completion suggested the
// `:` line ends at the screen's edge with blanks, not with "…": nothing of
// the typed text or the suggestion is cut, so nothing may look cut.
func TestCommandCompletionHasNoStrayEllipsis(t *testing.T) {
	for _, w := range []int{60, 80, 120} {
		for _, tc := range []struct{ screen, typed string }{{"board", "mo"}, {"detail", "sc"}} {
			t.Run(fmt.Sprintf("%s-%d", tc.screen, w), func(t *testing.T) {
				m := newSeeded(t, w, 30)
				if tc.screen == "detail" {
					press(t, m, "enter")
					if m.screen != screenDetail {
						t.Fatalf("enter did not open a creator:\n%s", frame(m))
					}
				}
				press(t, m, ":")
				typeText(t, m, tc.typed)
				if len(m.prompt.input.MatchedSuggestions()) == 0 {
					t.Fatalf("no completion suggested for %q", tc.typed)
				}
				line := promptLine(t, m)
				if strings.Contains(line, "…") {
					t.Errorf("the command line shows an ellipsis though nothing is cut: %q", line)
				}
				if got := len([]rune(line)); got != w {
					t.Errorf("the command line is %d cells, want %d: %q", got, w, line)
				}
				sug := m.prompt.input.CurrentSuggestion()
				if !strings.HasPrefix(strings.TrimSpace(line), ":"+sug) {
					t.Errorf("the command line %q does not show the whole suggestion %q", line, sug)
				}
			})
		}
	}
}

// TestFitMarksOnlyWhatIsCut: fit's "…" stands for text that did not fit;
// blanks past the edge go without it, and real text still gets it.
func TestFitMarksOnlyWhatIsCut(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"abc      ", "abc  "},
		{"abcde    ", "abcde"},
		{"abcdefgh", "abcd…"},
		{"abc   xy", "abc …"},
		{"ab", "ab   "},
	} {
		if got := fit(c.in, 5); got != c.want {
			t.Errorf("fit(%q, 5) = %q, want %q", c.in, got, c.want)
		}
	}
}
