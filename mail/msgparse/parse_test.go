package msgparse

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"roster/crm"
)

func mustParse(t *testing.T, raw []byte) crm.ParsedMessage {
	t.Helper()
	m, err := Parse(raw)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	checkClean(t, m)
	return m
}

// checkClean asserts the output contract: valid UTF-8, no escape or
// bidi override anywhere, one-line fields on one line.
func checkClean(t testing.TB, m crm.ParsedMessage) {
	t.Helper()
	if m.Text != crm.SanitizeText(m.Text) {
		t.Errorf("Text not sanitised: %q", m.Text)
	}
	for _, s := range oneLineFields(m) {
		if s != crm.SanitizeLine(s) {
			t.Errorf("field not sanitised: %q", s)
		}
	}
}

func oneLineFields(m crm.ParsedMessage) []string {
	out := []string{m.MessageIDRaw, m.InReplyToRaw, m.ReferencesRaw, m.Subject, m.From.Name, m.From.Email}
	for _, l := range [][]crm.Address{m.Sender, m.ReplyTo, m.To, m.Cc} {
		for _, a := range l {
			out = append(out, a.Name, a.Email)
		}
	}
	for _, a := range m.Attachments {
		out = append(out, a.Name, a.Type)
	}
	return append(out, m.Problems...)
}

