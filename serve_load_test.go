package main

import (
	"slices"
	"sync"
	"testing"
	"time"

	"roster/crm"
)

// TestFiftySessionsSeeOneChange is the load test: 50 sessions on
// loopback, one change committed, and every screen shows it. It logs how
// long the slowest took (the figure for docs/PERFORMANCE.md comes from
// make bench, on the real binary); it fails only if a session never sees
// the change within a generous bound, and it ends by itself.
func TestFiftySessionsSeeOneChange(t *testing.T) {
	if testing.Short() {
		t.Skip("load test")
	}
	const n = 50
	ts := startSSHServer(t, "alice")
	terms := make([]*sshTerm, n)
	var wg sync.WaitGroup
	for i := range terms {
		wg.Go(func() {
			terms[i] = ts.openTerm(t, "alice", 100, 30)
		})
	}
	wg.Wait()
	for _, tm := range terms {
		tm.waitFor("Prospect 3")
	}
	if got := ts.db.Feed().Subscribers(); got < n {
		t.Fatalf("%d feed subscribers, want at least %d", got, n)
	}
	card := cardOf(t, ts.svc, "Wombat")
	for _, tm := range terms {
		tm.mark()
	}
	start := time.Now()
	if _, err := ts.svc.MoveDeal("bob", card.Deal.ID, card.Deal.Version, crm.Negotiating); err != nil {
		t.Fatal(err)
	}
	took := make([]time.Duration, n)
	for i, tm := range terms {
		wg.Go(func() {
			if tm.seen("Wombat", 20*time.Second) {
				took[i] = time.Since(start)
			}
		})
	}
	wg.Wait()
	for i, d := range took {
		if d == 0 {
			t.Errorf("session %d never showed the move; output:\n%s", i, terms[i].out.text())
		}
	}
	slices.Sort(took)
	t.Logf("%d sessions: the change reached the first in %v, half in %v, all in %v", n, took[0], took[n/2], took[n-1])
}
