package ui

import (
	"strings"
	"testing"
)

// TestWrappedQuotesKeepTheirMarks: a long quoted line wrapped for the
// screen keeps its quote marks on every piece, at every depth, so the
// creator's words never show as the manager's.
func TestWrappedQuotesKeepTheirMarks(t *testing.T) {
	text := "Thanks Hana!\n" +
		"> First video is up!! https://www.tiktok.example/@hana/video/7311942651183 Code HANA10 is in the caption and the pinned comment\n" +
		">> Matcha crinkle cookies are on their way, tracking number in the next mail, let me know when they land please\n" +
		"plain tail line that is long enough to be wrapped by the screen at forty columns"
	lines := wrapLines(text, 40)
	quoted := 0
	for _, l := range lines {
		if len([]rune(l)) > 40 {
			t.Errorf("line wider than 40: %q", l)
		}
		if strings.HasPrefix(l, "> ") || strings.HasPrefix(l, ">> ") {
			quoted++
		}
	}
	// Every piece of the two quoted lines is marked: find where the
	// quoted text's words landed.
	for _, word := range []string{"HANA10", "pinned", "comment", "tracking", "land", "please"} {
		for _, l := range lines {
			if strings.Contains(l, word) && !strings.HasPrefix(l, ">") {
				t.Errorf("%q wrapped onto an unmarked line %q:\n%s", word, l, strings.Join(lines, "\n"))
			}
		}
	}
	for _, word := range []string{"tracking", "please"} {
		for _, l := range lines {
			if strings.Contains(l, word) && !strings.HasPrefix(l, ">> ") {
				t.Errorf("%q lost its second quote mark: %q", word, l)
			}
		}
	}
	for _, l := range lines {
		if strings.Contains(l, "plain") || strings.Contains(l, "Thanks") {
			if strings.HasPrefix(l, ">") {
				t.Errorf("an unquoted line gained a mark: %q", l)
			}
		}
	}
	if quoted < 4 {
		t.Errorf("expected the quoted lines to wrap into several marked pieces:\n%s", strings.Join(lines, "\n"))
	}
}
