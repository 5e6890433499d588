package demomail

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html"
	"mime"
	"mime/quotedprintable"
	"regexp"
	"strings"
)

// part is one MIME entity: its header lines in order and its body,
// already transfer-encoded with CRLF line ends.
type part struct {
	header [][2]string
	body   []byte
}

func (p part) write(b *bytes.Buffer) {
	for _, h := range p.header {
		fmt.Fprintf(b, "%s: %s\r\n", h[0], h[1])
	}
	b.WriteString("\r\n")
	b.Write(p.body)
}

// textPart is a text/<subtype> part in UTF-8, quoted-printable when it
// is not plain ASCII (as Gmail and go-mail send it), 7bit otherwise.
func textPart(subtype, text string) part {
	if isASCII(text) && maxLine(text) <= 76 {
		return part{[][2]string{
			{"Content-Type", "text/" + subtype + `; charset="UTF-8"`},
			{"Content-Transfer-Encoding", "7bit"},
		}, crlf(text)}
	}
	return part{[][2]string{
		{"Content-Type", "text/" + subtype + `; charset="UTF-8"`},
		{"Content-Transfer-Encoding", "quoted-printable"},
	}, qp(text)}
}

// multipartOf joins parts under a multipart/<subtype> with a fixed
// boundary, so the same input gives the same bytes.
func multipartOf(subtype, boundary string, parts ...part) part {
	var b bytes.Buffer
	for _, p := range parts {
		b.WriteString("--" + boundary + "\r\n")
		p.write(&b)
		if !bytes.HasSuffix(p.body, []byte("\r\n")) {
			b.WriteString("\r\n")
		}
	}
	b.WriteString("--" + boundary + "--\r\n")
	return part{[][2]string{{"Content-Type", "multipart/" + subtype + `; boundary="` + boundary + `"`}}, b.Bytes()}
}

// attachmentPart is a base64 attachment. disposition is the full
// Content-Disposition value, so callers can write RFC 2231 forms.
func attachmentPart(ctype, disposition string, data []byte) part {
	return part{[][2]string{
		{"Content-Type", ctype},
		{"Content-Disposition", disposition},
		{"Content-Transfer-Encoding", "base64"},
	}, b64Lines(data)}
}

// qp encodes text as quoted-printable with CRLF line ends and soft line
// breaks at 76 columns.
func qp(text string) []byte {
	var b bytes.Buffer
	w := quotedprintable.NewWriter(&b)
	_, _ = w.Write([]byte(text))
	_ = w.Close()
	out := b.Bytes()
	if !bytes.HasSuffix(out, []byte("\r\n")) {
		out = append(out, '\r', '\n')
	}
	return out
}

// b64Lines encodes data as base64 in 76-column lines.
func b64Lines(data []byte) []byte {
	enc := base64.StdEncoding.EncodeToString(data)
	var b bytes.Buffer
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
	return b.Bytes()
}

// crlf turns \n line ends into CRLF and ends the text with one.
func crlf(text string) []byte {
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\n", "\r\n")
	if !strings.HasSuffix(text, "\r\n") {
		text += "\r\n"
	}
	return []byte(text)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func maxLine(s string) int {
	n := 0
	for _, l := range strings.Split(s, "\n") {
		n = max(n, len(l))
	}
	return n
}

// encodeHeader RFC 2047-encodes a header value when it is not ASCII.
func encodeHeader(v string) string { return mime.QEncoding.Encode("UTF-8", v) }

var urlRE = regexp.MustCompile(`https?://[^\s<>"]+[^\s<>".,;:!?)]`)

// htmlLines renders plain text as the simple HTML webmail produces:
// escaped lines, <br> line breaks, links made clickable.
func htmlLines(text string) string {
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		if line == "" {
			b.WriteString("<div><br></div>")
			continue
		}
		esc := html.EscapeString(line)
		esc = urlRE.ReplaceAllStringFunc(esc, func(u string) string {
			return `<a href="` + u + `">` + u + `</a>`
		})
		b.WriteString("<div>" + esc + "</div>")
	}
	return b.String()
}

func htmlEscape(s string) string { return html.EscapeString(s) }
