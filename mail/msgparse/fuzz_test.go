package msgparse

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"roster/crm"
)

func FuzzParse(f *testing.F) {
	for _, raw := range fixtures() {
		f.Add(raw)
	}
	f.Add([]byte("Content-Type: multipart/mixed; boundary=a\n\n--a\nContent-Type: multipart/alternative; boundary=b\n\n--b\n\nx\n--b--\n--a--"))
	f.Add([]byte("Subject: =?utf-8?q?=1b]52;c;x=07?=\nContent-Type: text/html\n\n<a href=x>\x1b[2J</a><pre>\x9b</pre>"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, err := Parse(raw)
		if err == nil {
			checkOutput(t, m)
			m2, _ := Parse(raw)
			if !sameParse(m, m2) {
				t.Fatalf("Parse not deterministic:\n%+v\n%+v", m, m2)
			}
			crm.SplitQuoted(m.Text)
			checkAttachments(t, raw, m)
		}
		if h, err := ParseHeader(raw); err == nil {
			checkOutput(t, h)
		}
	})
}

// checkAttachments: every attachment Parse lists can be read back, as
// many bytes as it listed.
func checkAttachments(t *testing.T, raw []byte, m crm.ParsedMessage) {
	t.Helper()
	for _, a := range m.Attachments {
		data, err := Attachment(raw, a)
		if err != nil {
			t.Fatalf("Attachment(%+v): %v", a, err)
		}
		if int64(len(data)) != a.Size {
			t.Fatalf("Attachment(%+v) gave %d bytes", a, len(data))
		}
	}
}

// checkOutput is the contract every result keeps whatever the input.
func checkOutput(t *testing.T, m crm.ParsedMessage) {
	t.Helper()
	all := append(oneLineFields(m), m.Text)
	for _, s := range all {
		if !utf8.ValidString(s) {
			t.Fatalf("invalid UTF-8: %q", s)
		}
		for _, r := range s {
			if r == 0x1b || r >= 0x80 && r < 0xa0 || crm.IsBidiControl(r) {
				t.Fatalf("escape, C1 or bidi control %U in %q", r, s)
			}
		}
	}
	for _, r := range m.Text {
		if unicode.IsControl(r) && r != '\n' && r != '\t' {
			t.Fatalf("control %U in Text %q", r, m.Text)
		}
	}
	for _, s := range oneLineFields(m) {
		if strings.ContainsAny(s, "\n\r\t") {
			t.Fatalf("line break in one-line field %q", s)
		}
	}
}
