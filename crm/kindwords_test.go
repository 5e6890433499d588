package crm_test

import (
	"reflect"
	"strings"
	"testing"

	"roster/crm"
)

// TestDeliverablesCountTheirKindInEnglish: a deliverable is written with
// its count ("1 instagram story", "3 instagram stories"), and what is
// written parses back to the same deliverable, whichever form was typed.
func TestDeliverablesCountTheirKindInEnglish(t *testing.T) {
	for _, c := range []struct{ typed, kind, written string }{
		{"2 tiktok videos", "video", "2 tiktok videos"},
		{"2 tiktok video", "video", "2 tiktok videos"},
		{"1 tiktok video", "video", "1 tiktok video"},
		{"1 ig stories", "story", "1 instagram story"},
		{"3 instagram stories", "story", "3 instagram stories"},
		{"3 instagram story", "story", "3 instagram stories"},
		{"2 youtube days", "day", "2 youtube days"},              // a vowel before y: s only
		{"2 instagram selfies", "selfie", "2 instagram selfies"}, // not "selfy"
		{"2 youtube classes", "class", "2 youtube classes"},      // s ending
		{"1 youtube class", "class", "1 youtube class"},          // s ending, count 1
		{"4 instagram boxes", "box", "4 instagram boxes"},        // x ending
		{"1 instagram box", "box", "1 instagram box"},            // x ending, count 1
		{"2 tiktok sketches", "sketch", "2 tiktok sketches"},     // ch ending
		{"2 youtube series", "series", "2 youtube series"},       // the same word
		{"1 youtube series", "series", "1 youtube series"},       // not "serie"
		{"2 instagram lives", "live", "2 instagram lives"},       // not "lif"
		{"2 tiktok bonus", "bonus", "2 tiktok bonus"},            // no plural read back as bonus: kept
		{"5 youtube shorts by 2026-12-01", "short", "5 youtube shorts by 2026-12-01"},
	} {
		specs, err := crm.ParseDeliverables(c.typed)
		if err != nil || len(specs) != 1 {
			t.Errorf("%q: %v %v", c.typed, specs, err)
			continue
		}
		sp := specs[0]
		if sp.Kind != c.kind || sp.String() != c.written {
			t.Errorf("%q: kind %q written %q, want %q and %q", c.typed, sp.Kind, sp.String(), c.kind, c.written)
		}
		d := crm.Deliverable{Platform: sp.Platform, Kind: sp.Kind, Quantity: sp.Quantity}
		if want, _, _ := strings.Cut(c.written, " by "); d.Label() != want {
			t.Errorf("%q: label %q, want %q", c.typed, d.Label(), want)
		}
		if again, err := crm.ParseDeliverables(sp.String()); err != nil || !reflect.DeepEqual(again, specs) {
			t.Errorf("%q written as %q parses to %+v (%v)", c.typed, sp.String(), again, err)
		}
	}
}

// TestCountWritesSingularAndPlural: messages count things in words ("1
// mail", "2 mails"), not "mail(s)".
func TestCountWritesSingularAndPlural(t *testing.T) {
	for _, c := range []struct {
		n    int
		noun string
		want string
	}{
		{0, "mail", "0 mails"}, {1, "mail", "1 mail"}, {2, "mail", "2 mails"},
		{1, "recipient", "1 recipient"}, {3, "recipient", "3 recipients"},
		{1, "problem", "1 problem"}, {4, "problem", "4 problems"},
		{2, "story", "2 stories"}, {2, "box", "2 boxes"}, {2, "series", "2 series"},
	} {
		if got := crm.Count(c.n, c.noun); got != c.want {
			t.Errorf("Count(%d, %q) = %q, want %q", c.n, c.noun, got, c.want)
		}
	}
}
