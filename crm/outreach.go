package crm

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Bulk outreach: one template, many creators. PlanOutreach renders every
// mail (nothing is stored) so the manager can step through exactly what
// will go out; QueueOutreach queues the plan in one transaction.

// OutreachQuery chooses whom to write to: the marked deals, or the deals
// of a campaign filtered by stage and tag.
type OutreachQuery struct {
	Template string
	// Account sends the mail ("" for the first account that can send).
	Account string
	// Deals, when set, are the deals to write to (the cards marked on the
	// board); the filters below are then ignored.
	Deals []ID
	// Campaign is the campaign's ID ("" for the first campaign).
	Campaign ID
	// Stage and Tag filter the campaign's deals when set.
	Stage Stage
	Tag   string
}

// Skip kinds, counted separately because the manager acts on them
// differently.
const (
	SkipDoNotContact = "do-not-contact"
	SkipContacted    = "already contacted in this campaign"
	SkipDeclined     = "declined"
	// SkipInTalks: the creator has a live deal (contacted, negotiating
	// or active) in another campaign; a cold first mail would land in
	// the middle of that conversation.
	SkipInTalks = "in talks in another campaign"
)

// OutreachSkip is one creator left out and why.
type OutreachSkip struct {
	Creator string
	// Kind is one of the Skip constants, for counting.
	Kind string
	// Reason is the sentence to show: Kind, or for SkipInTalks which
	// campaign and stage ("negotiating in \"Spring glow launch\"").
	Reason string
}

// OutreachProblem is one creator whose mail cannot be written: a template
// field empty for them, no email address. It stops nothing else.
type OutreachProblem struct {
	Creator string
	Err     error
}

// OutreachPlan is what a bulk send would do.
type OutreachPlan struct {
	Campaign Campaign
	Drafts   []Draft
	Skipped  []OutreachSkip
	Problems []OutreachProblem
}

// SkipCount counts the skipped creators of one kind.
func (p *OutreachPlan) SkipCount(kind string) int {
	n := 0
	for _, s := range p.Skipped {
		if s.Kind == kind {
			n++
		}
	}
	return n
}

// PlanOutreach renders the template for every chosen deal, skipping
// creators flagged do-not-contact, declined deals, creators already
// contacted in this campaign (past prospect, or with mail for this
// campaign in the outbox that is not failed or cancelled) and creators
// in talks in another campaign (a deal there at contacted, negotiating
// or active).
func (s *Service) PlanOutreach(q OutreachQuery) (OutreachPlan, error) {
	var p OutreachPlan
	ts, err := s.Templates()
	if err != nil {
		return p, err
	}
	t, ok := ts[q.Template]
	if !ok {
		return p, invalidf("no template %q (have %s)", q.Template, strings.Join(slices.Sorted(maps.Keys(ts)), ", "))
	}
	acct, err := s.sendingAccount(q.Account)
	if err != nil {
		return p, err
	}
	if q.Stage != "" && !q.Stage.Valid() {
		return p, invalidf("unknown stage %q", q.Stage)
	}
	err = s.repo.View(func(tx Tx) error {
		deals, cp, err := outreachDeals(tx, q)
		if err != nil {
			return err
		}
		p.Campaign = cp
		contacted := contactedSet{tx: tx}
		for i := range deals {
			dl := &deals[i]
			c, err := tx.Creator(dl.CreatorID)
			if err != nil {
				return err
			}
			skip, err := contacted.skip(&c, dl)
			if err != nil {
				return err
			}
			if skip.Kind != "" {
				skip.Creator = cleanName(c.Name)
				p.Skipped = append(p.Skipped, skip)
				continue
			}
			camp := cp
			if dl.CampaignID != cp.ID {
				if camp, err = tx.Campaign(dl.CampaignID); err != nil {
					return err
				}
			}
			d, err := templateDraft(t, acct, &c, dl, &camp)
			if err != nil {
				p.Problems = append(p.Problems, OutreachProblem{Creator: cleanName(c.Name), Err: err})
				continue
			}
			if err := d.Validate(); err != nil {
				p.Problems = append(p.Problems, OutreachProblem{Creator: cleanName(c.Name), Err: err})
				continue
			}
			p.Drafts = append(p.Drafts, d)
		}
		return nil
	})
	return p, err
}

