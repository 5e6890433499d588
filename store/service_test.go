package store_test

import (
	"errors"
	"reflect"
	"testing"

	"roster/crm"
)

// These tests run crm.Service against the real store: the domain's rules
// only hold if the store keeps its side of the Repository contract.

func TestServiceAddCreatorAndMoveDeal(t *testing.T) {
	f := newFixture(t)
	if f.card.Creator.Version != 1 || f.card.Deal.Version != 1 || f.card.Deal.Stage != crm.Prospect {
		t.Fatalf("added %+v", f.card)
	}
	if _, err := f.svc.AddCreator("leo", crm.Creator{Name: "Maya again", Emails: []string{"maya@EXAMPLE.com"}}, f.campaign, ""); !errors.Is(err, crm.ErrDuplicate) {
		t.Errorf("second creator with Maya's address: %v", err)
	}

	d := f.card.Deal
	moved, err := f.svc.MoveDeal("ana", d.ID, d.Version, crm.Contacted)
	if err != nil || moved.Version != 2 {
		t.Fatalf("move: v%d %v", moved.Version, err)
	}
	// Leo still looks at version 1.
	_, err = f.svc.MoveDeal("leo", d.ID, d.Version, crm.Negotiating)
	var ce *crm.ConflictError
	if !errors.As(err, &ce) || ce.Have != 1 || ce.Current != 2 {
		t.Fatalf("stale move: %v", err)
	}
	card, err := f.svc.Card(d.ID)
	if err != nil || card.Deal.Stage != crm.Contacted {
		t.Errorf("after the conflict the deal is %s (%v)", card.Deal.Stage, err)
	}

	detail, err := f.svc.CreatorDetail(f.card.Creator.ID)
	if err != nil || len(detail.Deals) != 1 || len(detail.Events) != 3 {
		t.Errorf("detail: %d deals, %d events, %v", len(detail.Deals), len(detail.Events), err)
	}
}

func TestServiceImportTwiceChangesNothing(t *testing.T) {
	db := openDB(t, tempPath(t))
	svc := newService(t, db)
	recs := records(50)

	res, err := svc.Import("ana", recs, nil, crm.ImportOptions{File: "creators.csv"})
	if err != nil || res.New != 50 || res.Updated != 0 {
		t.Fatalf("first import: %s, %v", res.Summary(), err)
	}
	evBefore := events(t, db)
	sub := db.Feed().Subscribe()
	defer sub.Close()

	res, err = svc.Import("ana", recs, nil, crm.ImportOptions{File: "creators.csv"})
	if err != nil || res.New != 0 || res.Updated != 0 || res.Unchanged != 50 {
		t.Fatalf("second import: %s, %v", res.Summary(), err)
	}
	if n := events(t, db); n != evBefore {
		t.Errorf("second import logged %d events", n-evBefore)
	}
	if got, _ := sub.Take(); len(got) != 0 {
		t.Errorf("second import published %d events", len(got))
	}
	if creators(t, db) != 50 || deals(t, db) != 50 {
		t.Errorf("%d creators, %d deals", creators(t, db), deals(t, db))
	}
}

func TestServiceImportDryRunWritesNothing(t *testing.T) {
	path := tempPath(t)
	db := openDB(t, path)
	svc := newService(t, db)
	before := events(t, db)
	res, err := svc.Import("ana", records(20), nil, crm.ImportOptions{DryRun: true})
	if err != nil || res.New != 20 {
		t.Fatalf("dry run: %s, %v", res.Summary(), err)
	}
	if creators(t, db) != 0 || deals(t, db) != 0 || events(t, db) != before {
		t.Error("a dry run wrote")
	}
}

func TestServiceImportInvalidWritesNothing(t *testing.T) {
	db := openDB(t, tempPath(t))
	svc := newService(t, db)
	before := events(t, db)
	recs := records(10)
	recs[4].Emails = []string{"not an address"}
	recs[7].Emails, recs[7].Handles = nil, nil

	res, err := svc.Import("ana", recs, nil, crm.ImportOptions{File: "x.csv"})
	var pe *crm.ProblemsError
	if !errors.As(err, &pe) || len(pe.Problems) != 2 {
		t.Fatalf("import with two bad records: %v", err)
	}
	if creators(t, db) != 0 || events(t, db) != before {
		t.Error("a rejected import wrote")
	}

	res, err = svc.Import("ana", recs, nil, crm.ImportOptions{File: "x.csv", SkipInvalid: true})
	if err != nil || res.New != 8 || res.Skipped != 2 {
		t.Fatalf("skipping: %s, %v", res.Summary(), err)
	}
	if creators(t, db) != 8 || deals(t, db) != 8 {
		t.Errorf("%d creators, %d deals after skipping", creators(t, db), deals(t, db))
	}
}

// TestServiceSnapshotRestore: export, restore into an empty roster and
// export again gives the same document, which needs the store to keep IDs,
// timestamps and histories exactly (versions excepted: they count saves in
// one database).
func TestServiceSnapshotRestore(t *testing.T) {
	f := newFixture(t)
	d := f.card.Deal
	if _, err := f.svc.DeclineDeal("ana", d.ID, d.Version, "budget"); err != nil {
		t.Fatal(err)
	}
	snap, err := f.svc.Snapshot()
	if err != nil {
		t.Fatal(err)
	}

	db := openDB(t, tempPath(t))
	svc := crm.NewService(db, crm.FixedClock{T: now})
	if _, err := svc.Restore("ana", snap, crm.ImportOptions{File: "export.json"}); err != nil {
		t.Fatal(err)
	}
	again, err := svc.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	// Versions count saves in one database and restart in another.
	for _, s := range []*crm.Snapshot{&snap, &again} {
		for i := range s.Deals {
			s.Deals[i].Version = 0
		}
		for i := range s.Creators {
			s.Creators[i].Version = 0
		}
		for i := range s.Campaigns {
			s.Campaigns[i].Version = 0
		}
	}
	if !reflect.DeepEqual(snap, again) {
		t.Errorf("restore changed the snapshot:\n%+v\n%+v", snap, again)
	}
}
