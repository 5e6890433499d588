package crm

import (
	"strings"
	"time"
)

// DefaultCampaignName names the campaign every roster starts with, so that
// a manager who never thinks about campaigns still has a board.
const DefaultCampaignName = "General"

// Campaign groups deals: a launch, a season, an always-on ambassador
// programme. Each has its own board.
type Campaign struct {
	ID        ID        `json:"id"`
	Version   uint64    `json:"version"`
	Name      string    `json:"name"`
	Budget    Money     `json:"budget"`
	CreatedAt time.Time `json:"created_at"`
}

// Validate trims the name and checks the budget.
func (c *Campaign) Validate() error {
	c.Name = strings.TrimSpace(c.Name)
	if c.Name == "" {
		return &FieldError{Field: "campaign", Msg: "name is empty"}
	}
	if c.Budget.AmountMinor < 0 {
		return &FieldError{Field: "budget", Msg: c.Budget.String() + " is negative"}
	}
	return nil
}

// FindCampaign picks the campaign a person or a file means by name:
// case and the spaces around it do not matter, as names are unique
// ignoring case. ok is false when none is called that. Looking up,
// importing, creating and restoring all ask it, so they agree on which
// names are the same.
func FindCampaign(cs []Campaign, name string) (c Campaign, ok bool) {
	name = strings.TrimSpace(name)
	for _, c := range cs {
		if strings.EqualFold(c.Name, name) {
			return c, true
		}
	}
	return Campaign{}, false
}

// Money is an amount in the currency's minor unit (cents) with its ISO 4217
// code. It is never a float, so sums and splits are exact. Its JSON,
// {"amount_minor": 50000, "currency": "USD"}, is the one shape money has
// in the database and in roster report --format json (docs/terms.md).
type Money struct {
	AmountMinor int64  `json:"amount_minor"`
	Currency    string `json:"currency"`
}
