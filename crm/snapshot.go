package crm

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Snapshot is the whole roster as plain values: what `roster export`
// writes and a JSON import restores. Later capabilities (threads, terms,
// payments) add fields here, so the export stays one document.
type Snapshot struct {
	Campaigns []Campaign
	Creators  []Creator
	Deals     []Deal
	// Conversations holds each creator's threads (newest first) with
	// their messages. Mail is exported for transparency; it is not
	// restored, because it comes back from the server on the next sync.
	Conversations map[ID][]Conversation
	// Unmatched is the mail that belongs to no creator yet.
	Unmatched []Message
	// Ledgers holds each deal's terms, deliverables and payments, by
	// deal ID; deals without any have none.
	Ledgers map[ID]Ledger
	// IgnoredSenders are the senders kept out of the unmatched list
	// (IgnoreSender), normalised. Unlike mail they are restored: the
	// next sync brings their mail back, and it would be listed again.
	IgnoredSenders []string
}

// Snapshot reads the whole roster in one consistent transaction, records
// in creation order.
func (s *Service) Snapshot() (Snapshot, error) {
	var snap Snapshot
	err := s.repo.View(func(tx Tx) (err error) {
		if snap.Campaigns, err = tx.Campaigns(); err != nil {
			return err
		}
		if err = tx.ForEachCreator(func(c *Creator) error {
			snap.Creators = append(snap.Creators, *c)
			return nil
		}); err != nil {
			return err
		}
		if err := tx.ForEachDeal(func(d *Deal) error {
			snap.Deals = append(snap.Deals, *d)
			return nil
		}); err != nil {
			return err
		}
		if snap.Ledgers, err = ledgersOf(tx, snap.Deals); err != nil {
			return err
		}
		snap.Conversations = map[ID][]Conversation{}
		for _, c := range snap.Creators {
			convs, err := conversationsOf(tx, c.ID)
			if err != nil {
				return err
			}
			if len(convs) > 0 {
				snap.Conversations[c.ID] = convs
			}
		}
		if snap.Unmatched, err = tx.Unmatched(0); err != nil {
			return err
		}
		snap.IgnoredSenders, err = tx.Ignored()
		return err
	})
	return snap, err
}

