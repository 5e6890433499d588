// Package msgparse turns raw RFC 5322 messages, as an IMAP server returns
// them, into crm.ParsedMessage: decoded headers, one readable text body and
// the list of attachments.
//
// Mail is hostile and often broken. The parser is lenient everywhere
// (malformed header lines, wrong or unknown charsets, damaged transfer
// encodings, missing boundaries) and keeps whatever it can read, noting
// what it could not in ParsedMessage.Problems; it fails only on input that
// holds nothing at all. Every string it returns has passed crm.SanitizeText
// or crm.SanitizeLine, so no terminal escape or bidi override survives.
//
// go-message does the transfer decoding (message.New) and the charset
// tables (go-message/charset); the MIME structure is split here rather than
// with go-message's multipart reader, which stops at the first malformed
// part header or stray line and would lose the rest of the message.
package msgparse

import (
	"errors"
	"fmt"
	"mime"
	"strings"
	"unicode/utf8"

	"roster/crm"
)

// Limits that bound the work on a single message, whatever its size.
const (
	// maxText caps the readable text of one message: a body beyond it is
	// not correspondence anyone reads in a CRM.
	maxText = 2 << 20
	// maxHTML caps the HTML source read for conversion.
	maxHTML = 4 * maxText
	// maxDepth caps MIME nesting (real mail stays under 6).
	maxDepth = 20
	// maxParts caps the parts visited, against multipart bombs.
	maxParts = 1000
	// maxLine caps one-line fields (subject, names) in runes.
	maxLine = 1000
	// maxProblems caps the notes kept for one message.
	maxProblems = 20
)

// ErrEmpty is returned when the input holds neither a header field nor
// any body text: nothing about the message can be shown.
var ErrEmpty = errors.New("msgparse: no header and no body")

// HeaderFields lists the header fields the sync engine requests in its
// fast header pass (BODY.PEEK[HEADER.FIELDS (...)]): everything ParseHeader
// reads to thread, match and classify a message before its body is
// fetched. Content-Type is included so the pass can tell multipart mail.
var HeaderFields = []string{
	"Message-ID", "In-Reply-To", "References",
	"From", "Sender", "Reply-To", "To", "Cc",
	"Date", "Subject",
	"List-Id", "List-Unsubscribe", "Precedence", "Auto-Submitted",
	"Content-Type",
}

// Parse reads a whole message (headers and body, as BODY.PEEK[] returns
// it). Size is set to len(raw). It returns an error only when raw holds
// nothing usable (ErrEmpty); otherwise damage is reported in Problems.
func Parse(raw []byte) (crm.ParsedMessage, error) {
	p := &parser{}
	hdr, body := splitHeader(raw)
	fields, n, tail := p.parseFields(hdr)
	body = withTail(tail, body)
	var m crm.ParsedMessage
	p.fillHeader(&m, fields)
	m.Size = int64(len(raw))
	c := p.walk(part{fields: fields, body: body}, 0, "")
	m.Text = p.finishText(c.text)
	if n == 0 && strings.TrimSpace(m.Text) == "" && len(p.atts) == 0 {
		return crm.ParsedMessage{}, ErrEmpty
	}
	m.Attachments = p.atts
	m.Problems = p.problems
	return m, nil
}

// ParseHeader reads only a header block (what BODY.PEEK[HEADER] or
// BODY.PEEK[HEADER.FIELDS (...)] returns) for the fast first sync pass,
// and sets HeaderOnly. Anything after the blank line is ignored. Size is
// left 0: the caller knows RFC822.SIZE. It returns ErrEmpty when no header
// field can be read.
func ParseHeader(raw []byte) (crm.ParsedMessage, error) {
	p := &parser{}
	hdr, _ := splitHeader(raw)
	fields, n, _ := p.parseFields(hdr)
	if n == 0 {
		return crm.ParsedMessage{}, ErrEmpty
	}
	var m crm.ParsedMessage
	p.fillHeader(&m, fields)
	m.HeaderOnly = true
	m.Problems = p.problems
	return m, nil
}

