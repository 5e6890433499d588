package ui

import (
	"testing"

	"roster/crm"
	"roster/crm/crmtest"
)

// TestMovingTheOnlyCardOutOfAColumnAndBack: the column the cursor is in
// becomes empty while the board rebuilds; this used to index past the
// end of the column (found by roster serve's benchmark, where it ended
// the session).
func TestMovingTheOnlyCardOutOfAColumnAndBack(t *testing.T) {
	svc := crm.NewService(crmtest.NewMemory(), crm.FixedClock{T: testNow})
	if err := svc.Init("tess"); err != nil {
		t.Fatal(err)
	}
	camps, _ := svc.Campaigns()
	for _, name := range []string{"Quokka", "Wombat"} {
		if _, err := svc.AddCreator("tess", crm.Creator{Name: name}, camps[0].ID, crm.Prospect); err != nil {
			t.Fatal(err)
		}
	}
	m := newModel(t, svc, 100, 30)
	press(t, m, "L")
	if m.board.col != crm.Contacted.Index() {
		t.Fatalf("the cursor did not follow the card to contacted: column %d", m.board.col)
	}
	press(t, m, "H")
	c, ok := m.board.selected()
	if !ok || c.Deal.Stage != crm.Prospect {
		t.Fatalf("after moving back: selected %v %v\n%s", ok, c, frame(m))
	}
}
