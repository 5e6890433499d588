package crm

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
)

// DeliverableStatus is where a piece of content stands.
type DeliverableStatus string

// The deliverable statuses, in the order content moves through them.
// Late is set by the manager (the creator said it will be late); a
// deliverable past its due date that is not posted is overdue whatever
// its status says (see Deliverable.Overdue).
const (
	Planned  DeliverableStatus = "planned"
	Drafted  DeliverableStatus = "drafted"
	Approved DeliverableStatus = "approved"
	Posted   DeliverableStatus = "posted"
	Late     DeliverableStatus = "late"
)

// DeliverableStatuses lists every status in workflow order.
var DeliverableStatuses = [...]DeliverableStatus{Planned, Drafted, Approved, Posted, Late}

// ParseDeliverableStatus reads a status name.
func ParseDeliverableStatus(s string) (DeliverableStatus, error) {
	k := DeliverableStatus(strings.ToLower(strings.TrimSpace(s)))
	for _, x := range DeliverableStatuses {
		if x == k {
			return x, nil
		}
	}
	return "", &FieldError{Field: "status", Msg: fmt.Sprintf("%q is not one of planned, drafted, approved, posted, late", s)}
}

// Deliverable is one tracked piece of content: "2 TikTok videos by
// 1 December", with where it stands and the URL once it is live.
type Deliverable struct {
	ID       ID                `json:"id"`
	Platform Platform          `json:"platform"`
	Kind     string            `json:"kind"`
	Quantity int               `json:"quantity"`
	Due      time.Time         `json:"due,omitempty"`
	Status   DeliverableStatus `json:"status"`
	URL      string            `json:"url,omitempty"`
	// PostedAt is when it was marked posted; the "last post" of a
	// payment schedule counts from it.
	PostedAt time.Time `json:"posted_at,omitempty"`
}

// Overdue reports whether the deliverable is past its due date on day
// now and not posted.
func (d *Deliverable) Overdue(now time.Time) bool {
	return d.Status != Posted && !d.Due.IsZero() && Day(now).After(Day(d.Due))
}

// Label is the deliverable in words, "2 tiktok videos".
func (d *Deliverable) Label() string {
	return counted(d.Quantity, d.Platform, d.Kind)
}

// Validate checks the fields a manager edits.
func (d *Deliverable) Validate() error {
	if d.Platform == "" {
		return &FieldError{Field: "platform", Msg: "is empty"}
	}
	if d.Kind = strings.ToLower(strings.TrimSpace(d.Kind)); d.Kind == "" {
		return &FieldError{Field: "kind", Msg: "is empty (video, reel, story, post, live, ...)"}
	}
	if d.Quantity <= 0 {
		return &FieldError{Field: "quantity", Msg: "must be at least 1"}
	}
	if d.Status == "" {
		d.Status = Planned
	}
	if _, err := ParseDeliverableStatus(string(d.Status)); err != nil {
		return err
	}
	if d.URL = strings.TrimSpace(d.URL); d.URL != "" {
		u, err := url.Parse(d.URL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return &FieldError{Field: "url", Msg: fmt.Sprintf("%q is not a web address", d.URL)}
		}
	}
	return nil
}

// syncDeliverables brings the tracked deliverables in line with a new
// terms version: a spec nobody tracks yet (by platform and kind) becomes
// a planned deliverable; a tracked one still planned takes the new
// quantity and due date. Work already under way is left alone, and
// nothing is deleted: a deliverable dropped from the terms is the
// manager's to remove. It returns what it added or changed, in words.
func (l *Ledger) syncDeliverables(specs []DeliverableSpec, ids *IDGen) []string {
	var said []string
	for _, s := range specs {
		found := false
		for i := range l.Deliverables {
			d := &l.Deliverables[i]
			if d.Platform != s.Platform || d.Kind != s.Kind {
				continue
			}
			found = true
			if d.Status == Planned && (d.Quantity != s.Quantity || !d.Due.Equal(s.Due)) {
				d.Quantity, d.Due = s.Quantity, s.Due
				said = append(said, "now "+s.String())
			}
			break
		}
		if !found {
			l.Deliverables = append(l.Deliverables, Deliverable{ID: ids.New(), Platform: s.Platform, Kind: s.Kind,
				Quantity: s.Quantity, Due: s.Due, Status: Planned})
			said = append(said, "added "+s.String())
		}
	}
	return said
}

// lastPost is the day a schedule's "last post" counts from: the latest
// posting once every deliverable is posted, otherwise the latest due
// date (the plan). ok is false when there are no dated deliverables.
func (l *Ledger) lastPost() (time.Time, bool) {
	var last time.Time
	allPosted := len(l.Deliverables) > 0
	for _, d := range l.Deliverables {
		if d.Status != Posted {
			allPosted = false
		}
	}
	for _, d := range l.Deliverables {
		t := d.Due
		if allPosted {
			t = d.PostedAt
		}
		if t.After(last) {
			last = t
		}
	}
	return Day(last), !last.IsZero()
}

// OverdueDeliverables lists the deliverables past due and not posted.
func (l *Ledger) OverdueDeliverables(now time.Time) []Deliverable {
	var out []Deliverable
	for _, d := range l.Deliverables {
		if d.Overdue(now) {
			out = append(out, d)
		}
	}
	return out
}

// DueDeliverable is a deliverable not yet posted, with whose it is.
type DueDeliverable struct {
	DealID      ID
	CreatorID   ID
	Creator     string
	Campaign    string
	Deliverable Deliverable
	// Overdue says its due day has passed.
	Overdue bool
}

// DueDeliverables lists the deliverables not posted whose due day is
// before the day before (overdue ones included), earliest first, then
// by creator; declined deals are left out. It is the due view: what to
// chase today.
func (s *Service) DueDeliverables(before time.Time) ([]DueDeliverable, error) {
	now := s.clock.Now()
	cutoff := Day(before)
	var out []DueDeliverable
	err := s.repo.View(func(tx Tx) error {
		names := map[ID]string{}
		cs, err := tx.Campaigns()
		if err != nil {
			return err
		}
		for _, c := range cs {
			names[c.ID] = c.Name
		}
		return tx.ForEachLedger(func(l *Ledger) error {
			var d Deal
			var c Creator
			for _, x := range l.Deliverables {
				if x.Status == Posted || x.Due.IsZero() || !Day(x.Due).Before(cutoff) {
					continue
				}
				if d.ID == "" {
					if d, err = tx.Deal(l.DealID); err != nil {
						return fmt.Errorf("ledger of deal %s: %w", l.DealID, err)
					}
					if c, err = tx.Creator(d.CreatorID); err != nil {
						return fmt.Errorf("deal %s: creator %s: %w", d.ID, d.CreatorID, err)
					}
				}
				if d.Stage == Declined {
					return nil
				}
				out = append(out, DueDeliverable{DealID: d.ID, CreatorID: c.ID, Creator: c.Name, Campaign: names[d.CampaignID],
					Deliverable: x, Overdue: x.Overdue(now)})
			}
			return nil
		})
	})
	slices.SortStableFunc(out, func(a, b DueDeliverable) int {
		if c := a.Deliverable.Due.Compare(b.Deliverable.Due); c != 0 {
			return c
		}
		return strings.Compare(a.Creator, b.Creator)
	})
	return out, err
}
