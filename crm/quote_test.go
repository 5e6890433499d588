package crm_test

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"roster/crm"
)

func TestSplitQuoted(t *testing.T) {
	tests := []struct {
		name, in, fresh, quoted string
	}{
		{
			name:   "gmail",
			in:     "Sounds good!\n\nOn Mon, Jan 8, 2024 at 6:15 PM Sam <sam@x.example> wrote:\n\n> Hi\n> there\n",
			fresh:  "Sounds good!",
			quoted: "On Mon, Jan 8, 2024 at 6:15 PM Sam <sam@x.example> wrote:\n\n> Hi\n> there",
		},
		{
			name:   "gmail attribution wrapped",
			in:     "Yes.\n\nOn Mon, Jan 8, 2024 at 6:15 PM Sam Manager <\nsam@roster-agency.com> wrote:\n\n> Hi\n",
			fresh:  "Yes.",
			quoted: "On Mon, Jan 8, 2024 at 6:15 PM Sam Manager <\nsam@roster-agency.com> wrote:\n\n> Hi",
		},
		{
			name:   "apple mail iPhone signature stays fresh",
			in:     "Deal!\n\nSent from my iPhone\n\n> On Jan 8, 2024, at 18:15, Sam <sam@x.example> wrote:\n>\n> Hi Jane\n",
			fresh:  "Deal!\n\nSent from my iPhone",
			quoted: "> On Jan 8, 2024, at 18:15, Sam <sam@x.example> wrote:\n>\n> Hi Jane",
		},
		{
			name:   "outlook desktop",
			in:     "Confirmed.\n\nMarco\n\n-----Original Message-----\nFrom: Sam <sam@x.example>\nSent: Monday, January 8, 2024 6:15 PM\n\nHi Marco",
			fresh:  "Confirmed.\n\nMarco",
			quoted: "-----Original Message-----\nFrom: Sam <sam@x.example>\nSent: Monday, January 8, 2024 6:15 PM\n\nHi Marco",
		},
		{
			name:   "outlook web underscores",
			in:     "Confirmed.\n\n________________________________\nFrom: Sam <sam@x.example>\nSent: Monday\nTo: Marco\n\nHi",
			fresh:  "Confirmed.",
			quoted: "________________________________\nFrom: Sam <sam@x.example>\nSent: Monday\nTo: Marco\n\nHi",
		},
		{
			name:   "outlook from/sent block without separator",
			in:     "Ok.\n\nFrom: Sam <sam@x.example>\nSent: Monday, January 8, 2024 6:15 PM\nTo: Marco\nSubject: Collab\n\nHi",
			fresh:  "Ok.",
			quoted: "From: Sam <sam@x.example>\nSent: Monday, January 8, 2024 6:15 PM\nTo: Marco\nSubject: Collab\n\nHi",
		},
		{
			name:   "german outlook",
			in:     "Passt.\n\n-----Ursprüngliche Nachricht-----\nVon: Sam\nGesendet: Montag\n\nHallo",
			fresh:  "Passt.",
			quoted: "-----Ursprüngliche Nachricht-----\nVon: Sam\nGesendet: Montag\n\nHallo",
		},
		{
			name:   "thunderbird",
			in:     "Thanks.\n\nOn 1/8/24 18:15, Sam wrote:\n> Hi\n",
			fresh:  "Thanks.",
			quoted: "On 1/8/24 18:15, Sam wrote:\n> Hi",
		},
		{
			name:   "yahoo without >",
			in:     "Great.\n\nOn Monday, January 8, 2024, 06:15:03 PM GMT+1, Sam <sam@x.example> wrote:\n\n\nHi Jane, are you free?",
			fresh:  "Great.",
			quoted: "On Monday, January 8, 2024, 06:15:03 PM GMT+1, Sam <sam@x.example> wrote:\n\n\nHi Jane, are you free?",
		},
		{name: "german", in: "Ja.\n\nAm 08.01.2024 um 18:15 schrieb Sam <sam@x.example>:\n> Hallo", fresh: "Ja.", quoted: "Am 08.01.2024 um 18:15 schrieb Sam <sam@x.example>:\n> Hallo"},
		{name: "french", in: "Oui.\n\nLe lun. 8 janv. 2024 à 18:15, Sam <sam@x.example> a écrit :\n> Salut", fresh: "Oui.", quoted: "Le lun. 8 janv. 2024 à 18:15, Sam <sam@x.example> a écrit :\n> Salut"},
		{name: "spanish", in: "Sí.\n\nEl lun, 8 ene 2024 a las 18:15, Sam (<sam@x.example>) escribió:\n> Hola", fresh: "Sí.", quoted: "El lun, 8 ene 2024 a las 18:15, Sam (<sam@x.example>) escribió:\n> Hola"},
		{name: "italian", in: "Sì.\n\nIl giorno lun 8 gen 2024 alle ore 18:15 Sam <sam@x.example> ha scritto:\n> Ciao", fresh: "Sì.", quoted: "Il giorno lun 8 gen 2024 alle ore 18:15 Sam <sam@x.example> ha scritto:\n> Ciao"},
		{name: "dutch", in: "Ja.\n\nOp ma 8 jan 2024 om 18:15 schreef Sam <sam@x.example>:\n> Hoi", fresh: "Ja.", quoted: "Op ma 8 jan 2024 om 18:15 schreef Sam <sam@x.example>:\n> Hoi"},
		{name: "plain > run", in: "Agreed.\n> earlier\n> text\n", fresh: "Agreed.", quoted: "> earlier\n> text"},
		{name: "no quote", in: "Just a note.\nTwo lines.", fresh: "Just a note.\nTwo lines."},
		{
			name:  "inline replies are not split",
			in:    "On Mon, Jan 8, 2024 at 6:15 PM Sam <sam@x.example> wrote:\n> Question 1?\nAnswer 1\n> Question 2?\nAnswer 2",
			fresh: "On Mon, Jan 8, 2024 at 6:15 PM Sam <sam@x.example> wrote:\n> Question 1?\nAnswer 1\n> Question 2?\nAnswer 2",
		},
		{
			name:   "inline replies then trailing quote",
			in:     "> Q1?\nA1\n\n> rest\n> of thread",
			fresh:  "> Q1?\nA1",
			quoted: "> rest\n> of thread",
		},
		{name: "only quote", in: "> all\n> quoted", fresh: "> all\n> quoted"},
		{
			name:  "casual 'wrote' in prose without quote",
			in:    "On Monday you wrote:\nthat the fee is fine.",
			fresh: "On Monday you wrote:\nthat the fee is fine.",
		},
		{
			name:  "forwarded message is content, not history",
			in:    "See below.\n\n---------- Forwarded message ---------\nFrom: Brand <b@x.example>\nDate: Mon, Jan 8, 2024\nSubject: Offer\n\nThe offer.",
			fresh: "See below.\n\n---------- Forwarded message ---------\nFrom: Brand <b@x.example>\nDate: Mon, Jan 8, 2024\nSubject: Offer\n\nThe offer.",
		},
		{name: "empty", in: "", fresh: ""},
		{name: "CRLF", in: "Ok.\r\n\r\n> q\r\n", fresh: "Ok.", quoted: "> q"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fresh, quoted := crm.SplitQuoted(tt.in)
			if fresh != tt.fresh || quoted != tt.quoted {
				t.Errorf("SplitQuoted =\n%q\n%q\nwant\n%q\n%q", fresh, quoted, tt.fresh, tt.quoted)
			}
		})
	}
}

