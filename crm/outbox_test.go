package crm_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"roster/crm"
)

// plainRenderer is the simplest renderer the port allows: headers in the
// order a reader checks them. The go-mail renderer is tested in mail/.
type plainRenderer struct{}

func (plainRenderer) RenderMail(d *crm.Draft, mid string, date time.Time) ([]byte, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "From: %s\r\nTo: %s\r\nSubject: %s\r\nMessage-ID: <%s>\r\nDate: %s\r\n\r\n%s",
		d.From, d.To[0], d.Subject, mid, date.Format(time.RFC1123Z), d.Text)
	return []byte(b.String()), nil
}

func (plainRenderer) Templates() (map[string]crm.Template, error) { return crm.DefaultTemplates(), nil }

type wakeCounter struct{ n int }

func (w *wakeCounter) Wake() { w.n++ }

var sam = crm.SendingAccount{Name: "work", DisplayName: "Sam Rivera", Email: "sam@brand.example", Aliases: []string{"partners@brand.example"}}

// sendingService is a service that can queue mail from account "work",
// with Maya Lin, a prospect.
func sendingService(t *testing.T) (*crm.Service, crm.Card, *wakeCounter) {
	t.Helper()
	svc, camp := newService(t)
	wc := &wakeCounter{}
	svc.SetMailRenderer(plainRenderer{})
	svc.SetSending([]crm.SendingAccount{sam}, wc)
	card, err := svc.AddCreator("sam", crm.Creator{Name: "Maya Lin", Emails: []string{"maya@creator.example"}}, camp.ID, crm.Prospect)
	if err != nil {
		t.Fatal(err)
	}
	return svc, card, wc
}

