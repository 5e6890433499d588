package main

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"mime/quotedprintable"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
	"unicode"
	"unicode/utf8"
)

// perfManager is the manager's own address in the generated mailbox.
const perfManager = "manager@brand.example"

// perfMsg is one generated message and where it goes.
type perfMsg struct {
	seq  int    // 0.. in generation order, for unique file names
	box  string // "INBOX" (from a creator) or "Sent" (from the manager)
	date time.Time
	seen bool
	raw  []byte // LF line endings, as a Maildir stores mail
}

// genPerfMail generates n messages exchanged between the manager and
// creators creator0@example.com .. creator{creators-1}@example.com,
// deterministic for given n and creators, and hands each to emit in
// order. Conversations are threads of 5 to 15 messages with
// Message-ID, In-Reply-To and References; a thread opens with the
// manager's outreach and then mostly alternates, so about half the mail
// is from creators (INBOX) and half from the manager (Sent). Messages
// are 2 to 10 KB like real mail: a Received/DKIM header block on incoming
// mail, a new paragraph or two and the quoted conversation below it;
// about a third are multipart/alternative with an HTML part, and about a
// fifth carry non-ASCII text in quoted-printable.
func genPerfMail(n, creators int, emit func(perfMsg)) {
	r := rand.New(rand.NewPCG(50_000, 7))
	first := []string{"Maya", "Leo", "Priya", "Sofia", "Jonas", "Amara", "Ethan", "Hana", "Lucas", "Zara", "Noah", "Isabella", "Kai", "Olivia", "Mateo", "Chloe"}
	last := []string{"Chen", "Park", "Raman", "Alvarez", "Weber", "Okafor", "Brooks", "Sato", "Moreau", "Ahmed", "Fischer", "Rossi", "Nakamura", "Bennett"}
	subjects := []string{"Collab idea", "Paid partnership", "Spring launch", "Your recent video", "Product seeding", "Campaign brief", "Quick question", "Gifting + paid post", "Summer series", "Affiliate program"}
	brands := []string{"GlowBrand", "Glow Skin", "Glow Active", "Glow Home"}
	base := time.Date(2023, 1, 2, 8, 0, 0, 0, time.UTC)
	span := 2 * 365 * 24 * time.Hour
	seq := 0
	for t := 0; seq < n; t++ {
		c := t % creators
		name := first[(c*7)%len(first)] + " " + last[(c*11)%len(last)]
		creator := fmt.Sprintf("creator%d@example.com", c)
		length := min(5+r.IntN(11), n-seq)
		subject := fmt.Sprintf("%s with %s: %s", subjects[r.IntN(len(subjects))], brands[r.IntN(len(brands))], name)
		at := base.Add(time.Duration(r.Int64N(int64(span))))
		var ids []string
		var quoted string // the conversation so far, newest first
		fromManager := true
		for k := range length {
			if k > 0 {
				if r.IntN(10) < 8 {
					fromManager = !fromManager
				}
				at = at.Add(time.Duration(20+r.IntN(3*24*60)) * time.Minute)
			}
			var id string
			var h bytes.Buffer
			from, to := fmt.Sprintf("Sam Rivera <%s>", perfManager), fmt.Sprintf("%s <%s>", name, creator)
			if fromManager {
				id = fmt.Sprintf("CAM%016x.%d.%d@mail.brand.example", r.Uint64(), t, k)
			} else {
				id = fmt.Sprintf("%016x.%d.%d@mail.example.com", r.Uint64(), t, k)
				from, to = to, from
				fmt.Fprintf(&h, "Return-Path: <%s>\n", creator)
				fmt.Fprintf(&h, "Received: from mx.brand.example (mx.brand.example [203.0.113.25])\n\tby imap.brand.example with LMTP id %016x\n\tfor <%s>; %s\n", r.Uint64(), perfManager, at.Add(3*time.Second).Format(time.RFC1123Z))
				fmt.Fprintf(&h, "Received: from mail.example.com (mail.example.com [198.51.100.%d])\n\tby mx.brand.example (Postfix) with ESMTPS id %X\n\tfor <%s>; %s\n", 1+r.IntN(250), r.Uint32(), perfManager, at.Add(2*time.Second).Format(time.RFC1123Z))
				fmt.Fprintf(&h, "Authentication-Results: mx.brand.example;\n\tdkim=pass header.d=example.com;\n\tspf=pass smtp.mailfrom=%s;\n\tdmarc=pass header.from=example.com\n", creator)
				fmt.Fprintf(&h, "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=mail;\n\tt=%d; h=from:to:subject:date:message-id:in-reply-to:references;\n\tbh=%s;\n\tb=%s\n\t %s\n", at.Unix(), randB64(r, 44), randB64(r, 76), randB64(r, 96))
			}
			fmt.Fprintf(&h, "Date: %s\n", at.Format(time.RFC1123Z))
			fmt.Fprintf(&h, "From: %s\nTo: %s\n", from, to)
			if k == 0 {
				fmt.Fprintf(&h, "Subject: %s\n", subject)
			} else {
				fmt.Fprintf(&h, "Subject: Re: %s\n", subject)
			}
			fmt.Fprintf(&h, "Message-ID: <%s>\n", id)
			if k > 0 {
				fmt.Fprintf(&h, "In-Reply-To: <%s>\n", ids[len(ids)-1])
				h.WriteString("References:")
				for _, ref := range ids {
					fmt.Fprintf(&h, "\n <%s>", ref)
				}
				h.WriteString("\n")
			}
			h.WriteString("MIME-Version: 1.0\n")
			if fromManager {
				h.WriteString("X-Mailer: roster-perf\n")
			}
			ids = append(ids, id)

			// The new text, then as much of the conversation quoted as
			// brings the message to its size.
			size := 2048 + r.IntN(8*1024+1)
			utf8 := r.IntN(5) == 0
			fresh := perfParagraphs(r, 1+r.IntN(3), utf8)
			text := fresh
			if quoted != "" {
				who := name
				if !fromManager {
					who = "Sam Rivera"
				}
				text += fmt.Sprintf("\nOn %s, %s wrote:\n", at.Add(-time.Hour).Format("Mon, Jan 2, 2006 at 3:04 PM"), who)
				text += quote(quoted)
			}
			html := r.IntN(3) == 0
			room := size - h.Len() - 200
			if html {
				room = room * 2 / 5 // the HTML part is about 1.5× the text
			}
			for len(text) < room {
				text += perfParagraphs(r, 1, utf8)
			}
			if len(text) > room && room > len(fresh) {
				text = cutLine(text, room)
			}
			quoted = fresh + "\n" + quoted
			if len(quoted) > 16*1024 {
				quoted = cutLine(quoted, 16*1024)
			}

			cte, encode := "7bit", func(s string) string { return s }
			if utf8 {
				cte, encode = "quoted-printable", qp
			}
			var b bytes.Buffer
			b.Write(h.Bytes())
			if html {
				boundary := fmt.Sprintf("000000000000%016x", r.Uint64())
				fmt.Fprintf(&b, "Content-Type: multipart/alternative; boundary=\"%s\"\n\n", boundary)
				fmt.Fprintf(&b, "--%s\nContent-Type: text/plain; charset=\"UTF-8\"\nContent-Transfer-Encoding: %s\n\n%s\n", boundary, cte, encode(text))
				fmt.Fprintf(&b, "--%s\nContent-Type: text/html; charset=\"UTF-8\"\nContent-Transfer-Encoding: %s\n\n%s\n", boundary, cte, encode(toHTML(text)))
				fmt.Fprintf(&b, "--%s--\n", boundary)
			} else {
				fmt.Fprintf(&b, "Content-Type: text/plain; charset=\"UTF-8\"\nContent-Transfer-Encoding: %s\n\n%s", cte, encode(text))
			}
			box := "INBOX"
			if fromManager {
				box = "Sent"
			}
			emit(perfMsg{seq: seq, box: box, date: at, seen: fromManager || r.IntN(20) != 0, raw: b.Bytes()})
			seq++
		}
	}
}

