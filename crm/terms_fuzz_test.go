package crm_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"roster/crm"
)

// FuzzTermsForm feeds the terms editor's text fields as a manager might
// type them. Parse never panics; what it refuses it refuses with a
// *FieldError naming a field; what it accepts validates, and editing it
// again (FormOf, then Parse) gives the same terms back, so opening and
// saving the editor never changes a version.
func FuzzTermsForm(f *testing.F) {
	f.Add("1,250.50", "usd", "12.5%", "2 tiktok videos by 2026-12-01; 1 ig story", "50% on signing, 50% within 30 days of the last post", "90", "tiktok, instagram", "yes", "30")
	f.Add("500", "EUR", "10", "1 youtube video", "100% net 30", "", "", "no", "")
	f.Add("JPY 1000", "", "0,5 %", "3 instagram reels by 2026-01-31", "30% on 2026-12-01, 70% on the last post", "7", "youtube", "", "365")
	f.Add("1,2,00", "US", "150%", "tiktok", "60% on signing", "-1", "myspace", "maybe", "x")
	f.Add("800", "EUR", "12,5%", "1 tiktok video", "12,5% on signing, 87,5% on delivery", "", "", "", "")
	f.Add("800", "EUR", "", "", "50% on signing, 50% within 30 days", "", "", "", "")
	f.Add("800", "EUR", "", "", "12,5 on signing and 87,5 on the last post", "", "", "", "")
	f.Fuzz(func(t *testing.T, fee, currency, commission, deliverables, schedule, usageDays, usagePlatforms, paidAds, exclDays string) {
		form := crm.TermsForm{Fee: fee, Currency: currency, Commission: commission, Deliverables: deliverables,
			Schedule: schedule, UsageDays: usageDays, UsagePlatforms: usagePlatforms, PaidAds: paidAds, ExclusivityDays: exclDays}
		terms, err := form.Parse()
		if err != nil {
			var fe *crm.FieldError
			if !errors.As(err, &fe) || fe.Field == "" {
				t.Fatalf("refusal without a field: %v", err)
			}
			return
		}
		if err := terms.Validate(); err != nil {
			t.Fatalf("accepted terms do not validate: %v (%+v)", err, form)
		}
		again, err := crm.FormOf(terms).Parse()
		if err != nil {
			t.Fatalf("terms %+v do not parse back from their own form %+v: %v", terms, crm.FormOf(terms), err)
		}
		if !reflect.DeepEqual(again, terms) {
			t.Fatalf("editing changed the terms:\n %+v\n %+v", terms, again)
		}
	})
}

// FuzzTermsAgreedIn: the "agreed in" field takes exactly one Message-ID
// or nothing. What it refuses names the field; what it accepts is the id
// ingest would store for the same header, so S finds that message, and it
// reads back unchanged from its own form.
func FuzzTermsAgreedIn(f *testing.F) {
	for _, s := range []string{"", "<abc@mail.example>", " abc@Mail.Example ", "<abc@x>Some note", "<a@x> <b@x>", "<>", "a(b)@x", "<a\x1b[2J@x>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		terms, err := crm.TermsForm{MessageID: raw}.Parse()
		if err != nil {
			var fe *crm.FieldError
			if !errors.As(err, &fe) || fe.Field != "agreed in" {
				t.Fatalf("%q refused without naming agreed in: %v", raw, err)
			}
			return
		}
		if strings.TrimSpace(raw) != "" && terms.MessageID != crm.NormalizeMessageID(raw) {
			t.Fatalf("%q kept as %q, but ingest stores %q", raw, terms.MessageID, crm.NormalizeMessageID(raw))
		}
		again, err := crm.FormOf(terms).Parse()
		if err != nil || again.MessageID != terms.MessageID {
			t.Fatalf("%q → %q → %q, %v", raw, terms.MessageID, again.MessageID, err)
		}
	})
}

// FuzzParseMoney: an amount that parses prints back (Plain) to the same
// amount.
func FuzzParseMoney(f *testing.F) {
	for _, s := range []string{"500", "1,250.50", "USD 12", "0.5 eur", "1,2,00", "-3", "１２"} {
		f.Add(s, "USD")
	}
	f.Fuzz(func(t *testing.T, s, cur string) {
		m, err := crm.ParseMoney("fee", s, cur)
		if err != nil {
			return
		}
		back, err := crm.ParseMoney("fee", m.Plain(), m.Currency)
		if err != nil || back != m {
			t.Fatalf("%q → %+v → %q → %+v, %v", s, m, m.Plain(), back, err)
		}
	})
}
