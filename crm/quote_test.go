package crm_test

import (
	"testing"

	"roster/crm"
)

func TestSplitQuoted(t *testing.T) {
	for _, tc := range []struct{ in, fresh, quoted string }{
		{"Sounds good!\n\nOn Mon, 3 Nov 2026 at 10:02, Sam <sam@glow.example> wrote:\n> Hi Maya\n> rates?", "Sounds good!", "On Mon, 3 Nov 2026 at 10:02, Sam <sam@glow.example> wrote:\n> Hi Maya\n> rates?"},
		{"Yes\n> quoted\n> more", "Yes", "> quoted\n> more"},
		{"I said\n> this\nand then more\nand more\nand more", "I said\n> this\nand then more\nand more\nand more", ""},
		{"Thanks\n\n-----Original Message-----\nFrom: Sam", "Thanks", "-----Original Message-----\nFrom: Sam"},
		{"Danke\n\nAm 3. Nov. 2026 um 10:02 schrieb Sam:\n> Hallo", "Danke", "Am 3. Nov. 2026 um 10:02 schrieb Sam:\n> Hallo"},
		{"Ok\n________________________________\nFrom: Sam\nSent: Monday", "Ok", "________________________________\nFrom: Sam\nSent: Monday"},
		{"no quote at all", "no quote at all", ""},
	} {
		f, q := crm.SplitQuoted(tc.in)
		if f != tc.fresh || q != tc.quoted {
			t.Errorf("SplitQuoted(%q)\n fresh %q\nquoted %q", tc.in, f, q)
		}
	}
}

func TestTopicOf(t *testing.T) {
	for in, want := range map[string]string{"Re: RE: Fwd: Glow x Maya": "Glow x Maya", "AW: Angebot": "Angebot", "Rates": "Rates", "Re[2]: Hi": "Hi"} {
		if got := crm.TopicOf(in); got != want {
			t.Errorf("TopicOf(%q) = %q, want %q", in, got, want)
		}
	}
}
