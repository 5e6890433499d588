package mailgen

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"mime/quotedprintable"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Vocabulary is what generated prose is made of. Each generator keeps its
// own, because the mail its tests and figures were measured on was made
// of it.
type Vocabulary struct {
	// Words are the ASCII words paragraphs are made of.
	Words []string
	// Accents are words with non-ASCII letters, dashes, curly quotes and
	// emoji; in UTF-8 text one word in twelve is one of them, so the
	// parser meets quoted-printable multibyte sequences.
	Accents []string
}

// Writer writes the parts of generated messages, drawing every random
// choice from Rand in a fixed order, so that a generator calling it in a
// fixed order writes the same bytes on every run. Generators share it and
// keep their own thread loop (who writes when, which IDs), which is where
// the mail of Mailbox and of msgparse's corpus differ.
type Writer struct {
	Rand  *rand.Rand
	Vocab Vocabulary
}

// Thread is the history of one generated conversation, quoted below each
// new message the way mail clients do; its zero value starts a thread.
type Thread struct {
	quoted string // the fresh text of each message so far, newest first
}

// Incoming writes the header fields a creator's mail gathers on its way
// into the manager's mailbox (Return-Path, the MX's and the LMTP
// delivery's Received, Authentication-Results, a DKIM-Signature), so the
// header pass and the parser skip what real incoming mail carries. The
// message was sent at date and delivered transit later (the MX saw it two
// thirds of the way).
func (w *Writer) Incoming(h *bytes.Buffer, creator, manager string, date time.Time, transit time.Duration) {
	r := w.Rand
	fmt.Fprintf(h, "Return-Path: <%s>\n", creator)
	fmt.Fprintf(h, "Received: from mx.brand.example (mx.brand.example [203.0.113.25])\n\tby imap.brand.example with LMTP id %016x\n\tfor <%s>; %s\n", r.Uint64(), manager, date.Add(transit).Format(time.RFC1123Z))
	fmt.Fprintf(h, "Received: from mail.example.com (mail.example.com [198.51.100.%d])\n\tby mx.brand.example (Postfix) with ESMTPS id %X\n\tfor <%s>; %s\n", 1+r.IntN(250), r.Uint32(), manager, date.Add(transit*2/3).Format(time.RFC1123Z))
	fmt.Fprintf(h, "Authentication-Results: mx.brand.example;\n\tdkim=pass header.d=example.com;\n\tspf=pass smtp.mailfrom=%s;\n\tdmarc=pass header.from=example.com\n", creator)
	fmt.Fprintf(h, "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=mail;\n\tt=%d; h=from:to:subject:date:message-id:in-reply-to:references;\n\tbh=%s;\n\tb=%s\n\t %s\n", date.Unix(), w.randB64(44), w.randB64(76), w.randB64(96))
}

// Header writes the fields threading reads: Date, From, To, Subject
// ("Re: " before it in a reply), Message-ID, and for a reply (refs not
// empty, oldest first) In-Reply-To and References folded one ID a line,
// then MIME-Version.
func Header(h *bytes.Buffer, date time.Time, from, to, subject, id string, refs []string) {
	fmt.Fprintf(h, "Date: %s\n", date.Format(time.RFC1123Z))
	fmt.Fprintf(h, "From: %s\nTo: %s\n", from, to)
	if len(refs) == 0 {
		fmt.Fprintf(h, "Subject: %s\n", subject)
	} else {
		fmt.Fprintf(h, "Subject: Re: %s\n", subject)
	}
	fmt.Fprintf(h, "Message-ID: <%s>\n", id)
	if len(refs) > 0 {
		fmt.Fprintf(h, "In-Reply-To: <%s>\n", refs[len(refs)-1])
		h.WriteString("References:")
		for _, ref := range refs {
			fmt.Fprintf(h, "\n <%s>", ref)
		}
		h.WriteString("\n")
	}
	h.WriteString("MIME-Version: 1.0\n")
}

