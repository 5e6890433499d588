package crm_test

import (
	"strings"
	"testing"
	"unicode"

	"roster/crm"
)

func FuzzSplitQuoted(f *testing.F) {
	for _, s := range []string{
		"Sounds good!\n\nOn Mon, Jan 8, 2024 at 6:15 PM Sam <sam@x.example> wrote:\n\n> Hi\n",
		"Ok.\n\n-----Original Message-----\nFrom: a\n",
		"Ok.\n\n________________________________\nFrom: a\nSent: b\n",
		"> a\nb\n> c",
		"Am 1.1.2024 um 10:00 schrieb A <a@b>:\n> x",
		"\r\n>\r\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		fresh, quoted := crm.SplitQuoted(text)
		if got, want := nonSpace(fresh+quoted), nonSpace(text); got != want {
			t.Fatalf("SplitQuoted lost text:\nin     %q\nfresh  %q\nquoted %q", text, fresh, quoted)
		}
		if quoted == "" && fresh != text {
			t.Fatalf("no quote but fresh %q != text %q", fresh, text)
		}
	})
}

// nonSpace keeps the runes of s that are not white space, in order.
func nonSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}