func TestTopicOf(t *testing.T) {
	for in, want := range map[string]string{"Re: RE: Fwd: Glow x Maya": "Glow x Maya", "AW: Angebot": "Angebot", "Rates": "Rates", "Re[2]: Hi": "Hi"} {
		if got := crm.TopicOf(in); got != want {
			t.Errorf("TopicOf(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestReplySubject: a reply drops the reply prefixes threading knows, in
// any language, and keeps a forward's.
func TestReplySubject(t *testing.T) {
	for in, want := range map[string]string{
		"Collab?":             "Re: Collab?",
		"RE: Re: Collab?":     "Re: Collab?",
		"AW: Re[3]: Angebot":  "Re: Angebot",
		"VS: SV: Yhteistyö":   "Re: Yhteistyö",
		"回复：合作":               "Re: 合作",
		"Odp: RIF: Ynt: Hi":   "Re: Hi",
		"Fwd: Rates":          "Re: Fwd: Rates",
		"Re: Fwd: Re: Rates":  "Re: Fwd: Re: Rates",
		" Re:\tlong \n  gap ": "Re: long gap",
	} {
		if got := crm.ReplySubject(in); got != want {
			t.Errorf("ReplySubject(%q) = %q, want %q", in, got, want)
		}
	}
	if got := crm.TopicOf("Re: Fwd: 转发: WG: TR: x"); got != "x" {
		t.Errorf("TopicOf = %q", got)
	}
	if got := crm.NormalizeSubject("[team] Re: (fwd) Fw: Glow  X"); got != "glow x" {
		t.Errorf("NormalizeSubject = %q", got)
	}
}

// TestQuoteMessageWrapsLongLines: a reply quotes a long line in pieces of
// at most 76 columns, each with the line's own quote marks, so neither the
// compose editor nor the creator's mail client wraps a piece without them;
// words stay in order and a link is never cut.
func TestQuoteMessageWrapsLongLines(t *testing.T) {
	long := strings.Repeat("we would love to feature the new serum in three reels ", 4)
	link := "https://brand.example/" + strings.Repeat("x", 90)
	m := crm.Message{From: crm.Address{Name: "Maya"}, Date: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC),
		Text: long + "\n\n> " + long + "\nsee " + link + " for the brief\nshort line"}
	q := crm.QuoteMessage(&m)
	lines := strings.Split(strings.TrimRight(q, "\n"), "\n")[1:] // after the attribution
	var plain, nested []string
	for _, l := range lines {
		if n := utf8.RuneCountInString(l); n > 76 && !strings.Contains(l, link) {
			t.Errorf("line of %d columns: %q", n, l)
		}
		switch {
		case strings.HasPrefix(l, ">> "):
			nested = append(nested, strings.TrimPrefix(l, ">> "))
		case strings.HasPrefix(l, "> "):
			plain = append(plain, strings.TrimPrefix(l, "> "))
		case l != ">":
			t.Errorf("line without quote marks: %q", l)
		}
	}
	want := strings.TrimSpace(long)
	if got := strings.Join(nested, " "); got != want {
		t.Errorf("nested quote re-joined:\n%q\nwant\n%q", got, want)
	}
	if got := strings.Join(plain, " "); got != want+" see "+link+" for the brief short line" {
		t.Errorf("quote re-joined:\n%q", got)
	}
	if len(plain) < 4 || plain[len(plain)-1] != "short line" {
		t.Errorf("pieces %q", plain)
	}
}