// Restore writes a snapshot back, keeping its IDs, timestamps and stage
// histories, so that export, restore into an empty roster and export again
// give the same document (record versions are storage bookkeeping and
// restart at 1). Records whose ID exists are overwritten by the snapshot; a campaign whose name exists under another ID is
// merged into it. Problems (an email owned by a different creator, a deal
// whose creator is missing) reject the whole restore. The text in snap's
// records is cleaned of terminal control sequences in place.
func (s *Service) Restore(actor string, snap Snapshot, opts ImportOptions) (ImportResult, error) {
	var res ImportResult
	// A snapshot is a file from anywhere: nothing in it may reach a
	// terminal later (the board, report, due, payouts). Its mail is not
	// restored (the next sync brings it back), so the walk skips it: on
	// a large roster it is most of the file.
	snap.Conversations, snap.Unmatched = nil, nil
	sanitizeAll(&snap)
	err := s.repo.Update(func(tx Tx) error {
		res = ImportResult{}
		w := s.writer(tx, actor)
		from := "restored from " + opts.File
		campaignIDs := map[ID]ID{}
		existing, err := tx.Campaigns()
		if err != nil {
			return err
		}
		for _, c := range snap.Campaigns {
			if c.ID == "" {
				res.Problems = append(res.Problems, Problem{File: opts.File, Msg: fmt.Sprintf("campaign %q has no id", c.Name)})
				continue
			}
			if err := c.Validate(); err != nil {
				res.Problems = append(res.Problems, Problem{File: opts.File, Msg: fmt.Sprintf("campaign %s: %v", c.ID, err)})
				continue
			}
			// The same campaign first, then one of the same name.
			if slices.ContainsFunc(existing, func(e Campaign) bool { return e.ID == c.ID }) {
				campaignIDs[c.ID] = c.ID
				continue
			}
			if e, ok := FindCampaign(existing, c.Name); ok {
				campaignIDs[c.ID] = e.ID
				continue
			}
			c.Version = 0
			if err := tx.PutCampaign(&c); err != nil {
				return err
			}
			existing = append(existing, c)
			campaignIDs[c.ID] = c.ID
			if err := w.event(Event{Kind: CampaignCreated, CampaignID: c.ID, Summary: "created campaign " + c.Name + " (" + from + ")"}); err != nil {
				return err
			}
		}
		for _, c := range snap.Creators {
			if c.ID == "" {
				res.Problems = append(res.Problems, Problem{File: opts.File, Msg: fmt.Sprintf("creator %q has no id", c.Name)})
				continue
			}
			// The walk above keeps line breaks; the one-line fields lose
			// theirs here, as an imported creator's do.
			sanitizeCreatorText(&c.Name, &c.Notes, &c.Source, &c.Owner, &c.Tags)
			if err := c.Validate(); err != nil {
				res.Problems = append(res.Problems, Problem{File: opts.File, Msg: fmt.Sprintf("creator %s: %v", c.ID, err)})
				continue
			}
			if err := w.checkKeys(&c); err != nil {
				res.Problems = append(res.Problems, Problem{File: opts.File, Msg: fmt.Sprintf("creator %s: %v", c.ID, err)})
				continue
			}
			old, err := tx.Creator(c.ID)
			kind, summary := CreatorCreated, from+": "+c.Name
			switch {
			case errors.Is(err, ErrNotFound):
				c.Version = 0
				res.New++
			case err != nil:
				return err
			default:
				c.Version = old.Version
				changed := changedFields(&old, &c)
				if len(changed) == 0 {
					res.Unchanged++
					continue
				}
				res.Updated++
				kind, summary = CreatorUpdated, "updated "+c.Name+": "+strings.Join(changed, ", ")+" ("+from+")"
			}
			if err := tx.PutCreator(&c); err != nil {
				return err
			}
			if err := w.event(Event{Kind: kind, CreatorID: c.ID, Summary: summary}); err != nil {
				return err
			}
		}
		for _, d := range snap.Deals {
			if d.ID == "" {
				res.Problems = append(res.Problems, Problem{File: opts.File, Msg: fmt.Sprintf("a deal of creator %s has no id", d.CreatorID)})
				continue
			}
			if _, err := tx.Creator(d.CreatorID); err != nil {
				res.Problems = append(res.Problems, Problem{File: opts.File, Msg: fmt.Sprintf("deal %s: creator %s: %v", d.ID, d.CreatorID, err)})
				continue
			}
			cid, ok := campaignIDs[d.CampaignID]
			if !ok {
				if _, err := tx.Campaign(d.CampaignID); err != nil {
					res.Problems = append(res.Problems, Problem{File: opts.File, Msg: fmt.Sprintf("deal %s: campaign %s: %v", d.ID, d.CampaignID, err)})
					continue
				}
				cid = d.CampaignID
			}
			d.CampaignID = cid
			if !d.Stage.Valid() {
				res.Problems = append(res.Problems, Problem{File: opts.File, Msg: fmt.Sprintf("deal %s: unknown stage %q", d.ID, d.Stage)})
				continue
			}
			old, err := tx.Deal(d.ID)
			switch {
			case errors.Is(err, ErrNotFound):
				d.Version = 0
			case err != nil:
				return err
			default:
				if old.Stage == d.Stage && len(old.History) == len(d.History) && old.CampaignID == d.CampaignID {
					continue
				}
				d.Version = old.Version
			}
			if err := tx.PutDeal(&d); err != nil {
				return err
			}
			if err := w.event(Event{Kind: DealCreated, CreatorID: d.CreatorID, DealID: d.ID, CampaignID: d.CampaignID,
				Summary: fmt.Sprintf("%s: deal in %s", from, d.Stage)}); err != nil {
				return err
			}
		}
		if err := w.restoreLedgers(snap, &res, opts.File, from); err != nil {
			return err
		}
		for _, addr := range snap.IgnoredSenders {
			if err := tx.PutIgnored(addr); errors.Is(err, ErrInvalid) {
				res.Problems = append(res.Problems, Problem{File: opts.File, Msg: fmt.Sprintf("ignored sender %q: %v", addr, err)})
			} else if err != nil {
				return err
			}
		}
		return endImport(res.Problems, false, opts)
	})
	return res, dryRunOK(err)
}
