package crmtest_test

import (
	"testing"

	"roster/crm"
	"roster/crm/crmtest"
)

// TestMemoryLedgerContract holds Memory to the ledger behaviours the
// store has; store's TestLedgerContract runs the same table on bbolt.
func TestMemoryLedgerContract(t *testing.T) {
	crmtest.LedgerContract(t, func(*testing.T) crm.Repository { return crmtest.NewMemory() })
}