// parser holds the state of one Parse call.
type parser struct {
	problems []string
	atts     []crm.Attachment
	parts    int
	wd       *mime.WordDecoder
	// want is the attachment Attachment looks for (nil for Parse), and
	// found what the first part listed as it decoded to (see match).
	want                 *crm.Attachment
	found                []byte
	foundAny, foundExact bool
}

// problem records a human-readable note, sanitised (it can quote values
// from the message), deduplicated and capped.
func (p *parser) problem(format string, args ...any) {
	s := crm.SanitizeLine(fmt.Sprintf(format, args...))
	s = truncRunes(s, 200)
	for _, q := range p.problems {
		if q == s {
			return
		}
	}
	if len(p.problems) < maxProblems {
		p.problems = append(p.problems, s)
	}
}

// finishText caps and sanitises the assembled body text.
func (p *parser) finishText(s string) string {
	if len(s) > maxText {
		s = truncBytes(s, maxText)
		p.problem("text over %d MiB: truncated", maxText>>20)
	}
	s = crm.SanitizeText(s)
	return trimLines(s)
}

// line sanitises a one-line field and caps its length.
func line(s string) string {
	if len(s) <= maxLine && plainLine(s) {
		return s // what SanitizeLine and truncRunes would give
	}
	return truncRunes(crm.SanitizeLine(s), maxLine)
}

// plainLine reports a string crm.SanitizeLine leaves as it is and can
// tell so without allocating: printable ASCII and single spaces between
// words (most subjects, names, addresses and Message-IDs).
func plainLine(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ' ' {
			if i == 0 || i == len(s)-1 || s[i-1] == ' ' {
				return false
			}
		} else if c < '!' || c > '~' {
			return false
		}
	}
	return true
}

// truncBytes cuts s to at most n bytes without splitting a rune.
func truncBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// truncRunes cuts s to at most n runes, marking the cut with "…".
func truncRunes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := 0
	for j := range s {
		if i == n {
			return s[:j] + "…"
		}
		i++
	}
	return s
}

// trimLines drops trailing spaces on every line, collapses runs of more
// than one blank line and trims the ends. Text that needs only its ends
// trimmed (most bodies, all converted HTML) is returned as a substring.
func trimLines(s string) string {
	if t := trimEnds(s); linesTrimmed(t) {
		return t
	}
	var b strings.Builder
	b.Grow(len(s))
	blank := 0
	for rest := s; ; {
		l, next, more := strings.Cut(rest, "\n")
		l = strings.TrimRight(l, " \t")
		if l == "" {
			blank++
		} else {
			if b.Len() > 0 {
				b.WriteByte('\n')
				if blank > 0 {
					b.WriteByte('\n')
				}
			}
			b.WriteString(l)
			blank = 0
		}
		if !more {
			break
		}
		rest = next
	}
	return b.String()
}

// trimEnds drops the blank lines (empty or spaces and tabs) at the start
// of s and the white space at its end, as trimLines does.
func trimEnds(s string) string {
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			start = i + 1
		} else if s[i] != ' ' && s[i] != '\t' {
			break
		}
	}
	return strings.TrimRight(s[start:], " \t\n")
}

// linesTrimmed reports text trimLines would leave unchanged: no line
// ending in a space or tab, no two blank lines in a row, no line break
// at either end.
func linesTrimmed(s string) bool {
	if s == "" {
		return true
	}
	if last := s[len(s)-1]; s[0] == '\n' || last == '\n' || last == ' ' || last == '\t' {
		return false
	}
	for i := strings.IndexByte(s, '\n'); i >= 0; {
		if c := s[i-1]; c == ' ' || c == '\t' {
			return false
		}
		if i+2 < len(s) && s[i+1] == '\n' && s[i+2] == '\n' {
			return false
		}
		j := strings.IndexByte(s[i+1:], '\n')
		if j < 0 {
			break
		}
		i += j + 1
	}
	return true
}
