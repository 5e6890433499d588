package msgparse

import (
	"bytes"
	"io"
	"mime"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-message/charset"
	"golang.org/x/text/encoding/charmap"
)

// init points the Latin-1 and ASCII labels at windows-1252.
//
// Why: mail labelled iso-8859-1 (or us-ascii) is in practice written by
// Windows software in windows-1252, whose 0x80–0x9f bytes are smart quotes,
// dashes and the euro sign; read as true Latin-1 they become C1 control
// characters that sanitising then deletes ("don’t" → "dont"). Every
// windows-1252 byte outside 0x80–0x9f means the same as in Latin-1, so the
// substitution never loses anything.
//
// charset.RegisterEncoding writes a package-level map in go-message that
// is read without a lock; writing it from an init function is the one safe
// moment (package initialisation finishes before main starts any
// goroutine), which a lazy sync.Once at first Parse would not be if another
// package (the IMAP client's WordDecoder) were already decoding. It is a
// global change, acceptable because it only ever improves the decoding of
// these labels for every user of go-message in the program.
func init() {
	for _, label := range []string{
		"iso-8859-1", "iso8859-1", "iso_8859-1", "iso_8859-1:1987", "iso-ir-100",
		"latin1", "latin-1", "l1", "cp819", "ibm819", "csisolatin1", "ansi_x3.110-1983",
		"us-ascii", "ascii", "us", "ansi_x3.4-1968", "iso646-us", "csascii",
	} {
		charset.RegisterEncoding(label, charmap.Windows1252)
	}
}

// isUTF8Label reports labels whose bytes go-message passes through as they
// are; they are checked for valid UTF-8 here instead.
func isUTF8Label(label string) bool {
	switch label {
	case "", "utf-8", "utf8", "unicode-1-1-utf-8", "x-utf_8j",
		"us-ascii", "ascii", "us", "ansi_x3.4-1968", "iso646-us", "csascii":
		return true
	}
	return false
}

// isWesternLabel reports single-byte Western labels that are often put on
// text that is really UTF-8.
func isWesternLabel(label string) bool {
	switch label {
	case "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1",
		"windows-1252", "cp1252", "x-cp1252", "iso-8859-15", "iso8859-15", "latin-9":
		return true
	}
	return false
}

// cleanLabel normalises a charset parameter: lower case, no quotes, no
// RFC 2231 language suffix.
func cleanLabel(label string) string {
	label = strings.ToLower(strings.Trim(strings.TrimSpace(label), `"'`))
	if i := strings.IndexByte(label, '*'); i >= 0 {
		label = label[:i]
	}
	return label
}

// toUTF8 converts decoded body bytes in the labelled charset to UTF-8.
// It never fails: an unknown charset is shown raw (repaired by fixUTF8)
// with a Problem.
func (p *parser) toUTF8(data []byte, label, what string) string {
	label = cleanLabel(label)
	switch {
	case isUTF8Label(label):
		return p.repairUTF8(data, label, what)
	case isWesternLabel(label) && utf8.Valid(data) && hasMultibyte(data):
		// Labelled Latin-1 but written as UTF-8: reading it as Latin-1
		// would give "cafÃ©".
		return string(data)
	}
	r, err := charset.Reader(label, bytes.NewReader(data))
	if err != nil {
		p.problem("unknown charset %s in %s: shown raw", label, what)
		return fixUTF8(data)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		p.problem("%s in %s could not be fully decoded: %v", label, what, err)
	}
	return fixUTF8(out)
}

// alreadyUTF8 reports data that toUTF8 would return unchanged and without
// a Problem: valid UTF-8 under a UTF-8 label, or under a Western label
// that it wears wrongly.
func alreadyUTF8(data []byte, label string) bool {
	label = cleanLabel(label)
	return (isUTF8Label(label) || isWesternLabel(label) && hasMultibyte(data)) && utf8.Valid(data)
}

func (p *parser) repairUTF8(data []byte, label, what string) string {
	if utf8.Valid(data) {
		return string(data)
	}
	if label == "" {
		label = "no charset"
	}
	p.problem("%s labelled %s has invalid UTF-8: read as windows-1252", what, label)
	return fixUTF8(data)
}

// hasMultibyte reports whether b holds any byte above ASCII.
func hasMultibyte(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

// fixUTF8 returns b as valid UTF-8. Text that is already valid is kept.
// Text with no valid multi-byte sequence at all is read as windows-1252
// (the usual unlabelled 8-bit mail). Mixed text (mostly UTF-8 with stray
// Latin-1 bytes) keeps its valid sequences and reads each stray byte as
// windows-1252, so one bad byte does not garble the rest.
func fixUTF8(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	whole := true
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if n > 1 && r != utf8.RuneError {
			whole = false
			break
		}
		i += n
	}
	var sb strings.Builder
	sb.Grow(len(b) + len(b)/4)
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 || whole && b[i] >= utf8.RuneSelf {
			sb.WriteRune(charmap.Windows1252.DecodeByte(b[i]))
			i++
			continue
		}
		sb.Write(b[i : i+n])
		i += n
	}
	return sb.String()
}

// fixUTF8String is fixUTF8 for a string, without a copy when it is valid.
func fixUTF8String(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return fixUTF8([]byte(s))
}

// latinWord matches the charset label of an encoded-word that the standard
// library would decode as strict Latin-1 or ASCII itself, bypassing the
// windows-1252 registration; the label is rewritten before decoding.
var latinWord = regexp.MustCompile(`(?i)=\?(iso-8859-1|us-ascii)(\*[^?]*)?\?`)

// decodeWords decodes RFC 2047 encoded-words across mixed charsets. An
// unknown charset leaves that word's bytes raw (noted as a Problem) instead
// of failing the whole header as mime.WordDecoder does.
func (p *parser) decodeWords(s string) string {
	if !strings.Contains(s, "=?") {
		return fixUTF8String(s)
	}
	s = latinWord.ReplaceAllString(s, "=?windows-1252$2?")
	out, err := p.wordDecoder().DecodeHeader(s)
	if err != nil {
		return fixUTF8String(s)
	}
	return fixUTF8String(out)
}

func (p *parser) wordDecoder() *mime.WordDecoder {
	if p.wd == nil {
		p.wd = &mime.WordDecoder{CharsetReader: func(label string, input io.Reader) (io.Reader, error) {
			label = cleanLabel(label)
			if isUTF8Label(label) {
				return input, nil
			}
			r, err := charset.Reader(label, input)
			if err != nil {
				p.problem("unknown charset %s in a header: shown raw", label)
				return input, nil
			}
			return r, nil
		}}
	}
	return p.wd
}
