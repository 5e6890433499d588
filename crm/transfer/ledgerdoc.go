package transfer

import (
	"fmt"
	"time"

	"roster/crm"
)

// A deal's terms versions, deliverables and payments in the export
// (docs/export.md, "Terms", "Deliverable", "Payment"). Like the rest of
// the document the shape is spelled out here, lists are never null, and
// every time is RFC 3339 in UTC, so the export → import → export round
// trip keeps the bytes.

type termsDoc struct {
	Version       int                  `json:"version"`
	At            string               `json:"at"`
	By            string               `json:"by"`
	MessageID     string               `json:"message_id"`
	Fee           moneyDoc             `json:"fee"`
	CommissionBP  int                  `json:"commission_bp"`
	PromoCode     string               `json:"promo_code"`
	AffiliateLink string               `json:"affiliate_link"`
	Deliverables  []deliverableSpecDoc `json:"deliverables"`
	UsageRights   usageDoc             `json:"usage_rights"`
	Exclusivity   exclusivityDoc       `json:"exclusivity"`
	Schedule      []installmentDoc     `json:"payment_schedule"`
	Notes         string               `json:"notes"`
	ConfirmedIn   string               `json:"confirmed_in"`
	ConfirmedAt   string               `json:"confirmed_at"`
	ConfirmedBy   string               `json:"confirmed_by"`
}

type deliverableSpecDoc struct {
	Platform string `json:"platform"`
	Kind     string `json:"kind"`
	Quantity int    `json:"quantity"`
	Due      string `json:"due"`
}

type usageDoc struct {
	Days      int      `json:"days"`
	Platforms []string `json:"platforms"`
	PaidAds   bool     `json:"paid_ads"`
}

type exclusivityDoc struct {
	Category string `json:"category"`
	Days     int    `json:"days"`
}

type installmentDoc struct {
	ShareBP int    `json:"share_bp"`
	Trigger string `json:"trigger"`
	Days    int    `json:"days"`
	Date    string `json:"date"`
}

type deliverableDoc struct {
	ID       string `json:"id"`
	Platform string `json:"platform"`
	Kind     string `json:"kind"`
	Quantity int    `json:"quantity"`
	Due      string `json:"due"`
	Status   string `json:"status"`
	URL      string `json:"url"`
	PostedAt string `json:"posted_at"`
}

type paymentDoc struct {
	ID         string   `json:"id"`
	Amount     moneyDoc `json:"amount"`
	PaidOn     string   `json:"paid_on"`
	Method     string   `json:"method"`
	Reference  string   `json:"reference"`
	Payable    int      `json:"payable"`
	RecordedBy string   `json:"recorded_by"`
	RecordedAt string   `json:"recorded_at"`
	VoidedBy   string   `json:"voided_by"`
	VoidedAt   string   `json:"voided_at"`
	VoidReason string   `json:"void_reason"`
}

// optTime is formatTime, but "" for the zero time: a deliverable without
// a due date says so rather than showing year 1.
func optTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return formatTime(t)
}

func moneyDocOf(m crm.Money) moneyDoc {
	return moneyDoc{AmountMinor: m.AmountMinor, Currency: str(m.Currency)}
}

// ledgerDocs turns a deal's ledger into the deal's three lists.
func ledgerDocs(l crm.Ledger) ([]termsDoc, []deliverableDoc, []paymentDoc) {
	terms, dels, pays := []termsDoc{}, []deliverableDoc{}, []paymentDoc{}
	for _, t := range l.Terms {
		td := termsDoc{Version: t.N, At: optTime(t.At), By: str(t.By), MessageID: str(t.MessageID),
			Fee: moneyDocOf(t.Fee), CommissionBP: t.CommissionBP, PromoCode: str(t.PromoCode),
			AffiliateLink: str(t.AffiliateLink), Deliverables: []deliverableSpecDoc{},
			UsageRights: usageDoc{Days: t.Usage.Days, Platforms: []string{}, PaidAds: t.Usage.PaidAds},
			Exclusivity: exclusivityDoc{Category: str(t.Exclusivity.Category), Days: t.Exclusivity.Days},
			Schedule:    []installmentDoc{}, Notes: str(t.Notes),
			ConfirmedIn: str(t.ConfirmedIn), ConfirmedAt: optTime(t.ConfirmedAt), ConfirmedBy: str(t.ConfirmedBy)}
		for _, d := range t.Deliverables {
			td.Deliverables = append(td.Deliverables, deliverableSpecDoc{Platform: str(string(d.Platform)), Kind: str(d.Kind),
				Quantity: d.Quantity, Due: optTime(d.Due)})
		}
		for _, p := range t.Usage.Platforms {
			td.UsageRights.Platforms = append(td.UsageRights.Platforms, str(string(p)))
		}
		for _, in := range t.Schedule {
			td.Schedule = append(td.Schedule, installmentDoc{ShareBP: in.ShareBP, Trigger: str(string(in.Trigger)),
				Days: in.Days, Date: optTime(in.Date)})
		}
		terms = append(terms, td)
	}
	for _, d := range l.Deliverables {
		dels = append(dels, deliverableDoc{ID: str(string(d.ID)), Platform: str(string(d.Platform)), Kind: str(d.Kind),
			Quantity: d.Quantity, Due: optTime(d.Due), Status: str(string(d.Status)), URL: str(d.URL),
			PostedAt: optTime(d.PostedAt)})
	}
	for _, p := range l.Payments {
		pays = append(pays, paymentDoc{ID: str(string(p.ID)), Amount: moneyDocOf(p.Amount), PaidOn: optTime(p.PaidOn),
			Method: str(p.Method), Reference: str(p.Reference), Payable: p.Payable, RecordedBy: str(p.RecordedBy),
			RecordedAt: optTime(p.RecordedAt), VoidedBy: str(p.VoidedBy), VoidedAt: optTime(p.VoidedAt), VoidReason: str(p.VoidReason)})
	}
	return terms, dels, pays
}

