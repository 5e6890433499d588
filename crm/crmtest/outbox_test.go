package crmtest_test

import (
	"testing"

	"roster/crm"
	"roster/crm/crmtest"
)

// TestMemoryOutboxContract holds Memory to the outbox behaviours the store
// has; store's TestOutboxContract runs the same table on bbolt.
func TestMemoryOutboxContract(t *testing.T) {
	crmtest.OutboxContract(t, func(*testing.T) crm.Repository { return crmtest.NewMemory() }, nil)
}