func TestParseFixtures(t *testing.T) {
	fx := fixtures()
	tests := []struct {
		name     string
		subject  string
		from     crm.Address
		text     string // exact, when set
		contains []string
		atts     []crm.Attachment
		problems []string
		bulk     bool
	}{
		{
			name:    "gmail_reply",
			subject: "Re: Collab for the spring launch",
			from:    crm.Address{Name: "Jane Doe", Email: "Jane.Doe@gmail.com"},
			text: "Hi Sam,\n\nThanks — the rate works for me. I can post on the 15th.\n\nBest,\nJane\n\n" +
				"On Mon, Jan 8, 2024 at 6:15\u202fPM Sam Manager <sam@roster-agency.com> wrote:\n\n" +
				"> Hi Jane,\n>\n> We'd love to have you for the spring launch. Our budget is $2,000.\n>\n> Sam\n>",
		},
		{
			name:     "outlook_reply",
			subject:  "RE: Collab for the spring launch",
			from:     crm.Address{Name: "Marco Rossi", Email: "Marco.Rossi@agency-example.com"},
			contains: []string{"Confirmed for the 15th.", "________________________________\nFrom: Sam Manager"},
		},
		{
			name:    "latin1_smartquotes",
			subject: "“Café” collab",
			from:    crm.Address{Name: "François O’Brien", Email: "francois@example.fr"},
			text:    "I’m in – the fee is €500.\n“Great” café shoot, naïve lighting.",
		},
		{
			name:     "usascii_8bit",
			text:     "Renée here – it’s fine.",
			problems: []string{"text/plain labelled us-ascii has invalid UTF-8: read as windows-1252"},
		},
		{
			name:    "unknown_charset",
			subject: "Qapla' and more",
			text:    "Qapla'! café\n\nHi +AOk- there",
			problems: []string{
				"unknown charset x-klingon in a header: shown raw",
				"unknown charset x-klingon in text/plain: shown raw",
				"unknown charset utf-7 in text/plain: shown raw",
			},
		},
		{name: "gb2312", subject: "合作报价", from: crm.Address{Name: "李娜", Email: "lina@example.cn"}, text: gbText},
		{name: "shift_jis", text: sjisText},
		{name: "iso2022jp", subject: jisSubj, text: jisText},
		{name: "subject_mixed", subject: mixedSubj, text: "Body."},
		{
			name:     "qp_broken",
			text:     "Price: 100€ =ZZ is not an escape, this is a soft break and a long line that the sender's server wrapped at column seventy-six.\nTrailing = sign and a lone = in the middle.",
			problems: []string{"quoted-printable text/plain has invalid escapes: kept as they are"},
		},
		{
			name:     "base64_garbage",
			text:     "Hello Sam, the video goes live on Friday at 9am.",
			problems: []string{"base64 text/plain damaged after byte 68: kept what decoded"},
		},
		{
			name:    "newsletter",
			subject: "Your March creator brief ✨",
			bulk:    true,
			text: "[image: GlowSkin]\n\nMarch creator brief\n\nHi creator,\nhere is what we need this month.\n\n" +
				"Deliverable | Due | Fee\n1 Reel | Mar 15 | $800\n3 Stories | Mar 20 | $300 & product\n\n" +
				"Read the full brief <https://glowskin.example/brief?utm_source=mail> or visit https://glowskin.example.\n\n" +
				"• Use #GlowSkinPartner\n• Tag @glowskin\n\n" +
				"You get this because you are a GlowSkin creator. Unsubscribe <https://glowskin.example/u/abc>",
		},
		{
			name: "nested_related",
			text: "Hi Sam,\nAttached is the media kit. Logo below.",
			atts: []crm.Attachment{
				{Name: "logo.png", Type: "image/png", Size: int64(len(pngBytes))},
				{Name: "Jane Doe media kit 2024.pdf", Type: "application/pdf", Size: int64(len(pdfBytes))},
			},
		},
		{
			name: "filenames",
			text: "Anbei die Unterlagen.",
			atts: []crm.Attachment{
				{Name: "Vertrag für Kampagne – März.pdf", Type: "application/pdf", Size: int64(len(pdfBytes))},
				{Name: "Frühling shoot.png", Type: "image/png", Size: int64(len(pngBytes))},
				{Name: "rates.xlsx", Type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Size: 29},
				{Name: "notes café.txt", Type: "text/plain", Size: 10},
				{Name: "IMG_0042.png", Type: "image/png", Size: int64(len(pngBytes))},
				{Name: ".bashrc", Type: "application/octet-stream", Size: 17},
			},
		},
		{
			name: "forwarded",
			text: "FYI, the invoice from Marco is attached.",
			atts: []crm.Attachment{{Name: "Invoice – March.eml", Type: "message/rfc822", Size: 286}},
		},
		{
			name: "winmail",
			text: "Please see the attached contract.",
			atts: []crm.Attachment{{Name: "winmail.dat", Type: "application/ms-tnef", Size: 17}},
		},
		{name: "no_message_id", text: "No Message-ID, no MIME-Version, an asctime date."},
		{
			name: "fake_plaintext",
			text: "Campaign details\n\nWe would like two Reels and one carousel post between March 1 and March 15. The fee is $3,000 plus product. Please confirm your availability and share your latest media kit.",
		},
		{
			name: "flowed",
			text: "Hola Sam, el calendario me va bien. Publico el día 15.\n\n" +
				"El 17 ene 2024, a las 10:00, Sam Manager <sam@roster-agency.com> escribió:\n\n" +
				"> ¿Te va bien publicar el 15? El presupuesto es de 2.000 €.",
		},
		{
			name:     "unknown_cte",
			text:     "begin 644 note.txt\n#0V%T\nend",
			problems: []string{"unknown transfer encoding x-uuencode in text/plain: shown raw"},
		},
		{
			name:    "hostile",
			subject: "Urgent payment gnp.exe red",
			from:    crm.Address{Name: "EvilCorp", Email: "Evil@attacker.example"},
			text:    "Hello\nClick here now\ndone C1",
			atts:    []crm.Attachment{{Name: "invoicefdp.exe", Type: "application/octet-stream", Size: 2}},
		},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		seen[tt.name] = true
		t.Run(tt.name, func(t *testing.T) {
			raw, ok := fx[tt.name]
			if !ok {
				t.Fatalf("no fixture %s", tt.name)
			}
			m := mustParse(t, raw)
			if tt.subject != "" && m.Subject != tt.subject {
				t.Errorf("Subject = %q, want %q", m.Subject, tt.subject)
			}
			if tt.from != (crm.Address{}) && m.From != tt.from {
				t.Errorf("From = %+v, want %+v", m.From, tt.from)
			}
			if tt.text != "" && m.Text != tt.text {
				t.Errorf("Text =\n%q\nwant\n%q", m.Text, tt.text)
			}
			for _, c := range tt.contains {
				if !strings.Contains(m.Text, c) {
					t.Errorf("Text lacks %q:\n%s", c, m.Text)
				}
			}
			if !reflect.DeepEqual(m.Attachments, tt.atts) {
				t.Errorf("Attachments = %+v, want %+v", m.Attachments, tt.atts)
			}
			if !reflect.DeepEqual(m.Problems, tt.problems) {
				t.Errorf("Problems = %q, want %q", m.Problems, tt.problems)
			}
			if m.Bulk != tt.bulk {
				t.Errorf("Bulk = %v", m.Bulk)
			}
			if m.Size != int64(len(raw)) {
				t.Errorf("Size = %d, want %d", m.Size, len(raw))
			}
			if m.HeaderOnly {
				t.Error("HeaderOnly set by Parse")
			}
		})
	}
	for n := range fx {
		if !seen[n] {
			t.Errorf("fixture %s has no test", n)
		}
	}
}

