package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"roster/crm"
	"roster/crm/crmtest"
	"roster/crm/demo"
)

// TestOutreachDryRunNamesWhoIsInTalksElsewhere: the demo's Maya Chen is
// negotiating in "Spring glow launch" and a prospect on the General board
// too; a dry run of the cold outreach there leaves her out, says so by
// name with the campaign and stage, and writes to the other prospects.
func TestOutreachDryRunNamesWhoIsInTalksElsewhere(t *testing.T) {
	mem := crmtest.NewMemory()
	svc := crm.NewService(mem, nil)
	if err := demo.Seed(svc, time.Now()); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	code := Run(context.Background(), []string{"outreach", "--template", "outreach", "--campaign", "General", "--stage", "prospect", "--dry-run"},
		Deps{Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" },
			Open: func(string, bool) (*crm.Service, func() error, error) { return svc, func() error { return nil }, nil },
			Drafts: func(svc *crm.Service, _, _ string) (string, error) {
				svc.SetSending([]crm.SendingAccount{{Name: "work", DisplayName: "Sam Rivera", Email: "sam@brand.example"}}, nil)
				return "", nil
			}})
	o := out.String()
	if code != 0 || !strings.Contains(o, "skipped Maya Chen: negotiating in \"Spring glow launch\"\n") ||
		!strings.Contains(o, ", 1 in talks elsewhere;") || !strings.Contains(o, "To: Lucas Moreau") {
		t.Fatalf("dry run: exit %d\n%s%s", code, o, errOut.String())
	}
	if strings.Contains(o, "To: Maya Chen") {
		t.Errorf("a cold mail to Maya Chen:\n%s", o)
	}
	// Routine skips (already contacted here) are counted, not listed.
	out.Reset()
	code = Run(context.Background(), []string{"outreach", "--template", "outreach", "--campaign", "General", "--stage", "contacted", "--dry-run"},
		Deps{Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" },
			Open:   func(string, bool) (*crm.Service, func() error, error) { return svc, func() error { return nil }, nil },
			Drafts: func(*crm.Service, string, string) (string, error) { return "", nil }})
	if o := out.String(); code != 0 || strings.Contains(o, " 0 already contacted,") || !strings.Contains(o, " already contacted,") || strings.Contains(o, "already contacted in this campaign\n") {
		t.Errorf("contacted creators should be counted, not listed: exit %d\n%s%s", code, o, errOut.String())
	}
}
