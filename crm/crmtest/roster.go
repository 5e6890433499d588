package crmtest

import (
	"testing"
	"time"

	"roster/crm"
)

// ActiveMaya returns a service over a fresh Memory whose clock says now,
// with the default campaign and Maya Chen (maya@studio.example) active on
// its board: the start of most terms and payments tests.
func ActiveMaya(t testing.TB, now time.Time) (*crm.Service, crm.Card) {
	t.Helper()
	svc := crm.NewService(NewMemory(), crm.FixedClock{T: now})
	if err := svc.Init("alice"); err != nil {
		t.Fatal(err)
	}
	cs, err := svc.Campaigns()
	if err != nil {
		t.Fatal(err)
	}
	card, err := svc.AddCreator("alice", crm.Creator{Name: "Maya Chen", Emails: []string{"maya@studio.example"}}, cs[0].ID, crm.Active)
	if err != nil {
		t.Fatal(err)
	}
	return svc, card
}