func TestParseHeaderFields(t *testing.T) {
	m := mustParse(t, fixtures()["gmail_reply"])
	if m.MessageIDRaw != "<CAK7-reply-1@mail.gmail.com>" || m.InReplyToRaw != "<20240108.abc@roster-agency.com>" ||
		m.ReferencesRaw != "<CAB1xyz0@mail.gmail.com> <20240108.abc@roster-agency.com>" {
		t.Errorf("ids: %q %q %q", m.MessageIDRaw, m.InReplyToRaw, m.ReferencesRaw)
	}
	if want := time.Date(2024, 1, 9, 9, 2, 3, 0, time.UTC); !m.Date.Equal(want) {
		t.Errorf("Date = %v", m.Date)
	}
	if !reflect.DeepEqual(m.To, []crm.Address{{Name: "Sam Manager", Email: "sam@roster-agency.com"}}) ||
		!reflect.DeepEqual(m.Cc, []crm.Address{{Email: "agent@talent.example"}}) {
		t.Errorf("To %+v Cc %+v", m.To, m.Cc)
	}
	m = mustParse(t, fixtures()["outlook_reply"])
	if m.MessageIDRaw != "<DB9PR01MB1234ABCD@DB9PR01MB1234.eurprd01.prod.exchangelabs.com>" {
		t.Errorf("folded Message-ID = %q", m.MessageIDRaw)
	}
	m = mustParse(t, fixtures()["no_message_id"])
	if m.MessageIDRaw != "" || !m.Date.Equal(time.Date(2024, 1, 9, 10, 2, 3, 0, time.UTC)) {
		t.Errorf("no_message_id: %q %v", m.MessageIDRaw, m.Date)
	}
	m = mustParse(t, fixtures()["hostile"])
	if m.MessageIDRaw != "<evil@attacker.example>" {
		t.Errorf("hostile Message-ID = %q", m.MessageIDRaw)
	}
}

