package demomail

import (
	"fmt"
	"strings"
	"time"
)

// The messy MIME cases. Each is a body renderer for one message; the
// words are the message's own text so replies still quote them.

// noahRatesQP is Proton mail hand-wrapped as quoted-printable with soft
// line breaks in awkward places: mid-word, and between the encoded bytes
// of one multi-byte character.
func (m *msg) noahRatesQP() part {
	text := m.withQuote(m.text)
	var b strings.Builder
	col, width := 0, 43
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c == '\n' {
			b.WriteString("\r\n")
			col = 0
			continue
		}
		tok := string(c)
		if c >= 0x80 || c == '=' || (c == ' ' && i+1 < len(text) && text[i+1] == '\n') {
			tok = fmt.Sprintf("=%02X", c)
		}
		if col+len(tok) > width {
			b.WriteString("=\r\n")
			col = 0
			width = 37 + (width*7)%33 // vary the wrap column, 37–69
		}
		b.WriteString(tok)
		col += len(tok)
	}
	b.WriteString("\r\n")
	return part{[][2]string{
		{"Content-Type", "text/plain; charset=utf-8"},
		{"Content-Transfer-Encoding", "quoted-printable"},
	}, []byte(b.String())}
}

// isabellaLatin1 is mail from an old desktop client: declared
// ISO-8859-1 but written in Windows-1252, so its curly quotes and dash
// are bytes 0x93, 0x94 and 0x96, which ISO-8859-1 maps to control
// characters. The subject is an ISO-8859-1 encoded-word, and the quote
// header is Italian.
func (m *msg) isabellaLatin1() part {
	m.rawSubject = "=?ISO-8859-1?Q?" + qWord(cp1252(m.subject)) + "?="
	p := m.parent
	d := p.date.In(m.from.tz)
	it := "Il giorno " + italianDays[d.Weekday()] + " " + fmt.Sprint(d.Day()) + " " + italianMonths[d.Month()-1] +
		" " + d.Format("2006 alle ore 15:04") + " " + p.from.plain() + " ha scritto:\n\n"
	text := strings.TrimRight(m.text, "\n") + "\n\n" + it + quoteLines(p.text, "> ")
	return part{[][2]string{
		{"Content-Type", `text/plain; charset="iso-8859-1"`},
		{"Content-Transfer-Encoding", "8bit"},
	}, crlf(cp1252(text))}
}

var (
	italianDays   = [...]string{"dom", "lun", "mar", "mer", "gio", "ven", "sab"}
	italianMonths = [...]string{"gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic"}
)

// cp1252 encodes s in Windows-1252 (Latin-1 plus the typographic
// characters in 0x80–0x9F); runes it lacks become '?'.
func cp1252(s string) string {
	extra := map[rune]byte{'€': 0x80, '…': 0x85, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '–': 0x96, '—': 0x97}
	var b []byte
	for _, r := range s {
		switch c, ok := extra[r]; {
		case ok:
			b = append(b, c)
		case r < 0x100:
			b = append(b, byte(r))
		default:
			b = append(b, '?')
		}
	}
	return string(b)
}