// ledgerOf reads a deal's three lists back; ok is false when all are
// empty, so a deal without terms gets no ledger. Errors name the path of
// the bad value. Domain rules (amounts, schedules adding up) are
// Restore's to check.
func (d *dealDoc) ledgerOf(path string, deal crm.ID) (l crm.Ledger, ok bool, err error) {
	if len(d.Terms)+len(d.Deliverables)+len(d.Payments) == 0 {
		return l, false, nil
	}
	l.DealID = deal
	at := func(p, s string) (t timeOrErr) {
		v, err := parseTime(s)
		return timeOrErr{v, err, p}
	}
	var bad *timeOrErr
	take := func(x timeOrErr) time.Time {
		if x.err != nil && bad == nil {
			bad = &x
		}
		return x.t
	}
	for i, t := range d.Terms {
		p := fmt.Sprintf("%s.terms[%d]", path, i)
		ct := crm.Terms{N: t.Version, At: take(at(p+".at", t.At)), By: t.By, MessageID: t.MessageID,
			Fee: crm.Money{AmountMinor: t.Fee.AmountMinor, Currency: t.Fee.Currency}, CommissionBP: t.CommissionBP,
			PromoCode: t.PromoCode, AffiliateLink: t.AffiliateLink, Notes: t.Notes,
			ConfirmedIn: t.ConfirmedIn, ConfirmedAt: take(at(p+".confirmed_at", t.ConfirmedAt)), ConfirmedBy: t.ConfirmedBy,
			Usage:       crm.UsageRights{Days: t.UsageRights.Days, PaidAds: t.UsageRights.PaidAds},
			Exclusivity: crm.Exclusivity{Category: t.Exclusivity.Category, Days: t.Exclusivity.Days}}
		for j, s := range t.Deliverables {
			ct.Deliverables = append(ct.Deliverables, crm.DeliverableSpec{Platform: crm.Platform(s.Platform), Kind: s.Kind,
				Quantity: s.Quantity, Due: take(at(fmt.Sprintf("%s.deliverables[%d].due", p, j), s.Due))})
		}
		for _, pl := range t.UsageRights.Platforms {
			ct.Usage.Platforms = append(ct.Usage.Platforms, crm.Platform(pl))
		}
		for j, in := range t.Schedule {
			ct.Schedule = append(ct.Schedule, crm.Installment{ShareBP: in.ShareBP, Trigger: crm.Trigger(in.Trigger),
				Days: in.Days, Date: take(at(fmt.Sprintf("%s.payment_schedule[%d].date", p, j), in.Date))})
		}
		l.Terms = append(l.Terms, ct)
	}
	for i, x := range d.Deliverables {
		p := fmt.Sprintf("%s.deliverables[%d]", path, i)
		if x.ID == "" {
			return l, false, fmt.Errorf("%s: no id", p)
		}
		l.Deliverables = append(l.Deliverables, crm.Deliverable{ID: crm.ID(x.ID), Platform: crm.Platform(x.Platform),
			Kind: x.Kind, Quantity: x.Quantity, Due: take(at(p+".due", x.Due)), Status: crm.DeliverableStatus(x.Status),
			URL: x.URL, PostedAt: take(at(p+".posted_at", x.PostedAt))})
	}
	for i, x := range d.Payments {
		p := fmt.Sprintf("%s.payments[%d]", path, i)
		if x.ID == "" {
			return l, false, fmt.Errorf("%s: no id", p)
		}
		l.Payments = append(l.Payments, crm.Payment{ID: crm.ID(x.ID),
			Amount: crm.Money{AmountMinor: x.Amount.AmountMinor, Currency: x.Amount.Currency},
			PaidOn: take(at(p+".paid_on", x.PaidOn)), Method: x.Method, Reference: x.Reference, Payable: x.Payable,
			RecordedBy: x.RecordedBy, RecordedAt: take(at(p+".recorded_at", x.RecordedAt)),
			VoidedBy: x.VoidedBy, VoidedAt: take(at(p+".voided_at", x.VoidedAt)), VoidReason: x.VoidReason})
	}
	if bad != nil {
		return l, false, fmt.Errorf("%s: %v", bad.path, bad.err)
	}
	return l, true, nil
}

// timeOrErr carries a parsed time, or why it did not parse and where.
type timeOrErr struct {
	t    time.Time
	err  error
	path string
}