func TestParseHeader(t *testing.T) {
	// What BODY.PEEK[HEADER.FIELDS (...)] returns: the fields asked for,
	// in server order, then a blank line.
	raw := crlf("From: =?UTF-8?Q?J=C3=B6rg?= <Joerg@Example.DE>\n" +
		"Subject: Re: Kooperation\n" +
		"Date: Mon, 22 Jan 2024 10:00:00 +0100\n" +
		"Message-ID: <abc@example.de>\n" +
		"In-Reply-To: <parent@roster-agency.com>\n" +
		"References: <root@roster-agency.com>\n <parent@roster-agency.com>\n" +
		"Auto-Submitted: auto-replied\n" +
		"Content-Type: multipart/alternative; boundary=x\n" +
		"\n")
	m, err := ParseHeader(raw)
	if err != nil {
		t.Fatal(err)
	}
	checkClean(t, m)
	if !m.HeaderOnly || m.Text != "" || m.Size != 0 || !m.Bulk {
		t.Errorf("HeaderOnly %v Text %q Size %d Bulk %v", m.HeaderOnly, m.Text, m.Size, m.Bulk)
	}
	if m.From != (crm.Address{Name: "Jörg", Email: "Joerg@example.de"}) || m.Subject != "Re: Kooperation" {
		t.Errorf("From %+v Subject %q", m.From, m.Subject)
	}
	if m.ReferencesRaw != "<root@roster-agency.com> <parent@roster-agency.com>" {
		t.Errorf("References %q", m.ReferencesRaw)
	}
	// A whole message given to ParseHeader: the body is ignored.
	m, err = ParseHeader(fixtures()["gmail_reply"])
	if err != nil || m.Text != "" || len(m.Attachments) != 0 || m.Subject == "" {
		t.Errorf("whole message: %v %q", err, m.Text)
	}
	for _, raw := range []string{"", "\r\n", "\r\n\r\nbody"} {
		if _, err := ParseHeader([]byte(raw)); !errors.Is(err, ErrEmpty) {
			t.Errorf("ParseHeader(%q) err = %v", raw, err)
		}
	}
}

func TestHeaderFieldsList(t *testing.T) {
	want := []string{"Message-ID", "In-Reply-To", "References", "From", "Sender", "Reply-To", "To", "Cc",
		"Date", "Subject", "List-Id", "List-Unsubscribe", "Precedence", "Auto-Submitted", "Content-Type"}
	if !reflect.DeepEqual(HeaderFields, want) {
		t.Errorf("HeaderFields = %q", HeaderFields)
	}
}

func TestParseEmpty(t *testing.T) {
	for _, raw := range []string{"", "   \r\n\r\n  \n"} {
		if _, err := Parse([]byte(raw)); !errors.Is(err, ErrEmpty) {
			t.Errorf("Parse(%q) err = %v", raw, err)
		}
	}
	// No header at all but a body: usable.
	m, err := Parse([]byte("\r\nJust a body."))
	if err != nil || m.Text != "Just a body." {
		t.Errorf("body only: %v %q", err, m.Text)
	}
}

func TestBrokenHeaders(t *testing.T) {
	tests := []struct {
		name, raw, subject, text string
		problems                 []string
	}{
		{
			name:    "mbox From line",
			raw:     "From nobody Mon Jan  1 00:00:00 2024\nSubject: hi\nFrom: a@b.example\n\nbody",
			subject: "hi", text: "body",
		},
		{
			name:    "broken fold",
			raw:     "Subject: a long subject\nthat lost its indent\nFrom: a@b.example\n\nbody",
			subject: "a long subject that lost its indent", text: "body",
			problems: []string{"malformed header line joined to Subject"},
		},
		{
			name:    "no blank line before body",
			raw:     "Subject: hi\nFrom: a@b.example\nHello there,\nsee you.",
			subject: "hi", text: "Hello there,\nsee you.",
		},
		{
			name:    "LF only and trailing space in key",
			raw:     "Subject : spaced\nFrom: a@b.example\n\nbody\n",
			subject: "spaced", text: "body",
		},
		{
			name:    "raw 8-bit subject",
			raw:     "Subject: caf\xe9 \x93quoted\x94\nFrom: a@b.example\n\nbody",
			subject: "café “quoted”", text: "body",
		},
		{
			name:    "raw UTF-8 subject (RFC 6532)",
			raw:     "Subject: Grüße 👋\nFrom: a@b.example\n\nbody",
			subject: "Grüße 👋", text: "body",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := mustParse(t, []byte(tt.raw))
			if m.Subject != tt.subject || m.Text != tt.text || m.From.Email != "a@b.example" {
				t.Errorf("Subject %q Text %q From %+v", m.Subject, m.Text, m.From)
			}
			if !reflect.DeepEqual(m.Problems, filterDate(tt.problems)) && !reflect.DeepEqual(filterDate(m.Problems), tt.problems) {
				t.Errorf("Problems = %q, want %q", m.Problems, tt.problems)
			}
		})
	}
}

