package mail

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestFetchBodyOfUnmatchedMail: unmatched mail syncs headers only; asked
// for, its body is read on a connection of its own and stored, and the
// sync's status line is left as the sync left it.
func TestFetchBodyOfUnmatchedMail(t *testing.T) {
	t.Parallel()
	onBothServers(t, 1, func(t *testing.T, srv imapServer) {
		w := newWorld(t, srv)
		e := w.engine(t, Options{})
		syncOnce(t, e)
		um, err := w.svc.Unmatched(10)
		if err != nil || len(um) != 1 || !um[0].HeaderOnly {
			t.Fatalf("want one header-only unmatched message, got %+v (%v)", um, err)
		}
		before := w.svc.SyncStatus()
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if err := e.FetchBody(ctx, um[0]); err != nil {
			t.Fatal(err)
		}
		um, _ = w.svc.Unmatched(10)
		if len(um) != 1 || um[0].HeaderOnly || !strings.Contains(um[0].Text, "Hello") {
			t.Fatalf("the body was not stored: %+v", um)
		}
		if after := w.svc.SyncStatus(); after.Phase != before.Phase || after.Running != before.Running {
			t.Errorf("FetchBody moved the sync's status: %+v, was %+v", after, before)
		}
		// An account the config no longer has is named.
		gone := um[0]
		gone.Account = "old"
		if err := e.FetchBody(ctx, gone); err == nil || !strings.Contains(err.Error(), `"old"`) {
			t.Errorf("unknown account: %v", err)
		}
	})
}
