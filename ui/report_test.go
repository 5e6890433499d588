package ui

import (
	"strings"
	"testing"

	"roster/crm"
)

// TestReportRoundsItsPercentages: the report reads in whole percents,
// conversions and budget spent alike, not "55.56%" beside "72%".
func TestReportRoundsItsPercentages(t *testing.T) {
	var sb strings.Builder
	WriteReport(&sb, crm.Report{Funnel: []crm.FunnelStep{{Stage: crm.Prospect, Reached: 9}, {Stage: crm.Contacted, Reached: 5, ConversionBP: 5556}}})
	if s := sb.String(); !strings.Contains(s, "56% of the stage before") || strings.Contains(s, "55.56") {
		t.Fatalf("want a whole percent:\n%s", s)
	}
}
