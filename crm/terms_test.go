package crm_test

import (
	"slices"
	"testing"
	"time"

	"roster/crm"
)

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestParseSchedule(t *testing.T) {
	got, err := crm.ParseSchedule("50% on signing, 50% within 30 days of the last post")
	want := []crm.Installment{{ShareBP: 5000, Trigger: crm.OnSigning}, {ShareBP: 5000, Trigger: crm.OnLastPost, Days: 30}}
	if err != nil || !slices.Equal(got, want) {
		t.Fatalf("got %v, %v", got, err)
	}
	if s := crm.ScheduleString(got); s != "50% on signing, 50% within 30 days of the last post" {
		t.Fatalf("printed %q", s)
	}
	got, err = crm.ParseSchedule("33.33% upfront and 33.33% on 2026-12-01, 33.34% net 45")
	want = []crm.Installment{{ShareBP: 3333, Trigger: crm.OnSigning}, {ShareBP: 3333, Trigger: crm.OnDate, Date: date("2026-12-01")},
		{ShareBP: 3334, Trigger: crm.OnSigning, Days: 45}}
	if err != nil || !slices.Equal(got, want) {
		t.Fatalf("got %v, %v", got, err)
	}
	again, err := crm.ParseSchedule(crm.ScheduleString(got))
	if err != nil || !slices.Equal(again, got) {
		t.Fatalf("printed schedule reads back as %v, %v", again, err)
	}
	// A decimal comma in a share is read as one where a share starts;
	// elsewhere a comma separates installments, spaces or not.
	for in, want := range map[string][]crm.Installment{
		"12,5% on signing, 87,5% on delivery": {{ShareBP: 1250, Trigger: crm.OnSigning}, {ShareBP: 8750, Trigger: crm.OnLastPost}},
		"12,5 % upfront and 87,5 % net 30":    {{ShareBP: 1250, Trigger: crm.OnSigning}, {ShareBP: 8750, Trigger: crm.OnSigning, Days: 30}},
		"33,33% upfront,33,33% on the last post,33,34% net 45": {{ShareBP: 3333, Trigger: crm.OnSigning}, {ShareBP: 3333, Trigger: crm.OnLastPost},
			{ShareBP: 3334, Trigger: crm.OnSigning, Days: 45}},
		"30% on 2026-12-01,70% on the last post":             {{ShareBP: 3000, Trigger: crm.OnDate, Date: date("2026-12-01")}, {ShareBP: 7000, Trigger: crm.OnLastPost}},
		"50% on signing,50% within 30 days of the last post": {{ShareBP: 5000, Trigger: crm.OnSigning}, {ShareBP: 5000, Trigger: crm.OnLastPost, Days: 30}},
		// "net 30" ends in a number, yet the comma after it separates.
		"50% net 30 and 50% on delivery": {{ShareBP: 5000, Trigger: crm.OnSigning, Days: 30}, {ShareBP: 5000, Trigger: crm.OnLastPost}},
		"50% net 30,50% on delivery":     {{ShareBP: 5000, Trigger: crm.OnSigning, Days: 30}, {ShareBP: 5000, Trigger: crm.OnLastPost}},
	} {
		if got, err := crm.ParseSchedule(in); err != nil || !slices.Equal(got, want) {
			t.Errorf("ParseSchedule(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for in, msg := range map[string]string{
		"12,5 on signing, 87,5 on delivery":     `schedule: "12" is not an installment: commas separate installments, so give every share with % (12,5% or 12.5%)`,
		"50% on signing, 50% within 30 days":    `schedule: "50% within 30 days" does not say from when (say "within 30 days of signing" or "within 30 days of the last post")`,
		"50% on signing":                        "schedule: shares add up to 50%, not 100%",
		"50% on signing, 50% when we feel like": `schedule: "50% when we feel like" is not an installment (say "50% on signing" or "50% within 30 days of the last post")`,
		"half on signing":                       `schedule: "half on signing" is not an installment (say "50% on signing" or "50% within 30 days of the last post")`,
	} {
		if _, err := crm.ParseSchedule(in); err == nil || err.Error() != msg {
			t.Errorf("ParseSchedule(%q) = %v, want %q", in, err, msg)
		}
	}
}

func TestTermsFormNamesTheBadField(t *testing.T) {
	good := crm.TermsForm{Fee: "1,500", Currency: "usd", Commission: "12.5%", PromoCode: "MAYA10",
		AffiliateLink: "https://brand.example/r/maya", Deliverables: "2 tiktok videos by 2026-12-01; 1 ig story",
		UsageDays: "90", UsagePlatforms: "tiktok, ig", PaidAds: "yes", ExclusivityCategory: "skincare", ExclusivityDays: "30",
		Schedule: "50% on signing, 50% within 30 days of the last post", Notes: "first collab", MessageID: "<abc@mail.example>"}
	terms, err := good.Parse()
	if err != nil {
		t.Fatal(err)
	}
	if terms.Fee != (crm.Money{AmountMinor: 150000, Currency: "USD"}) || terms.CommissionBP != 1250 || terms.MessageID != "abc@mail.example" ||
		len(terms.Deliverables) != 2 || terms.Deliverables[0] != (crm.DeliverableSpec{Platform: crm.TikTok, Kind: "video", Quantity: 2, Due: date("2026-12-01")}) ||
		!terms.Usage.PaidAds || !slices.Equal(terms.Usage.Platforms, []crm.Platform{crm.TikTok, crm.Instagram}) || terms.Exclusivity != (crm.Exclusivity{Category: "skincare", Days: 30}) {
		t.Fatalf("parsed %+v", terms)
	}
	back, err := crm.FormOf(terms).Parse()
	if err != nil || len(crm.DiffTerms(terms, back)) != 0 {
		t.Fatalf("form of terms reads back differently: %v %v", crm.DiffTerms(terms, back), err)
	}
	for raw, want := range map[string]string{"": "", "  <abc@Mail.Example>  ": "abc@mail.example", "abc@mail.example": "abc@mail.example"} {
		f := good
		f.MessageID = raw
		if got, err := f.Parse(); err != nil || got.MessageID != want {
			t.Errorf("agreed in %q: got %q, %v; want %q", raw, got.MessageID, err, want)
		}
	}
	for _, c := range []struct {
		edit func(*crm.TermsForm)
		msg  string
	}{
		{func(f *crm.TermsForm) { f.Fee = "1,2,00" }, "fee: 1,2,00 is not an amount"},
		{func(f *crm.TermsForm) { f.Fee = "-5" }, "fee: is negative"},
		{func(f *crm.TermsForm) { f.Commission = "120%" }, "commission: 120% is more than 100%"},
		{func(f *crm.TermsForm) { f.Commission = "ten" }, "commission: ten is not a percentage"},
		{func(f *crm.TermsForm) { f.PromoCode = "MAYA 10" }, `promo code: "MAYA 10" has spaces or is too long`},
		{func(f *crm.TermsForm) { f.AffiliateLink = "brand.example" }, `affiliate link: "brand.example" is not a web address`},
		{func(f *crm.TermsForm) { f.Deliverables = "tiktok" }, `deliverables: "tiktok" is not a deliverable (say "2 tiktok videos by 2026-12-01")`},
		{func(f *crm.TermsForm) { f.Deliverables = "2 tiktok video by friday" }, `deliverables: "friday" is not a date (YYYY-MM-DD)`},
		{func(f *crm.TermsForm) { f.UsageDays = "ninety" }, `usage days: "ninety" is not a number of days`},
		{func(f *crm.TermsForm) { f.PaidAds = "maybe" }, `paid ads: "maybe" is not yes or no`},
		{func(f *crm.TermsForm) { f.ExclusivityCategory = "" }, "exclusivity category: is empty (exclusive in what?)"},
		{func(f *crm.TermsForm) { f.Fee = ""; f.Currency = "" }, "schedule: there is no fee to schedule"},
		// S answers the message the terms were agreed in: text that is not
		// one Message-ID would send the confirmation under the newest
		// message instead, without a word.
		{func(f *crm.TermsForm) { f.MessageID = "<abc@mail.example>Some note" }, `agreed in: "<abc@mail.example>Some note" is not a Message-ID`},
		{func(f *crm.TermsForm) { f.MessageID = "<a@x> <b@x>" }, `agreed in: "<a@x> <b@x>" is not a Message-ID`},
		{func(f *crm.TermsForm) { f.MessageID = "agreed on the phone" }, `agreed in: "agreed on the phone" is not a Message-ID`},
		{func(f *crm.TermsForm) { f.MessageID = "<>" }, `agreed in: "<>" is not a Message-ID`},
		{func(f *crm.TermsForm) { f.MessageID = "<abc@mail.example" }, `agreed in: "<abc@mail.example" is not a Message-ID`},
	} {
		f := good
		c.edit(&f)
		_, err := f.Parse()
		var fe *crm.FieldError
		if !asField(err, &fe) || err.Error() != c.msg {
			t.Errorf("error %v, want %q", err, c.msg)
		}
	}
}

func TestDiffTermsInWords(t *testing.T) {
	a, _ := crm.TermsForm{Fee: "500", Currency: "USD", PromoCode: "MAYA10", Schedule: "100% net 30"}.Parse()
	b, _ := crm.TermsForm{Fee: "650", Currency: "USD", Commission: "10%", Schedule: "50% on signing, 50% on the last post",
		UsageDays: "90", PaidAds: "yes", MessageID: "m2@x"}.Parse()
	got := crm.DiffTerms(a, b)
	want := []string{
		"fee: 500.00 USD → 650.00 USD",
		"commission: set to 10%",
		"promo code: removed (was MAYA10)",
		"usage: set to 90 days",
		"paid ads: now allowed",
		"schedule: 100% within 30 days of signing → 50% on signing, 50% on the last post",
		"agreed in: set to m2@x",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("diff\n%q\nwant\n%q", got, want)
	}
	if d := crm.DiffTerms(b, b); len(d) != 0 {
		t.Fatalf("diff of equal terms: %q", d)
	}
}
