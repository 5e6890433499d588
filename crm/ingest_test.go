package crm_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"roster/crm"
)

var (
	me   = crm.Identity{Account: "work", Addresses: []string{"sam@glowbrand.example", "partnerships@glowbrand.example"}}
	day0 = time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
)

func loc(box string, uid uint32) crm.Location {
	return crm.Location{Account: "work", Mailbox: box, UIDValidity: 7, UID: uid}
}

func msg(id, from, to, subject string, at time.Time, l crm.Location) crm.ParsedMessage {
	return crm.ParsedMessage{MessageIDRaw: "<" + id + ">", From: crm.Address{Email: from}, To: []crm.Address{{Email: to}},
		Subject: subject, Date: at, Text: "body of " + id, Location: l}
}

func reply(pm crm.ParsedMessage, parents ...string) crm.ParsedMessage {
	var refs []string
	for _, p := range parents {
		refs = append(refs, "<"+p+">")
	}
	pm.ReferencesRaw = strings.Join(refs, " ")
	if len(parents) > 0 {
		pm.InReplyToRaw = refs[len(refs)-1]
	}
	return pm
}

func ingest(t *testing.T, svc *crm.Service, box string, pms ...crm.ParsedMessage) crm.IngestResult {
	t.Helper()
	res, err := svc.IngestMail(me, pms, crm.MailboxState{Account: "work", Mailbox: box, UIDValidity: 7, UIDNext: 100})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func mailSetup(t *testing.T) (*crm.Service, crm.Card) {
	t.Helper()
	svc, camp := newService(t)
	card, err := svc.AddCreator("sam", crm.Creator{Name: "Maya Chen", Emails: []string{"Maya.Chen@gmail.com", "maya@mayamakes.example"}}, camp.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AddCreator("sam", crm.Creator{Name: "Leo Park", Emails: []string{"leo@cookswithleo.example"}}, camp.ID, ""); err != nil {
		t.Fatal(err)
	}
	return svc, card
}

func TestOutreachAndReplyMakeOneThreadAndReplyOwed(t *testing.T) {
	svc, maya := mailSetup(t)
	out := msg("o1@glowbrand.example", "sam@glowbrand.example", "maya@mayamakes.example", "Collab with Glow?", day0, loc("Sent", 1))
	in := reply(msg("r1@mail.gmail.com", "MAYA.chen+collabs@googlemail.com", "partnerships@glowbrand.example", "Re: Collab with Glow?", day0.Add(time.Hour), loc("INBOX", 1)), "o1@glowbrand.example")
	ingest(t, svc, "Sent", out)
	res := ingest(t, svc, "INBOX", in)
	if res.New != 1 || res.Matched != 1 {
		t.Fatalf("ingest %+v", res)
	}
	convs, err := svc.Conversations(maya.Creator.ID)
	if err != nil || len(convs) != 1 || len(convs[0].Messages) != 2 {
		t.Fatalf("conversations %+v %v", convs, err)
	}
	if convs[0].Messages[0].Direction != crm.Out || convs[0].Messages[1].Direction != crm.In {
		t.Fatal("directions wrong")
	}
	card, _ := svc.Card(maya.Deal.ID)
	if card.Turn.Label() != "reply owed" {
		t.Fatalf("turn %q", card.Turn.Label())
	}
}

func TestReplyBeforeParentAndBrokenChainsJoinOneThread(t *testing.T) {
	svc, maya := mailSetup(t)
	a := msg("a@x.example", "sam@glowbrand.example", "maya@mayamakes.example", "Rates", day0, loc("Sent", 1))
	b := reply(msg("b@x.example", "maya@mayamakes.example", "sam@glowbrand.example", "Re: Rates", day0.Add(time.Hour), loc("INBOX", 1)), "a@x.example")
	c := reply(msg("c@x.example", "sam@glowbrand.example", "maya@mayamakes.example", "Re: Rates", day0.Add(2*time.Hour), loc("Sent", 2)), "a@x.example", "b@x.example")
	// C arrives first, then A; B (the middle) never arrives.
	ingest(t, svc, "Sent", c)
	ingest(t, svc, "Sent", a)
	convs, _ := svc.Conversations(maya.Creator.ID)
	if len(convs) != 1 || len(convs[0].Messages) != 2 {
		t.Fatalf("want one thread of two, got %d threads", len(convs))
	}
	// Now B, which was a ghost, arrives late and joins.
	ingest(t, svc, "INBOX", b)
	convs, _ = svc.Conversations(maya.Creator.ID)
	if len(convs) != 1 || len(convs[0].Messages) != 3 {
		t.Fatalf("late parent: %d threads", len(convs))
	}
	if got := convs[0].Messages[1].MessageID; got != "b@x.example" {
		t.Fatalf("messages not oldest first: %s", got)
	}
}

func TestSeparateThreadsMergeWhenAMessageLinksThem(t *testing.T) {
	svc, maya := mailSetup(t)
	ingest(t, svc, "Sent", msg("p@x.example", "sam@glowbrand.example", "maya@mayamakes.example", "One", day0, loc("Sent", 1)))
	ingest(t, svc, "INBOX", reply(msg("q@x.example", "maya@mayamakes.example", "sam@glowbrand.example", "Two", day0, loc("INBOX", 1)), "zz@x.example"))
	if convs, _ := svc.Conversations(maya.Creator.ID); len(convs) != 2 {
		t.Fatalf("%d threads before the link", len(convs))
	}
	ingest(t, svc, "INBOX", reply(msg("r@x.example", "maya@mayamakes.example", "sam@glowbrand.example", "Re", day0.Add(time.Hour), loc("INBOX", 2)), "p@x.example", "q@x.example"))
	convs, _ := svc.Conversations(maya.Creator.ID)
	if len(convs) != 1 || len(convs[0].Messages) != 3 {
		t.Fatalf("threads not merged: %d", len(convs))
	}
}

func TestSubjectFallbackOnlyWithinOneCreatorAndWindow(t *testing.T) {
	svc, maya := mailSetup(t)
	ingest(t, svc, "INBOX",
		msg("m1@x.example", "maya@mayamakes.example", "sam@glowbrand.example", "Collab", day0, loc("INBOX", 1)),
		msg("l1@x.example", "leo@cookswithleo.example", "sam@glowbrand.example", "Collab", day0, loc("INBOX", 2)),
		msg("m2@x.example", "maya@mayamakes.example", "sam@glowbrand.example", "RE: collab", day0.Add(48*time.Hour), loc("INBOX", 3)),
		msg("m3@x.example", "maya@mayamakes.example", "sam@glowbrand.example", "Collab", day0.Add(90*24*time.Hour), loc("INBOX", 4)),
	)
	convs, _ := svc.Conversations(maya.Creator.ID)
	if len(convs) != 2 {
		t.Fatalf("Maya: %d threads, want 2 (m1+m2, and m3 outside the window)", len(convs))
	}
	if n := len(convs[1].Messages) + len(convs[0].Messages); n != 3 {
		t.Fatalf("Maya's messages %d", n)
	}
}

func TestJunkInReplyToAndMissingMessageID(t *testing.T) {
	svc, maya := mailSetup(t)
	a := msg("", "maya@mayamakes.example", "sam@glowbrand.example", "No id", day0, loc("INBOX", 1))
	a.MessageIDRaw = ""
	a.InReplyToRaw = "maya@mayamakes.example's message of Monday"
	ingest(t, svc, "INBOX", a)
	ingest(t, svc, "INBOX", a) // the same copy again: the synthetic id makes it the same message
	convs, _ := svc.Conversations(maya.Creator.ID)
	if len(convs) != 1 || len(convs[0].Messages) != 1 || !strings.HasPrefix(convs[0].Messages[0].MessageID, "synthetic-") {
		t.Fatalf("%+v", convs)
	}
}

func TestMessageInTwoFoldersIsOneMessage(t *testing.T) {
	svc, maya := mailSetup(t)
	m := msg("dup@x.example", "maya@mayamakes.example", "sam@glowbrand.example", "Hi", day0, loc("INBOX", 5))
	m2 := m
	m2.Location = loc("Archive", 9)
	ingest(t, svc, "INBOX", m)
	res := ingest(t, svc, "Archive", m2)
	if res.New != 0 || res.Located != 1 {
		t.Fatalf("second folder: %+v", res)
	}
	convs, _ := svc.Conversations(maya.Creator.ID)
	if len(convs[0].Messages) != 1 || len(convs[0].Messages[0].Locations) != 2 {
		t.Fatalf("%+v", convs[0].Messages)
	}
	if n, err := svc.ForgetVanished("work", "INBOX", map[uint32]bool{4: true, 6: true}, crm.MailboxState{Account: "work", Mailbox: "INBOX", UIDValidity: 7, UIDNext: 100}); err != nil || n != 1 {
		t.Fatalf("forgot %d, %v; want the one copy in INBOX", n, err)
	}
	convs, _ = svc.Conversations(maya.Creator.ID)
	if len(convs[0].Messages) != 1 || len(convs[0].Messages[0].Locations) != 1 {
		t.Fatal("a vanished copy must drop its location and keep the message")
	}
}

func TestUIDValidityChangeRemapsWithoutDuplicates(t *testing.T) {
	svc, maya := mailSetup(t)
	ingest(t, svc, "INBOX",
		msg("u1@x.example", "maya@mayamakes.example", "sam@glowbrand.example", "A", day0, loc("INBOX", 1)),
		msg("u2@x.example", "maya@mayamakes.example", "sam@glowbrand.example", "B", day0, loc("INBOX", 2)))
	st := crm.MailboxState{Account: "work", Mailbox: "INBOX", UIDValidity: 8, UIDNext: 4}
	missing, err := svc.RemapMailbox("work", "INBOX", map[uint32]string{1: "<u2@x.example>", 2: "<u1@x.example>", 3: "<new@x.example>"}, st)
	if err != nil || len(missing) != 1 || missing[0] != 3 {
		t.Fatalf("missing %v %v", missing, err)
	}
	if cur, _, _ := svc.MailboxState("work", "INBOX"); cur.UIDValidity != 8 || cur.UIDNext != 3 {
		t.Fatalf("cursor must stay behind the unfetched UID 3: %+v", cur)
	}
	uids, _ := svc.KnownUIDs("work", "INBOX")
	if len(uids) != 2 {
		t.Fatalf("known UIDs %v", uids)
	}
	convs, _ := svc.Conversations(maya.Creator.ID)
	total := 0
	for _, c := range convs {
		total += len(c.Messages)
		for _, m := range c.Messages {
			if len(m.Locations) != 1 || m.Locations[0].UIDValidity != 8 {
				t.Fatalf("%s locations %+v", m.MessageID, m.Locations)
			}
		}
	}
	if total != 2 {
		t.Fatalf("%d messages after remap", total)
	}
}

func TestUnmatchedMailBecomesAProspectOrIsLinkedOrIgnored(t *testing.T) {
	svc, maya := mailSetup(t)
	ingest(t, svc, "INBOX",
		msg("s1@x.example", "Rita@RitaMoves.example", "sam@glowbrand.example", "Ambassador program?", day0, loc("INBOX", 1)),
		msg("s2@x.example", "rita@ritamoves.example", "sam@glowbrand.example", "Following up", day0.Add(time.Hour), loc("INBOX", 2)),
		msg("n1@x.example", "news@shop.example", "sam@glowbrand.example", "Weekly deals", day0, loc("INBOX", 3)),
		msg("a1@x.example", "maya.agent@talent.example", "sam@glowbrand.example", "Maya's rates", day0, loc("INBOX", 4)),
	)
	bulk := msg("b1@x.example", "digest@list.example", "sam@glowbrand.example", "Digest", day0, loc("INBOX", 5))
	bulk.Bulk = true
	ingest(t, svc, "INBOX", bulk)
	un, _ := svc.Unmatched(0)
	if len(un) != 4 {
		t.Fatalf("unmatched %d, want 4 (bulk mail kept out)", len(un))
	}
	var news, rita, agent crm.ID
	for _, m := range un {
		switch m.MessageID {
		case "n1@x.example":
			news = m.ID
		case "s1@x.example":
			rita = m.ID
		case "a1@x.example":
			agent = m.ID
		}
	}
	if err := svc.IgnoreSender("sam", news); err != nil {
		t.Fatal(err)
	}
	cs, _ := svc.Campaigns()
	card, err := svc.MakeProspect("sam", rita, cs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if card.Creator.Name != "" && card.Deal.Stage != crm.Prospect {
		t.Fatalf("prospect %+v", card)
	}
	if convs, _ := svc.Conversations(card.Creator.ID); len(convs) == 0 {
		t.Fatal("the new prospect's mail was not linked")
	}
	if _, err := svc.LinkSender("sam", agent, maya.Creator.ID); err != nil {
		t.Fatal(err)
	}
	if un, _ := svc.Unmatched(0); len(un) != 0 {
		t.Fatalf("left unmatched: %+v", un)
	}
}

func TestUnignoreListsTheSendersMailAgain(t *testing.T) {
	svc, _ := mailSetup(t)
	ingest(t, svc, "INBOX", msg("n1@x.example", "News@Shop.example", "sam@glowbrand.example", "Weekly deals", day0, loc("INBOX", 1)))
	un, _ := svc.Unmatched(0)
	if len(un) != 1 {
		t.Fatalf("unmatched %d, want 1", len(un))
	}
	if err := svc.IgnoreSender("sam", un[0].ID); err != nil {
		t.Fatal(err)
	}
	// Mail that comes while the ignore holds is kept, out of sight.
	ingest(t, svc, "INBOX", msg("n2@x.example", "news@shop.example", "sam@glowbrand.example", "More deals", day0.Add(time.Hour), loc("INBOX", 2)))
	if un, _ := svc.Unmatched(0); len(un) != 0 {
		t.Fatalf("ignored sender still listed: %d", len(un))
	}
	if got, err := svc.IgnoredSenders(); err != nil || !slices.Equal(got, []string{"news@shop.example"}) {
		t.Fatalf("IgnoredSenders = %q, %v", got, err)
	}
	err := svc.UnignoreSender("sam", "newz@shop.example")
	if !errors.Is(err, crm.ErrNotFound) || !strings.Contains(err.Error(), "news@shop.example") || strings.HasSuffix(err.Error(), "not found") {
		t.Fatalf("unignoring a typo: %v, want ErrNotFound naming the ignored sender", err)
	}
	if err := svc.UnignoreSender("sam", " NEWS@shop.example "); err != nil {
		t.Fatal(err)
	}
	un, _ = svc.Unmatched(0)
	if len(un) != 2 || un[0].MessageID != "n2@x.example" {
		t.Fatalf("after unignore: %d unmatched, want both, newest first", len(un))
	}
	if got, _ := svc.IgnoredSenders(); len(got) != 0 {
		t.Fatalf("still ignored: %q", got)
	}
}

func TestHostileMailIsStoredClean(t *testing.T) {
	svc, maya := mailSetup(t)
	m := msg("h@x.example", "maya@mayamakes.example", "sam@glowbrand.example", "Hi\x1b]52;c;cm0gLXJm\x07 \x1b[2Jthere", day0, loc("INBOX", 1))
	m.From.Name = "Maya\u202e evil"
	m.Text = "line\x1bP$q\x1b\\ two"
	ingest(t, svc, "INBOX", m)
	convs, _ := svc.Conversations(maya.Creator.ID)
	got := convs[0].Messages[0]
	for _, s := range []string{got.Subject, got.From.Name, got.Text, convs[0].Thread.Subject} {
		if strings.ContainsAny(s, "\x1b\u202e\x07") {
			t.Fatalf("control characters stored: %q", s)
		}
	}
}

// TestIngestReportsPendingBodies: a header-only message of a creator is
// handed back for its body with the copy just read, exactly as
// PendingBodies lists it; unmatched mail and mail with its body are not.
func TestIngestReportsPendingBodies(t *testing.T) {
	svc, maya := mailSetup(t)
	headerOnly := func(pm crm.ParsedMessage) crm.ParsedMessage { pm.HeaderOnly, pm.Text = true, ""; return pm }
	res := ingest(t, svc, "INBOX",
		headerOnly(msg("h1@x", "maya@mayamakes.example", "sam@glowbrand.example", "Rates", day0, loc("INBOX", 5))),
		headerOnly(msg("h2@x", "news@shop.example", "sam@glowbrand.example", "Sale", day0, loc("INBOX", 6))),
		msg("f1@x", "maya@mayamakes.example", "sam@glowbrand.example", "Full", day0, loc("INBOX", 7)),
	)
	if res.New != 3 || len(res.Pending) != 1 {
		t.Fatalf("ingest %+v", res)
	}
	p := res.Pending[0]
	if p.MessageID != "h1@x" || p.CreatorID != maya.Creator.ID || p.Account != "work" || !p.HeaderOnly ||
		len(p.Locations) != 1 || p.Locations[0] != loc("INBOX", 5) {
		t.Fatalf("pending %+v", p)
	}
	listed, err := svc.PendingBodies("work", 0)
	if err != nil || len(listed) != 1 || listed[0].ID != p.ID {
		t.Fatalf("PendingBodies %v %v, ingest said %s", listed, err, p.ID)
	}
}
