package store_test

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"roster/crm"
	"roster/store"
)

// fixture is a database with the default campaign and one creator (Maya)
// with a deal.
type fixture struct {
	db       *store.DB
	svc      *crm.Service
	campaign crm.ID
	card     crm.Card
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	db := openDB(t, tempPath(t))
	svc := newService(t, db)
	cs, err := svc.Campaigns()
	if err != nil {
		t.Fatal(err)
	}
	card, err := svc.AddCreator("ana", maya(), cs[0].ID, "")
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{db: db, svc: svc, campaign: cs[0].ID, card: card}
}

func (f *fixture) creator(t *testing.T, id crm.ID) crm.Creator {
	t.Helper()
	var c crm.Creator
	if err := f.db.View(func(tx crm.Tx) (err error) {
		c, err = tx.Creator(id)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestPutConflict(t *testing.T) {
	f := newFixture(t)
	id := f.card.Creator.ID
	first, second := f.creator(t, id), f.creator(t, id)

	first.Notes = "first"
	if err := f.db.Update(func(tx crm.Tx) error { return tx.PutCreator(&first) }); err != nil {
		t.Fatal(err)
	}
	if first.Version != 2 {
		t.Errorf("saved version = %d, want 2", first.Version)
	}

	second.Notes = "second"
	err := f.db.Update(func(tx crm.Tx) error { return tx.PutCreator(&second) })
	var ce *crm.ConflictError
	if !errors.As(err, &ce) || !errors.Is(err, crm.ErrConflict) {
		t.Fatalf("err = %v, want a *ConflictError", err)
	}
	if *ce != (crm.ConflictError{Kind: "creator", ID: id, Have: 1, Current: 2}) {
		t.Errorf("conflict = %+v", *ce)
	}
	if second.Version != 1 {
		t.Errorf("a refused save changed the caller's version to %d", second.Version)
	}
	if got := f.creator(t, id); got.Notes != "first" || got.Version != 2 {
		t.Errorf("stored %q v%d after the conflict", got.Notes, got.Version)
	}
}

func TestCreateExistingIsConflict(t *testing.T) {
	f := newFixture(t)
	c := f.card.Creator
	c.Version = 0
	err := f.db.Update(func(tx crm.Tx) error { return tx.PutCreator(&c) })
	if !errors.Is(err, crm.ErrConflict) {
		t.Errorf("creating an existing ID: %v", err)
	}
	ghost := crm.Creator{ID: "000000000000000000000001", Version: 3, Name: "Ghost"}
	err = f.db.Update(func(tx crm.Tx) error { return tx.PutCreator(&ghost) })
	if !errors.Is(err, crm.ErrNotFound) {
		t.Errorf("updating a missing creator: %v", err)
	}
}

func TestDealAndCampaignVersions(t *testing.T) {
	f := newFixture(t)
	d := f.card.Deal
	stale := d
	if _, err := f.svc.MoveDeal("ana", d.ID, d.Version, crm.Contacted); err != nil {
		t.Fatal(err)
	}
	err := f.db.Update(func(tx crm.Tx) error { return tx.PutDeal(&stale) })
	if !errors.Is(err, crm.ErrConflict) {
		t.Errorf("stale deal: %v", err)
	}
	cp, err := f.svc.CampaignByName(crm.DefaultCampaignName)
	if err != nil {
		t.Fatal(err)
	}
	cp.Budget = crm.Money{AmountMinor: 500_00, Currency: "EUR"}
	if err := f.db.Update(func(tx crm.Tx) error { return tx.PutCampaign(&cp) }); err != nil || cp.Version != 2 {
		t.Errorf("campaign save: v%d %v", cp.Version, err)
	}
	cp.Version = 1
	if err := f.db.Update(func(tx crm.Tx) error { return tx.PutCampaign(&cp) }); !errors.Is(err, crm.ErrConflict) {
		t.Errorf("stale campaign: %v", err)
	}
}

func TestPutDealSafetyNets(t *testing.T) {
	f := newFixture(t)
	for _, d := range []crm.Deal{
		{ID: "d1", CreatorID: "missing", CampaignID: f.campaign, Stage: crm.Prospect},
		{ID: "d2", CreatorID: f.card.Creator.ID, CampaignID: "missing", Stage: crm.Prospect},
	} {
		if err := f.db.Update(func(tx crm.Tx) error { return tx.PutDeal(&d) }); !errors.Is(err, crm.ErrNotFound) {
			t.Errorf("deal %s: %v", d.ID, err)
		}
	}
	odd := f.card.Deal
	odd.Stage = "bogus"
	if err := f.db.Update(func(tx crm.Tx) error { return tx.PutDeal(&odd) }); !errors.Is(err, crm.ErrInvalid) {
		t.Errorf("unknown stage: %v", err)
	}
	bad := crm.Creator{ID: "a/b", Name: "Slash"}
	if err := f.db.Update(func(tx crm.Tx) error { return tx.PutCreator(&bad) }); !errors.Is(err, crm.ErrInvalid) {
		t.Errorf("id with a slash: %v", err)
	}
}

func TestDuplicateKeySafetyNet(t *testing.T) {
	f := newFixture(t)
	owner := f.card.Creator.ID
	// Bypass the service's own check: the store must still refuse.
	for _, c := range []crm.Creator{
		{ID: "0000000000000000000000a1", Name: "Copycat", Emails: []string{"MAYA+work@Example.com"}},
		{ID: "0000000000000000000000a2", Name: "Copycat", Handles: []crm.Handle{{Platform: "TikTok", Handle: "https://www.tiktok.com/@Maya.Makes"}}},
	} {
		err := f.db.Update(func(tx crm.Tx) error { return tx.PutCreator(&c) })
		var de *crm.DuplicateError
		if !errors.As(err, &de) || de.Owner != owner {
			t.Errorf("%v: err = %v, want a DuplicateError owned by %s", c.Emails, err, owner)
		}
	}
	if n := creators(t, f.db); n != 1 {
		t.Errorf("%d creators after refused duplicates", n)
	}
	// A refused Put leaves the transaction usable and unchanged: the
	// importer skips the record and commits the rest.
	err := f.db.Update(func(tx crm.Tx) error {
		c := crm.Creator{ID: "0000000000000000000000a3", Name: "Copycat", Emails: []string{"new@example.com", "maya@example.com"}}
		if err := tx.PutCreator(&c); !errors.Is(err, crm.ErrDuplicate) {
			return fmt.Errorf("put: %v", err)
		}
		if _, ok, _ := tx.CreatorByEmail("new@example.com"); ok {
			return errors.New("a refused put left an index entry")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestIndexFollowsEdits(t *testing.T) {
	f := newFixture(t)
	c := f.card.Creator
	lookup := func(email string) (crm.ID, bool) {
		var id crm.ID
		var ok bool
		f.db.View(func(tx crm.Tx) (err error) {
			id, ok, err = tx.CreatorByEmail(email)
			return err
		})
		return id, ok
	}
	handle := func(p crm.Platform, h string) bool {
		var ok bool
		f.db.View(func(tx crm.Tx) (err error) {
			_, ok, err = tx.CreatorByHandle(p, h)
			return err
		})
		return ok
	}
	if id, ok := lookup("Maya@example.com"); !ok || id != c.ID {
		t.Fatalf("lookup before the edit: %q %v", id, ok)
	}
	if !handle(crm.TikTok, "@MAYA.makes") {
		t.Fatal("handle lookup before the edit")
	}

	c.Emails = []string{"maya.chen@studio.example"}
	c.Handles = []crm.Handle{{Platform: crm.Instagram, Handle: "mayamakes"}}
	c, err := f.svc.UpdateCreator("ana", c)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := lookup("maya@example.com"); ok {
		t.Error("the removed address still finds the creator")
	}
	if handle(crm.TikTok, "maya.makes") {
		t.Error("the removed handle still finds the creator")
	}
	if id, ok := lookup("maya.chen@studio.example"); !ok || id != c.ID {
		t.Error("the new address does not find the creator")
	}
	if !handle(crm.Instagram, "@MayaMakes") {
		t.Error("the new handle does not find the creator")
	}

	// The freed address can go to someone else now.
	cs, _ := f.svc.Campaigns()
	if _, err := f.svc.AddCreator("ana", crm.Creator{Name: "Other", Emails: []string{"maya@example.com"}}, cs[0].ID, ""); err != nil {
		t.Errorf("reusing a freed address: %v", err)
	}
}

func TestForEachAndDealsOfInCreationOrder(t *testing.T) {
	f := newFixture(t)
	var ids []crm.ID
	for i := range 5 {
		card, err := f.svc.AddCreator("ana", crm.Creator{Name: fmt.Sprint("C", i), Emails: []string{fmt.Sprintf("c%d@example.com", i)}}, f.campaign, "")
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, card.Creator.ID)
	}
	second, err := f.svc.CreateCampaign("ana", crm.Campaign{Name: "Spring"})
	if err != nil {
		t.Fatal(err)
	}
	extra, err := f.svc.AddDeal("ana", ids[2], second.ID)
	if err != nil {
		t.Fatal(err)
	}

	var seen []crm.ID
	var kept []*crm.Creator
	f.db.View(func(tx crm.Tx) error {
		return tx.ForEachCreator(func(c *crm.Creator) error {
			seen = append(seen, c.ID)
			kept = append(kept, c)
			return nil
		})
	})
	if want := append([]crm.ID{f.card.Creator.ID}, ids...); !slices.Equal(seen, want) {
		t.Errorf("ForEachCreator order %v, want %v", seen, want)
	}
	if kept[0].Name != "Maya Chen" || kept[1].Name != "C0" {
		t.Error("ForEachCreator reused the value it passed")
	}
	if !slices.IsSorted(seen) {
		t.Error("not in key order")
	}

	stop := errors.New("stop")
	n := 0
	err = f.db.View(func(tx crm.Tx) error {
		return tx.ForEachDeal(func(*crm.Deal) error { n++; return stop })
	})
	if err != stop || n != 1 {
		t.Errorf("stopping a walk: %v after %d", err, n)
	}

	var ds []crm.Deal
	f.db.View(func(tx crm.Tx) (err error) {
		ds, err = tx.DealsOf(ids[2])
		return err
	})
	if len(ds) != 2 || ds[1].ID != extra.ID || ds[0].CampaignID != f.campaign {
		t.Errorf("DealsOf = %+v", ds)
	}
}

func TestEventsNewestFirstAndPerCreator(t *testing.T) {
	f := newFixture(t)
	d := f.card.Deal
	for _, s := range []crm.Stage{crm.Contacted, crm.Negotiating} {
		var err error
		if d, err = f.svc.MoveDeal("ana", d.ID, d.Version, s); err != nil {
			t.Fatal(err)
		}
	}
	other, err := f.svc.AddCreator("ana", crm.Creator{Name: "Leo", Emails: []string{"leo@example.com"}}, f.campaign, "")
	if err != nil {
		t.Fatal(err)
	}

	var all, mayas, leos, limited []crm.Event
	f.db.View(func(tx crm.Tx) error {
		all, _ = tx.Events(crm.EventQuery{})
		mayas, _ = tx.Events(crm.EventQuery{CreatorID: f.card.Creator.ID})
		leos, _ = tx.Events(crm.EventQuery{CreatorID: other.Creator.ID})
		limited, _ = tx.Events(crm.EventQuery{CreatorID: f.card.Creator.ID, Limit: 2})
		return nil
	})
	kinds := func(es []crm.Event) []crm.EventKind {
		var out []crm.EventKind
		for _, e := range es {
			out = append(out, e.Kind)
		}
		return out
	}
	want := []crm.EventKind{crm.DealMoved, crm.DealMoved, crm.DealCreated, crm.CreatorCreated}
	if got := kinds(mayas); !slices.Equal(got, want) {
		t.Errorf("Maya's log %v, want %v", got, want)
	}
	if mayas[0].Summary != "moved Maya Chen from contacted to negotiating in General" {
		t.Errorf("newest event: %q", mayas[0].Summary)
	}
	if got := kinds(limited); !slices.Equal(got, want[:2]) {
		t.Errorf("limited log %v", got)
	}
	if len(leos) != 2 || leos[0].CreatorID != other.Creator.ID {
		t.Errorf("Leo's log %v", kinds(leos))
	}
	if len(all) != 7 || all[0].Kind != crm.DealCreated || all[len(all)-1].Kind != crm.CampaignCreated {
		t.Errorf("full log %v", kinds(all))
	}
	if !slices.IsSortedFunc(all, func(a, b crm.Event) int { return -compareID(a.ID, b.ID) }) {
		t.Error("full log not newest first")
	}
	var none []crm.Event
	f.db.View(func(tx crm.Tx) (err error) {
		none, err = tx.Events(crm.EventQuery{CreatorID: "ffffffffffffffffffffffff"})
		return err
	})
	if len(none) != 0 {
		t.Errorf("unknown creator has %d events", len(none))
	}
}

func compareID(a, b crm.ID) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func TestEventsAreAppendOnly(t *testing.T) {
	f := newFixture(t)
	var e crm.Event
	f.db.View(func(tx crm.Tx) error {
		es, err := tx.Events(crm.EventQuery{Limit: 1})
		e = es[0]
		return err
	})
	e.Summary = "rewritten history"
	if err := f.db.Update(func(tx crm.Tx) error { return tx.AppendEvent(e) }); err == nil {
		t.Error("an event was overwritten")
	}
}

func TestReadTxCannotWrite(t *testing.T) {
	f := newFixture(t)
	c := f.card.Creator
	err := f.db.View(func(tx crm.Tx) error { return tx.PutCreator(&c) })
	if err == nil {
		t.Error("PutCreator in a View succeeded")
	}
	if err := f.db.View(func(tx crm.Tx) error { return tx.AppendEvent(crm.Event{ID: "x"}) }); err == nil {
		t.Error("AppendEvent in a View succeeded")
	}
}

func TestFeedPublishesCommittedEventsOnly(t *testing.T) {
	f := newFixture(t)
	sub := f.db.Feed().Subscribe()
	defer sub.Close()
	if feed := f.db.Feed(); feed != f.db.Feed() {
		t.Fatal("more than one feed")
	}

	e1 := crm.Event{ID: "ffff00000000000000000001", Kind: crm.CreatorUpdated, CreatorID: f.card.Creator.ID, Summary: "one"}
	e2 := crm.Event{ID: "ffff00000000000000000002", Kind: crm.CreatorUpdated, Summary: "two"}
	if err := f.db.Update(func(tx crm.Tx) error {
		if err := tx.AppendEvent(e1); err != nil {
			return err
		}
		select {
		case <-sub.Ready():
			t.Error("published before the commit")
		default:
		}
		return tx.AppendEvent(e2)
	}); err != nil {
		t.Fatal(err)
	}
	<-sub.Ready()
	got, reset := sub.Take()
	if reset || len(got) != 2 || got[0].Summary != "one" || got[1].Summary != "two" {
		t.Errorf("took %+v reset=%v", got, reset)
	}

	boom := errors.New("boom")
	err := f.db.Update(func(tx crm.Tx) error {
		if err := tx.AppendEvent(crm.Event{ID: "ffff00000000000000000003", Summary: "three"}); err != nil {
			return err
		}
		return boom
	})
	if err != boom {
		t.Fatalf("err = %v", err)
	}
	select {
	case <-sub.Ready():
		got, _ := sub.Take()
		t.Errorf("a rolled-back update published %+v", got)
	default:
	}
	if n := events(t, f.db); n != 5 {
		t.Errorf("%d events stored, want 5", n)
	}

	// A panicking update rolls back and publishes nothing either.
	func() {
		defer func() { _ = recover() }()
		f.db.Update(func(tx crm.Tx) error {
			tx.AppendEvent(crm.Event{ID: "ffff00000000000000000004"})
			panic("bug")
		})
	}()
	select {
	case <-sub.Ready():
		t.Error("a panicking update published")
	default:
	}
	if n := events(t, f.db); n != 5 {
		t.Errorf("%d events stored after a panic", n)
	}
}

// TestConcurrentUse moves one deal from many goroutines: exactly one of
// each pair of racing moves wins, the rest get conflicts, and reads go on
// throughout.
func TestConcurrentUse(t *testing.T) {
	f := newFixture(t)
	sub := f.db.Feed().Subscribe()
	defer sub.Close()
	const workers = 8
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins, conflicts := 0, 0
	d := f.card.Deal
	for i := range workers {
		wg.Add(2)
		go func() {
			defer wg.Done()
			_, err := f.svc.MoveDeal(fmt.Sprint("user", i), d.ID, d.Version, crm.BoardStages[1+i%4])
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				wins++
			case errors.Is(err, crm.ErrConflict):
				conflicts++
			default:
				t.Error(err)
			}
		}()
		go func() {
			defer wg.Done()
			if _, err := f.svc.Board(""); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if wins != 1 || conflicts != workers-1 {
		t.Errorf("%d wins, %d conflicts", wins, conflicts)
	}
	got, _ := sub.Take()
	if len(got) != 1 || got[0].Kind != crm.DealMoved {
		t.Errorf("feed got %d events", len(got))
	}
}

// TestReadsAreIndependentCopies: what one caller does to a record it read
// never shows in another caller's read (the store caches decoded values).
func TestReadsAreIndependentCopies(t *testing.T) {
	f := newFixture(t)
	a := f.creator(t, f.card.Creator.ID)
	a.Emails[0] = "mutated@example.com"
	a.Tags = append(a.Tags[:0], "mutated")
	f.db.View(func(tx crm.Tx) error {
		return tx.ForEachDeal(func(d *crm.Deal) error {
			d.History[0].Stage = crm.Paid
			return nil
		})
	})
	b := f.creator(t, f.card.Creator.ID)
	if b.Emails[0] != "maya@example.com" || b.Tags[0] != "beauty" {
		t.Errorf("a caller's change leaked: %+v", b)
	}
	card, err := f.svc.Card(f.card.Deal.ID)
	if err != nil || card.Deal.History[0].Stage != crm.Prospect {
		t.Errorf("a caller's change leaked into the deal: %+v %v", card.Deal.History, err)
	}
}