// outreachDeals lists the deals a query chooses, in creation order.
func outreachDeals(tx Tx, q OutreachQuery) ([]Deal, Campaign, error) {
	var cp Campaign
	if len(q.Deals) > 0 {
		var out []Deal
		for _, id := range q.Deals {
			d, err := tx.Deal(id)
			if err != nil {
				return nil, cp, err
			}
			out = append(out, d)
		}
		c, err := tx.Campaign(out[0].CampaignID)
		return out, c, err
	}
	if q.Campaign == "" {
		cs, err := tx.Campaigns()
		if err != nil {
			return nil, cp, err
		}
		if len(cs) == 0 {
			return nil, cp, fmt.Errorf("no campaign: %w", ErrNotFound)
		}
		cp = cs[0]
	} else {
		c, err := tx.Campaign(q.Campaign)
		if err != nil {
			return nil, cp, fmt.Errorf("campaign %s: %w", q.Campaign, err)
		}
		cp = c
	}
	var out []Deal
	tag := strings.TrimSpace(q.Tag)
	err := tx.ForEachDeal(func(d *Deal) error {
		if d.CampaignID != cp.ID || (q.Stage != "" && d.Stage != q.Stage) {
			return nil
		}
		if tag != "" {
			c, err := tx.Creator(d.CreatorID)
			if err != nil {
				return err
			}
			if !c.HasTag(tag) {
				return nil
			}
		}
		out = append(out, *d)
		return nil
	})
	return out, cp, err
}

// contactKey is a creator in a campaign.
type contactKey struct{ creator, campaign ID }

// contactedSet is who has mail in one transaction's outbox that went or
// may go out (not failed or cancelled), per campaign. The outbox has no
// index by creator, so the set reads all of it, once, and only when a
// deal gets as far as asking: a plan whose deals are all past prospect
// or flagged never reads it.
type contactedSet struct {
	tx   Tx
	seen map[contactKey]bool
}

func (s *contactedSet) load() error {
	if s.seen != nil {
		return nil
	}
	seen := map[contactKey]bool{}
	err := s.tx.ForEachOutboxMail(func(m *OutboxMail) error {
		if m.State != OutboxFailed && m.State != OutboxCancelled && m.CreatorID != "" {
			seen[contactKey{m.CreatorID, m.CampaignID}] = true
		}
		return nil
	})
	if err == nil {
		s.seen = seen
	}
	return err
}

// skip says why outreach leaves c's deal d out; its Kind is "" when
// nothing does. Creator is left for the caller.
func (s *contactedSet) skip(c *Creator, d *Deal) (OutreachSkip, error) {
	plain := func(kind string) (OutreachSkip, error) { return OutreachSkip{Kind: kind, Reason: kind}, nil }
	switch {
	case c.DoNotContact:
		return plain(SkipDoNotContact)
	case d.Stage == Declined:
		return plain(SkipDeclined)
	case d.Stage != Prospect:
		return plain(SkipContacted)
	}
	if reason, err := inTalksElsewhere(s.tx, c, d); err != nil || reason != "" {
		return OutreachSkip{Kind: SkipInTalks, Reason: reason}, err
	}
	if err := s.load(); err != nil {
		return OutreachSkip{}, err
	}
	if s.seen[contactKey{c.ID, d.CampaignID}] {
		return plain(SkipContacted)
	}
	return OutreachSkip{}, nil
}

// inTalksElsewhere names c's live deal in a campaign other than d's
// ("negotiating in \"Spring glow launch\""), the furthest along if there
// are several, or returns "". Prospect, paid and declined deals are not
// a conversation under way.
func inTalksElsewhere(tx Tx, c *Creator, d *Deal) (string, error) {
	deals, err := tx.DealsOf(c.ID)
	if err != nil {
		return "", err
	}
	var live *Deal
	for i := range deals {
		o := &deals[i]
		if o.CampaignID == d.CampaignID || (o.Stage != Contacted && o.Stage != Negotiating && o.Stage != Active) {
			continue
		}
		if live == nil || o.Stage.Index() > live.Stage.Index() {
			live = o
		}
	}
	if live == nil {
		return "", nil
	}
	where := "another campaign"
	if cp, err := tx.Campaign(live.CampaignID); err == nil {
		where = quote(cleanName(cp.Name))
	} else if !errors.Is(err, ErrNotFound) {
		return "", err
	}
	return fmt.Sprintf("%s in %s", live.Stage, where), nil
}

// add counts a mail queued in the same transaction.
func (s *contactedSet) add(c *Creator, d *Deal) { s.seen[contactKey{c.ID, d.CampaignID}] = true }

// QueueOutreach queues a plan's mails in one transaction, as actor. It
// checks each creator again inside the transaction, so a plan made twice
// or alongside a teammate never writes to anyone twice; those are left
// out of the result.
func (s *Service) QueueOutreach(actor string, p OutreachPlan) ([]OutboxMail, error) {
	if len(p.Drafts) == 0 {
		return nil, nil
	}
	var contacted *contactedSet
	return s.queue(actor, p.Drafts, func(tx Tx, d *Draft) (bool, error) {
		if contacted == nil || contacted.tx != tx {
			contacted = &contactedSet{tx: tx}
		}
		c, err := tx.Creator(d.CreatorID)
		if err != nil {
			return false, err
		}
		dl, err := tx.Deal(d.DealID)
		if errors.Is(err, ErrNotFound) {
			return true, nil
		} else if err != nil {
			return false, err
		}
		if skip, err := contacted.skip(&c, &dl); err != nil || skip.Kind != "" {
			return true, err
		}
		contacted.add(&c, &dl)
		return false, nil
	})
}
