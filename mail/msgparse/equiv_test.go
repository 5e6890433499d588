package msgparse

import (
	"strings"
	"testing"
	"unicode"
)

// The fast text helpers must give exactly what their plain versions
// below give (the versions they replaced).

func refTrimLines(s string) string {
	if s == "" {
		return s
	}
	lines := strings.Split(s, "\n")
	out := lines[:0]
	blank := 0
	for _, l := range lines {
		l = strings.TrimRight(l, " \t")
		if l == "" {
			blank++
			if blank > 1 {
				continue
			}
		} else {
			blank = 0
		}
		out = append(out, l)
	}
	return strings.Trim(strings.Join(out, "\n"), "\n")
}

func refCountNonSpace(s string) int {
	n := 0
	for _, r := range s {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	return n
}

var textCases = []string{
	"", "\n", "\n\n\n", " ", "a", "a ", " a", "a\n", "\na", "a\n\nb", "a\n\n\nb", "a \n \n\t\nb\t", "a\r\nb\r\n",
	"\u00a0x\u0085y\u2028z\xff\xc3", "a\n \n", "x\n\n", "  \n\n  x  \n\n\n\n y", "\r\n\r\n", "a\r\r\nb",
}

func checkText(t *testing.T, s string) {
	t.Helper()
	if got, want := trimLines(s), refTrimLines(s); got != want {
		t.Fatalf("trimLines(%q) = %q, want %q", s, got, want)
	}
	if got, want := countNonSpace(s), refCountNonSpace(s); got != want {
		t.Fatalf("countNonSpace(%q) = %d, want %d", s, got, want)
	}
	if got, want := stringLF([]byte(s)), strings.ReplaceAll(s, "\r\n", "\n"); got != want {
		t.Fatalf("stringLF(%q) = %q, want %q", s, got, want)
	}
}

func TestTextHelpers(t *testing.T) {
	for _, s := range textCases {
		checkText(t, s)
	}
}

func FuzzTextHelpers(f *testing.F) {
	for _, s := range textCases {
		f.Add(s)
	}
	f.Fuzz(checkText)
}
