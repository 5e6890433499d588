package demomail

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// parsed is a generated message read back with the standard library.
type parsed struct {
	Message
	h     mail.Header
	body  []byte
	date  time.Time
	from  string
	id    string
	parts []leaf // decoded leaf parts, depth first
}

type leaf struct {
	ctype  string
	params map[string]string
	header textproto
	data   []byte
}

type textproto = map[string][]string

func parseAll(t *testing.T, now time.Time) []parsed {
	t.Helper()
	var out []parsed
	for _, m := range Messages(now) {
		pm, err := mail.ReadMessage(bytes.NewReader(m.Raw))
		if err != nil {
			t.Fatalf("unparsable message in %s: %v\n%s", m.Mailbox, err, m.Raw)
		}
		b, _ := io.ReadAll(pm.Body)
		p := parsed{Message: m, h: pm.Header, body: b, id: pm.Header.Get("Message-ID")}
		if p.date, err = pm.Header.Date(); err != nil {
			t.Errorf("%s: Date: %v", p.id, err)
		}
		from, err := pm.Header.AddressList("From")
		if err != nil || len(from) != 1 {
			t.Errorf("%s: From %q: %v", p.id, pm.Header.Get("From"), err)
		} else {
			p.from = from[0].Address
		}
		p.parts = leaves(t, textproto(pm.Header), b)
		out = append(out, p)
	}
	return out
}

// leaves decodes a MIME body into its leaf parts.
func leaves(t *testing.T, h textproto, body []byte) []leaf {
	ct := "text/plain"
	if v := h["Content-Type"]; len(v) > 0 {
		ct = v[0]
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		t.Errorf("Content-Type %q: %v", ct, err)
		return nil
	}
	if strings.HasPrefix(mt, "multipart/") {
		var out []leaf
		r := multipart.NewReader(bytes.NewReader(body), params["boundary"])
		for {
			p, err := r.NextRawPart()
			if err == io.EOF {
				return out
			}
			if err != nil {
				t.Errorf("multipart: %v", err)
				return out
			}
			b, _ := io.ReadAll(p)
			out = append(out, leaves(t, textproto(p.Header), b)...)
		}
	}
	data := body
	switch cte := strings.ToLower(first(h["Content-Transfer-Encoding"])); cte {
	case "base64":
		data, err = base64.StdEncoding.DecodeString(strings.NewReplacer("\r", "", "\n", "").Replace(string(body)))
	case "quoted-printable":
		data, err = io.ReadAll(quotedprintable.NewReader(bytes.NewReader(body)))
	}
	if err != nil {
		t.Errorf("decode %s: %v", mt, err)
	}
	return []leaf{{mt, params, h, data}}
}

