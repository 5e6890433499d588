package msgparse

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"mime/quotedprintable"
	"strings"
	"time"
)

// syncCorpus builds n messages shaped like the initial sync's mail (the
// same mix as genPerfMail in the main package's perf tests, which the
// sync benchmark serves from Dovecot): threads with a growing quoted
// history, 2 to 10 KB each, incoming mail with Received/DKIM headers, a
// third multipart/alternative, a fifth UTF-8 in quoted-printable, and
// here also one in twelve carrying a base64 attachment (a signed
// contract or a media kit). Lines end in CRLF as IMAP serves them.
// Deterministic for a given n.
func syncCorpus(n int) [][]byte {
	r := rand.New(rand.NewPCG(50_000, 7))
	names := []string{"Maya Chen", "Leo Park", "Priya Raman", "Sofia Alvarez", "Jonas Weber", "Amara Okafor"}
	subjects := []string{"Collab idea", "Paid partnership", "Spring launch", "Product seeding", "Campaign brief"}
	const manager = "manager@brand.example"
	at := time.Date(2023, 1, 2, 8, 0, 0, 0, time.UTC)
	var out [][]byte
	for t := 0; len(out) < n; t++ {
		name := names[t%len(names)]
		creator := fmt.Sprintf("creator%d@example.com", t%len(names))
		subject := subjects[r.IntN(len(subjects))] + " with GlowBrand: " + name
		var ids []string
		quoted := ""
		fromManager := true
		for k := range min(5+r.IntN(11), n-len(out)) {
			if k > 0 && r.IntN(10) < 8 {
				fromManager = !fromManager
			}
			at = at.Add(time.Duration(20+r.IntN(3*24*60)) * time.Minute)
			var h bytes.Buffer
			from, to := "Sam Rivera <"+manager+">", name+" <"+creator+">"
			id := fmt.Sprintf("CAM%016x.%d.%d@mail.brand.example", r.Uint64(), t, k)
			if !fromManager {
				from, to = to, from
				id = fmt.Sprintf("%016x.%d.%d@mail.example.com", r.Uint64(), t, k)
				fmt.Fprintf(&h, "Return-Path: <%s>\nReceived: from mx.brand.example (mx.brand.example [203.0.113.25])\n\tby imap.brand.example with LMTP id %016x\n\tfor <%s>; %s\n", creator, r.Uint64(), manager, at.Format(time.RFC1123Z))
				fmt.Fprintf(&h, "Received: from mail.example.com (mail.example.com [198.51.100.%d])\n\tby mx.brand.example (Postfix) with ESMTPS id %X\n\tfor <%s>; %s\n", 1+r.IntN(250), r.Uint32(), manager, at.Format(time.RFC1123Z))
				fmt.Fprintf(&h, "Authentication-Results: mx.brand.example;\n\tdkim=pass header.d=example.com;\n\tspf=pass smtp.mailfrom=%s;\n\tdmarc=pass header.from=example.com\n", creator)
				fmt.Fprintf(&h, "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=mail;\n\tt=%d; h=from:to:subject:date:message-id:in-reply-to:references;\n\tbh=%s;\n\tb=%s\n\t %s\n", at.Unix(), corpusB64(r, 44), corpusB64(r, 76), corpusB64(r, 96))
			}
			fmt.Fprintf(&h, "Date: %s\nFrom: %s\nTo: %s\n", at.Format(time.RFC1123Z), from, to)
			if k > 0 {
				fmt.Fprintf(&h, "Subject: Re: %s\nMessage-ID: <%s>\nIn-Reply-To: <%s>\nReferences:", subject, id, ids[len(ids)-1])
				for _, ref := range ids {
					fmt.Fprintf(&h, "\n <%s>", ref)
				}
				h.WriteString("\n")
			} else {
				fmt.Fprintf(&h, "Subject: %s\nMessage-ID: <%s>\n", subject, id)
			}
			h.WriteString("MIME-Version: 1.0\n")
			ids = append(ids, id)

			size := 2048 + r.IntN(8*1024+1)
			utf8 := r.IntN(5) == 0
			fresh := corpusParagraphs(r, 1+r.IntN(3), utf8)
			text := fresh
			if quoted != "" {
				text += fmt.Sprintf("\nOn %s, %s wrote:\n", at.Add(-time.Hour).Format("Mon, Jan 2, 2006 at 3:04 PM"), name)
				for _, l := range strings.Split(strings.TrimRight(quoted, "\n"), "\n") {
					text += strings.TrimRight("> "+l, " ") + "\n"
				}
			}
			html := r.IntN(3) == 0
			room := size - h.Len() - 200
			if html {
				room = room * 2 / 5
			}
			for len(text) < room {
				text += corpusParagraphs(r, 1, utf8)
			}
			if len(text) > room && room > len(fresh) {
				if i := strings.LastIndexByte(text[:room], '\n'); i > 0 {
					text = text[:i+1]
				}
			}
			quoted = fresh + "\n" + quoted
			if len(quoted) > 16*1024 {
				quoted = quoted[:strings.LastIndexByte(quoted[:16*1024], '\n')+1]
			}

			cte, encode := "7bit", func(s string) string { return s }
			if utf8 {
				cte, encode = "quoted-printable", corpusQP
			}
			textPart := fmt.Sprintf("Content-Type: text/plain; charset=\"UTF-8\"\nContent-Transfer-Encoding: %s\n\n%s", cte, encode(text))
			if html {
				b := fmt.Sprintf("000000000000%016x", r.Uint64())
				textPart = fmt.Sprintf("Content-Type: multipart/alternative; boundary=\"%s\"\n\n--%s\n%s\n--%s\nContent-Type: text/html; charset=\"UTF-8\"\nContent-Transfer-Encoding: %s\n\n%s\n--%s--\n",
					b, b, textPart, b, cte, encode(corpusHTML(text)), b)
			}
			if r.IntN(12) == 0 {
				b := fmt.Sprintf("000000000000%016x", r.Uint64())
				data := make([]byte, 2048+r.IntN(6*1024))
				for i := range data {
					data[i] = byte(r.Uint32())
				}
				textPart = fmt.Sprintf("Content-Type: multipart/mixed; boundary=\"%s\"\n\n--%s\n%s\n--%s\nContent-Type: application/pdf; name=\"contract-%d.pdf\"\nContent-Disposition: attachment; filename=\"contract-%d.pdf\"\nContent-Transfer-Encoding: base64\n\n%s\n--%s--\n",
					b, b, textPart, b, t, t, b64(data), b)
			}
			h.WriteString(textPart)
			out = append(out, []byte(strings.ReplaceAll(h.String(), "\n", "\r\n")))
		}
	}
	return out
}