// qWord is RFC 2047 Q encoding of raw bytes.
func qWord(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ':
			b.WriteByte('_')
		case c >= 0x80 || c < 0x20 || strings.IndexByte("=?_\"(),.:;<>@[\\]", c) >= 0:
			fmt.Fprintf(&b, "=%02X", c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// miaHTMLOnly is a reply with no text/plain alternative at all: a
// content schedule as an HTML table with links, and the quote as a
// blockquote.
func (m *msg) miaHTMLOnly() part {
	d := m.date.In(m.from.tz)
	row := func(off int, platform, deliverable, status, link string) string {
		cell := `<td style="padding:4px 10px;border:1px solid #ddd">`
		return "<tr>" + cell + d.AddDate(0, 0, off).Format("Mon 2 Jan") + "</td>" + cell + platform + "</td>" + cell + deliverable + "</td>" +
			cell + status + "</td>" + cell + `<a href="` + link + `">draft</a></td></tr>`
	}
	p := m.parent
	html := `<!DOCTYPE html><html><head><meta charset="utf-8"><style>body{font-family:-apple-system,Helvetica,Arial,sans-serif;font-size:14px}</style></head><body>` +
		`<p>Hi Sam!</p><p>Here’s my plan for the launch — all drafts are in <a href="https://drive.example/folders/1MiaSpringGlow">this folder</a>:</p>` +
		`<table style="border-collapse:collapse"><thead><tr><th>Date</th><th>Platform</th><th>Deliverable</th><th>Status</th><th>Link</th></tr></thead><tbody>` +
		row(3, "Instagram", "Story frame 1: unboxing", "ready", "https://drive.example/file/d/story1") +
		row(3, "Instagram", "Story frame 2: texture close-up", "ready", "https://drive.example/file/d/story2") +
		row(3, "Instagram", "Story frame 3: link sticker + MIA10", "editing", "https://drive.example/file/d/story3") +
		row(9, "TikTok", "Morning routine video (45s)", "filming Tue", "https://drive.example/file/d/tiktok1") +
		`</tbody></table>` +
		`<p>Could you approve the story frames by <b>Thursday</b>? Then they go up Friday morning as planned.</p>` +
		`<p>Tack!<br>Mia</p>` +
		`<p style="color:#888;font-size:12px">Mia Johansson · <a href="https://www.tiktok.example/@miaj.skin">@miaj.skin</a></p>` +
		`<blockquote style="border-left:2px solid #ccc;margin:0;padding-left:8px">On ` + p.date.In(m.from.tz).Format("2 Jan 2006, at 15:04") + `, ` +
		htmlEscape(p.from.plain()) + ` wrote:<br>` + htmlLines(p.text) + `</blockquote></body></html>`
	return textPart("html", html)
}

// diegoMediaKit has a PDF media kit whose UTF-8 filename is split over
// RFC 2231 continuations, and a name= parameter in RFC 2047 form as
// older clients read it.
func (m *msg) diegoMediaKit() part {
	year := m.date.Year()
	name := fmt.Sprintf("Diego Ramírez – Media Kit %d.pdf", year)
	disp := fmt.Sprintf("attachment;\r\n filename*0*=UTF-8''Diego%%20Ram%%C3%%ADrez%%20%%E2%%80%%93%%20;\r\n filename*1*=Media%%20Kit%%20%d.pdf", year)
	kit := pdfDoc("Diego Ramírez — diegoplays", "Twitch · 26.3k followers · avg 1,150 live viewers",
		"Live read (60s): $400 per stream", "4-stream package: $1,400", "Tue/Thu 19:00–23:00 CST")
	return multipartOf("mixed", boundary(m)+"m",
		multipartOf("alternative", boundary(m), textPart("plain", m.withQuote(m.text)), textPart("html", m.gmailHTML(m.text))),
		attachmentPart(`application/pdf; name="`+encodeHeader(name)+`"`, disp, kit))
}

// sofiaInvoice carries a plain-named PDF invoice.
func (m *msg) sofiaInvoice() part {
	inv := pdfDoc("INVOICE SA-0031", "Sofia Alvarez, billed to Glow Inc.",
		"1 TikTok + 3 IG stories (Spring Glow launch): $850.00", "Total due: $850.00", "Bank transfer, net 15")
	return multipartOf("mixed", boundary(m)+"m",
		multipartOf("alternative", boundary(m), textPart("plain", m.withQuote(m.text)), textPart("html", m.gmailHTML(m.text))),
		attachmentPart(`application/pdf; name="Invoice-SA-0031.pdf"`, `attachment; filename="Invoice-SA-0031.pdf"`, inv))
}

// fatimaForward forwards the shop's shipping notice as an attached
// message/rfc822, the way "forward as attachment" does.
func (m *msg) fatimaForward() part {
	shipped := m.date.Add(-2 * 24 * time.Hour)
	orders := person{"Glow", "orders@glowbrand.example", rosterStyle, zone(-5)}
	notice := &msg{from: orders, to: []person{m.from}, date: shipped, subject: "Your Glow order #GB-48213 has shipped",
		id: messageID(orders, "order GB-48213 shipped"), thread: m.thread,
		text: `Hi Fatima,

Good news: your order #GB-48213 is on its way.

  1 × Dew Shield SPF 50 (refill pouch)
  1 × Spring Glow Vitamin C Serum 30 ml

Carrier: ParcelNow, tracking PN4829301755
Track your parcel: https://track.parcelnow.example/PN4829301755

Thanks for shopping with Glow!`}
	notice.date = daytime(notice, m.date)
	notice.body = func(n *msg) part {
		return multipartOf("alternative", boundary(n), textPart("plain", n.text), textPart("html", `<html><body>`+htmlLines(n.text)+`</body></html>`))
	}
	return multipartOf("mixed", boundary(m),
		textPart("plain", m.text),
		part{[][2]string{
			{"Content-Type", `message/rfc822; name="Your Glow order #GB-48213 has shipped.eml"`},
			{"Content-Disposition", `attachment; filename="Your Glow order #GB-48213 has shipped.eml"`},
		}, notice.render()})
}

// pdfDoc is a minimal valid one-page PDF showing lines of text, so
// attachments open in a viewer.
func pdfDoc(lines ...string) []byte {
	var content strings.Builder
	for i, l := range lines {
		size := 12
		if i == 0 {
			size = 20
		}
		fmt.Fprintf(&content, "BT /F1 %d Tf 72 %d Td (%s) Tj ET\n", size, 720-i*28, pdfString(l))
	}
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", content.Len(), content.String()),
	}
	var b strings.Builder
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return []byte(b.String())
}

// pdfString escapes s for a PDF literal string in WinAnsiEncoding.
func pdfString(s string) string {
	var b strings.Builder
	for _, c := range []byte(cp1252(s)) {
		switch {
		case c == '(' || c == ')' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c >= 0x80:
			fmt.Fprintf(&b, "\\%03o", c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
