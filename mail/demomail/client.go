package demomail

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"
)

// How each mail client shapes a message: its own headers, its MIME
// structure and how a reply quotes.

// clientHeaders are the headers m's client adds on its own.
func (m *msg) clientHeaders() [][2]string {
	switch m.from.style {
	case appleStyle:
		return [][2]string{{"X-Mailer", "iPhone Mail (22D72)"}}
	case outlookStyle:
		return [][2]string{
			{"Thread-Topic", encodeHeader(m.thread.subject)},
			{"Thread-Index", threadIndex(m)},
			{"Accept-Language", "en-GB, en-US"},
			{"Content-Language", "en-GB"},
			{"X-MS-Has-Attach", ""},
		}
	}
	return nil
}

// threadIndex is Outlook's conversation header: a 22-byte block (a
// FILETIME prefix and a conversation GUID, here derived from the thread)
// plus a 5-byte block per reply.
func threadIndex(m *msg) string {
	t := m.thread
	first := t.msgs[0].date
	ft := uint64(first.UnixNano()/100) + 116444736000000000
	var b []byte
	b = append(b, 0x01)
	var x [8]byte
	binary.BigEndian.PutUint64(x[:], ft)
	b = append(b, x[1:6]...)
	g := sha256.Sum256([]byte(t.key))
	b = append(b, g[:16]...)
	for i, o := range t.msgs {
		if o == m {
			break
		}
		c := sha256.Sum256([]byte(fmt.Sprint(t.key, i)))
		b = append(b, c[:5]...)
	}
	return base64.StdEncoding.EncodeToString(b)
}

// defaultBody renders text plus the quoted parent in the client's shape.
func (m *msg) defaultBody() part {
	text := strings.TrimRight(m.text, "\n") + "\n"
	if m.from.style == appleStyle {
		text += "\nSent from my iPhone\n"
	}
	switch m.from.style {
	case gmailStyle:
		return multipartOf("alternative", boundary(m),
			textPart("plain", m.withQuote(text)),
			textPart("html", m.gmailHTML(text)))
	case outlookStyle:
		return multipartOf("alternative", boundary(m),
			textPart("plain", m.withQuote(text)),
			textPart("html", m.outlookHTML(text)))
	}
	return textPart("plain", m.withQuote(text))
}

// withQuote appends the quoted parent, if any, to text.
func (m *msg) withQuote(text string) string {
	text = strings.TrimRight(text, "\n") + "\n"
	if m.parent == nil || m.noQuote {
		return text
	}
	return text + m.quote()
}

// boundary is a deterministic Gmail-like boundary.
func boundary(m *msg) string {
	h := sha256.Sum256([]byte("boundary " + m.id))
	return "000000000000" + hex.EncodeToString(h[:7])
}

// quote is the reply's quoted history: the parent's own words under the
// attribution line the replier's client writes.
func (m *msg) quote() string {
	p := m.parent
	d := p.date.In(m.from.tz)
	q := quoteLines(p.text, "> ")
	switch m.from.style {
	case appleStyle:
		return "\n> On " + d.Format("2 Jan 2006, at 15:04") + ", " + p.from.plain() + " wrote:\n> \n" + q
	case outlookStyle:
		return "\n________________________________\nFrom: " + p.from.plain() + "\nSent: " + d.Format("Monday, 2 January 2006 15:04") +
			"\nTo: " + plainList(p.to) + "\nSubject: " + p.subject + "\n\n" + strings.TrimRight(p.text, "\n") + "\n"
	case protonStyle:
		return "\n------- Original Message -------\nOn " + d.Format("Monday, January ") + ordinal(d.Day()) + d.Format(", 2006 at 3:04 PM") +
			", " + p.from.plain() + " wrote:\n\n" + q
	}
	return "\nOn " + d.Format("Mon, Jan 2, 2006 at 3:04 PM") + " " + p.from.plain() + " wrote:\n\n" + q
}

func quoteLines(text, prefix string) string {
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		if l == "" {
			b.WriteString(strings.TrimRight(prefix, " ") + "\n")
			continue
		}
		b.WriteString(prefix + l + "\n")
	}
	return b.String()
}

func plainList(ps []person) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.plain()
	}
	return strings.Join(s, "; ")
}

func ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return fmt.Sprint(n, suffix)
}

// gmailHTML is the HTML alternative Gmail sends, with its quote block.
func (m *msg) gmailHTML(text string) string {
	out := `<div dir="ltr">` + htmlLines(text) + `</div>`
	if p := m.parent; p != nil && !m.noQuote {
		d := p.date.In(m.from.tz)
		out += `<br><div class="gmail_quote gmail_quote_container"><div dir="ltr" class="gmail_attr">On ` +
			d.Format("Mon, Jan 2, 2006 at 3:04 PM") + ` ` + htmlEscape(p.from.plain()) + ` wrote:<br></div>` +
			`<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex">` +
			htmlLines(p.text) + `</blockquote></div>`
	}
	return out + "\n"
}

// outlookHTML is the HTML alternative Outlook on the web sends, with its
// divRplyFwdMsg header block instead of a blockquote.
func (m *msg) outlookHTML(text string) string {
	out := `<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">` +
		`<style type="text/css" style="display:none;"> P {margin-top:0;margin-bottom:0;} </style></head>` +
		`<body dir="ltr"><div class="elementToProof" style="font-family: Aptos, Calibri, Helvetica, sans-serif; font-size: 12pt; color: rgb(0, 0, 0);">` +
		htmlLines(text) + `</div>`
	if p := m.parent; p != nil && !m.noQuote {
		d := p.date.In(m.from.tz)
		out += `<div id="appendonsend"></div><hr style="display:inline-block;width:98%" tabindex="-1">` +
			`<div id="divRplyFwdMsg" dir="ltr"><font face="Calibri, sans-serif" style="font-size:11pt" color="#000000">` +
			`<b>From:</b> ` + htmlEscape(p.from.plain()) + `<br><b>Sent:</b> ` + d.Format("Monday, 2 January 2006 15:04") +
			`<br><b>To:</b> ` + htmlEscape(plainList(p.to)) + `<br><b>Subject:</b> ` + htmlEscape(p.subject) +
			`</font><div>&nbsp;</div></div><div>` + htmlLines(p.text) + `</div>`
	}
	return out + "</body></html>\n"
}
