package crm

import (
	"fmt"
	"strings"
)

// TermsConfirmationTemplate is the template a terms confirmation is
// written from; the manager may override it like any other.
const TermsConfirmationTemplate = "terms-confirmation"

// TermsConfirmed is the event of a confirmation queued for a version.
const TermsConfirmed EventKind = "terms.confirmed"

// TemplateTermsOf puts a terms version into words for templates: "650.00
// USD", "10%", "2 tiktok videos by 2026-12-01". Values the terms do not
// have stay "", so a template that prints them refuses to render.
func TemplateTermsOf(t Terms) *TemplateTerms {
	tt := &TemplateTerms{
		Deliverables:    SanitizeLine(DeliverablesString(t.Deliverables)),
		PromoCode:       SanitizeLine(t.PromoCode),
		AffiliateLink:   SanitizeLine(t.AffiliateLink),
		PaymentSchedule: ScheduleString(t.Schedule),
	}
	if !t.Fee.IsZero() {
		tt.Fee = t.Fee.String()
		if tt.PaymentSchedule == "" {
			tt.PaymentSchedule = "100% on signing"
		}
	}
	if t.CommissionBP != 0 {
		tt.Commission = Percent(t.CommissionBP) + " of sales"
	}
	var usage []string
	if t.Usage.Days > 0 {
		usage = append(usage, fmt.Sprintf("%d days", t.Usage.Days))
	}
	if len(t.Usage.Platforms) > 0 {
		usage = append(usage, "on "+platformList(t.Usage.Platforms))
	}
	if len(usage) > 0 || t.Usage.PaidAds {
		if t.Usage.PaidAds {
			usage = append(usage, "paid ads allowed")
		} else {
			usage = append(usage, "no paid ads")
		}
	}
	tt.UsageRights = SanitizeLine(strings.Join(usage, ", "))
	return tt
}

// TermsConfirmationDraft writes the creator a confirmation of the deal's
// current terms from the terms-confirmation template, sent from account
// ("" for the first). It answers, in its thread, the message the terms
// were agreed in, or else the newest message with the creator; with no
// mail at all it is a new mail with the template's subject. A field the
// template prints that the terms lack refuses, naming it.
func (s *Service) TermsConfirmationDraft(deal ID, account string) (Draft, error) {
	ts, err := s.Templates()
	if err != nil {
		return Draft{}, err
	}
	tpl, ok := ts[TermsConfirmationTemplate]
	if !ok {
		return Draft{}, invalidf("no %s template", TermsConfirmationTemplate)
	}
	acct, err := s.sendingAccount(account)
	if err != nil {
		return Draft{}, err
	}
	var data TemplateData
	var answer ID
	var c Creator
	var dl Deal
	err = s.repo.View(func(tx Tx) (err error) {
		if dl, err = tx.Deal(deal); err != nil {
			return err
		}
		if c, err = tx.Creator(dl.CreatorID); err != nil {
			return err
		}
		cp, err := tx.Campaign(dl.CampaignID)
		if err != nil {
			return err
		}
		l, err := ledgerOf(tx, deal)
		if err != nil {
			return err
		}
		cur, ok := l.Current()
		if !ok {
			return invalidf("no terms recorded for %s yet; record them first", c.Name)
		}
		data = NewTemplateData(c, cp, cleanName(acct.DisplayName), acct.Email)
		data.Terms = TemplateTermsOf(cur)
		if cur.MessageID != "" {
			if id, ok, err := tx.MessageByMessageID(cur.MessageID); err != nil {
				return err
			} else if ok {
				answer = id
			}
		}
		if answer == "" {
			convs, err := conversationsOf(tx, c.ID)
			if err != nil {
				return err
			}
			if len(convs) > 0 && len(convs[0].Messages) > 0 {
				answer = convs[0].Messages[len(convs[0].Messages)-1].ID
			}
		}
		return nil
	})
	if err != nil {
		return Draft{}, err
	}
	subject, body, err := tpl.Render(data)
	if err != nil {
		return Draft{}, err
	}
	if answer == "" {
		if c.PrimaryEmail() == "" {
			return Draft{}, invalidf("%s has no email address", c.Name)
		}
		return Draft{Account: acct.Name, From: Address{Name: cleanName(acct.DisplayName), Email: acct.Email},
			To: []Address{{Name: cleanName(c.Name), Email: c.PrimaryEmail()}}, Subject: subject, Text: body,
			CreatorID: c.ID, DealID: dl.ID, CampaignID: dl.CampaignID, Kind: TermsConfirmationTemplate,
			CreatorName: cleanName(c.Name)}, nil
	}
	d, err := s.ReplyDraft(answer, false)
	if err != nil {
		return Draft{}, err
	}
	d.Account, d.From = acct.Name, Address{Name: cleanName(acct.DisplayName), Email: acct.Email}
	d.Text, d.Kind = body, TermsConfirmationTemplate
	d.CreatorID, d.DealID, d.CampaignID, d.CreatorName = c.ID, dl.ID, dl.CampaignID, cleanName(c.Name)
	return d, nil
}

// ConfirmTerms queues d (a TermsConfirmationDraft, perhaps edited) and, in
// the same transaction, records on the deal's current terms version that
// it was confirmed by that mail's Message-ID. version is the ledger
// version the draft was written from: terms changed meanwhile are a
// *ConflictError and nothing is queued, so a creator is never sent
// terms that are no longer current.
func (s *Service) ConfirmTerms(actor string, deal ID, version uint64, d Draft) (OutboxMail, Ledger, error) {
	d.DealID = deal
	m, err := s.prepare(actor, d)
	if err != nil {
		return OutboxMail{}, Ledger{}, err
	}
	var out Ledger
	err = s.repo.Update(func(tx Tx) error {
		l, err := ledgerOf(tx, deal)
		if err != nil {
			return err
		}
		if l.Version != version {
			return &ConflictError{Kind: "terms", ID: deal, Have: version, Current: l.Version}
		}
		if len(l.Terms) == 0 {
			return invalidf("no terms to confirm")
		}
		w := s.writer(tx, actor)
		m.Version = 0
		if err := tx.PutOutboxMail(&m); err != nil {
			return err
		}
		if err := w.mailEvent(&m, MailQueued, "queued "+m.describe()); err != nil {
			return err
		}
		cur := &l.Terms[len(l.Terms)-1]
		cur.ConfirmedIn, cur.ConfirmedAt, cur.ConfirmedBy = m.MessageID, w.now, w.actor
		if err := tx.PutLedger(&l); err != nil {
			return err
		}
		out = l
		name := d.CreatorName
		if name == "" {
			name = m.ToLine()
		}
		return w.event(Event{Kind: TermsConfirmed, CreatorID: m.CreatorID, DealID: deal, CampaignID: m.CampaignID,
			Summary: fmt.Sprintf("sent %s a confirmation of terms v%d (<%s>)", name, cur.N, m.MessageID)})
	})
	if err != nil {
		return OutboxMail{}, Ledger{}, err
	}
	s.wake()
	return m, out, nil
}
