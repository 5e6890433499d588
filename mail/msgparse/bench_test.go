package msgparse

import (
	"roster/crm"

	"fmt"
	"strings"
	"testing"
)

// typicalReply builds an ~8 KB multipart/alternative reply: a short answer
// over a quoted history, in text/plain (quoted-printable) and text/html.
func typicalReply() []byte {
	var plain, html strings.Builder
	plain.WriteString("Hi Sam,\n\nThanks =E2=80=94 the rate works for me. I can post on the 15th.\n\nBest,\nJane\n\n")
	plain.WriteString("On Mon, Jan 8, 2024 at 6:15 PM Sam Manager <sam@roster-agency.com> wrote:\n\n")
	html.WriteString(`<div dir=3D"ltr">Hi Sam,<div><br></div><div>Thanks =E2=80=94 the rate works for me.</div><div>Best,</div><div>Jane</div></div>`)
	html.WriteString(`<div class=3D"gmail_quote"><div class=3D"gmail_attr">On Mon, Jan 8, 2024 at 6:15 PM Sam &lt;sam@roster-agency.com&gt; wrote:<br></div><blockquote class=3D"gmail_quote">`)
	for i := 0; i < 27; i++ {
		fmt.Fprintf(&plain, "> Paragraph %d of the brief: deliverables, dates and usage rights for the spring launch.\n>\n", i)
		fmt.Fprintf(&html, "<div>Paragraph %d of the brief: deliverables, dates and <a href=3D\"https://brand.example/r/%d\">usage rights</a> for the spring launch.</div><div><br></div>\n", i, i)
	}
	html.WriteString("</blockquote></div>")
	return crlf(`Received: from mail-sor-f41.google.com (mail-sor-f41.google.com. [209.85.220.41])
        by mx.google.com with SMTPS id a1sor123; Tue, 09 Jan 2024 01:02:03 -0800 (PST)
MIME-Version: 1.0
References: <CAB1xyz0@mail.gmail.com> <20240108.abc@roster-agency.com>
In-Reply-To: <20240108.abc@roster-agency.com>
From: Jane Doe <jane.doe@gmail.com>
Date: Tue, 9 Jan 2024 10:02:03 +0100
Message-ID: <CAK7-reply-1@mail.gmail.com>
Subject: Re: Collab for the spring launch
To: Sam Manager <sam@roster-agency.com>
Content-Type: multipart/alternative; boundary="000000000000a1b2c3"

--000000000000a1b2c3
Content-Type: text/plain; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

` + plain.String() + `
--000000000000a1b2c3
Content-Type: text/html; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

` + html.String() + `
--000000000000a1b2c3--
`)
}

// BenchmarkParse parses the initial sync's mix (syncCorpus), one message
// per op, so ns/op, B/op and allocs/op are per average message.
func BenchmarkParse(b *testing.B) {
	corpus := syncCorpus(240)
	size := 0
	for _, raw := range corpus {
		size += len(raw)
	}
	b.SetBytes(int64(size / len(corpus)))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := Parse(corpus[i%len(corpus)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkParseReply parses one ~8 KB multipart/alternative reply.
func BenchmarkParseReply(b *testing.B) {
	raw := typicalReply()
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(raw); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseHeader(b *testing.B) {
	raw := typicalReply()
	hdr, _ := splitHeader(raw)
	b.SetBytes(int64(len(hdr)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseHeader(hdr); err != nil {
			b.Fatal(err)
		}
	}
}

func TestTypicalReply(t *testing.T) {
	raw := typicalReply()
	if len(raw) < 7000 || len(raw) > 9000 {
		t.Errorf("typical reply is %d bytes, want ~8 KB", len(raw))
	}
	m := mustParse(t, raw)
	if fresh, quoted := crm.SplitQuoted(m.Text); !strings.HasPrefix(fresh, "Hi Sam,") || !strings.HasPrefix(quoted, "On Mon") {
		t.Errorf("typical reply split: %q / %.80q", fresh, quoted)
	}
}

func TestSyncCorpus(t *testing.T) {
	corpus := syncCorpus(240)
	var alt, qp, att, size int
	for _, raw := range corpus {
		size += len(raw)
		s := string(raw)
		if strings.Contains(s, "multipart/alternative") {
			alt++
		}
		if strings.Contains(s, "quoted-printable") {
			qp++
		}
		if strings.Contains(s, "base64") {
			att++
		}
		m := mustParse(t, raw)
		if m.Text == "" || m.From.Email == "" || m.Date.IsZero() || len(m.Problems) > 0 {
			t.Fatalf("corpus message parsed badly: %+v", m)
		}
	}
	n := len(corpus)
	t.Logf("%d messages, avg %d bytes, %d alternative, %d quoted-printable, %d attachments", n, size/n, alt, qp, att)
	if alt*5 < n || alt*2 > n || qp*10 < n || qp*3 > n || att == 0 || size/n < 3000 || size/n > 9000 {
		t.Errorf("corpus mix off: %d messages, avg %d bytes, %d alternative, %d quoted-printable, %d attachments", n, size/n, alt, qp, att)
	}
}
