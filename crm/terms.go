package crm

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Terms is one version of what a creator and the brand agreed: the
// numbers everyone quotes from, so that nobody offers a different rate or
// promises usage nobody approved. A version is never edited; saving terms
// appends a new one, and older versions stay readable beside the diff.
type Terms struct {
	// N numbers the versions of one deal's terms from 1.
	N int `json:"n"`
	// At and By say when and by whom this version was recorded;
	// MessageID is the message in which it was agreed, when the
	// manager picked one.
	At        time.Time `json:"at"`
	By        string    `json:"by"`
	MessageID string    `json:"message_id,omitempty"`

	Fee Money `json:"fee"`
	// CommissionBP is the commission in basis points: 1250 is 12.5%.
	CommissionBP  int               `json:"commission_bp,omitempty"`
	PromoCode     string            `json:"promo_code,omitempty"`
	AffiliateLink string            `json:"affiliate_link,omitempty"`
	Deliverables  []DeliverableSpec `json:"deliverables,omitempty"`
	Usage         UsageRights       `json:"usage"`
	Exclusivity   Exclusivity       `json:"exclusivity"`
	Schedule      []Installment     `json:"schedule,omitempty"`
	Notes         string            `json:"notes,omitempty"`
	// ConfirmedIn is the Message-ID of the mail that confirmed this
	// version to the creator (ConfirmTerms), with when and by whom. It
	// says what was sent, not what was agreed, so DiffTerms ignores it.
	ConfirmedIn string    `json:"confirmed_in,omitempty"`
	ConfirmedAt time.Time `json:"confirmed_at,omitempty"`
	ConfirmedBy string    `json:"confirmed_by,omitempty"`
}

// DeliverableSpec is what the terms ask for: "2 tiktok videos by 1 Dec".
type DeliverableSpec struct {
	Platform Platform  `json:"platform"`
	Kind     string    `json:"kind"`
	Quantity int       `json:"quantity"`
	Due      time.Time `json:"due,omitempty"`
}

// UsageRights says how long and where the brand may reuse the content,
// and whether it may run it as paid ads (allowlisting).
type UsageRights struct {
	Days      int        `json:"days,omitempty"`
	Platforms []Platform `json:"platforms,omitempty"`
	PaidAds   bool       `json:"paid_ads,omitempty"`
}

// Exclusivity keeps the creator from promoting competitors in a category
// for some days.
type Exclusivity struct {
	Category string `json:"category,omitempty"`
	Days     int    `json:"days,omitempty"`
}

// Trigger is the event an installment's due date counts from.
type Trigger string

// The triggers a payment schedule knows.
const (
	// OnSigning counts from the day the terms version was recorded.
	OnSigning Trigger = "signing"
	// OnLastPost counts from the last deliverable: its posting date once
	// everything is posted, its due date until then.
	OnLastPost Trigger = "last post"
	// OnDate is a fixed calendar date.
	OnDate Trigger = "date"
)

// Installment is one line of a payment schedule: a share of the fee,
// due some days after a trigger (or on a date).
type Installment struct {
	// ShareBP is the share of the fee in basis points; the shares of a
	// schedule add up to 10000.
	ShareBP int       `json:"share_bp"`
	Trigger Trigger   `json:"trigger"`
	Days    int       `json:"days,omitempty"`
	Date    time.Time `json:"date,omitempty"`
}

// String says the installment as the schedule field reads it.
func (in Installment) String() string {
	share := Percent(in.ShareBP)
	switch {
	case in.Trigger == OnDate:
		return share + " on " + in.Date.Format(time.DateOnly)
	case in.Trigger == OnSigning && in.Days == 0:
		return share + " on signing"
	case in.Trigger == OnLastPost && in.Days == 0:
		return share + " on the last post"
	case in.Trigger == OnSigning:
		return fmt.Sprintf("%s within %d days of signing", share, in.Days)
	default:
		return fmt.Sprintf("%s within %d days of the last post", share, in.Days)
	}
}

