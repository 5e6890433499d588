package crm

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// SanitizeText makes text from mail or files safe to store and show: it
// removes terminal escape sequences (CSI, OSC — including OSC 52, which
// writes the clipboard — DCS, SOS, PM, APC and their 8-bit C1 forms),
// other control characters except newline and tab, and bidirectional
// override characters, and replaces invalid UTF-8. Mail is hostile input:
// a subject must not be able to retitle the terminal or paste a command.
func SanitizeText(s string) string {
	if isClean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteRune(utf8.RuneError)
			i++
		case r == 0x1b: // ESC
			i += escapeLen(s[i:])
		case r >= 0x80 && r < 0xa0: // C1 controls, as runes
			i += c1Len(s[i:], r, size)
		case r == '\r':
			i += size
			if i < len(s) && s[i] == '\n' {
				continue
			}
			b.WriteByte('\n')
		case r == '\n' || r == '\t':
			b.WriteRune(r)
			i += size
		case unicode.IsControl(r) || IsBidiControl(r):
			i += size
		default:
			b.WriteString(s[i : i+size])
			i += size
		}
	}
	return b.String()
}

// SanitizeLine is SanitizeText for one-line fields (subjects, names):
// line breaks and tabs become spaces and runs of space collapse.
func SanitizeLine(s string) string {
	return strings.Join(strings.Fields(SanitizeText(s)), " ")
}

func isClean(s string) bool {
	// Called on every body synced, so it scans bytes, never runes: one
	// table lookup a byte. In valid UTF-8 every character to remove has
	// a fixed encoding whose lead byte is one of a handful (suspect),
	// looked at closely only where it occurs.
	for i := 0; i < len(s); i++ {
		if !suspect[s[i]] {
			continue
		}
		switch c := s[i]; c {
		case '\n', '\t':
		case 0xc2: // U+0080–U+009F: C1 controls
			if i+1 < len(s) && s[i+1] < 0xa0 {
				return false
			}
		case 0xd8: // U+061C arabic letter mark
			if i+1 < len(s) && s[i+1] == 0x9c {
				return false
			}
		case 0xe2: // U+200E/F, U+202A–E, U+2066–9
			if i+2 < len(s) && isBidiTail(s[i+1], s[i+2]) {
				return false
			}
		default: // C0 controls and DEL
			return false
		}
	}
	return utf8.ValidString(s)
}

// suspect marks the bytes isClean must look at: ASCII controls, DEL, and
// the UTF-8 lead bytes of C1 controls and bidi marks. It is never
// written after initialisation.
var suspect = func() (t [256]bool) {
	for c := range 0x20 {
		t[c] = true
	}
	t[0x7f], t[0xc2], t[0xd8], t[0xe2] = true, true, true, true
	return t
}()

// isBidiTail reports whether 0xE2 b1 b2 encodes a bidi control.
func isBidiTail(b1, b2 byte) bool {
	switch b1 {
	case 0x80:
		return b2 == 0x8e || b2 == 0x8f || b2 >= 0xaa && b2 <= 0xae
	case 0x81:
		return b2 >= 0xa6 && b2 <= 0xa9
	}
	return false
}

// IsBidiControl reports the explicit directional formatting characters
// that make text display in another order than it is stored.
func IsBidiControl(r rune) bool {
	return r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 || r == 0x200e || r == 0x200f || r == 0x061c
}

// escapeLen measures the escape sequence at the start of s (s[0] is ESC).
func escapeLen(s string) int {
	if len(s) < 2 {
		return len(s)
	}
	switch s[1] {
	case '[': // CSI: parameters and intermediates, then a final byte
		for i := 2; i < len(s); i++ {
			if s[i] >= 0x40 && s[i] <= 0x7e {
				return i + 1
			}
		}
		return len(s)
	case ']', 'P', 'X', '^', '_': // OSC, DCS, SOS, PM, APC: up to BEL or ST
		return stringEnd(s, 2)
	}
	return 2 // a two-byte escape
}

// c1Len measures a sequence started by an 8-bit C1 control.
func c1Len(s string, r rune, size int) int {
	switch r {
	case 0x9b: // CSI
		for i := size; i < len(s); i++ {
			if s[i] >= 0x40 && s[i] <= 0x7e {
				return i + 1
			}
		}
		return len(s)
	case 0x9d, 0x90, 0x98, 0x9e, 0x9f: // OSC, DCS, SOS, PM, APC
		return stringEnd(s, size)
	}
	return size
}

// stringEnd finds the end of a control string starting at from: BEL, ESC
// \ or the 8-bit ST.
func stringEnd(s string, from int) int {
	for i := from; i < len(s); i++ {
		switch {
		case s[i] == 0x07:
			return i + 1
		case s[i] == 0x1b && i+1 < len(s) && s[i+1] == '\\':
			return i + 2
		case strings.HasPrefix(s[i:], "\u009c"):
			return i + len("\u009c")
		}
	}
	return len(s)
}