// filterDate drops the "no Date header" note the short samples all get.
func filterDate(ps []string) []string {
	var out []string
	for _, p := range ps {
		if p != "no Date header" {
			out = append(out, p)
		}
	}
	return out
}

func TestIDFields(t *testing.T) {
	raw := "From: a@b.example\n" +
		"Message-ID: =?utf-8?B?PGFiY0BleGFtcGxlLmNvbT4=?=\n" +
		"In-Reply-To: jane@example.com (Jane's message of Mon)\n" +
		"References: <a@x> <b@x>,\n\t<c@x>\n\nbody"
	m := mustParse(t, []byte(raw))
	if m.MessageIDRaw != "<abc@example.com>" {
		t.Errorf("encoded Message-ID = %q", m.MessageIDRaw)
	}
	if m.InReplyToRaw != "jane@example.com (Jane's message of Mon)" {
		t.Errorf("In-Reply-To = %q", m.InReplyToRaw)
	}
	if got := crm.ParseMessageIDs(m.ReferencesRaw); !reflect.DeepEqual(got, []string{"a@x", "b@x", "c@x"}) {
		t.Errorf("References = %q → %q", m.ReferencesRaw, got)
	}
}

func TestBulk(t *testing.T) {
	tests := []struct {
		hdr  string
		bulk bool
	}{
		{"", false},
		{"List-Id: <x.example>\n", true},
		{"List-Unsubscribe: <mailto:u@x>\n", true},
		{"Precedence: bulk\n", true},
		{"Precedence: List\n", true},
		{"Precedence: junk\n", true},
		{"Precedence: first-class\n", false},
		{"Auto-Submitted: no\n", false},
		{"Auto-Submitted: No (comment)\n", false},
		{"Auto-Submitted: auto-generated\n", true},
		{"Auto-Submitted: auto-replied\n", true},
	}
	for _, tt := range tests {
		m, err := ParseHeader([]byte("From: a@b.example\n" + tt.hdr + "\n"))
		if err != nil || m.Bulk != tt.bulk {
			t.Errorf("%q: Bulk = %v, err %v", tt.hdr, m.Bulk, err)
		}
	}
}