// ParsePercent reads "12.5%", "12.5" or "12,5 %" into basis points.
func ParsePercent(field, s string) (int, error) {
	t := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	t = strings.ReplaceAll(t, ",", ".")
	if t == "" {
		return 0, nil
	}
	whole, frac, _ := strings.Cut(t, ".")
	if !isDigits(whole) || (frac != "" && !isDigits(frac)) || len(frac) > 2 || len(whole) > 3 {
		return 0, &FieldError{Field: field, Msg: fmt.Sprintf("%s is not a percentage", strings.TrimSpace(s))}
	}
	frac += strings.Repeat("0", 2-len(frac))
	n, _ := strconv.Atoi(whole + frac)
	if n > 10000 {
		return 0, &FieldError{Field: field, Msg: fmt.Sprintf("%s is more than 100%%", strings.TrimSpace(s))}
	}
	return n, nil
}

// ParseSchedule reads a payment schedule as people write it in mail,
// parts separated by commas or "and":
//
//	50% on signing, 50% within 30 days of the last post
//	100% net 30            (30 days after signing)
//	30% on 2026-12-01, 70% on the last post
//
//	12,5% on signing, 87,5% on delivery   (decimal commas)
//
// The shares must add up to 100%.
func ParseSchedule(s string) ([]Installment, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	parts := strings.Split(strings.ReplaceAll(strings.ToLower(s), " and ", ","), ",")
	var out []Installment
	total := 0
	for i := 0; i < len(parts); i++ {
		part := strings.Join(strings.Fields(parts[i]), " ")
		if part == "" {
			continue
		}
		// A decimal comma ("12,5%") split a share in two: a bare number
		// where an installment starts, and a part that opens with the
		// decimals and "%". Only there is the comma plainly inside a
		// number: in "net 30,50% on delivery" it separates.
		if isDigits(part) && len(part) <= 3 && i+1 < len(parts) && decimalTail.MatchString(parts[i+1]) {
			i++
			part += "." + strings.Join(strings.Fields(parts[i]), " ")
		}
		if isDigits(part) {
			return nil, &FieldError{Field: "schedule", Msg: fmt.Sprintf("%q is not an installment: commas separate installments, so give every share with %% (12,5%% or 12.5%%)", part)}
		}
		in, err := parseInstallment(part)
		if err != nil {
			return nil, err
		}
		total += in.ShareBP
		out = append(out, in)
	}
	if total != 10000 {
		return nil, &FieldError{Field: "schedule", Msg: fmt.Sprintf("shares add up to %s, not 100%%", Percent(total))}
	}
	return out, nil
}

// decimalTail is what follows a share's decimal comma: one or two
// digits and "%" ("5%" of "12,5%", "5 %" of "12,5 %").
var decimalTail = regexp.MustCompile(`^\d{1,2}\s*%`)

func parseInstallment(part string) (Installment, error) {
	bad := &FieldError{Field: "schedule", Msg: fmt.Sprintf("%q is not an installment (say \"50%% on signing\" or \"50%% within 30 days of the last post\")", part)}
	pct, rest, ok := strings.Cut(part, "%")
	if !ok {
		return Installment{}, bad
	}
	bp, err := ParsePercent("schedule", pct)
	if err != nil || bp == 0 {
		return Installment{}, bad
	}
	in := Installment{ShareBP: bp}
	rest = strings.TrimSpace(rest)
	lastPost := func(s string) bool {
		s = strings.TrimPrefix(s, "the ")
		return s == "last post" || s == "posting" || s == "delivery" || s == "the last post"
	}
	switch {
	case rest == "on signing" || rest == "upfront" || rest == "up front" || rest == "on signature":
		in.Trigger = OnSigning
	case strings.HasPrefix(rest, "on ") && lastPost(rest[3:]):
		in.Trigger = OnLastPost
	case strings.HasPrefix(rest, "on "):
		d, err := ParseDate("schedule", rest[3:])
		if err != nil {
			return Installment{}, bad
		}
		in.Trigger, in.Date = OnDate, d
	case strings.HasPrefix(rest, "net "):
		n, err := strconv.Atoi(rest[4:])
		if err != nil || n < 0 {
			return Installment{}, bad
		}
		in.Trigger, in.Days = OnSigning, n
	case strings.HasPrefix(rest, "within "):
		f := strings.SplitN(rest, " ", 5) // within N days of X
		if len(f) == 3 && (f[2] == "days" || f[2] == "day") && isDigits(f[1]) {
			return Installment{}, &FieldError{Field: "schedule", Msg: fmt.Sprintf("%q does not say from when (say \"within %s days of signing\" or \"within %s days of the last post\")", part, f[1], f[1])}
		}
		if len(f) != 5 || (f[2] != "days" && f[2] != "day") || f[3] != "of" && f[3] != "after" {
			return Installment{}, bad
		}
		n, err := strconv.Atoi(f[1])
		if err != nil || n < 0 {
			return Installment{}, bad
		}
		in.Days = n
		switch {
		case f[4] == "signing" || f[4] == "signature":
			in.Trigger = OnSigning
		case lastPost(f[4]):
			in.Trigger = OnLastPost
		default:
			return Installment{}, bad
		}
	default:
		return Installment{}, bad
	}
	return in, nil
}

