package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"roster/crm"
	"roster/crm/crmtest"
)

// TestMarkPaidReportsProblemsInLineOrder: a paid file with lines that do
// not read (checked here) and lines roster cannot match (checked by crm)
// is reported top to bottom, so the manager can fix it in one pass down
// the file.
func TestMarkPaidReportsProblemsInLineOrder(t *testing.T) {
	svc := crm.NewService(crmtest.NewMemory(), nil)
	file := filepath.Join(t.TempDir(), "pay2.csv")
	data := "reference,amount,currency\n" +
		"nosuch-1,10.00,USD\n" + // 2: no such deal (crm)
		",10.00,USD\n" + // 3: empty reference (read here)
		"other-1,10.00,USD\n" + // 4: no such deal (crm)
		"x-1,ten,USD\n" // 5: amount does not read (here)
	if err := os.WriteFile(file, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := runOn(t, svc, "payouts", "mark-paid", file)
	if code != 1 || !strings.Contains(errOut, "4 lines do not match; nothing was recorded") {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut)
	}
	var lines []string
	for _, l := range strings.Split(errOut, "\n") {
		if strings.HasPrefix(l, "pay2.csv:") {
			lines = append(lines, l[:len("pay2.csv:2")])
		}
	}
	if got, want := strings.Join(lines, " "), "pay2.csv:2 pay2.csv:3 pay2.csv:4 pay2.csv:5"; got != want {
		t.Errorf("problems came out as %s, want %s:\n%s", got, want, errOut)
	}
}
