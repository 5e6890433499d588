package crm

import (
	"strings"
	"time"
)

// Deal is one creator in one campaign: the card on the board.
type Deal struct {
	ID         ID     `json:"id"`
	Version    uint64 `json:"version"`
	CreatorID  ID     `json:"creator_id"`
	CampaignID ID     `json:"campaign_id"`
	Stage      Stage  `json:"stage"`
	// DeclineReason says why the deal left the board; empty unless Stage
	// is Declined.
	DeclineReason string `json:"decline_reason,omitempty"`
	// History holds every stage the deal entered, oldest first; the first
	// entry is the stage it was created in.
	History   []StageChange `json:"stage_history"`
	CreatedAt time.Time     `json:"created_at"`
	UpdatedAt time.Time     `json:"updated_at"`
}

// StageChange records that a deal entered Stage at At, moved by By.
type StageChange struct {
	Stage  Stage     `json:"stage"`
	At     time.Time `json:"at"`
	By     string    `json:"by"`
	Reason string    `json:"reason,omitempty"`
}

// EnteredStage is when the deal entered its current stage.
func (d *Deal) EnteredStage() time.Time {
	if n := len(d.History); n > 0 {
		return d.History[n-1].At
	}
	return d.CreatedAt
}

// moveTo changes the stage and records the change; it enforces no rules,
// the service does.
func (d *Deal) moveTo(s Stage, at time.Time, by, reason string) {
	d.Stage = s
	d.History = append(d.History, StageChange{Stage: s, At: at, By: by, Reason: reason})
	d.UpdatedAt = at
	if s == Declined {
		d.DeclineReason = reason
	} else {
		d.DeclineReason = ""
	}
}

// lastBoardStage is the stage a declined deal returns to when reopened:
// the last board stage in its history, or Prospect.
func (d *Deal) lastBoardStage() Stage {
	for i := len(d.History) - 1; i >= 0; i-- {
		if d.History[i].Stage.Index() >= 0 {
			return d.History[i].Stage
		}
	}
	return Prospect
}

// cleanReason trims a decline reason to one line.
func cleanReason(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
