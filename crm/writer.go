package crm

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// writer performs the writes of one transaction and appends the matching
// events, so that no code path can change a record without logging it.
type writer struct {
	tx    Tx
	actor string
	now   time.Time
	ids   *IDGen
}

func (s *Service) writer(tx Tx, actor string) *writer {
	if actor = strings.TrimSpace(actor); actor == "" {
		actor = "unknown"
	}
	return &writer{tx: tx, actor: actor, now: s.clock.Now().UTC(), ids: s.ids}
}

func (w *writer) event(e Event) error {
	e.ID = w.ids.New()
	e.At = w.now
	e.Actor = w.actor
	return w.tx.AppendEvent(e)
}

func (w *writer) createCampaign(c Campaign) (Campaign, error) {
	if err := c.Validate(); err != nil {
		return c, err
	}
	cs, err := w.tx.Campaigns()
	if err != nil {
		return c, err
	}
	if x, ok := FindCampaign(cs, c.Name); ok {
		// The stored name, which may differ from c.Name in case or
		// spacing, is the one the manager will find on the boards.
		return c, &DuplicateError{Key: "campaign " + quote(x.Name), Owner: x.ID}
	}
	if c.ID == "" {
		c.ID = w.ids.New()
	}
	if c.CreatedAt.IsZero() {
		c.CreatedAt = w.now
	}
	c.Version = 0
	if err := w.tx.PutCampaign(&c); err != nil {
		return c, err
	}
	return c, w.event(Event{Kind: CampaignCreated, CampaignID: c.ID,
		Summary: "created campaign " + c.Name, After: rawJSON(c)})
}

// createCreator validates and stores a new creator; verb is how the log
// says it came to be ("added", "imported from x.csv").
func (w *writer) createCreator(c Creator, verb string) (Creator, error) {
	if err := c.Validate(); err != nil {
		return c, err
	}
	if err := w.checkKeys(&c); err != nil {
		return c, err
	}
	if c.ID == "" {
		c.ID = w.ids.New()
	}
	if c.CreatedAt.IsZero() {
		c.CreatedAt = w.now
	}
	if c.UpdatedAt.IsZero() {
		c.UpdatedAt = w.now
	}
	c.Version = 0
	if err := w.tx.PutCreator(&c); err != nil {
		return c, err
	}
	if err := w.relinkMail(&c); err != nil {
		return c, err
	}
	return c, w.event(Event{Kind: CreatorCreated, CreatorID: c.ID,
		Summary: verb + " " + c.Name, After: rawJSON(c)})
}

// updateCreator stores next over old, logging which fields changed. It
// writes nothing when nothing changed. note is appended to the summary.
func (w *writer) updateCreator(old Creator, next *Creator, note string) error {
	if err := next.Validate(); err != nil {
		return err
	}
	changed := changedFields(&old, next)
	if len(changed) == 0 {
		*next = old
		return nil
	}
	if err := w.checkKeys(next); err != nil {
		return err
	}
	next.UpdatedAt = w.now
	if err := w.tx.PutCreator(next); err != nil {
		return err
	}
	if !slices.Equal(old.Emails, next.Emails) {
		if err := w.relinkMail(next); err != nil {
			return err
		}
	}
	summary := "updated " + old.Name + ": " + strings.Join(changed, ", ")
	if old.Name != next.Name {
		summary = "renamed " + old.Name + " to " + next.Name
		if len(changed) > 1 {
			summary += "; " + strings.Join(changed[1:], ", ")
		}
	}
	if note != "" {
		summary += " (" + note + ")"
	}
	return w.event(Event{Kind: CreatorUpdated, CreatorID: next.ID, Summary: summary,
		Before: rawJSON(old), After: rawJSON(next)})
}

// checkKeys refuses an email or handle that another creator owns, with a
// message that names both.
func (w *writer) checkKeys(c *Creator) error {
	for _, e := range c.Emails {
		id, ok, err := w.tx.CreatorByEmail(e)
		if err != nil {
			return err
		}
		if ok && id != c.ID {
			return w.duplicate("email "+e, id)
		}
	}
	for _, h := range c.Handles {
		id, ok, err := w.tx.CreatorByHandle(h.Platform, h.Handle)
		if err != nil {
			return err
		}
		if ok && id != c.ID {
			return w.duplicate(fmt.Sprintf("%s @%s", h.Platform, h.Handle), id)
		}
	}
	return nil
}

func (w *writer) duplicate(key string, owner ID) error {
	e := &DuplicateError{Key: key, Owner: owner, OwnerName: "another creator"}
	if o, err := w.tx.Creator(owner); err == nil && o.Name != "" {
		e.OwnerName = o.Name
	}
	return e
}

func (w *writer) createDeal(c *Creator, campaign ID, stage Stage, reason string) (Deal, error) {
	if !stage.Valid() {
		return Deal{}, invalidf("unknown stage %q", stage)
	}
	d := Deal{ID: w.ids.New(), CreatorID: c.ID, CampaignID: campaign, CreatedAt: w.now}
	d.moveTo(stage, w.now, w.actor, reason)
	if err := w.tx.PutDeal(&d); err != nil {
		return d, err
	}
	name := campaign
	if cp, err := w.tx.Campaign(campaign); err == nil {
		name = ID(cp.Name)
	}
	return d, w.event(Event{Kind: DealCreated, CreatorID: c.ID, DealID: d.ID, CampaignID: campaign,
		Summary: fmt.Sprintf("put %s on the %s board as %s", c.Name, name, stage), After: rawJSON(d)})
}

// moveDeal changes a loaded deal's stage and logs it in words.
func (w *writer) moveDeal(d *Deal, to Stage, reason string) error {
	before := *d
	before.History = slices.Clone(d.History)
	from := d.Stage
	d.moveTo(to, w.now, w.actor, reason)
	if err := w.tx.PutDeal(d); err != nil {
		return err
	}
	name := string(d.CreatorID)
	if c, err := w.tx.Creator(d.CreatorID); err == nil {
		name = c.Name
	}
	in := ""
	if cp, err := w.tx.Campaign(d.CampaignID); err == nil {
		in = " in " + cp.Name
	}
	e := Event{CreatorID: d.CreatorID, DealID: d.ID, CampaignID: d.CampaignID,
		Before: rawJSON(map[string]any{"stage": from}), After: rawJSON(map[string]any{"stage": to, "reason": reason})}
	switch {
	case to == Declined:
		e.Kind, e.Summary = DealDeclined, fmt.Sprintf("declined %s%s (was %s): %s", name, in, from, reason)
	case from == Declined:
		e.Kind, e.Summary = DealReopened, fmt.Sprintf("reopened %s%s as %s", name, in, to)
	default:
		e.Kind, e.Summary = DealMoved, fmt.Sprintf("moved %s from %s to %s%s", name, from, to, in)
	}
	return w.event(e)
}

// changedFields names the fields that differ between two versions of a
// creator, in a fixed order, for the log.
func changedFields(a, b *Creator) []string {
	var out []string
	add := func(name string, differs bool) {
		if differs {
			out = append(out, name)
		}
	}
	add("name", a.Name != b.Name)
	add("emails", !slices.Equal(a.Emails, b.Emails))
	add("handles", !slices.Equal(a.Handles, b.Handles))
	add("tags", !slices.Equal(a.Tags, b.Tags))
	add("source", a.Source != b.Source)
	add("owner", a.Owner != b.Owner)
	add("notes", a.Notes != b.Notes)
	add("do-not-contact", a.DoNotContact != b.DoNotContact)
	return out
}
