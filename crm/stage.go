package crm

import (
	"fmt"
	"strings"
)

// Stage is where a deal stands in the pipeline. The five board stages are
// ordered; Declined is off the board and can be reopened.
type Stage string

// The pipeline, in order, and the one closed state.
const (
	Prospect    Stage = "prospect"
	Contacted   Stage = "contacted"
	Negotiating Stage = "negotiating"
	Active      Stage = "active"
	Paid        Stage = "paid"
	Declined    Stage = "declined"
)

// BoardStages lists the stages that have a column on the board, in order.
var BoardStages = [...]Stage{Prospect, Contacted, Negotiating, Active, Paid}

// Index returns the column of s on the board, or -1 for Declined and
// unknown stages.
func (s Stage) Index() int {
	for i, b := range BoardStages {
		if b == s {
			return i
		}
	}
	return -1
}

// Valid reports whether s is one of the six stages.
func (s Stage) Valid() bool { return s == Declined || s.Index() >= 0 }

// Title is the stage as a column header.
func (s Stage) Title() string {
	if s == "" {
		return ""
	}
	return strings.ToUpper(string(s[:1])) + string(s[1:])
}

// Step returns the board stage delta columns away from s, and false when
// that would leave the board.
func (s Stage) Step(delta int) (Stage, bool) {
	i := s.Index()
	if i < 0 {
		return s, false
	}
	j := i + delta
	if j < 0 || j >= len(BoardStages) {
		return s, false
	}
	return BoardStages[j], true
}

// stageSynonyms maps words people write in spreadsheets to stages.
var stageSynonyms = map[string]Stage{
	"prospect": Prospect, "prospects": Prospect, "lead": Prospect, "new": Prospect, "": Prospect,
	"contacted": Contacted, "reached out": Contacted, "outreach": Contacted, "invited": Contacted,
	"negotiating": Negotiating, "negotiation": Negotiating, "in talks": Negotiating, "in conversation": Negotiating,
	"active": Active, "onboarded": Active, "live": Active, "signed": Active,
	"paid": Paid, "done": Paid, "completed": Paid,
	"declined": Declined, "rejected": Declined, "lost": Declined,
}

// ParseStage reads a stage name as a person would write it, case-insensitive
// and with common synonyms ("in talks", "reached out"). An empty string is
// Prospect.
func ParseStage(s string) (Stage, error) {
	k := strings.ToLower(strings.Join(strings.Fields(s), " "))
	if st, ok := stageSynonyms[k]; ok {
		return st, nil
	}
	return "", fmt.Errorf("unknown stage %q (want prospect, contacted, negotiating, active, paid or declined)", s)
}