func TestDates(t *testing.T) {
	utc := func(y int, mo time.Month, d, h, mi, s int) time.Time {
		return time.Date(y, mo, d, h, mi, s, 0, time.UTC)
	}
	tests := []struct {
		in   string
		want time.Time
	}{
		{"Tue, 9 Jan 2024 10:02:03 +0100", utc(2024, 1, 9, 9, 2, 3)},
		{"Tue, 09 Jan 2024 10:02:03 +0100 (CET)", utc(2024, 1, 9, 9, 2, 3)},
		{"9 Jan 2024 10:02 +0100", utc(2024, 1, 9, 9, 2, 0)},
		{"Tue, 9 Jan 24 10:02:03 +0100", utc(2024, 1, 9, 9, 2, 3)},
		{"Tue, 9 Jan 2024 10:02:03 GMT", utc(2024, 1, 9, 10, 2, 3)},
		{"Tue, 9 Jan 2024 10:02:03 PST", utc(2024, 1, 9, 18, 2, 3)},
		{"Tue, 9 Jan 2024 10:02:03 EDT", utc(2024, 1, 9, 14, 2, 3)},
		{"Tue, 9 Jan 2024 10:02:03 -0500 EST", utc(2024, 1, 9, 15, 2, 3)},
		{"Tue, 9 Jan 2024 10:02:03", utc(2024, 1, 9, 10, 2, 3)},
		{"Tue Jan  9 10:02:03 2024", utc(2024, 1, 9, 10, 2, 3)},
		{"Tuesday, 9 January 2024 10:02:03 +0100", utc(2024, 1, 9, 9, 2, 3)},
		{"Tue, 9 Jan 2024 10:02:03 GMT+0100", utc(2024, 1, 9, 9, 2, 3)},
		{"Tue, 9 Jan 2024 10:02:03 UTC+1", utc(2024, 1, 9, 9, 2, 3)},
		{"2024-01-09T10:02:03Z", utc(2024, 1, 9, 10, 2, 3)},
		{"2024-01-09T10:02:03+01:00", utc(2024, 1, 9, 9, 2, 3)},
		{"2024-01-09 10:02:03 +0100", utc(2024, 1, 9, 9, 2, 3)},
		{"09.01.2024 10:02:03 +0100", utc(2024, 1, 9, 9, 2, 3)},
		{"Tue, 9-Jan-2024 10:02:03 +0100", utc(2024, 1, 9, 9, 2, 3)},
		{"January 9, 2024 10:02:03 AM +0100", utc(2024, 1, 9, 9, 2, 3)},
	}
	for _, tt := range tests {
		got, ok := parseDate(tt.in)
		if !ok || !got.Equal(tt.want) {
			t.Errorf("parseDate(%q) = %v %v, want %v", tt.in, got, ok, tt.want)
		}
	}
	m := mustParse(t, []byte("From: a@b.example\nDate: sometime last week\n\nx"))
	if !m.Date.IsZero() || !reflect.DeepEqual(m.Problems, []string{`unreadable Date "sometime last week"`}) {
		t.Errorf("hopeless date: %v %q", m.Date, m.Problems)
	}
}