// ScheduleString prints a schedule the way ParseSchedule reads it.
func ScheduleString(s []Installment) string {
	parts := make([]string, len(s))
	for i, in := range s {
		parts[i] = in.String()
	}
	return strings.Join(parts, ", ")
}

// ParseDate reads a calendar date, YYYY-MM-DD, as midnight UTC.
func ParseDate(field, s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, &FieldError{Field: field, Msg: fmt.Sprintf("%q is not a date (YYYY-MM-DD)", s)}
	}
	return t, nil
}

// Day truncates t to its calendar day in UTC, the unit due dates count in.
func Day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// ParseDeliverables reads the deliverables field, one per line or
// separated by ";": "[quantity] platform kind [by YYYY-MM-DD]", as in
// "2 tiktok videos by 2026-12-01; 1 ig story".
func ParseDeliverables(s string) ([]DeliverableSpec, error) {
	var out []DeliverableSpec
	for line := range strings.SplitSeq(strings.ReplaceAll(s, "\n", ";"), ";") {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		bad := &FieldError{Field: "deliverables", Msg: fmt.Sprintf("%q is not a deliverable (say \"2 tiktok videos by 2026-12-01\")", strings.TrimSpace(line))}
		d := DeliverableSpec{Quantity: 1}
		if n, err := strconv.Atoi(f[0]); err == nil {
			if n <= 0 {
				return nil, bad
			}
			d.Quantity, f = n, f[1:]
		}
		if n := len(f); n >= 2 && strings.EqualFold(f[n-2], "by") {
			due, err := ParseDate("deliverables", f[n-1])
			if err != nil {
				return nil, err
			}
			d.Due, f = due, f[:n-2]
		}
		if len(f) != 2 {
			return nil, bad
		}
		p, err := ParsePlatform(f[0])
		if err != nil {
			return nil, &FieldError{Field: "deliverables", Msg: err.Error()}
		}
		d.Platform, d.Kind = p, singular(strings.ToLower(f[1]))
		out = append(out, d)
	}
	return out, nil
}

// String prints a spec as ParseDeliverables reads it.
func (d DeliverableSpec) String() string {
	s := counted(d.Quantity, d.Platform, d.Kind)
	if !d.Due.IsZero() {
		s += " by " + d.Due.Format(time.DateOnly)
	}
	return s
}

// DeliverablesString prints specs one per "; ".
func DeliverablesString(ds []DeliverableSpec) string {
	parts := make([]string, len(ds))
	for i, d := range ds {
		parts[i] = d.String()
	}
	return strings.Join(parts, "; ")
}

// TermsForm is the terms as the editor and the command line hold them:
// text fields, parsed all at once by Parse so every error names its field.
type TermsForm struct {
	Fee, Currency, Commission, PromoCode, AffiliateLink string
	Deliverables                                        string
	UsageDays, UsagePlatforms, PaidAds                  string
	ExclusivityCategory, ExclusivityDays                string
	Schedule, Notes, MessageID                          string
}

// FormOf fills a form from a version, for editing it into the next.
func FormOf(t Terms) TermsForm {
	f := TermsForm{Currency: t.Fee.Currency, PromoCode: t.PromoCode, AffiliateLink: t.AffiliateLink,
		Deliverables: DeliverablesString(t.Deliverables), ExclusivityCategory: t.Exclusivity.Category,
		Schedule: ScheduleString(t.Schedule), Notes: t.Notes, MessageID: t.MessageID}
	if t.Fee.Currency != "" {
		f.Fee = t.Fee.Plain()
	}
	if t.CommissionBP != 0 {
		f.Commission = Percent(t.CommissionBP)
	}
	if t.Usage.Days != 0 {
		f.UsageDays = strconv.Itoa(t.Usage.Days)
	}
	ps := make([]string, len(t.Usage.Platforms))
	for i, p := range t.Usage.Platforms {
		ps[i] = string(p)
	}
	f.UsagePlatforms = strings.Join(ps, ", ")
	f.PaidAds = map[bool]string{true: "yes", false: "no"}[t.Usage.PaidAds]
	if t.Exclusivity.Days != 0 {
		f.ExclusivityDays = strconv.Itoa(t.Exclusivity.Days)
	}
	return f
}

