package store_test

import (
	"testing"

	"roster/crm"
	"roster/crm/crmtest"
)

// TestLedgerContract holds the store's ledgers to the same behaviours as
// Memory's.
func TestLedgerContract(t *testing.T) {
	crmtest.LedgerContract(t, func(t *testing.T) crm.Repository { return openDB(t, tempPath(t)) })
}