func TestAddresses(t *testing.T) {
	tests := []struct {
		in   string
		want []crm.Address
	}{
		{`"Doe, Jane" <Jane@Example.COM>, bob@x.example`, []crm.Address{addr("Doe, Jane", "Jane@example.com"), addr("", "bob@x.example")}},
		{`=?UTF-8?Q?Ren=C3=A9e?= <renee@x.example>`, []crm.Address{addr("Renée", "renee@x.example")}},
		{`=?iso-8859-1?Q?O=92Brien?= <ob@x.example>`, []crm.Address{addr("O’Brien", "ob@x.example")}},
		// Rejected by net/mail, read by the lenient extractor:
		{`Jane Q. Public <jane@x.example>, John [Sales] <john@x.example>`, []crm.Address{addr("Jane Q. Public", "jane@x.example"), addr("John [Sales]", "john@x.example")}},
		{`jane@x.example (Jane Doe); bob@y.example`, []crm.Address{addr("Jane Doe", "jane@x.example"), addr("", "bob@y.example")}},
		{`"Unclosed <jane@x.example>`, []crm.Address{addr("Unclosed", "jane@x.example")}},
		{`'Marco Rossi' <marco@x.example>`, []crm.Address{addr("Marco Rossi", "marco@x.example")}},
		{`Team: a@x.example, b@x.example;`, []crm.Address{addr("", "a@x.example"), addr("", "b@x.example")}},
		{`undisclosed-recipients:;`, nil},
		{`jane@x.example <jane@x.example>`, []crm.Address{addr("", "jane@x.example")}},
		{"Evil\u202e\x1b[2J <e@x.example>", []crm.Address{addr("Evil", "e@x.example")}},
		{`no address here`, nil},
	}
	for _, tt := range tests {
		p := &parser{}
		got := p.addressList(tt.in)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("addressList(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func TestNestingAndSizeCaps(t *testing.T) {
	// 30 nested multiparts: cut at 20, no panic, the inner text dropped.
	var b strings.Builder
	b.WriteString("From: a@b.example\nDate: Tue, 9 Jan 2024 10:02:03 +0100\n")
	for i := 0; i < 30; i++ {
		fmt.Fprintf(&b, "Content-Type: multipart/mixed; boundary=\"b%d\"\n\n--b%d\n", i, i)
	}
	b.WriteString("Content-Type: text/plain\n\ndeep text\n")
	m := mustParse(t, []byte(b.String()))
	if m.Text != "" || !contains(m.Problems, "MIME nesting deeper than 20: rest skipped") {
		t.Errorf("deep: %q %q", m.Text, m.Problems)
	}

	big := "From: a@b.example\nDate: Tue, 9 Jan 2024 10:02:03 +0100\n\n" + strings.Repeat("é", maxText)
	m = mustParse(t, []byte(big))
	if len(m.Text) > maxText || !contains(m.Problems, "text/plain over 2 MiB: truncated") {
		t.Errorf("big: len %d %q", len(m.Text), m.Problems)
	}
}

func TestMultipartQuirks(t *testing.T) {
	tests := []struct {
		name, raw, text string
		problems        []string
	}{
		{
			name:     "no closing boundary",
			raw:      "Content-Type: multipart/mixed; boundary=b\n\n--b\n\nfirst\n--b\n\nsecond, cut off",
			text:     "first\n\nsecond, cut off",
			problems: []string{"multipart/mixed closing boundary missing: message may be truncated"},
		},
		{
			name:     "boundary never used",
			raw:      "Content-Type: multipart/alternative; boundary=zzz\n\njust text",
			text:     "just text",
			problems: []string{"multipart/alternative without its boundary: shown as text"},
		},
		{
			name: "stray parameter and epilogue",
			raw:  "Content-Type: multipart/mixed; boundary=\"b\"; junk\n\npreamble\n--b\nContent-Type: text/plain\n\none\n--b--\nepilogue",
			text: "one",
		},
		{
			name: "nested boundary that extends the outer one",
			raw: "Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: multipart/alternative; boundary=\"b-1\"\n\n" +
				"--b-1\nContent-Type: text/plain\n\nplain\n--b-1\nContent-Type: text/html\n\n<p>html</p>\n--b-1--\n--b--\n",
			text: "plain",
		},
		{
			name: "malformed part header",
			raw:  "Content-Type: multipart/mixed; boundary=b\n\n--b\nthis is not a header\n\ntext\n--b\nContent-Type: text/plain\n\nmore\n--b--",
			text: "this is not a header\n\ntext\n\nmore",
		},
		{
			name: "empty alternative (Gmail)",
			raw:  "Content-Type: multipart/alternative; boundary=b\n\n--b--\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := mustParse(t, []byte("From: a@b.example\nDate: Tue, 9 Jan 2024 10:02:03 +0100\n"+tt.raw))
			if m.Text != tt.text || !reflect.DeepEqual(m.Problems, tt.problems) {
				t.Errorf("Text %q Problems %q", m.Text, m.Problems)
			}
		})
	}
}

func TestDeterministic(t *testing.T) {
	for name, raw := range fixtures() {
		a, _ := Parse(raw)
		b, _ := Parse(raw)
		if !sameParse(a, b) {
			t.Errorf("%s: Parse not deterministic", name)
		}
	}
}

// sameParse compares two results; dates by instant and offset, since
// each parse makes its own *time.Location.
func sameParse(a, b crm.ParsedMessage) bool {
	_, oa := a.Date.Zone()
	_, ob := b.Date.Zone()
	if !a.Date.Equal(b.Date) || oa != ob {
		return false
	}
	a.Date, b.Date = time.Time{}, time.Time{}
	return reflect.DeepEqual(a, b)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func addr(name, email string) crm.Address {
	return crm.Address{Name: name, Email: email}
}

// TestSplitQuotedFixtures checks the quote splitter (crm.SplitQuoted)
// on the text Parse makes of real replies.
func TestSplitQuotedFixtures(t *testing.T) {
	for _, name := range []string{"gmail_reply", "outlook_reply", "flowed"} {
		m := mustParse(t, fixtures()[name])
		fresh, quoted := crm.SplitQuoted(m.Text)
		if quoted == "" || fresh == "" {
			t.Errorf("%s: no split: %q", name, m.Text)
		}
	}
}