// Body returns the body of the next message of th, from its Content-Type
// field on, for a header of headerLen bytes: one to three new paragraphs
// and, below them, "On <an hour before date>, <quoting> wrote:" over the
// thread's history quoted, as much as brings the message to 2 to 10 KB
// like real mail. A third are multipart/alternative with an HTML part
// (about 1.5 times the text), a fifth UTF-8 in quoted-printable, the rest
// 7bit. The new paragraphs go on top of th's history (kept under 16 KB).
// Lines end in LF.
func (w *Writer) Body(th *Thread, headerLen int, date time.Time, quoting string) string {
	r := w.Rand
	size := 2048 + r.IntN(8*1024+1)
	useUTF8 := r.IntN(5) == 0
	fresh := w.Paragraphs(1+r.IntN(3), useUTF8)
	text := fresh
	if th.quoted != "" {
		text += fmt.Sprintf("\nOn %s, %s wrote:\n", date.Add(-time.Hour).Format("Mon, Jan 2, 2006 at 3:04 PM"), quoting)
		text += quote(th.quoted)
	}
	html := r.IntN(3) == 0
	room := size - headerLen - 200
	if html {
		room = room * 2 / 5 // the HTML part is about 1.5× the text
	}
	for len(text) < room {
		text += w.Paragraphs(1, useUTF8)
	}
	if len(text) > room && room > len(fresh) {
		text = cutLine(text, room)
	}
	th.quoted = cutLine(fresh+"\n"+th.quoted, 16*1024)

	cte, encode := "7bit", func(s string) string { return s }
	if useUTF8 {
		cte, encode = "quoted-printable", QP
	}
	part := fmt.Sprintf("Content-Type: text/plain; charset=\"UTF-8\"\nContent-Transfer-Encoding: %s\n\n%s", cte, encode(text))
	if !html {
		return part
	}
	b := fmt.Sprintf("000000000000%016x", r.Uint64())
	return fmt.Sprintf("Content-Type: multipart/alternative; boundary=\"%s\"\n\n--%s\n%s\n--%s\nContent-Type: text/html; charset=\"UTF-8\"\nContent-Transfer-Encoding: %s\n\n%s\n--%s--\n",
		b, b, part, b, cte, encode(toHTML(text)), b)
}

// Paragraphs makes n paragraphs of 50 to 120 words of the vocabulary
// (about 300 to 700 characters) wrapped at 72 columns, each ending in a
// blank line; with useUTF8 one word in twelve is an accented one.
func (w *Writer) Paragraphs(n int, useUTF8 bool) string {
	r := w.Rand
	var b strings.Builder
	for range n {
		words := 50 + r.IntN(70)
		col := 0
		for i := range words {
			word := w.Vocab.Words[r.IntN(len(w.Vocab.Words))]
			if useUTF8 && r.IntN(12) == 0 {
				word = w.Vocab.Accents[r.IntN(len(w.Vocab.Accents))]
			}
			if i == 0 {
				// The first rune, not byte: "über" must stay UTF-8.
				first, size := utf8.DecodeRuneInString(word)
				word = string(unicode.ToUpper(first)) + word[size:]
			}
			if col > 0 && col+1+len(word) > 72 {
				b.WriteByte('\n')
				col = 0
			} else if col > 0 {
				b.WriteByte(' ')
				col++
			}
			b.WriteString(word)
			col += len(word)
		}
		b.WriteString(".\n\n")
	}
	return b.String()
}

// QP encodes s as quoted-printable with LF line ends, the way generated
// mail is written before any conversion to CRLF.
func QP(s string) string {
	var b bytes.Buffer
	w := quotedprintable.NewWriter(&b)
	_, _ = w.Write([]byte(s))
	_ = w.Close()
	return strings.ReplaceAll(b.String(), "\r\n", "\n")
}

// quote puts "> " before every line of s (">" before an empty one).
func quote(s string) string {
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		if l == "" {
			b.WriteString(">\n")
		} else {
			b.WriteString("> " + l + "\n")
		}
	}
	return b.String()
}

// cutLine shortens s to at most n bytes at a line end.
func cutLine(s string, n int) string {
	if len(s) <= n {
		return s
	}
	if i := strings.LastIndexByte(s[:n], '\n'); i > 0 {
		return s[:i+1]
	}
	return s[:n]
}

// toHTML renders text as Gmail does: a paragraph each, the attribution
// and quoted paragraphs in a blockquote.
func toHTML(text string) string {
	var b strings.Builder
	b.WriteString("<div dir=\"ltr\">")
	for _, p := range strings.Split(strings.TrimRight(text, "\n"), "\n\n") {
		if strings.HasPrefix(p, ">") || strings.HasPrefix(p, "On ") {
			b.WriteString("<blockquote class=\"gmail_quote\" style=\"margin:0 0 0 .8ex;border-left:1px solid #ccc;padding-left:1ex\">")
			b.WriteString(strings.ReplaceAll(p, "\n", "<br>\n"))
			b.WriteString("</blockquote>\n")
			continue
		}
		b.WriteString("<p style=\"font-family:Arial,sans-serif;font-size:14px\">")
		b.WriteString(p)
		b.WriteString("</p>\n")
	}
	b.WriteString("</div>")
	return b.String()
}

// randB64 makes n random base64 characters, for signatures and hashes.
func (w *Writer) randB64(n int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[w.Rand.IntN(len(alphabet))]
	}
	return string(b)
}
