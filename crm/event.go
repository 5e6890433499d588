package crm

import (
	"encoding/json"
	"time"
)

// EventKind says what an event records.
type EventKind string

// The kinds of change roster logs.
const (
	CreatorCreated  EventKind = "creator.created"
	CreatorUpdated  EventKind = "creator.updated"
	DealCreated     EventKind = "deal.created"
	DealMoved       EventKind = "deal.moved"
	DealDeclined    EventKind = "deal.declined"
	DealReopened    EventKind = "deal.reopened"
	CampaignCreated EventKind = "campaign.created"
	CampaignUpdated EventKind = "campaign.updated"
)

// Event is one entry of the append-only activity log: who did what, when,
// and the record before and after. Nothing in the log is rewritten; it is
// the transparency a team relies on.
type Event struct {
	ID    ID        `json:"id"`
	At    time.Time `json:"at"`
	Actor string    `json:"actor"`
	Kind  EventKind `json:"kind"`
	// CreatorID and DealID say whose log the event belongs in; either may
	// be empty.
	CreatorID  ID `json:"creator_id,omitempty"`
	DealID     ID `json:"deal_id,omitempty"`
	CampaignID ID `json:"campaign_id,omitempty"`
	// Summary is the change in words, fixed when it happened ("moved Maya
	// Chen from contacted to negotiating"), so the log reads the same
	// after the creator is renamed.
	Summary string          `json:"summary"`
	Before  json.RawMessage `json:"before,omitempty"`
	After   json.RawMessage `json:"after,omitempty"`
}

// EventQuery selects events; zero fields do not filter. Events come newest
// first.
type EventQuery struct {
	CreatorID ID
	Limit     int
}

// rawJSON marshals v for an event's before/after; nil stays nil.
func rawJSON(v any) json.RawMessage {
	if v == nil {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	return b
}
