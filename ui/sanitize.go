package ui

import (
	"strings"

	"roster/crm"
)

// sanitize makes text from the database safe to draw on one line. Mail
// and imports are cleaned when stored; this second pass is cheap and keeps
// a record written by an older roster, or by another tool, from reaching
// the terminal raw.
func sanitize(s string) string {
	return strings.ReplaceAll(sanitizeBlock(s), "\n", " ")
}

// sanitizeBlock is sanitize for multi-line text: line breaks are kept and
// tabs become four spaces, so column widths stay what lipgloss measures.
func sanitizeBlock(s string) string {
	return strings.ReplaceAll(crm.SanitizeText(s), "\t", "    ")
}
