package crm_test

import (
	"fmt"

	"roster/crm"
)

// The values a terms-confirmation template sees, as TemplateTerms
// documents them and docs/templates.md lists them.
func ExampleTemplateTermsOf() {
	t, err := crm.TermsForm{Fee: "450", Currency: "USD", Commission: "15%", PromoCode: "MAYA15",
		AffiliateLink: "https://brand.example/r/maya", Deliverables: "2 tiktok videos by 2026-12-01; 1 ig story",
		UsageDays: "90", UsagePlatforms: "tiktok, instagram", PaidAds: "no",
		Schedule: "50% on signing, 50% within 30 days of the last post"}.Parse()
	if err != nil {
		panic(err)
	}
	tt := crm.TemplateTermsOf(t)
	fmt.Println(tt.Deliverables)
	fmt.Println(tt.Fee)
	fmt.Println(tt.Commission)
	fmt.Println(tt.PromoCode)
	fmt.Println(tt.AffiliateLink)
	fmt.Println(tt.UsageRights)
	fmt.Println(tt.PaymentSchedule)
	t.Schedule = nil
	fmt.Println(crm.TemplateTermsOf(t).PaymentSchedule)
	// Output:
	// 2 tiktok videos by 2026-12-01; 1 instagram story
	// 450.00 USD
	// 15% of sales
	// MAYA15
	// https://brand.example/r/maya
	// 90 days, on tiktok, instagram, no paid ads
	// 50% on signing, 50% within 30 days of the last post
	// 100% on signing
}