// Parse checks every field and builds the terms; the first bad field is
// a *FieldError naming it ("fee: 1,2,00 is not an amount"). N, At and By
// are left for the service to stamp.
func (f TermsForm) Parse() (Terms, error) {
	var t Terms
	var err error
	if strings.TrimSpace(f.Fee) != "" {
		if t.Fee, err = ParseMoney("fee", f.Fee, f.Currency); err != nil {
			return t, err
		}
		if t.Fee.AmountMinor < 0 {
			return t, &FieldError{Field: "fee", Msg: "is negative"}
		}
	}
	if t.CommissionBP, err = ParsePercent("commission", f.Commission); err != nil {
		return t, err
	}
	t.PromoCode = strings.TrimSpace(f.PromoCode)
	t.AffiliateLink = strings.TrimSpace(f.AffiliateLink)
	if t.Deliverables, err = ParseDeliverables(f.Deliverables); err != nil {
		return t, err
	}
	if t.Usage.Days, err = days("usage days", f.UsageDays); err != nil {
		return t, err
	}
	for p := range strings.FieldsFuncSeq(f.UsagePlatforms, func(r rune) bool { return r == ',' || r == ' ' }) {
		pl, err := ParsePlatform(p)
		if err != nil {
			return t, &FieldError{Field: "usage platforms", Msg: err.Error()}
		}
		t.Usage.Platforms = append(t.Usage.Platforms, pl)
	}
	switch strings.ToLower(strings.TrimSpace(f.PaidAds)) {
	case "", "no", "n", "false":
	case "yes", "y", "true":
		t.Usage.PaidAds = true
	default:
		return t, &FieldError{Field: "paid ads", Msg: fmt.Sprintf("%q is not yes or no", f.PaidAds)}
	}
	t.Exclusivity.Category = strings.TrimSpace(f.ExclusivityCategory)
	if t.Exclusivity.Days, err = days("exclusivity days", f.ExclusivityDays); err != nil {
		return t, err
	}
	if t.Schedule, err = ParseSchedule(f.Schedule); err != nil {
		return t, err
	}
	t.Notes = strings.TrimSpace(f.Notes)
	t.MessageID = strings.TrimSpace(f.MessageID)
	return t, t.Validate()
}

func days(field, s string) (int, error) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "days"))
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 36500 {
		return 0, &FieldError{Field: field, Msg: fmt.Sprintf("%q is not a number of days", s)}
	}
	return n, nil
}

