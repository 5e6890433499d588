package crm_test

import (
	"testing"
	"time"

	"roster/crm"
)

// TestReplyMovesTheDealOfItsThread: a creator contacted for two deals
// replies to the mail of one; that deal moves on, the other stays. A
// later message of the same batch that merges the reply's thread into an
// older one does not lose the move.
func TestReplyMovesTheDealOfItsThread(t *testing.T) {
	svc, card, _ := sendingService(t)
	camp2, err := svc.CreateCampaign("sam", crm.Campaign{Name: "Winter"})
	if err != nil {
		t.Fatal(err)
	}
	deal2, err := svc.AddDeal("sam", card.Creator.ID, camp2.ID)
	if err != nil {
		t.Fatal(err)
	}
	id := crm.Identity{Account: "work", Addresses: []string{sam.Email}}
	st := crm.MailboxState{Account: "work", Mailbox: "INBOX", UIDValidity: 1, UIDNext: 100}
	at := func(day int) time.Time { return time.Date(2026, 11, day, 9, 0, 0, 0, time.UTC) }
	pm := func(mid, from, to, subject string, date time.Time, uid uint32, parents ...string) crm.ParsedMessage {
		p := crm.ParsedMessage{MessageIDRaw: "<" + mid + ">", From: crm.Address{Email: from}, To: []crm.Address{{Email: to}},
			Date: date, Subject: subject, Location: crm.Location{Account: "work", Mailbox: "INBOX", UIDValidity: 1, UID: uid}}
		for _, x := range parents {
			p.ReferencesRaw += "<" + x + "> "
			p.InReplyToRaw = "<" + x + ">"
		}
		return p
	}
	maya := card.Creator.Emails[0]
	// An older conversation, whose thread is the oldest.
	if _, err := svc.IngestMail(id, []crm.ParsedMessage{pm("hello@creator.example", maya, sam.Email, "Hello", at(1), 1)}, st); err != nil {
		t.Fatal(err)
	}
	var sent []crm.OutboxMail
	for i, dealID := range []crm.ID{card.Deal.ID, deal2.ID} {
		d, err := svc.TemplateDraft("outreach", dealID, "")
		if err != nil {
			t.Fatal(err)
		}
		m, err := svc.QueueMail("sam", d)
		if err != nil {
			t.Fatal(err)
		}
		svc.ClaimMail(m.ID)
		if _, err := svc.MailDelivered(m.ID, "250 ok"); err != nil {
			t.Fatal(err)
		}
		// Our copies, in threads of their own.
		own := pm(m.MessageID, sam.Email, maya, []string{"Spring", "Winter"}[i], at(24), uint32(2+i))
		if _, err := svc.IngestMail(id, []crm.ParsedMessage{own}, st); err != nil {
			t.Fatal(err)
		}
		sent = append(sent, m)
	}
	// The reply answers the second deal's mail; our answer after it
	// joins that thread to the older one.
	r := pm("r1@creator.example", maya, sam.Email, "Re: Winter", at(25), 10, sent[1].MessageID)
	joins := pm("a1@brand.example", sam.Email, maya, "Re: Hello", at(25).Add(time.Hour), 11, "hello@creator.example", "r1@creator.example")
	if _, err := svc.IngestMail(id, []crm.ParsedMessage{r, joins}, st); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		deal crm.ID
		want crm.Stage
	}{{card.Deal.ID, crm.Contacted}, {deal2.ID, crm.Negotiating}} {
		if got, err := svc.Card(c.deal); err != nil || got.Deal.Stage != c.want {
			t.Errorf("deal %s: stage %s (%v), want %s", c.deal, got.Deal.Stage, err, c.want)
		}
	}
}
