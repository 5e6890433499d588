package store_test

import (
	"testing"

	"roster/crm"
	"roster/crm/crmtest"
	"roster/store"
)

// TestOutboxContract holds the store's outbox to the same behaviours as
// Memory's, and after every write checks its indexes against the mails.
func TestOutboxContract(t *testing.T) {
	crmtest.OutboxContract(t,
		func(t *testing.T) crm.Repository { return openDB(t, tempPath(t)) },
		func(t *testing.T, r crm.Repository) {
			t.Helper()
			if err := store.CheckOutboxIndexes(r.(*store.DB)); err != nil {
				t.Fatal(err)
			}
		})
}