// Validate checks a version built in code (the importer, tests) by the
// same rules the form applies.
func (t *Terms) Validate() error {
	if t.Fee.Currency != "" || t.Fee.AmountMinor != 0 {
		c, err := NormalizeCurrency("fee", t.Fee.Currency)
		if err != nil {
			return err
		}
		t.Fee.Currency = c
		if t.Fee.AmountMinor < 0 {
			return &FieldError{Field: "fee", Msg: "is negative"}
		}
	}
	if t.CommissionBP < 0 || t.CommissionBP > 10000 {
		return &FieldError{Field: "commission", Msg: "must be between 0% and 100%"}
	}
	if strings.ContainsFunc(t.PromoCode, func(r rune) bool { return r <= ' ' }) || len(t.PromoCode) > 64 {
		return &FieldError{Field: "promo code", Msg: fmt.Sprintf("%q has spaces or is too long", t.PromoCode)}
	}
	if t.AffiliateLink != "" {
		u, err := url.Parse(t.AffiliateLink)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return &FieldError{Field: "affiliate link", Msg: fmt.Sprintf("%q is not a web address", t.AffiliateLink)}
		}
	}
	for _, d := range t.Deliverables {
		if d.Quantity <= 0 || d.Kind == "" || d.Platform == "" {
			return &FieldError{Field: "deliverables", Msg: fmt.Sprintf("%q needs a quantity, a platform and a kind", d.String())}
		}
	}
	if t.Usage.Days < 0 {
		return &FieldError{Field: "usage days", Msg: "is negative"}
	}
	if t.Exclusivity.Days < 0 {
		return &FieldError{Field: "exclusivity days", Msg: "is negative"}
	}
	if t.Exclusivity.Days > 0 && t.Exclusivity.Category == "" {
		return &FieldError{Field: "exclusivity category", Msg: "is empty (exclusive in what?)"}
	}
	if len(t.Schedule) > 0 {
		if t.Fee.AmountMinor == 0 {
			return &FieldError{Field: "schedule", Msg: "there is no fee to schedule"}
		}
		total := 0
		for _, in := range t.Schedule {
			if in.ShareBP <= 0 {
				return &FieldError{Field: "schedule", Msg: "a share is not positive"}
			}
			total += in.ShareBP
		}
		if total != 10000 {
			return &FieldError{Field: "schedule", Msg: fmt.Sprintf("shares add up to %s, not 100%%", Percent(total))}
		}
	}
	if t.MessageID != "" {
		id, ok := parseOneMessageID(t.MessageID)
		if !ok {
			return &FieldError{Field: "agreed in", Msg: fmt.Sprintf("%q is not a Message-ID", t.MessageID)}
		}
		t.MessageID = id
	}
	t.Notes = SanitizeText(t.Notes)
	return nil
}

// empty reports terms that agree nothing: every field blank but perhaps
// the message they were agreed in. Saved, they would be a version that
// reads "no change" with every field —.
func (t Terms) empty() bool {
	t.MessageID = ""
	return len(DiffTerms(Terms{}, t)) == 0
}

// DiffTerms says in words what changed from a to b, one line per field,
// in a fixed order ("fee: 500.00 USD → 650.00 USD"). Equal terms give
// nothing.
func DiffTerms(a, b Terms) []string {
	var out []string
	add := func(field, x, y string) {
		if x == y {
			return
		}
		switch {
		case x == "":
			out = append(out, fmt.Sprintf("%s: set to %s", field, y))
		case y == "":
			out = append(out, fmt.Sprintf("%s: removed (was %s)", field, x))
		default:
			out = append(out, fmt.Sprintf("%s: %s → %s", field, x, y))
		}
	}
	money := func(m Money) string {
		if m.Currency == "" && m.AmountMinor == 0 {
			return ""
		}
		return m.String()
	}
	pct := func(bp int) string {
		if bp == 0 {
			return ""
		}
		return Percent(bp)
	}
	num := func(n int, unit string) string {
		if n == 0 {
			return ""
		}
		return fmt.Sprintf("%d %s", n, unit)
	}
	add("fee", money(a.Fee), money(b.Fee))
	add("commission", pct(a.CommissionBP), pct(b.CommissionBP))
	add("promo code", a.PromoCode, b.PromoCode)
	add("affiliate link", a.AffiliateLink, b.AffiliateLink)
	add("deliverables", DeliverablesString(a.Deliverables), DeliverablesString(b.Deliverables))
	add("usage", num(a.Usage.Days, "days"), num(b.Usage.Days, "days"))
	if !slices.Equal(a.Usage.Platforms, b.Usage.Platforms) {
		add("usage platforms", platformList(a.Usage.Platforms), platformList(b.Usage.Platforms))
	}
	if a.Usage.PaidAds != b.Usage.PaidAds {
		out = append(out, map[bool]string{true: "paid ads: now allowed", false: "paid ads: no longer allowed"}[b.Usage.PaidAds])
	}
	add("exclusivity", exclusivity(a.Exclusivity), exclusivity(b.Exclusivity))
	add("schedule", ScheduleString(a.Schedule), ScheduleString(b.Schedule))
	add("notes", a.Notes, b.Notes)
	add("agreed in", a.MessageID, b.MessageID)
	return out
}

func platformList(ps []Platform) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = string(p)
	}
	return strings.Join(s, ", ")
}

func exclusivity(e Exclusivity) string {
	if e.Category == "" && e.Days == 0 {
		return ""
	}
	return fmt.Sprintf("%s for %d days", e.Category, e.Days)
}
