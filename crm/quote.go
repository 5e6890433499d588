package crm

import (
	"regexp"
	"strings"
	"unicode"
)

// SplitQuoted separates a message text into what the sender wrote now and
// the quoted history below it, so a thread view can collapse the history
// (every reply repeats the whole conversation). It is for display only:
// the stored text stays whole.
//
// The split is at the earliest marker after which the rest is quoted
// history: an attribution ("On … wrote:", "Am … schrieb", "Le … a écrit",
// "El … escribió", "Il … ha scritto", "Op … schreef", "Em … escreveu")
// followed by quoted lines, a trailing run of lines starting with ">",
// "-----Original Message-----" (and translations), a line of underscores
// followed by "From:", or an Outlook "From:/Sent:" block. Everything above
// the marker, including "Sent from my iPhone"-style signatures, stays in
// fresh. Inline replies (quotes with answers between them) are not split.
//
// fresh and quoted are slices of text with only white space trimmed at the
// cut; quoted is "" when there is no history, and also when the text is
// nothing but history (there would be nothing left to show).
func SplitQuoted(text string) (fresh, quoted string) {
	lines := lineSpans(text)
	n := len(lines)
	// quoteish[i]: lines i.. are all ">"-quoted or blank.
	quoteish := make([]bool, n+1)
	quoteish[n] = true
	for i := n - 1; i >= 0; i-- {
		l := lines[i].text(text)
		quoteish[i] = quoteish[i+1] && (isBlank(l) || isQuoteLine(l))
	}
	cut := -1
	for i := 0; i < n && cut < 0; i++ {
		l := lines[i].text(text)
		switch {
		case isQuoteLine(l):
			if quoteish[i] {
				cut = i
			}
		case isBlank(l):
		case originalRe.MatchString(l):
			cut = i
		case underscoreRe.MatchString(l):
			if j := nextNonBlank(lines, text, i+1); j < n && fromRe.MatchString(lines[j].text(text)) {
				cut = i
			}
		case fromRe.MatchString(l) && outlookBlock(lines, text, i):
			cut = i
		default:
			if end, strong, ok := attribution(lines, text, i); ok {
				j := nextNonBlank(lines, text, end)
				switch {
				case j < n && isQuoteLine(lines[j].text(text)):
					if quoteish[j] {
						cut = i
					}
				case j < n && strong:
					cut = i // Yahoo and others quote without ">"
				}
			}
		}
	}
	if cut < 0 {
		return text, ""
	}
	fresh = strings.TrimRightFunc(text[:lines[cut].start], unicode.IsSpace)
	if fresh == "" {
		return text, ""
	}
	return fresh, strings.TrimSpace(text[lines[cut].start:])
}

type span struct{ start, end int }

func (s span) text(t string) string {
	return strings.TrimRight(t[s.start:s.end], "\r")
}

func lineSpans(t string) []span {
	var out []span
	for start := 0; start <= len(t); {
		i := strings.IndexByte(t[start:], '\n')
		if i < 0 {
			out = append(out, span{start, len(t)})
			break
		}
		out = append(out, span{start, start + i})
		start += i + 1
	}
	return out
}

func isBlank(l string) bool {
	return strings.TrimSpace(l) == ""
}

func isQuoteLine(l string) bool {
	return strings.HasPrefix(strings.TrimLeft(l, " \t"), ">")
}

func nextNonBlank(lines []span, t string, i int) int {
	for i < len(lines) && isBlank(lines[i].text(t)) {
		i++
	}
	return i
}

var (
	originalRe   = regexp.MustCompile(`(?i)^\s*-{2,}\s*(original message|original-nachricht|ursprüngliche nachricht|message d'origine|mensaje original|messaggio originale|oorspronkelijk bericht|mensagem original|originalmeddelande)\s*-{2,}\s*$`)
	underscoreRe = regexp.MustCompile(`^\s*_{10,}\s*$`)
	fromRe       = regexp.MustCompile(`^\s*\*?(From|De|Von|Da|Van|Från|Od|Fra)\*?\s*:`)
	sentRe       = regexp.MustCompile(`^\s*\*?(Sent|Date|Gesendet|Datum|Envoyé|Enviado|Fecha|Inviato|Data|Verzonden|Skickat|Sendt|Wysłano)\*?\s*:`)
	forwardRe    = regexp.MustCompile(`(?i)forwarded message|weitergeleitete nachricht|message transféré|mensaje reenviado|messaggio inoltrato|doorgestuurd bericht`)
	// attribRe matches a complete attribution line in the usual
	// languages; it is tried on up to three joined lines, since mail
	// clients wrap long ones.
	attribRe      = regexp.MustCompile(`^\s*(On\s.*\swrote|Am\s.*\sschrieb.*|Le\s.*\sa\s+écrit|El\s.*\sescribió|Il\s.*\sha\s+scritto|Op\s.*\s(schreef|geschreven).*|Em\s.*\sescreveu|Den\s.*\sskrev.*)\s*:\s*$`)
	attribStartRe = regexp.MustCompile(`^\s*(On|Am|Le|El|Il|Op|Em|Den)\s`)
	digitRe       = regexp.MustCompile(`\d`)
)

// attribution recognises an attribution starting at line i, possibly
// wrapped over three lines; end is the line after it. It is strong when it
// carries a date and an address or time, as generated ones do, so that it
// can stand for a quote without ">" lines.
func attribution(lines []span, t string, i int) (end int, strong, ok bool) {
	first := lines[i].text(t)
	if !attribStartRe.MatchString(first) || len(first) > 400 {
		return 0, false, false
	}
	joined := first
	for k := i; k < len(lines) && k < i+3; k++ {
		if k > i {
			next := lines[k].text(t)
			if isBlank(next) || len(next) > 400 {
				break
			}
			joined += " " + next
		}
		if attribRe.MatchString(joined) {
			strong = digitRe.MatchString(joined) && strings.ContainsAny(joined, "@:")
			return k + 1, strong, true
		}
	}
	return 0, false, false
}

// outlookBlock reports an Outlook header block ("From: …" then "Sent: …"
// within the next lines) that is not the start of a forwarded message.
func outlookBlock(lines []span, t string, i int) bool {
	found := false
	for k := i + 1; k < len(lines) && k <= i+4; k++ {
		if sentRe.MatchString(lines[k].text(t)) {
			found = true
			break
		}
	}
	if !found {
		return false
	}
	for k := i - 1; k >= 0 && k >= i-3; k-- {
		if l := lines[k].text(t); !isBlank(l) {
			return !forwardRe.MatchString(l)
		}
	}
	return true
}
