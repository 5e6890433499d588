package crm

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// TemplateData is everything a template can refer to, as text ready to
// print. The service builds it with NewTemplateData; every value is a
// single sanitised line, so a field can never carry a line break into the
// subject header.
type TemplateData struct {
	Creator  TemplateCreator
	Campaign TemplateCampaign
	Sender   TemplateSender
	// Terms are the deal's agreed terms, nil until they are recorded. A
	// template that prints a .Terms field refuses to render without them.
	Terms *TemplateTerms
}

// TemplateCreator describes the recipient. A value the creator's record
// does not have is "", and a template that prints it refuses to render.
type TemplateCreator struct {
	Name      string // "Maya Chen"
	FirstName string // "Maya": see firstName for titles and "Chen, Maya"
	Email     string // the address roster writes to
	// TikTok, Instagram and YouTube are the creator's handle on that
	// platform with its "@" ("@maya.bakes"), or "".
	TikTok    string
	Instagram string
	YouTube   string
	// Handle and Platform name the creator's largest account: "@maya.bakes"
	// on "TikTok".
	Handle   string
	Platform string
	// Followers ("48.2k"), Engagement ("4.2%") and Tier ("micro") describe
	// that account. They are "" when the count was never recorded: zero
	// means unknown, and "your 0 followers" must not be sent.
	Followers  string
	Engagement string
	Tier       string
	Tags       []string
}

// TemplateCampaign is the campaign the deal belongs to.
type TemplateCampaign struct {
	// Name is "" for the default campaign: "General" is a bucket for deals
	// no one filed, not something to tell a creator about.
	Name string
}

// TemplateSender is the manager the mail goes out from: the account's
// display_name and address.
type TemplateSender struct {
	Name  string // "Sam Rivera"
	Email string // "sam@brand.example"
}

// TemplateTerms are a deal's current terms version as mail repeats them
// back, each field one line in roster's own wording (TemplateTermsOf), so
// a confirmation says exactly what was recorded, not a paraphrase. A field
// the terms leave out is "". The examples are what TemplateTermsOf writes.
type TemplateTerms struct {
	Deliverables  string // "2 tiktok videos by 2026-12-01; 1 instagram story"
	Fee           string // "450.00 USD"
	Commission    string // "15% of sales"
	PromoCode     string // "MAYA15"
	AffiliateLink string // "https://brand.example/r/maya"
	// UsageRights joins days, platforms and paid ads:
	// "90 days, on tiktok, instagram, no paid ads".
	UsageRights string
	// PaymentSchedule is the fee's schedule as roster writes it, or "100% on
	// signing" for a fee without one:
	// "50% on signing, 50% within 30 days of the last post".
	PaymentSchedule string
}

// NewTemplateData builds what templates see from the records. Every value
// goes through SanitizeLine: a creator named "Eve\r\nBcc: x@y" becomes
// "Eve Bcc: x@y", one harmless line.
func NewTemplateData(c Creator, campaign Campaign, senderName, senderEmail string) TemplateData {
	name := SanitizeLine(c.Name)
	d := TemplateData{
		Creator: TemplateCreator{
			Name:      name,
			FirstName: firstName(name),
			Email:     SanitizeLine(c.PrimaryEmail()),
			TikTok:    handleOn(c, TikTok),
			Instagram: handleOn(c, Instagram),
			YouTube:   handleOn(c, YouTube),
		},
		Sender: TemplateSender{Name: SanitizeLine(senderName), Email: SanitizeLine(senderEmail)},
	}
	for _, t := range c.Tags {
		d.Creator.Tags = append(d.Creator.Tags, SanitizeLine(t))
	}
	d.Creator.Tags = CleanTags(d.Creator.Tags)
	if n := SanitizeLine(campaign.Name); !strings.EqualFold(n, DefaultCampaignName) {
		d.Campaign.Name = n
	}
	if h, ok := c.BestHandle(); ok {
		d.Creator.Handle = atHandle(h.Handle)
		d.Creator.Platform = platformName(h.Platform)
		if h.Followers > 0 {
			d.Creator.Followers = FormatFollowers(h.Followers)
			d.Creator.Tier = string(TierFor(h.Followers))
		}
		if h.EngagementBP > 0 {
			d.Creator.Engagement = FormatEngagement(h.EngagementBP)
		}
	}
	return d
}

// firstName is what a greeting uses: the first word of the name, so
// "Maya Chen" is "Maya" and a single name stays whole. Two common shapes
// are handled because getting them wrong is rude: "Chen, Maya" (a comma
// after the first word: family name first) gives "Maya", and a title
// ("Dr. Sarah Lee") is skipped, unless only one word follows it ("Dr.
// Lee" is greeted as "Dr. Lee"). Anything subtler needs a template that
// uses .Creator.Name.
func firstName(name string) string {
	w := strings.Fields(name)
	switch {
	case len(w) == 0:
		return ""
	case len(w) >= 2 && strings.HasSuffix(w[0], ","):
		return strings.TrimRight(w[1], ",")
	case isTitle(w[0]) && len(w) == 2:
		return name
	case isTitle(w[0]) && len(w) > 2:
		return strings.TrimRight(w[1], ",")
	}
	return strings.TrimRight(w[0], ",")
}

func isTitle(w string) bool {
	switch strings.ToLower(strings.TrimSuffix(w, ".")) {
	case "dr", "mr", "mrs", "ms", "mx", "miss", "prof":
		return true
	}
	return false
}

// handleOn is the creator's largest account on p as "@handle", or "".
func handleOn(c Creator, p Platform) string {
	var best *Handle
	for i, h := range c.Handles {
		if h.Platform == p && (best == nil || h.Followers > best.Followers) {
			best = &c.Handles[i]
		}
	}
	if best == nil {
		return ""
	}
	return atHandle(best.Handle)
}

func atHandle(h string) string {
	h = SanitizeLine(strings.TrimPrefix(h, "@"))
	if h == "" {
		return ""
	}
	return "@" + h
}

// platformName spells a platform the way the platform does.
func platformName(p Platform) string {
	switch p {
	case TikTok:
		return "TikTok"
	case Instagram:
		return "Instagram"
	case YouTube:
		return "YouTube"
	case Twitch:
		return "Twitch"
	case X:
		return "X"
	case Pinterest:
		return "Pinterest"
	}
	s := SanitizeLine(string(p))
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