var perfWords = strings.Fields(`the campaign brief looks great and we would love to have you on board for
our spring launch posting schedule deliverables include one video two stories and a link in bio
usage rights for ninety days on paid social rate card engagement audience mostly women eighteen to
thirty four based in the US and UK shipping the product this week tracking number below let me know
when it arrives draft due on Friday feedback from the team script hook first three seconds
invoice net thirty payment contract attached please sign whitelisting spark ads code discount
affiliate commission happy to jump on a call next week thanks so much looking forward`)

var perfUTF8 = []string{"café", "naïve", "crème", "déjà vu", "Zürich", "São Paulo", "piñata", "—", "“great”", "✨", "🙌", "über"}

// perfParagraphs makes n paragraphs of about 300 to 700 characters,
// wrapped at 72 columns.
func perfParagraphs(r *rand.Rand, n int, useUTF8 bool) string {
	var b strings.Builder
	for range n {
		words := 50 + r.IntN(70)
		col := 0
		for w := range words {
			word := perfWords[r.IntN(len(perfWords))]
			if useUTF8 && r.IntN(12) == 0 {
				word = perfUTF8[r.IntN(len(perfUTF8))]
			}
			if w == 0 {
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

func qp(s string) string {
	var b bytes.Buffer
	w := quotedprintable.NewWriter(&b)
	_, _ = w.Write([]byte(s))
	_ = w.Close()
	// The writer emits CRLF; a Maildir file has LF.
	return strings.ReplaceAll(b.String(), "\r\n", "\n")
}

func randB64(r *rand.Rand, n int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b)
}

// fillMaildir writes the generated mail straight into the Maildir of a
// Dovecot user (home/Maildir for INBOX, home/Maildir/.Sent for Sent)
// before the user's first login, as a delivery agent would: one file per
// message in cur/ with Dovecot's size fields (S= file size, W= size with
// CRLF) and flags in its name, the Date as its mtime (INTERNALDATE), owned
// by the home's owner. Dovecot assigns UIDs and builds its index on the
// first SELECT. It returns the number of messages and bytes per mailbox.
func fillMaildir(home string, n, creators int) (count map[string]int, size int64, err error) {
	fi, err := os.Stat(home)
	if err != nil {
		return nil, 0, err
	}
	st := fi.Sys().(*syscall.Stat_t)
	uid, gid := int(st.Uid), int(st.Gid)
	chown := uid != os.Geteuid() || gid != os.Getegid()
	dirs := map[string]string{"INBOX": filepath.Join(home, "Maildir"), "Sent": filepath.Join(home, "Maildir", ".Sent")}
	for _, root := range []string{dirs["INBOX"], dirs["Sent"]} {
		for _, sub := range []string{"", "cur", "new", "tmp"} {
			d := filepath.Join(root, sub)
			if err := os.MkdirAll(d, 0o700); err != nil {
				return nil, 0, err
			}
			if chown {
				if err := os.Chown(d, uid, gid); err != nil {
					return nil, 0, err
				}
			}
		}
	}
	count = map[string]int{}
	ch := make(chan perfMsg, 256)
	errs := make(chan error, 4)
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for m := range ch {
				flags := ""
				if m.seen {
					flags = "S"
				}
				vsize := len(m.raw) + bytes.Count(m.raw, []byte("\n"))
				name := fmt.Sprintf("%d.M%06dP%d.roster-perf,S=%d,W=%d:2,%s", m.date.Unix(), m.seq%1_000_000, m.seq, len(m.raw), vsize, flags)
				p := filepath.Join(dirs[m.box], "cur", name)
				err := os.WriteFile(p, m.raw, 0o600)
				if err == nil && chown {
					err = os.Chown(p, uid, gid)
				}
				if err == nil {
					err = os.Chtimes(p, m.date, m.date)
				}
				if err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		}()
	}
	genPerfMail(n, creators, func(m perfMsg) {
		count[m.box]++
		size += int64(len(m.raw))
		ch <- m
	})
	close(ch)
	wg.Wait()
	select {
	case err := <-errs:
		return nil, 0, err
	default:
	}
	return count, size, nil
}
