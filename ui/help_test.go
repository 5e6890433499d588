package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestHelpDescriptionsStayWholeAndInLine: at 80 and 120 columns every
// action's description is shown whole (wrapped, never cut with "…") and
// starts in the same column, however long its command signature
// (:deliverable-add [N] PLATFORM KIND [by DATE]).
func TestHelpDescriptionsStayWholeAndInLine(t *testing.T) {
	m := newSeeded(t, 80, 24)
	st := NewStyles(true, true)
	for _, screen := range []screen{screenBoard, screenDetail, screenUnmatched, screenOutbox} {
		scopes := []Scope{m.reg.screenScope(screen), m.globalScope()}
		for _, w := range []int{76, 116} {
			lines := helpLines(&st, scopes, w)
			var want []string
			for _, s := range scopes {
				for _, a := range s.Actions {
					want = append(want, a.Help())
				}
			}
			// The description column is where the first one starts.
			first := ansi.Strip(lines[1])
			at := strings.Index(first, "  "+strings.Fields(want[0])[0]) + 2
			col := len([]rune(first[:at]))
			if w == 76 && w-col < 30 {
				t.Errorf("%d cells: descriptions get only %d", w, w-col)
			}
			var got []string
			ownLine := false // the last line was a command on a line of its own
			for i, l := range lines {
				r := []rune(ansi.Strip(l))
				if len(r) > w {
					t.Errorf("%d cells: help line is %d: %q", w, len(r), string(r))
				}
				if len(r) <= col {
					// A scope's title, a blank, or a command on a line of
					// its own that ends just short of the column.
					ownLine = strings.HasPrefix(string(r), "  ")
					continue
				}
				left := strings.TrimSpace(string(r[:col]))
				if string(r[col-2:col]) != "  " || r[col] == ' ' {
					next := []rune(ansi.Strip(lines[min(i+1, len(lines)-1)]))
					if len(next) > col && strings.TrimSpace(string(next[:col])) == "" {
						ownLine = true
						continue
					}
					t.Errorf("%d cells: description out of its column %d: %q", w, col, string(r))
					continue
				}
				piece := string(r[col:])
				switch {
				case left != "" || ownLine || len(got) == 0:
					got = append(got, piece)
				case strings.HasSuffix(got[len(got)-1], "-"):
					got[len(got)-1] += piece // wrapped after a hyphen
				default:
					got[len(got)-1] += " " + piece
				}
				ownLine = false
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("%d cells: descriptions\n%s\nwant\n%s", w, strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		}
	}
}