var corpusWords = strings.Fields(`the campaign brief looks great and we would love to have you on board for
our spring launch posting schedule deliverables include one video two stories and a link in bio
usage rights for ninety days on paid social rate card engagement audience mostly women eighteen to
thirty four based in the US and UK shipping the product this week tracking number below let me know
when it arrives draft due on Friday feedback from the team script hook first three seconds
invoice net thirty payment contract attached please sign whitelisting spark ads code discount`)

var corpusUTF8 = []string{"café", "naïve", "crème", "déjà vu", "Zürich", "São Paulo", "—", "“great”", "✨", "🙌"}

// corpusParagraphs makes n paragraphs of 50 to 120 words wrapped at 72.
func corpusParagraphs(r *rand.Rand, n int, utf8 bool) string {
	var b strings.Builder
	for range n {
		col := 0
		for w := range 50 + r.IntN(70) {
			word := corpusWords[r.IntN(len(corpusWords))]
			if utf8 && r.IntN(12) == 0 {
				word = corpusUTF8[r.IntN(len(corpusUTF8))]
			}
			if w == 0 && word[0] < 0x80 {
				word = strings.ToUpper(word[:1]) + word[1:]
			}
			switch {
			case col > 0 && col+1+len(word) > 72:
				b.WriteByte('\n')
				col = 0
			case col > 0:
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

// corpusHTML renders text as Gmail does: paragraphs, quoted ones in a
// blockquote.
func corpusHTML(text string) string {
	var b strings.Builder
	b.WriteString(`<div dir="ltr">`)
	for _, p := range strings.Split(strings.TrimRight(text, "\n"), "\n\n") {
		if strings.HasPrefix(p, ">") || strings.HasPrefix(p, "On ") {
			b.WriteString(`<blockquote class="gmail_quote" style="margin:0 0 0 .8ex;border-left:1px solid #ccc;padding-left:1ex">`)
			b.WriteString(strings.ReplaceAll(p, "\n", "<br>\n") + "</blockquote>\n")
			continue
		}
		b.WriteString(`<p style="font-family:Arial,sans-serif;font-size:14px">` + p + "</p>\n")
	}
	return b.String() + "</div>"
}

func corpusQP(s string) string {
	var b bytes.Buffer
	w := quotedprintable.NewWriter(&b)
	_, _ = w.Write([]byte(s))
	_ = w.Close()
	return strings.ReplaceAll(b.String(), "\r\n", "\n")
}

func corpusB64(r *rand.Rand, n int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b)
}
