package crm_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"roster/crm"
	"roster/crm/crmtest"
)

func newService(t *testing.T) (*crm.Service, crm.Campaign) {
	t.Helper()
	svc := crm.NewService(crmtest.NewMemory(), crm.FixedClock{T: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)})
	if err := svc.Init("alice"); err != nil {
		t.Fatal(err)
	}
	cs, err := svc.Campaigns()
	if err != nil || len(cs) != 1 || cs[0].Name != crm.DefaultCampaignName {
		t.Fatalf("default campaign: %v %v", cs, err)
	}
	if err := svc.Init("alice"); err != nil { // idempotent
		t.Fatal(err)
	}
	if cs, _ := svc.Campaigns(); len(cs) != 1 {
		t.Fatalf("Init twice made %d campaigns", len(cs))
	}
	return svc, cs[0]
}

func maya() crm.Creator {
	return crm.Creator{Name: "Maya Chen", Emails: []string{"maya@studio.example"},
		Handles: []crm.Handle{{Platform: crm.TikTok, Handle: "@mayamakes", Followers: 48_200, EngagementBP: 610}}}
}

func TestMoveDealLogsWhoMovedWhatWhere(t *testing.T) {
	svc, camp := newService(t)
	card, err := svc.AddCreator("alice", maya(), camp.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if card.Deal.Stage != crm.Prospect {
		t.Fatalf("new deal in %s", card.Deal.Stage)
	}
	d, err := svc.StepDeal("bob", card.Deal.ID, card.Deal.Version, +1)
	if err != nil {
		t.Fatal(err)
	}
	if d.Stage != crm.Contacted || len(d.History) != 2 || d.History[1].By != "bob" {
		t.Fatalf("after step: %+v", d)
	}
	det, err := svc.CreatorDetail(card.Creator.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := det.Events[0]; got.Actor != "bob" || got.Summary != "moved Maya Chen from prospect to contacted in General" || got.Kind != crm.DealMoved {
		t.Fatalf("newest event %+v", got)
	}
	if _, err := svc.StepDeal("bob", card.Deal.ID, d.Version, -1); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.StepDeal("bob", card.Deal.ID, d.Version+1, -1); err == nil || !errors.Is(err, crm.ErrInvalid) {
		t.Fatalf("stepping before prospect: %v", err)
	}
}

func TestStaleVersionIsAConflictAndWritesNothing(t *testing.T) {
	svc, camp := newService(t)
	card, _ := svc.AddCreator("alice", maya(), camp.ID, "")
	if _, err := svc.MoveDeal("alice", card.Deal.ID, card.Deal.Version, crm.Negotiating); err != nil {
		t.Fatal(err)
	}
	_, err := svc.MoveDeal("bob", card.Deal.ID, card.Deal.Version, crm.Active)
	var ce *crm.ConflictError
	if !errors.As(err, &ce) || !errors.Is(err, crm.ErrConflict) || ce.Have != card.Deal.Version {
		t.Fatalf("want conflict, got %v", err)
	}
	now, _ := svc.Card(card.Deal.ID)
	if now.Deal.Stage != crm.Negotiating {
		t.Fatalf("stage %s after conflicting move", now.Deal.Stage)
	}
	c := card.Creator
	c.Notes = "first"
	if _, err := svc.UpdateCreator("alice", c); err != nil {
		t.Fatal(err)
	}
	c.Notes = "second"
	if _, err := svc.UpdateCreator("bob", c); !errors.Is(err, crm.ErrConflict) {
		t.Fatalf("second editor: %v", err)
	}
}

func TestDeclineNeedsAReasonAndReopenReturnsToTheStageItLeft(t *testing.T) {
	svc, camp := newService(t)
	card, _ := svc.AddCreator("alice", maya(), camp.ID, crm.Negotiating)
	if _, err := svc.DeclineDeal("alice", card.Deal.ID, card.Deal.Version, "  "); !errors.Is(err, crm.ErrInvalid) {
		t.Fatalf("empty reason: %v", err)
	}
	d, err := svc.DeclineDeal("alice", card.Deal.ID, card.Deal.Version, "rate too high")
	if err != nil || d.Stage != crm.Declined || d.DeclineReason != "rate too high" {
		t.Fatalf("decline: %+v %v", d, err)
	}
	b, _ := svc.Board(camp.ID)
	if len(b.Declined) != 1 || b.Declined[0].Deal.DeclineReason != "rate too high" || len(b.Columns[crm.Negotiating.Index()]) != 0 {
		t.Fatalf("declined deal still on board: %+v", b)
	}
	if _, err := svc.MoveDeal("alice", d.ID, d.Version, crm.Active); !errors.Is(err, crm.ErrInvalid) {
		t.Fatalf("moving a declined deal: %v", err)
	}
	d, err = svc.ReopenDeal("alice", d.ID, d.Version)
	if err != nil || d.Stage != crm.Negotiating || d.DeclineReason != "" {
		t.Fatalf("reopen: %+v %v", d, err)
	}
}

func TestAddRefusesAnEmailAnotherCreatorOwns(t *testing.T) {
	svc, camp := newService(t)
	if _, err := svc.AddCreator("alice", maya(), camp.ID, ""); err != nil {
		t.Fatal(err)
	}
	other := crm.Creator{Name: "Impostor", Emails: []string{"Maya+promo@Studio.example"}}
	_, err := svc.AddCreator("alice", other, camp.ID, "")
	// The message names the owner as a person knows her; her record id
	// (kept in Owner for code) would mean nothing to the reader.
	var dup *crm.DuplicateError
	if !errors.As(err, &dup) || dup.Owner == "" {
		t.Fatalf("want a DuplicateError, got %v", err)
	}
	if want := "email Maya+promo@Studio.example already belongs to Maya Chen"; err.Error() != want {
		t.Fatalf("message %q, want %q", err, want)
	}
	b, _ := svc.Board(camp.ID)
	if n := len(b.Columns[0]); n != 1 {
		t.Fatalf("%d prospects after refused add", n)
	}
}

func records() []crm.ImportRecord {
	return []crm.ImportRecord{
		{Line: 2, Name: "Maya Chen", Emails: []string{"maya@studio.example"}, Handles: []crm.Handle{{Platform: crm.TikTok, Handle: "mayamakes", Followers: 48_200}}, Tags: []string{"beauty"}},
		{Line: 3, Name: "Leo Park", Handles: []crm.Handle{{Platform: crm.Instagram, Handle: "leo.cooks", Followers: 9_100}}, Stage: crm.Contacted},
	}
}

func TestImportTwiceCreatesNothingNew(t *testing.T) {
	svc, camp := newService(t)
	res, err := svc.Import("alice", records(), nil, crm.ImportOptions{File: "a.csv"})
	if err != nil || res.New != 2 {
		t.Fatalf("first import %+v %v", res, err)
	}
	res, err = svc.Import("alice", records(), nil, crm.ImportOptions{File: "a.csv"})
	if err != nil || res.New != 0 || res.Updated != 0 || res.Unchanged != 2 {
		t.Fatalf("second import %+v %v", res, err)
	}
	later := records()
	later[0].Handles[0].Followers = 51_000
	later[0].Emails = append(later[0].Emails, "maya.chen@gmail.com")
	later[1].Stage = crm.Negotiating
	res, err = svc.Import("alice", later, nil, crm.ImportOptions{File: "b.csv"})
	if err != nil || res.Updated != 2 || res.New != 0 {
		t.Fatalf("later import %+v %v", res, err)
	}
	b, _ := svc.Board(camp.ID)
	if len(b.Columns[crm.Negotiating.Index()]) != 1 {
		t.Fatal("stage from file not applied")
	}
	c := b.Columns[0][0].Creator
	if c.Followers() != 51_000 || len(c.Emails) != 2 {
		t.Fatalf("merge lost or missed data: %+v", c)
	}
}

// TestImportBlankStageColumnLeavesAKnownCreatorOffTheBoard: a blank cell in
// a stage column says "no deal in this campaign" (roster's CSV export
// writes it so), so a known creator whose deal is in another campaign is
// not put on the import's board; a file without a stage column is a list
// for the campaign and adds them as a prospect; a new creator lands as a
// prospect either way.
func TestImportBlankStageColumnLeavesAKnownCreatorOffTheBoard(t *testing.T) {
	svc, general := newService(t)
	spring, err := svc.CreateCampaign("alice", crm.Campaign{Name: "Spring"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AddCreator("alice", maya(), spring.ID, ""); err != nil {
		t.Fatal(err)
	}
	known := crm.ImportRecord{Line: 2, Name: "Maya Chen", Emails: []string{"maya@studio.example"}, StageColumn: true}
	fresh := crm.ImportRecord{Line: 3, Name: "Leo Park", Emails: []string{"leo@x.example"}, StageColumn: true}
	res, err := svc.Import("alice", []crm.ImportRecord{known, fresh}, nil, crm.ImportOptions{File: "out.csv"})
	if err != nil || res.New != 1 || res.Unchanged != 1 || res.Updated != 0 {
		t.Fatalf("import with a blank stage column: %s, %v", res.Summary(), err)
	}
	b, _ := svc.Board(general.ID)
	if n := len(b.Columns[crm.Prospect.Index()]); n != 1 || b.Columns[crm.Prospect.Index()][0].Creator.Name != "Leo Park" {
		t.Fatalf("General prospects after a blank stage column: %+v", b.Columns[crm.Prospect.Index()])
	}
	known.StageColumn = false
	res, err = svc.Import("alice", []crm.ImportRecord{known}, nil, crm.ImportOptions{File: "list.csv"})
	if err != nil || res.Updated != 1 {
		t.Fatalf("import without a stage column: %s, %v", res.Summary(), err)
	}
	if b, _ := svc.Board(general.ID); len(b.Columns[crm.Prospect.Index()]) != 2 {
		t.Fatalf("a list without stages did not add the known creator to General: %+v", b.Columns[crm.Prospect.Index()])
	}
}

func TestImportIsAtomicUnlessSkipInvalid(t *testing.T) {
	svc, camp := newService(t)
	recs := append(records(), crm.ImportRecord{Line: 9, Name: "Nobody"})
	_, err := svc.Import("alice", recs, nil, crm.ImportOptions{File: "c.csv"})
	var pe *crm.ProblemsError
	if !errors.As(err, &pe) || len(pe.Problems) != 1 || !strings.HasPrefix(pe.Problems[0].Error(), "c.csv:9: ") {
		t.Fatalf("want one problem at c.csv:9, got %v", err)
	}
	if b, _ := svc.Board(camp.ID); len(b.Columns[0])+len(b.Columns[1]) != 0 {
		t.Fatal("rejected import wrote records")
	}
	res, err := svc.Import("alice", recs, []crm.Problem{{Line: 5, Msg: "bad followers"}}, crm.ImportOptions{File: "c.csv", SkipInvalid: true})
	if err != nil || res.New != 2 || res.Skipped != 2 {
		t.Fatalf("skip-invalid: %+v %v", res, err)
	}
}

// Skipped counts rows, not problems: a row with two problems is one
// skipped row, and every problem is still listed.
func TestImportSkippedCountsRowsNotProblems(t *testing.T) {
	svc, _ := newService(t)
	parsed := []crm.Problem{
		{Line: 3, Msg: "email: bad"},
		{Line: 4, Msg: "no name"},
		{Line: 5, Msg: "handle: bad"},
		{Line: 5, Msg: "followers: bad"},
	}
	res, err := svc.Import("alice", records(), parsed, crm.ImportOptions{File: "e.csv", SkipInvalid: true})
	if err != nil || res.Skipped != 3 || len(res.Problems) != 4 {
		t.Fatalf("want 3 rows skipped with 4 problems, got %+v %v", res, err)
	}
	if !strings.Contains(res.Summary(), "skipped 3,") {
		t.Fatalf("summary %q", res.Summary())
	}
}

func TestImportDryRunWritesNothingAndAmbiguousRowsAreProblems(t *testing.T) {
	svc, camp := newService(t)
	res, err := svc.Import("alice", records(), nil, crm.ImportOptions{DryRun: true, Campaign: "Spring launch"})
	if err != nil || res.New != 2 {
		t.Fatalf("dry run %+v %v", res, err)
	}
	if cs, _ := svc.Campaigns(); len(cs) != 1 {
		t.Fatal("dry run created the campaign")
	}
	if _, err := svc.Import("alice", records(), nil, crm.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	both := crm.ImportRecord{Line: 4, Name: "Mix", Emails: []string{"maya@studio.example"},
		Handles: []crm.Handle{{Platform: crm.Instagram, Handle: "leo.cooks"}}}
	_, err = svc.Import("alice", []crm.ImportRecord{both}, nil, crm.ImportOptions{File: "d.csv"})
	if err == nil || !strings.Contains(err.Error(), "d.csv:4: ") || !strings.Contains(err.Error(), "Leo Park") {
		t.Fatalf("ambiguous row: %v", err)
	}
	_ = camp
}

func TestSnapshotRestoreRoundTrip(t *testing.T) {
	svc, camp := newService(t)
	if _, err := svc.Import("alice", records(), nil, crm.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	b, _ := svc.Board(camp.ID)
	if _, err := svc.DeclineDeal("alice", b.Columns[0][0].Deal.ID, b.Columns[0][0].Deal.Version, "no reply"); err != nil {
		t.Fatal(err)
	}
	snap, err := svc.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	snap.IgnoredSenders = []string{"news@shop.example"}
	// An empty roster (never opened, so without the default campaign)
	// takes the snapshot's campaigns with their IDs.
	fresh := crm.NewService(crmtest.NewMemory(), nil)
	if _, err := fresh.Restore("bob", snap, crm.ImportOptions{File: "x.json"}); err != nil {
		t.Fatal(err)
	}
	again, _ := fresh.Snapshot()
	if len(again.Creators) != 2 || len(again.Deals) != 2 || len(again.Campaigns) != 1 {
		t.Fatalf("restored %d creators %d deals %d campaigns", len(again.Creators), len(again.Deals), len(again.Campaigns))
	}
	if !slices.Equal(again.IgnoredSenders, snap.IgnoredSenders) {
		t.Fatalf("ignored senders restored as %q, want %q", again.IgnoredSenders, snap.IgnoredSenders)
	}
	bad := snap
	bad.IgnoredSenders = []string{" "}
	if _, err := crm.NewService(crmtest.NewMemory(), nil).Restore("bob", bad, crm.ImportOptions{File: "x.json"}); err == nil || !strings.Contains(err.Error(), "ignored sender") {
		t.Fatalf("a blank ignored sender: %v, want the restore refused naming it", err)
	}
	for i := range snap.Deals {
		a, b := snap.Deals[i], again.Deals[i]
		if a.ID != b.ID || a.Stage != b.Stage || len(a.History) != len(b.History) || a.CampaignID != b.CampaignID {
			t.Fatalf("deal %d differs: %+v vs %+v", i, a, b)
		}
	}
	// Into a roster that already has a campaign of the same name, deals
	// join that campaign rather than a twin.
	used, other := newService(t)
	if _, err := used.Restore("bob", snap, crm.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	if cs, _ := used.Campaigns(); len(cs) != 1 {
		t.Fatalf("%d campaigns after restore into a used roster", len(cs))
	}
	if b, _ := used.Board(other.ID); len(b.Columns[crm.Contacted.Index()]) != 1 || len(b.Declined) != 1 {
		t.Fatalf("restored deals not on the existing campaign's board: %+v", b)
	}
}

// TestCampaignNamesIgnoreCase: looking up, creating, importing into and
// restoring a campaign all take " spring " to be "Spring".
func TestCampaignNamesIgnoreCase(t *testing.T) {
	svc, general := newService(t)
	spring, err := svc.CreateCampaign("alice", crm.Campaign{Name: "Spring"})
	if err != nil {
		t.Fatal(err)
	}
	if c, ok := crm.FindCampaign([]crm.Campaign{general, spring}, "  SPRING "); !ok || c.ID != spring.ID {
		t.Errorf("FindCampaign = %v, %v", c, ok)
	}
	if _, ok := crm.FindCampaign([]crm.Campaign{general, spring}, "Spring 2"); ok {
		t.Error("FindCampaign found Spring 2")
	}
	if c, err := svc.CampaignByName(" spring"); err != nil || c.ID != spring.ID {
		t.Errorf("CampaignByName = %v, %v", c, err)
	}
	var dup *crm.DuplicateError
	if _, err := svc.CreateCampaign("alice", crm.Campaign{Name: " SPRING "}); !errors.As(err, &dup) || dup.Owner != spring.ID {
		t.Errorf("second spring: %v", err)
	} else if want := `campaign "Spring" already exists`; err.Error() != want {
		t.Errorf("second spring says %q, want %q", err, want)
	}
	if _, err := svc.Import("alice", []crm.ImportRecord{{Line: 2, Name: "Maya", Emails: []string{"maya@x.example"}}}, nil, crm.ImportOptions{Campaign: "spring "}); err != nil {
		t.Fatal(err)
	}
	if cs, _ := svc.Campaigns(); len(cs) != 2 {
		t.Errorf("import made a twin: %v", cs)
	}
	if b, _ := svc.Board(spring.ID); len(b.Columns[crm.Prospect.Index()]) != 1 {
		t.Errorf("imported creator not on Spring: %+v", b)
	}
}

// TestRestoreKeepsACampaignByIDBeforeName: a snapshot's campaign goes to
// the campaign with its own ID even when an older one has its name.
func TestRestoreKeepsACampaignByIDBeforeName(t *testing.T) {
	svc, general := newService(t)
	summer, err := svc.CreateCampaign("alice", crm.Campaign{Name: "Summer"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AddCreator("alice", crm.Creator{Name: "Maya", Emails: []string{"maya@x.example"}}, summer.ID, ""); err != nil {
		t.Fatal(err)
	}
	snap, err := svc.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	for i := range snap.Campaigns {
		if snap.Campaigns[i].ID == summer.ID {
			snap.Campaigns[i].Name = general.Name
		}
	}
	if _, err := svc.Restore("bob", snap, crm.ImportOptions{File: "x.json"}); err != nil {
		t.Fatal(err)
	}
	if b, _ := svc.Board(summer.ID); len(b.Columns[crm.Prospect.Index()]) != 1 {
		t.Errorf("Maya's deal left Summer for %s, the campaign with the same name", general.Name)
	}
}

func TestSubscribersSeeCommittedEventsOnly(t *testing.T) {
	svc, camp := newService(t)
	sub := svc.Subscribe()
	defer sub.Close()
	if _, err := svc.AddCreator("alice", crm.Creator{Name: "x"}, camp.ID, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AddCreator("alice", crm.Creator{Name: ""}, camp.ID, ""); err == nil {
		t.Fatal("empty name accepted")
	}
	evs, _ := sub.Take()
	if len(evs) != 2 || evs[0].Kind != crm.CreatorCreated || evs[1].Kind != crm.DealCreated {
		t.Fatalf("events %+v", evs)
	}
}

// TestSetCampaignBudget: a budget set shows in the board's money and is
// logged with the old one; zero clears it; a negative one is refused.
func TestSetCampaignBudget(t *testing.T) {
	mem := crmtest.NewMemory()
	svc := crm.NewService(mem, nil)
	if err := svc.Init("alice"); err != nil {
		t.Fatal(err)
	}
	cs, _ := svc.Campaigns()
	camp := cs[0]
	c, err := svc.SetCampaignBudget("alice", camp.ID, crm.Money{AmountMinor: 500_000, Currency: "USD"})
	if err != nil || c.Budget != (crm.Money{AmountMinor: 500_000, Currency: "USD"}) {
		t.Fatalf("set: %+v, %v", c, err)
	}
	if b, _ := svc.Board(camp.ID); b.Money.Campaign.Budget.AmountMinor != 500_000 {
		t.Fatalf("the board's money lacks the budget: %+v", b.Money.Campaign)
	}
	if c, err := svc.SetCampaignBudget("alice", camp.ID, crm.Money{}); err != nil || c.Budget != (crm.Money{}) {
		t.Fatalf("clear: %+v, %v", c, err)
	}
	if _, err := svc.SetCampaignBudget("alice", camp.ID, crm.Money{AmountMinor: -500, Currency: "USD"}); !errors.Is(err, crm.ErrInvalid) || !strings.Contains(err.Error(), "-5.00 USD is negative") {
		t.Fatalf("negative: %v", err)
	}
	if _, err := svc.SetCampaignBudget("alice", "nope", crm.Money{AmountMinor: 1, Currency: "USD"}); !errors.Is(err, crm.ErrNotFound) {
		t.Fatalf("unknown campaign: %v", err)
	}
	var evs []crm.Event
	if err := mem.View(func(tx crm.Tx) (err error) {
		evs, err = tx.Events(crm.EventQuery{})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	var said []string
	for _, e := range evs {
		if e.Kind == crm.CampaignUpdated {
			said = append(said, e.Summary)
		}
	}
	if len(said) != 2 || !strings.Contains(said[1], "to 5,000.00 USD (was none)") || !strings.Contains(said[0], "to none (was 5,000.00 USD)") { // newest first
		t.Fatalf("log: %q", said)
	}
}

// TestSortCardsOrder: newest activity first, then by name ignoring case,
// then by deal ID, whatever order the cards came in.
func TestSortCardsOrder(t *testing.T) {
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	card := func(deal, name string, at time.Time) crm.Card {
		return crm.Card{Deal: crm.Deal{ID: crm.ID(deal), UpdatedAt: at}, Creator: crm.Creator{Name: name, UpdatedAt: at}}
	}
	want := []crm.ID{"d5", "d2", "d3", "d4", "d1"}
	cards := []crm.Card{card("d1", "zoe", t0), card("d2", "Ana", t0.Add(time.Hour)), card("d3", "bo", t0),
		card("d4", "Bo", t0), card("d5", "Zed", t0.Add(2*time.Hour))}
	for range 3 {
		crm.SortCards(cards)
		var got []crm.ID
		for _, c := range cards {
			got = append(got, c.Deal.ID)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("order %v, want %v", got, want)
		}
		slices.Reverse(cards)
	}
}
