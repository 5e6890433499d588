package msgparse

import (
	"bytes"
	"net/mail"
	"net/textproto"
	"reflect"
	"strings"
	"testing"
	"unicode"

	"roster/crm"
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
	"\u00a0x\u0085y\u2028z\xff\xc3", "a\n \n", "x\n\n", "  \n\n  x  \n\n\n\n y", "\r\n\r\n", "a\r\r\nb", "Re: a  b", "text/plain", "a/b/c", "/x", "x/", "multipart/x-mixed+1.2", "Text/Plain", "a/b ", " x", "x ", "a\x7fb", "Jane Doe",
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
	if isTypeToken(s) && typeRe.FindString(s) != s {
		t.Fatalf("isTypeToken(%q) but typeRe finds %q", s, typeRe.FindString(s))
	}
	if plainLine(s) && crm.SanitizeLine(s) != s {
		t.Fatalf("plainLine(%q) but SanitizeLine changes it to %q", s, crm.SanitizeLine(s))
	}
	if got, want := fixUTF8String(s), fixUTF8([]byte(s)); got != want {
		t.Fatalf("fixUTF8String(%q) = %q, want %q", s, got, want)
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

// refParseFields is parseFields before it kept only wantedKeys.
func refParseFields(p *parser, hdr []byte) (fields []field, tail []byte) {
	lines := bytes.Split(hdr, []byte("\n"))
	for i, l := range lines {
		lines[i] = bytes.TrimRight(l, "\r")
	}
	var pieces [][][]byte
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if len(l) == 0 {
			continue
		}
		if l[0] == ' ' || l[0] == '\t' {
			if len(fields) > 0 {
				pieces[len(pieces)-1] = append(pieces[len(pieces)-1], l)
			}
			continue
		}
		if key, value, ok := splitField(l); ok {
			fields = append(fields, field{key: textproto.CanonicalMIMEHeaderKey(string(key))})
			pieces = append(pieces, [][]byte{value})
			continue
		}
		if i == 0 && bytes.HasPrefix(l, []byte("From ")) {
			continue
		}
		follows := false
		for j := i + 1; j < len(lines) && j < i+4; j++ {
			if _, _, ok := splitField(lines[j]); ok {
				follows = true
			}
		}
		if !follows {
			tail = bytes.Join(lines[i:], []byte("\n"))
			break
		}
		if len(fields) > 0 {
			p.problem("malformed header line joined to %s", fields[len(fields)-1].key)
			pieces[len(pieces)-1] = append(pieces[len(pieces)-1], []byte(" "), l)
		} else {
			p.problem("malformed header line skipped")
		}
	}
	for i := range fields {
		fields[i].value = strings.TrimSpace(string(bytes.Join(pieces[i], nil)))
	}
	return fields, tail
}

func checkFields(t *testing.T, hdr []byte) {
	t.Helper()
	p, ref := &parser{}, &parser{}
	fields, n, tail := p.parseFields(hdr)
	all, wantTail := refParseFields(ref, hdr)
	var want []field
	for _, f := range all {
		if wantedKeys[strings.ToLower(f.key)] == f.key {
			want = append(want, f)
		}
	}
	if !reflect.DeepEqual(fields, want) || n != len(all) || !bytes.Equal(tail, wantTail) || (tail == nil) != (wantTail == nil) ||
		!reflect.DeepEqual(p.problems, ref.problems) {
		t.Fatalf("parseFields(%q) = %q, %d, %q, %q\nwant %q, %d, %q, %q", hdr, fields, n, tail, p.problems, want, len(all), wantTail, ref.problems)
	}
}

var headerCases = []string{
	"", "\n", "From x\nSubject: a\n", "Subject: a\n b\n\tc\r\n", "X-A: 1\n b\nTo: x\n", "junk\nTo: a\n", "To: a\njunk\nCc: b\n",
	"To: a\njunk\nmore\n", "X-Y: 1\njunk\nDate: now", " lead\nTo: a", "tO : a\nTO: b\r\r\n", "Content-type: text/plain;\n charset=x",
	"X: 1\r\njunk\r\n\r\n\r\nY: 2", "subject: =?utf-8?q?x?=\n", "A b: c\nTo: x\n", "Received: from x\n\tby y\nMessage-ID: <a@b>\n",
}

func TestParseFieldsEquiv(t *testing.T) {
	for _, h := range headerCases {
		checkFields(t, []byte(h))
	}
	for _, raw := range syncCorpus(20) {
		hdr, _ := splitHeader(raw)
		checkFields(t, hdr)
	}
}

func FuzzParseFieldsEquiv(f *testing.F) {
	for _, h := range headerCases {
		f.Add([]byte(h))
	}
	f.Fuzz(checkFields)
}

func checkSimpleAddresses(t *testing.T, v string) {
	t.Helper()
	var got []*mail.Address
	if !eachSimpleAddress(v, func(name, email string) {
		got = append(got, &mail.Address{Name: name, Address: email})
	}) {
		return
	}
	want, err := (&mail.AddressParser{}).ParseList(v)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("eachSimpleAddress(%q) = %v; net/mail gives %v, %v", v, got, want, err)
	}
}

var addressCases = []string{
	"a@b", "Jane Doe <jane@x.com>", "Jane  Doe\t<jane@x.com> , bob@y.org,", ",a@b", ", ,", "<a@b>", "a.b <c@d>", ".a <c@d>",
	"a <b@c> d", "a <b @c>", "a <.b@c>", "a b@c", "x@y <a@b>", "Jane<j@x>", "a@b..c", "a@b.", "a@b>", "<a@b", "a <b@c>>",
	"O'Brien <o@x.ie>", "a@b,,c@d", "Team <a@b>, <c@d>", "=?utf-8?q?x?= <a@b>", "J.R. Smith <jr@x>", "a@b (c)",
}

func TestSimpleAddresses(t *testing.T) {
	for _, v := range addressCases {
		checkSimpleAddresses(t, v)
	}
}

func FuzzSimpleAddresses(f *testing.F) {
	for _, v := range addressCases {
		f.Add(v)
	}
	f.Fuzz(checkSimpleAddresses)
}