func queueOutreach(t *testing.T, svc *crm.Service, card crm.Card) crm.OutboxMail {
	t.Helper()
	d, err := svc.TemplateDraft("outreach", card.Deal.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	m, err := svc.QueueMail("sam", d)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func lastEvent(t *testing.T, svc *crm.Service, creator crm.ID) crm.Event {
	t.Helper()
	det, err := svc.CreatorDetail(creator)
	if err != nil || len(det.Events) == 0 {
		t.Fatalf("events: %v", err)
	}
	return det.Events[0]
}

func TestQueueMailRendersOnceAndLogsInWords(t *testing.T) {
	svc, card, wc := sendingService(t)
	m := queueOutreach(t, svc, card)
	if m.State != crm.OutboxQueued || m.QueuedBy != "sam" || m.Account != "work" || wc.n != 1 {
		t.Fatalf("queued mail %+v, wakes %d", m, wc.n)
	}
	if !strings.HasSuffix(m.MessageID, "@brand.example") || !strings.Contains(string(m.Raw), "Message-ID: <"+m.MessageID+">") {
		t.Errorf("Message-ID %q not ours or not in the raw mail", m.MessageID)
	}
	if m.From.Name != "Sam Rivera" || m.To[0].Email != "maya@creator.example" || m.DealID != card.Deal.ID {
		t.Errorf("addressing: %+v", m)
	}
	e := lastEvent(t, svc, card.Creator.ID)
	if e.Actor != "sam" || e.Kind != crm.MailQueued || e.Summary != "queued outreach to Maya Lin" {
		t.Errorf("event %s %s %q", e.Actor, e.Kind, e.Summary)
	}
	got, err := svc.OutboxMail(m.ID[len(m.ID)-8:])
	if err != nil || got.ID != m.ID || string(got.Raw) != string(m.Raw) {
		t.Errorf("by short id: %v %v", got.ID, err)
	}
	// A suffix under 6 characters is refused for its length, not reported
	// as missing: the mail is there, the rule is what went wrong.
	short := m.ID[len(m.ID)-2:]
	if _, err := svc.OutboxMail(short); err == nil || errors.Is(err, crm.ErrNotFound) ||
		err.Error() != "outbox mail "+string(short)+": give at least 6 characters of its ID" {
		t.Errorf("2-character id: %v", err)
	}
}

func TestDraftHeaderInjectionIsRefused(t *testing.T) {
	svc, card, _ := sendingService(t)
	base, err := svc.ComposeDraft(card.Creator.ID, card.Deal.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	base.Subject, base.Text = "Hello", "Hi Maya"
	for name, mutate := range map[string]func(d *crm.Draft){
		"subject":  func(d *crm.Draft) { d.Subject = "Hi\r\nBcc: evil@x.example" },
		"subj-lf":  func(d *crm.Draft) { d.Subject = "Hi\nBcc: evil@x.example" },
		"to name":  func(d *crm.Draft) { d.To[0].Name = "Maya\r\nBcc: evil@x.example" },
		"to addr":  func(d *crm.Draft) { d.To[0].Email = "maya@creator.example\r\nBcc: evil@x.example" },
		"cc addr":  func(d *crm.Draft) { d.Cc = []crm.Address{{Email: "a@b.example>\r\nX: y"}} },
		"from":     func(d *crm.Draft) { d.From.Name = "Sam\nBcc: evil@x.example" },
		"refs":     func(d *crm.Draft) { d.References = []string{"a@b.example\r\nBcc: evil@x.example"} },
		"reply-to": func(d *crm.Draft) { d.InReplyTo = "x@y.example> \r\nBcc: e@x" },
		"bidi":     func(d *crm.Draft) { d.Subject = "Hi \u202e" },
	} {
		d := base
		d.To = append([]crm.Address(nil), base.To...)
		mutate(&d)
		_, err := svc.QueueMail("sam", d)
		var fe *crm.FieldError
		if !errors.As(err, &fe) {
			t.Errorf("%s: %v, want a FieldError", name, err)
		}
	}
	if ms, _ := svc.Outbox(crm.OutboxQuery{}); len(ms) != 0 {
		t.Errorf("%d mails queued", len(ms))
	}
	// A creator whose name carries a header becomes one harmless line.
	c := card.Creator
	c.Name = "Eve\r\nBcc: evil@x.example"
	if _, err := svc.UpdateCreator("sam", c); err != nil {
		return // refused at the door: nothing to send
	}
	d, err := svc.ComposeDraft(card.Creator.ID, card.Deal.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(d.To[0].Name, "\r\n") {
		t.Errorf("name kept its line break: %q", d.To[0].Name)
	}
	d.Subject, d.Text = "Hello", "Hi"
	if _, err := svc.QueueMail("sam", d); err != nil {
		t.Errorf("a cleaned name is refused: %v", err)
	}
}

func TestDeliveryStepsAndPipeline(t *testing.T) {
	svc, card, _ := sendingService(t)
	m := queueOutreach(t, svc, card)
	due, err := svc.DueMails(time.Now().Add(time.Hour), 0)
	if err != nil || len(due) != 1 {
		t.Fatalf("due %d %v", len(due), err)
	}
	c, err := svc.ClaimMail(m.ID)
	if err != nil || c.State != crm.OutboxSending || c.Attempts != 1 {
		t.Fatalf("claim %+v %v", c, err)
	}
	if _, err := svc.ClaimMail(m.ID); !errors.Is(err, crm.ErrConflict) {
		t.Errorf("second claim: %v", err)
	}
	if _, err := svc.CancelMail("sam", m.ID); err == nil {
		t.Error("cancelled a mail being sent")
	}
	s, err := svc.MailDelivered(m.ID, "250 2.0.0 queued as X1")
	if err != nil || s.State != crm.OutboxSent || s.SentAt.IsZero() {
		t.Fatalf("delivered %+v %v", s, err)
	}
	got, _ := svc.Card(card.Deal.ID)
	if got.Deal.Stage != crm.Contacted {
		t.Fatalf("deal stage %s after the first mail, want contacted", got.Deal.Stage)
	}
	e := lastEvent(t, svc, card.Creator.ID)
	if e.Actor != "roster" || e.Kind != crm.DealMoved {
		t.Errorf("last event %s %s %q", e.Actor, e.Kind, e.Summary)
	}
	if _, err := svc.RetryMail("sam", m.ID); err == nil {
		t.Error("retried a sent mail")
	}
	if f, err := svc.MailFiled(m.ID, "appended"); err != nil || f.SentCopy != "appended" {
		t.Errorf("filed %+v %v", f, err)
	}
}

func TestPipelineToggleOff(t *testing.T) {
	svc, card, _ := sendingService(t)
	svc.SetPipelineFollowsMail(false)
	m := queueOutreach(t, svc, card)
	if _, err := svc.ClaimMail(m.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.MailDelivered(m.ID, "250 ok"); err != nil {
		t.Fatal(err)
	}
	if got, _ := svc.Card(card.Deal.ID); got.Deal.Stage != crm.Prospect {
		t.Errorf("stage %s with the pipeline off", got.Deal.Stage)
	}
}

func TestDeferredFailedInDoubtRetryCancel(t *testing.T) {
	svc, card, _ := sendingService(t)
	m := queueOutreach(t, svc, card)
	later := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 1; i < crm.MaxAttempts; i++ {
		if _, err := svc.ClaimMail(m.ID); err != nil {
			t.Fatal(err)
		}
		d, err := svc.MailDeferred(m.ID, "421 4.7.0 try later", later)
		if err != nil || d.State != crm.OutboxQueued || !d.NextAt.Equal(later) {
			t.Fatalf("deferred %+v %v", d, err)
		}
	}
	if due, _ := svc.DueMails(later.Add(-time.Second), 0); len(due) != 0 {
		t.Error("a deferred mail is due before its time")
	}
	if _, err := svc.ClaimMail(m.ID); err != nil {
		t.Fatal(err)
	}
	f, err := svc.MailDeferred(m.ID, "421 again", later)
	if err != nil || f.State != crm.OutboxFailed || !strings.Contains(f.LastError, "gave up after 8 attempts: 421 again") {
		t.Fatalf("after MaxAttempts: %+v %v", f, err)
	}
	r, err := svc.RetryMail("sam", m.ID)
	if err != nil || r.State != crm.OutboxQueued || r.Attempts != 0 {
		t.Fatalf("retry %+v %v", r, err)
	}
	if _, err := svc.ClaimMail(m.ID); err != nil {
		t.Fatal(err)
	}
	if f, err := svc.MailFailed(m.ID, "550 5.1.1 no such user"); err != nil || f.LastError != "550 5.1.1 no such user" {
		t.Fatalf("failed %+v %v", f, err)
	}
	e := lastEvent(t, svc, card.Creator.ID)
	if e.Actor != "roster" || e.Summary != "could not send outreach to Maya Lin: 550 5.1.1 no such user" {
		t.Errorf("event %s %q", e.Actor, e.Summary)
	}
	if _, err := svc.RetryMail("sam", m.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ClaimMail(m.ID); err != nil {
		t.Fatal(err)
	}
	// The process dies here; the next start finds it sending.
	if n, err := svc.RecoverOutbox(); err != nil || n != 1 {
		t.Fatalf("recover %d %v", n, err)
	}
	dm, _ := svc.OutboxMail(m.ID)
	if dm.State != crm.OutboxInDoubt {
		t.Fatalf("state after recovery %s", dm.State)
	}
	if due, _ := svc.DueMails(later.AddDate(10, 0, 0), 0); len(due) != 0 {
		t.Error("a mail in doubt is due: roster would send it again on its own")
	}
	if u, err := svc.DoubtUnresolved(m.ID, "not in Sent"); err != nil || !u.DoubtChecked {
		t.Fatalf("unresolved %+v %v", u, err)
	}
	cm, err := svc.CancelMail("lee", m.ID)
	if err != nil || cm.State != crm.OutboxCancelled {
		t.Fatalf("cancel %+v %v", cm, err)
	}
	if e := lastEvent(t, svc, card.Creator.ID); e.Actor != "lee" || e.Kind != crm.MailCancelled {
		t.Errorf("cancel event %s %s", e.Actor, e.Kind)
	}
	ms, _ := svc.Outbox(crm.OutboxQuery{States: []crm.OutboxState{crm.OutboxCancelled}})
	if len(ms) != 1 {
		t.Errorf("cancelled list %d", len(ms))
	}
}

func TestReplyDraft(t *testing.T) {
	svc, card, _ := sendingService(t)
	id := crm.Identity{Account: "work", Addresses: []string{sam.Email, sam.Aliases[0]}}
	pm := crm.ParsedMessage{
		MessageIDRaw: "<m2@creator.example>", InReplyToRaw: "<m1@brand.example>", ReferencesRaw: "<m0@brand.example> <m1@brand.example>",
		From: crm.Address{Name: "Maya Lin", Email: "maya@creator.example"},
		To:   []crm.Address{{Email: "sam@brand.example"}, {Name: "Manager", Email: "mgr@creator.example"}},
		Cc:   []crm.Address{{Email: "partners@brand.example"}, {Email: "MAYA@creator.example"}},
		Date: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC), Subject: "RE: Re: Collab?", Text: "Sounds good.\nWhat's the fee?",
		Location: crm.Location{Account: "work", Mailbox: "INBOX", UIDValidity: 1, UID: 1},
	}
	if _, err := svc.IngestMail(id, []crm.ParsedMessage{pm}, crm.MailboxState{Account: "work", Mailbox: "INBOX", UIDValidity: 1, UIDNext: 2}); err != nil {
		t.Fatal(err)
	}
	convs, err := svc.Conversations(card.Creator.ID)
	if err != nil || len(convs) != 1 || len(convs[0].Messages) != 1 {
		t.Fatalf("conversations %v %v", convs, err)
	}
	msg := convs[0].Messages[0]
	d, err := svc.ReplyDraft(msg.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	if d.Subject != "Re: Collab?" || len(d.To) != 1 || d.To[0].Email != "maya@creator.example" || len(d.Cc) != 0 {
		t.Errorf("reply: subject %q to %v cc %v", d.Subject, d.To, d.Cc)
	}
	if d.InReplyTo != "m2@creator.example" || strings.Join(d.References, " ") != "m0@brand.example m1@brand.example m2@creator.example" {
		t.Errorf("threading: %q %v", d.InReplyTo, d.References)
	}
	if !strings.Contains(d.Text, "Maya Lin wrote:\n> Sounds good.\n> What's the fee?\n") || d.ThreadID != msg.ThreadID || d.DealID != card.Deal.ID {
		t.Errorf("quote/thread: %q %s %s", d.Text, d.ThreadID, d.DealID)
	}
	if d.CreatorName != card.Creator.Name {
		t.Errorf("reply names the creator %q, want %q", d.CreatorName, card.Creator.Name)
	}
	all, err := svc.ReplyDraft(msg.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(all.To) != 1 || len(all.Cc) != 1 || all.Cc[0].Email != "mgr@creator.example" {
		t.Errorf("reply all: to %v cc %v (want Maya, then only the manager's manager)", all.To, all.Cc)
	}
}

func TestFirstReplyMovesContactedToNegotiating(t *testing.T) {
	svc, card, _ := sendingService(t)
	m := queueOutreach(t, svc, card)
	svc.ClaimMail(m.ID)
	if _, err := svc.MailDelivered(m.ID, "250 ok"); err != nil {
		t.Fatal(err)
	}
	id := crm.Identity{Account: "work", Addresses: []string{sam.Email}}
	st := crm.MailboxState{Account: "work", Mailbox: "INBOX", UIDValidity: 1, UIDNext: 3}
	// Our own copy (Sent) does not count as a reply.
	own := crm.ParsedMessage{MessageIDRaw: "<" + m.MessageID + ">", From: crm.Address{Email: sam.Email},
		To: []crm.Address{{Email: "maya@creator.example"}}, Date: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC), Subject: m.Subject,
		Location: crm.Location{Account: "work", Mailbox: "Sent", UIDValidity: 1, UID: 1}}
	if _, err := svc.IngestMail(id, []crm.ParsedMessage{own}, st); err != nil {
		t.Fatal(err)
	}
	if c, _ := svc.Card(card.Deal.ID); c.Deal.Stage != crm.Contacted {
		t.Fatalf("stage %s after our own copy synced", c.Deal.Stage)
	}
	reply := crm.ParsedMessage{MessageIDRaw: "<r1@creator.example>", InReplyToRaw: "<" + m.MessageID + ">",
		From: crm.Address{Email: "maya@creator.example"}, To: []crm.Address{{Email: sam.Email}},
		Date: time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC), Subject: "Re: " + m.Subject,
		Location: crm.Location{Account: "work", Mailbox: "INBOX", UIDValidity: 1, UID: 2}}
	if _, err := svc.IngestMail(id, []crm.ParsedMessage{reply}, st); err != nil {
		t.Fatal(err)
	}
	c, _ := svc.Card(card.Deal.ID)
	if c.Deal.Stage != crm.Negotiating {
		t.Fatalf("stage %s after the reply, want negotiating", c.Deal.Stage)
	}
	if e := lastEvent(t, svc, card.Creator.ID); e.Actor != "roster" || !strings.Contains(e.Summary, "to negotiating") {
		t.Errorf("event %s %q", e.Actor, e.Summary)
	}
}

func TestOutreachPlanSkipsAndCounts(t *testing.T) {
	svc, card, _ := sendingService(t)
	camp := card.Deal.CampaignID
	add := func(name, email string, dnc bool, tags ...string) crm.Card {
		c, err := svc.AddCreator("sam", crm.Creator{Name: name, Emails: []string{email}, DoNotContact: dnc, Tags: tags}, camp, crm.Prospect)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	add("Noor Haddad", "noor@x.example", true)
	add("Jo Park", "jo@x.example", false, "skincare")
	leo := add("Leo", "leo@x.example", false)
	if _, err := svc.MoveDeal("sam", leo.Deal.ID, leo.Deal.Version, crm.Contacted); err != nil {
		t.Fatal(err)
	}
	p, err := svc.PlanOutreach(crm.OutreachQuery{Template: "outreach"})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Drafts) != 2 || p.SkipCount(crm.SkipDoNotContact) != 1 || p.SkipCount(crm.SkipContacted) != 1 {
		t.Fatalf("plan: %d drafts, skipped %v, problems %v", len(p.Drafts), p.Skipped, p.Problems)
	}
	tagged, _ := svc.PlanOutreach(crm.OutreachQuery{Template: "outreach", Tag: "skincare"})
	if len(tagged.Drafts) != 1 || tagged.Drafts[0].CreatorName != "Jo Park" {
		t.Errorf("tag filter: %+v", tagged.Drafts)
	}
	q1, err := svc.QueueOutreach("sam", p)
	if err != nil || len(q1) != 2 {
		t.Fatalf("queue %d %v", len(q1), err)
	}
	q2, err := svc.QueueOutreach("sam", p)
	if err != nil || len(q2) != 0 {
		t.Fatalf("the same plan queued again: %d %v", len(q2), err)
	}
	again, _ := svc.PlanOutreach(crm.OutreachQuery{Template: "outreach"})
	if len(again.Drafts) != 0 || again.SkipCount(crm.SkipContacted) != 3 {
		t.Errorf("second plan: %d drafts, skipped %v", len(again.Drafts), again.Skipped)
	}
	if _, err := svc.PlanOutreach(crm.OutreachQuery{Template: "nope"}); !errors.Is(err, crm.ErrInvalid) || !strings.Contains(err.Error(), "outreach") {
		t.Errorf("unknown template: %v", err)
	}
}

// TestOutreachSkipsACreatorInTalksInAnotherCampaign: a cold first mail
// to someone the team is already negotiating with elsewhere would land in
// the middle of that conversation, so the plan skips her, naming the
// campaign and stage; a prospect, paid or declined deal elsewhere is no
// conversation under way and does not, and queueing checks again.
func TestOutreachSkipsACreatorInTalksInAnotherCampaign(t *testing.T) {
	svc, maya, _ := sendingService(t)
	spring, err := svc.CreateCampaign("sam", crm.Campaign{Name: "Spring glow launch"})
	if err != nil {
		t.Fatal(err)
	}
	elsewhere := func(card crm.Card, stage crm.Stage) crm.Deal {
		t.Helper()
		d, err := svc.AddDeal("sam", card.Creator.ID, spring.ID)
		if err != nil {
			t.Fatal(err)
		}
		switch stage {
		case crm.Prospect:
		case crm.Declined:
			d, err = svc.DeclineDeal("sam", d.ID, d.Version, "not this season")
		default:
			d, err = svc.MoveDeal("sam", d.ID, d.Version, stage)
		}
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	mayaSpring := elsewhere(maya, crm.Negotiating)
	camp := maya.Deal.CampaignID
	for _, x := range []struct {
		name  string
		stage crm.Stage
	}{{"Jo Park", crm.Prospect}, {"Leo Ortiz", crm.Paid}, {"Ana Ruiz", crm.Declined}} {
		card, err := svc.AddCreator("sam", crm.Creator{Name: x.name, Emails: []string{strings.Fields(x.name)[0] + "@x.example"}}, camp, crm.Prospect)
		if err != nil {
			t.Fatal(err)
		}
		elsewhere(card, x.stage)
	}
	p, err := svc.PlanOutreach(crm.OutreachQuery{Template: "outreach", Campaign: camp})
	if err != nil {
		t.Fatal(err)
	}
	want := []crm.OutreachSkip{{Creator: "Maya Lin", Kind: crm.SkipInTalks, Reason: `negotiating in "Spring glow launch"`}}
	if fmt.Sprint(p.Skipped) != fmt.Sprint(want) || p.SkipCount(crm.SkipInTalks) != 1 || len(p.Drafts) != 3 {
		t.Fatalf("plan: skipped %+v, %d drafts, want %+v and 3", p.Skipped, len(p.Drafts), want)
	}
	for _, d := range p.Drafts {
		if d.CreatorName == "Maya Lin" {
			t.Errorf("a cold mail to Maya Lin: %+v", d)
		}
	}
	// The deal elsewhere going live after the plan was made is caught
	// when it is queued.
	p, err = svc.PlanOutreach(crm.OutreachQuery{Template: "outreach", Deals: []crm.ID{maya.Deal.ID}})
	if err != nil || len(p.Skipped) != 1 {
		t.Fatalf("marked Maya: %+v %v", p, err)
	}
	if _, err := svc.MoveDeal("sam", mayaSpring.ID, mayaSpring.Version, crm.Paid); err != nil {
		t.Fatal(err)
	}
	p, err = svc.PlanOutreach(crm.OutreachQuery{Template: "outreach", Deals: []crm.ID{maya.Deal.ID}})
	if err != nil || len(p.Skipped) != 0 || len(p.Drafts) != 1 {
		t.Fatalf("after Spring was paid: %+v %v", p, err)
	}
	back, err := svc.AddDeal("sam", maya.Creator.ID, mustCampaign(t, svc, "Summer"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.MoveDeal("sam", back.ID, back.Version, crm.Contacted); err != nil {
		t.Fatal(err)
	}
	if q, err := svc.QueueOutreach("sam", p); err != nil || len(q) != 0 {
		t.Errorf("queued %d after Maya was contacted in Summer: %v", len(q), err)
	}
}

func mustCampaign(t *testing.T, svc *crm.Service, name string) crm.ID {
	t.Helper()
	c, err := svc.CreateCampaign("sam", crm.Campaign{Name: name})
	if err != nil {
		t.Fatal(err)
	}
	return c.ID
}

// TestDraftRefusesEveryBidiControl: a header field with any of the bidi
// controls SanitizeText removes (U+061C included) is refused.
func TestDraftRefusesEveryBidiControl(t *testing.T) {
	for _, r := range []rune{0x202e, 0x2066, 0x200f, 0x061c} {
		d := crm.Draft{Account: "work", From: crm.Address{Email: "sam@brand.example"}, To: []crm.Address{{Email: "maya@creator.example"}},
			Subject: "Rates " + string(r) + "gnp.exe", Text: "hi"}
		if err := d.Validate(); err == nil {
			t.Errorf("subject with %U accepted", r)
		}
	}
}

// TestDraftHeaderProblems: a draft's header values and a template's
// subject are checked by the same rule, so invalid UTF-8 (which a
// template already refused) is refused in a draft too, and every refusal
// names what is wrong.
func TestDraftHeaderProblems(t *testing.T) {
	for _, tc := range []struct{ subject, name, want string }{
		{"Rates \xff\xfe", "", "subject: is not valid UTF-8"},
		{"Rates", "Maya \xc3", "to[0] name: is not valid UTF-8"},
		{"Rates\r\nBcc: x@y.example", "", "subject: has a line break"},
		{"Rates \x1b[31m", "", "subject: has a control character (U+001B)"},
		{"Rates", "Maya \u2066x", "to[0] name: has a bidirectional control character (U+2066)"},
		{strings.Repeat("r", 999), "", "subject: is longer than a header line may be"},
	} {
		d := crm.Draft{Account: "work", From: crm.Address{Email: "sam@brand.example"}, To: []crm.Address{{Name: tc.name, Email: "maya@creator.example"}},
			Subject: tc.subject, Text: "hi"}
		if err := d.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("subject %q name %q: %v, want %q", tc.subject, tc.name, err, tc.want)
		}
	}
}

// TestRefusalsReadWithoutAPrefix: a refusal is shown as it is written
// ("… is cancelled and cannot be cancelled", "no account can send: …"),
// not as "invalid: …", and callers still tell it apart with
// errors.Is(err, crm.ErrInvalid).
func TestRefusalsReadWithoutAPrefix(t *testing.T) {
	svc, card, _ := sendingService(t)
	m := queueOutreach(t, svc, card)
	if _, err := svc.CancelMail("sam", m.ID); err != nil {
		t.Fatal(err)
	}
	_, err := svc.CancelMail("sam", m.ID)
	if want := string(m.ID) + " is cancelled and cannot be cancelled"; err == nil || err.Error() != want || !errors.Is(err, crm.ErrInvalid) {
		t.Errorf("cancelling twice: %v; want %q matching ErrInvalid", err, want)
	}
	d, err := svc.TemplateDraft("outreach", card.Deal.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	svc.SetSending(nil, nil)
	_, err = svc.QueueMail("sam", d)
	if err == nil || !strings.HasPrefix(err.Error(), "no account can send: ") || !errors.Is(err, crm.ErrInvalid) {
		t.Errorf("queueing with no account: %v; want \"no account can send: …\" matching ErrInvalid", err)
	}
}