func first(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

var nows = []time.Time{
	time.Date(2025, 3, 5, 15, 30, 0, 0, time.UTC),
	time.Date(2026, 11, 24, 3, 7, 41, 0, time.UTC),
	time.Now(),
}

func TestMessagesAreWellFormed(t *testing.T) {
	for _, now := range nows {
		msgs := parseAll(t, now)
		byID := map[string]parsed{}
		for _, p := range msgs {
			if !regexp.MustCompile(`^<[^<>@\s]+@[A-Za-z0-9.-]+>$`).MatchString(p.id) {
				t.Errorf("bad Message-ID %q", p.id)
			}
			if _, dup := byID[p.id]; dup {
				t.Errorf("duplicate Message-ID %s", p.id)
			}
			byID[p.id] = p
			if !p.date.Before(now) || p.date.Before(now.AddDate(0, 0, -90)) {
				t.Errorf("%s dated %v, outside the 90 days before %v", p.id, p.date, now)
			}
			if (p.Mailbox == Sent) != OwnAddress(p.from) {
				t.Errorf("%s from %s filed in %s", p.id, p.from, p.Mailbox)
			}
			if bytes.Contains(bytes.ReplaceAll(p.Raw, []byte("\r\n"), nil), []byte("\n")) {
				t.Errorf("%s has bare LF line ends", p.id)
			}
			for _, l := range bytes.Split(p.Raw, []byte("\r\n")) {
				if len(l) > 998 {
					t.Errorf("%s has a %d-byte line", p.id, len(l))
				}
			}
			for _, l := range p.parts {
				if strings.HasPrefix(l.ctype, "text/") && strings.Contains(strings.ToLower(l.params["charset"]), "utf-8") && !utf8.Valid(l.data) {
					t.Errorf("%s: invalid UTF-8 in %s", p.id, l.ctype)
				}
			}
		}
		// Every reply points at a message in the mailbox and is later
		// than it.
		for _, p := range msgs {
			irt := p.h.Get("In-Reply-To")
			if irt == "" {
				continue
			}
			parent, ok := byID[irt]
			if !ok {
				t.Errorf("%s replies to unknown %s", p.id, irt)
				continue
			}
			if !p.date.After(parent.date) {
				t.Errorf("%s (%v) is not after its parent %s (%v)", p.id, p.date, irt, parent.date)
			}
			if refs := strings.Fields(p.h.Get("References")); len(refs) == 0 || refs[len(refs)-1] != irt {
				t.Errorf("%s: References %v do not end with In-Reply-To %s", p.id, refs, irt)
			}
		}
	}
}

// The same now gives the same bytes, and another now the same ids in
// the same order, so UID n is the same message whenever the demo runs.
func TestMessagesAreDeterministic(t *testing.T) {
	ids := func(ms []Message) []string {
		var out []string
		for _, m := range ms {
			pm, _ := mail.ReadMessage(bytes.NewReader(m.Raw))
			out = append(out, m.Mailbox+" "+pm.Header.Get("Message-ID"))
		}
		return out
	}
	a, b := Messages(nows[0]), Messages(nows[0])
	for i := range a {
		if !bytes.Equal(a[i].Raw, b[i].Raw) {
			t.Fatalf("message %d differs between runs", i)
		}
	}
	want := ids(a)
	for _, now := range nows[1:] {
		if got := ids(Messages(now)); !slices.Equal(got, want) {
			t.Errorf("with now %v the mailbox order differs", now)
		}
	}
}

// The creator table copies crm/demo's; catch drift in emails, order,
// stage and timing.
func TestCreatorsMatchCrmDemo(t *testing.T) {
	src, err := os.ReadFile("../../crm/demo/demo.go")
	if err != nil {
		t.Skipf("crm/demo source not readable: %v", err)
	}
	row := regexp.MustCompile(`(?m)^\t\{"([^"]+)", "([^"]+)", crm\.\w+, "[^"]*", [\d_]+, [\d_]+, "[^"]*", "[^"]*", crm\.(\w+), (\d+),`)
	rows := row.FindAllStringSubmatch(string(src), -1)
	if len(rows) < 40 {
		t.Fatalf("found %d creator rows in crm/demo/demo.go; has its format changed?", len(rows))
	}
	for _, c := range creators {
		if c.idx >= len(rows) {
			t.Errorf("%s: index %d beyond crm/demo's %d creators", c.name, c.idx, len(rows))
			continue
		}
		r := rows[c.idx]
		days, _ := strconv.Atoi(r[4])
		if r[1] != c.name || r[2] != c.email || strings.ToLower(r[3]) != c.stage || days != c.daysAgo {
			t.Errorf("crm/demo row %d is %v; demomail has %s %s %s %d", c.idx, r[1:], c.name, c.email, c.stage, c.daysAgo)
		}
	}
}

// Every creator with mail has it where its stage says it should be.
func TestThreadsFollowStages(t *testing.T) {
	msgs := parseAll(t, nows[0])
	for _, c := range creators {
		var in, out int
		var last parsed
		for _, p := range msgs {
			if p.from == c.email || strings.Contains(p.h.Get("To")+p.h.Get("Cc"), c.email) {
				if OwnAddress(p.from) {
					out++
				} else {
					in++
				}
				last = p
			}
		}
		switch c.stage {
		case "prospect":
			if out != 0 {
				t.Errorf("%s is a prospect but was written to", c.name)
			}
		case "contacted":
			if out == 0 {
				t.Errorf("%s is contacted without outreach", c.name)
			}
		case "negotiating", "active":
			if out < 2 || in < 1 {
				t.Errorf("%s (%s): %d out, %d in", c.name, c.stage, out, in)
			}
		case "paid":
			if !OwnAddress(last.from) || !strings.Contains(string(last.parts[0].data), "aid") {
				t.Errorf("%s is paid but the last message is not the payment: %s", c.name, last.id)
			}
			if last.Mailbox != Sent {
				t.Errorf("%s: %s", c.name, last.Mailbox)
			}
		}
	}
}

func find(t *testing.T, msgs []parsed, match func(parsed) bool) parsed {
	t.Helper()
	for _, p := range msgs {
		if match(p) {
			return p
		}
	}
	t.Fatal("no such message")
	return parsed{}
}

func TestMessyCases(t *testing.T) {
	msgs := parseAll(t, nows[0])
	dec := &mime.WordDecoder{}
	from := func(addr string) func(parsed) bool { return func(p parsed) bool { return p.from == addr } }

	t.Run("ISO-8859-1 with Windows quotes", func(t *testing.T) {
		p := find(t, msgs, func(p parsed) bool {
			return p.from == isabella.email && strings.Contains(p.h.Get("Subject"), "ISO-8859-1")
		})
		subj, err := dec.DecodeHeader(p.h.Get("Subject"))
		if err != nil || subj != "Re: Bella Cucina × Glow: il primo reel è online" {
			t.Errorf("subject %q, %v", subj, err)
		}
		if p.parts[0].params["charset"] != "iso-8859-1" || !bytes.Contains(p.parts[0].data, []byte{0x93}) || !bytes.Contains(p.parts[0].data, []byte{0xE8}) {
			t.Errorf("not Latin-1 with 0x93 quotes: %q", p.parts[0].data[:80])
		}
	})
	t.Run("HTML only", func(t *testing.T) {
		p := find(t, msgs, func(p parsed) bool { return p.from == mia.email && p.parts[0].ctype == "text/html" })
		if len(p.parts) != 1 || !bytes.Contains(p.parts[0].data, []byte("<table")) || !bytes.Contains(p.parts[0].data, []byte("href=")) {
			t.Errorf("parts %d, html %q", len(p.parts), p.parts[0].data)
		}
	})
	t.Run("quoted-printable soft breaks", func(t *testing.T) {
		p := find(t, msgs, func(p parsed) bool { return p.from == noah.email && bytes.Contains(p.body, []byte("=E2=82=")) })
		if !bytes.Contains(p.body, []byte("=\r\n")) || !bytes.Contains(p.parts[0].data, []byte("€740")) {
			t.Errorf("QP body not as expected:\n%s", p.body)
		}
	})
	t.Run("PDF with RFC 2231 UTF-8 filename", func(t *testing.T) {
		p := find(t, msgs, from(diego.email))
		var pdf *leaf
		for i := range p.parts {
			if p.parts[i].ctype == "application/pdf" {
				pdf = &p.parts[i]
			}
		}
		if pdf == nil {
			t.Fatal("no PDF")
		}
		_, params, err := mime.ParseMediaType(first(pdf.header["Content-Disposition"]))
		want := "Diego Ramírez – Media Kit " + strconv.Itoa(p.date.Year()) + ".pdf"
		if err != nil || params["filename"] != want {
			t.Errorf("filename %q (%v), want %q", params["filename"], err, want)
		}
		if !bytes.HasPrefix(pdf.data, []byte("%PDF-1.4")) || !bytes.HasSuffix(pdf.data, []byte("%%EOF\n")) {
			t.Error("attachment is not a PDF")
		}
	})
	t.Run("forwarded message/rfc822", func(t *testing.T) {
		p := find(t, msgs, func(p parsed) bool { return strings.HasPrefix(p.h.Get("Subject"), "Fwd:") })
		var fwd []byte
		for _, l := range p.parts {
			if l.ctype == "message/rfc822" {
				fwd = l.data
			}
		}
		inner, err := mail.ReadMessage(bytes.NewReader(fwd))
		if err != nil || inner.Header.Get("Message-ID") == "" || !strings.Contains(inner.Header.Get("Subject"), "#GB-48213") {
			t.Errorf("forwarded message: %v", err)
		}
	})
	t.Run("reply without References", func(t *testing.T) {
		p := find(t, msgs, func(p parsed) bool { return p.from == amara.email && p.h.Get("References") == "" })
		if p.h.Get("In-Reply-To") != "" || !strings.HasPrefix(p.h.Get("Subject"), "RE: ") || p.h.Get("Thread-Index") == "" {
			t.Errorf("headers %v", p.h)
		}
	})
	t.Run("terminal escapes", func(t *testing.T) {
		p := find(t, msgs, from("deals@viralboost.example"))
		subj, err := dec.DecodeHeader(p.h.Get("Subject"))
		if err != nil || !strings.Contains(subj, "\x1b[2J") || !strings.Contains(subj, "\x1b]52;c;") || !bytes.Contains(p.body, []byte("\x1b]8;;")) {
			t.Errorf("subject %q, %v", subj, err)
		}
	})
	t.Run("agencies copy their creators", func(t *testing.T) {
		for _, c := range []struct{ agent, creator string }{{dana.email, rosa.email}, {jordan.email, ava.email}} {
			p := find(t, msgs, from(c.agent))
			if !strings.Contains(p.h.Get("Cc"), c.creator) {
				t.Errorf("%s: Cc %q", c.agent, p.h.Get("Cc"))
			}
		}
	})
	t.Run("unmatched mail", func(t *testing.T) {
		known := map[string]bool{jordan.email: true, dana.email: true, "orders@glowbrand.example": true}
		for _, c := range creators {
			known[c.email] = true
		}
		var bulk, strangers int
		for _, p := range msgs {
			switch {
			case p.h.Get("List-Id") != "" && p.h.Get("List-Unsubscribe") != "" && p.h.Get("Precedence") == "bulk":
				bulk++
			case !known[p.from] && !OwnAddress(p.from):
				strangers++
			}
		}
		if bulk != 4 || strangers != 3 {
			t.Errorf("%d bulk, %d strangers; want 4 and 3", bulk, strangers)
		}
	})
}
