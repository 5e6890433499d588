package crm

import (
	"regexp"
	"strings"
)

// quoteHeader matches the line mail clients put above quoted history, in
// the languages partnerships mail arrives in.
var quoteHeader = regexp.MustCompile(`(?i)^\s*(on\s.+\swrote:?|am\s.+\sschrieb(\s.*)?:|le\s.+\sa\s+écrit\s*:?|el\s.+\sescribió:?|il\s.+\sha\s+scritto:?|op\s.+\sschreef:?|-{2,}\s*original message\s*-{2,}|-{2,}\s*ursprüngliche nachricht\s*-{2,}|_{10,})\s*$`)

// SplitQuoted separates a message's new text from the quoted history
// below it, for display: the history is collapsed by default and shown on
// request, never deleted. quoted is "" when there is none.
func SplitQuoted(text string) (fresh, quoted string) {
	lines := strings.Split(text, "\n")
	cut := -1
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if quoteHeader.MatchString(l) || (strings.HasPrefix(t, "From:") && i > 0 && strings.HasPrefix(strings.TrimSpace(lines[i-1]), "___")) {
			cut = i
			break
		}
		if strings.HasPrefix(t, ">") && restIsQuote(lines[i:]) {
			cut = i
			break
		}
	}
	if cut <= 0 {
		if cut == 0 {
			return "", strings.TrimRight(text, "\n ")
		}
		return strings.TrimRight(text, "\n "), ""
	}
	return strings.TrimRight(strings.Join(lines[:cut], "\n"), "\n "), strings.TrimRight(strings.Join(lines[cut:], "\n"), "\n ")
}

// restIsQuote reports whether the remaining lines are quoted text, blank
// lines, or a short signature, so a single "> " inside a reply does not
// hide what follows it.
func restIsQuote(lines []string) bool {
	other := 0
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, ">") {
			continue
		}
		other++
	}
	return other <= 2
}
