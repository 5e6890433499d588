package ui

import (
	"strings"
	"unicode"

	"github.com/charmbracelet/x/ansi"
)

// sanitize makes text from the database safe to draw on one line: escape
// sequences (CSI, OSC, DCS) are removed, other control characters and
// bidirectional overrides dropped, and line breaks turned into spaces.
// Names and notes come from imported files and, later, from mail, so none
// of it is trusted to reach the terminal raw.
func sanitize(s string) string {
	return strings.ReplaceAll(sanitizeBlock(s), "\n", " ")
}

// sanitizeBlock is sanitize for multi-line text: line breaks and tabs are
// kept, everything else is cleaned the same way.
func sanitizeBlock(s string) string {
	clean := true
	for _, r := range s {
		if r < 0x20 && r != '\n' || r == 0x7f || (r >= 0x80 && r < 0xa0) || isBidi(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	s = ansi.Strip(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteRune(r)
		case r == '\t':
			b.WriteString("    ")
		case r == '\r':
		case unicode.IsControl(r), isBidi(r):
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isBidi reports the explicit directional formatting characters that can
// make text display in a different order than it is stored (the "Trojan
// Source" trick).
func isBidi(r rune) bool {
	return r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 || r == 0x200e || r == 0x200f || r == 0x061c
}
