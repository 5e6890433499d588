package demo_test

import (
	"testing"
	"time"

	"roster/crm"
	"roster/crm/crmtest"
	"roster/crm/demo"
)

func TestSeedFillsEveryStageAndPlatform(t *testing.T) {
	repo := crmtest.NewMemory()
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	svc := crm.NewService(repo, crm.FixedClock{T: now})
	if err := demo.Seed(svc, now); err != nil {
		t.Fatal(err)
	}
	snap, err := svc.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Creators) < 40 || len(snap.Creators) != demo.Count() {
		t.Fatalf("%d creators", len(snap.Creators))
	}
	stages := map[crm.Stage]int{}
	platforms := map[crm.Platform]int{}
	for _, d := range snap.Deals {
		stages[d.Stage]++
		if d.UpdatedAt.After(now) {
			t.Fatalf("deal %s updated in the future: %v", d.ID, d.UpdatedAt)
		}
	}
	for _, c := range snap.Creators {
		for _, h := range c.Handles {
			platforms[h.Platform]++
		}
	}
	for _, s := range append(crm.BoardStages[:], crm.Declined) {
		if stages[s] == 0 {
			t.Errorf("no deal in %s", s)
		}
	}
	for _, p := range []crm.Platform{crm.TikTok, crm.Instagram, crm.YouTube} {
		if platforms[p] == 0 {
			t.Errorf("no creator on %s", p)
		}
	}
	if len(snap.Campaigns) != 2 {
		t.Errorf("%d campaigns", len(snap.Campaigns))
	}
}
