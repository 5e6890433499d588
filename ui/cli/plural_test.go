package cli

import (
	"testing"

	"roster/crm"
)

// TestCountsReadAsEnglish: the CLI's summaries and errors say "1 line
// does not match", "2 recipients not reached", never "line(s)".
func TestCountsReadAsEnglish(t *testing.T) {
	for _, c := range []struct {
		err  error
		want string
	}{
		{problemsErr(1), "1 recipient not reached; see above"},
		{problemsErr(2), "2 recipients not reached; see above"},
		{mismatchErr(1), "1 line does not match; nothing was recorded"},
		{mismatchErr(3), "3 lines do not match; nothing was recorded"},
		{importProblemsErr(1), "1 problem; nothing was imported (fix it, or pass --skip-invalid to import the valid rows)"},
		{importProblemsErr(2), "2 problems; nothing was imported (fix them, or pass --skip-invalid to import the valid rows)"},
	} {
		if c.err == nil || c.err.Error() != c.want {
			t.Errorf("got %v, want %q", c.err, c.want)
		}
	}
	one := crm.OutreachPlan{Drafts: make([]crm.Draft, 1)}
	if got := outreachSummary(&one, true); got != "1 mail would be sent; skipped 0 do-not-contact, 0 already contacted, 0 declined, 0 in talks elsewhere; 0 could not be written" {
		t.Errorf("summary %q", got)
	}
	two := crm.OutreachPlan{Drafts: make([]crm.Draft, 2), Problems: make([]crm.OutreachProblem, 1),
		Skipped: []crm.OutreachSkip{{Kind: crm.SkipDoNotContact}, {Kind: crm.SkipInTalks}, {Kind: crm.SkipInTalks}}}
	if got := outreachSummary(&two, false); got != "2 mails to send; skipped 1 do-not-contact, 0 already contacted, 0 declined, 2 in talks elsewhere; 1 could not be written" {
		t.Errorf("summary %q", got)
	}
}
