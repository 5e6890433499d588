package crm_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"roster/crm"
)

func TestSanitizeTextRemovesEscapes(t *testing.T) {
	for in, want := range map[string]string{
		"plain text\nline two\ttab":                  "plain text\nline two\ttab",
		"red \x1b[31mtext\x1b[0m":                    "red text",
		"title\x1b]0;pwned\x07 after":                "title after",
		"clip\x1b]52;c;cm0gLXJmIH4K\x1b\\ board":     "clip board",
		"dcs\x1bP1$r0m\x1b\\ end":                    "dcs end",
		"c1 csi \u009b2J and osc \u009d0;x\u009c ok": "c1 csi  and osc  ok",
		"bidi \u202egnp.exe\u202c":                   "bidi gnp.exe",
		"crlf\r\nline\rcr":                           "crlf\nline\ncr",
		"bell\x07 nul\x00 del\x7f":                   "bell nul del",
		"bad \xff utf8":                              "bad \ufffd utf8",
		"unterminated \x1b]52;c;AAAA":                "unterminated ",
		"emoji 🎉 and ümlaut":                         "emoji 🎉 and ümlaut",
	} {
		if got := crm.SanitizeText(in); got != want {
			t.Errorf("SanitizeText(%q) = %q, want %q", in, got, want)
		}
	}
	if got := crm.SanitizeLine(" Re:\tCollab \n offer "); got != "Re: Collab offer" {
		t.Errorf("SanitizeLine = %q", got)
	}
}

// TestSanitizeTextFindsEveryControlInCleanText checks the byte-scanning
// fast path: one removable character in otherwise clean text, ASCII or
// not, must still be removed.
func TestSanitizeTextFindsEveryControlInCleanText(t *testing.T) {
	var controls []rune
	for r := rune(0); r < 0x3000; r++ {
		if (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f || (r >= 0x80 && r < 0xa0) || crm.IsBidiControl(r) {
			controls = append(controls, r)
		}
	}
	for _, r := range controls {
		for _, text := range []string{"plain ascii %c text", "ümlaut → %c ✓ 🎉", "%c"} {
			in := strings.Replace(text, "%c", string(r), 1)
			if out := crm.SanitizeText(in); strings.ContainsRune(out, r) {
				t.Errorf("SanitizeText(%q) kept %U", in, r)
			}
		}
	}
	// Found at every position of an eight-byte word, and across words,
	// in long ASCII text and beside other non-ASCII text.
	for _, r := range controls {
		for off := range 17 {
			for _, pad := range []string{"the reel goes up on friday at nine ", "é → ✓ ünïcödé → ✓ ünïcödé → ✓ ü "} {
				in := pad[:off] + string(r) + pad
				if utf8.ValidString(pad[:off]) && strings.ContainsRune(crm.SanitizeText(in), r) {
					t.Errorf("SanitizeText(%q) kept %U at byte %d", in, r, off)
				}
			}
		}
	}
	// Neighbours of the removed encodings stay.
	for _, keep := range []string{"\u00a0", "\u200d", "\u2029", "\u2065", "\u206a", "\u061b", "\u0600"} {
		if out := crm.SanitizeText("a" + keep + "b"); out != "a"+keep+"b" {
			t.Errorf("SanitizeText removed %U", []rune(keep)[0])
		}
	}
}

func FuzzSanitizeText(f *testing.F) {
	for _, s := range []string{"a\x1b[31mb", "\x1b]52;c;x\x07", "\u009b1m", "\u202e", "\xff\xfe", "\r\n", "é\u200e", "\u2066x", "\u061c", "ü\u0085"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := crm.SanitizeText(s)
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 out of %q", s)
		}
		for _, r := range out {
			if (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f || (r >= 0x80 && r < 0xa0) || crm.IsBidiControl(r) {
				t.Fatalf("control %U left in %q (from %q)", r, out, s)
			}
		}
		if strings.Contains(out, "\x1b") {
			t.Fatal("ESC survived")
		}
		if crm.SanitizeText(out) != out {
			t.Fatal("not idempotent")
		}
	})
}

// BenchmarkSanitizeCleanText is the common case: a synced body with
// nothing to remove, scanned and returned as it is.
func BenchmarkSanitizeCleanText(b *testing.B) {
	text := strings.Repeat("Hi Sam,\n\tthe reel goes up on Friday — code MAYA10 gives 15% off.\n> On Mon, Maya wrote:\n", 60)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		if crm.SanitizeText(text) != text {
			b.Fatal("clean text changed")
		}
	}
}
