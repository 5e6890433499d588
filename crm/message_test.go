package crm

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

// refMsgIDRe is the definition nextMsgID implements by hand.
var refMsgIDRe = regexp.MustCompile(`<([^<>\s]+)>`)

func refParseMessageIDs(raw string) []string {
	var out []string
	for _, m := range refMsgIDRe.FindAllStringSubmatch(raw, -1) {
		id := m[1]
		if at := strings.LastIndexByte(id, '@'); at >= 0 {
			id = id[:at] + strings.ToLower(id[at:])
		}
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	if len(out) == 0 {
		if id := NormalizeMessageID(raw); id != "" {
			out = append(out, id)
		}
	}
	return out
}

func TestParseMessageIDs(t *testing.T) {
	for raw, want := range map[string][]string{
		"<a@X.example> <b@y>":                {"a@x.example", "b@y"},
		"<a@x>,\r\n\t<b@y>, <a@x>":           {"a@x", "b@y"},
		"<<a@x>>":                            {"a@x"},
		"< a@x> <b@y >":                      nil,
		"junk <> <c@Z>":                      {"c@z"},
		"bare@Example.COM":                   {"bare@example.com"},
		"(added by postmaster)":              nil,
		"<Mixed.Case@Host> tail":             {"Mixed.Case@host"},
		"<unclosed@x <next@y>":               {"next@y"},
		"":                                   nil,
		"<a@b> (comment <c@d>)":              {"a@b", "c@d"},
		"<x@\u00c9xample.com>":               {"x@\u00e9xample.com"},
		"prefix<nospace@x>suffix<second@y>z": {"nospace@x", "second@y"},
		"<a\u00a0b@x>":                       {"a\u00a0b@x"},
		"<\x0cff@x> <ok@y>":                  {"ok@y"},
		"<one@x><two@x><one@x>":              {"one@x", "two@x"},
		"<only-local-part>":                  {"only-local-part"},
		"   <spaced@x>   ":                   {"spaced@x"},
		"<a@x>>>><<<<b@y>":                   {"a@x", "b@y"},
		"<@>":                                {"@"},
		"<<>>":                               nil,
		"<a@x\n>":                            nil,
		"<first@x> \"quoted <second@y>\"":    {"first@x", "second@y"},
		"<trailing@x":                        nil,
		"In-Reply-To: <m1@bench.example>":    {"m1@bench.example"},
	} {
		if got := ParseMessageIDs(raw); !slices.Equal(got, want) {
			t.Errorf("ParseMessageIDs(%q) = %q, want %q", raw, got, want)
		}
	}
}

// FuzzParseMessageIDs checks the hand-written scanner against the regexp
// it replaced.
func FuzzParseMessageIDs(f *testing.F) {
	for _, s := range []string{"<a@x> <b@y>", "<<a@x>>", "<a <b@y>", "<a@X>", "x@Y", "<\t>", "<é@Ü>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		if got, want := ParseMessageIDs(raw), refParseMessageIDs(raw); !slices.Equal(got, want) {
			t.Fatalf("ParseMessageIDs(%q) = %q, regexp gives %q", raw, got, want)
		}
		var want string
		if m := refMsgIDRe.FindStringSubmatch(strings.TrimSpace(raw)); m != nil {
			want = lowerDomain(m[1])
		}
		if got := NormalizeMessageID(raw); want != "" && got != want {
			t.Fatalf("NormalizeMessageID(%q) = %q, regexp gives %q", raw, got, want)
		}
	})
}
