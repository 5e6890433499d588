package store

import (
	"fmt"
	"strings"

	"roster/crm"

	berrors "go.etcd.io/bbolt/errors"
)

// Every Put checks everything it can before its first write, so that a
// refused record leaves the transaction as it was: Import skips invalid
// records and commits the rest in the same transaction.

func (t *tx) writable() error {
	if !t.btx.Writable() {
		return berrors.ErrTxNotWritable
	}
	return nil
}

// checkID refuses IDs the index keys could not hold unambiguously.
func checkID(kind string, id crm.ID) error {
	switch {
	case id == "":
		return fmt.Errorf("%w: %s has no id", crm.ErrInvalid, kind)
	case len(id) > 255 || strings.ContainsAny(string(id), "/\x00"):
		return fmt.Errorf("%w: %s id %q is not a roster id", crm.ErrInvalid, kind, id)
	}
	return nil
}

// checkVersion applies the optimistic-locking rule: the caller's version
// must be the stored one, and 0 creates.
func checkVersion(kind string, id crm.ID, given uint64, exists bool, stored uint64) error {
	if !exists {
		if given != 0 {
			return fmt.Errorf("%s %s: %w (cannot save version %d)", kind, id, crm.ErrNotFound, given)
		}
		return nil
	}
	if given != stored {
		return &crm.ConflictError{Kind: kind, ID: id, Have: given, Current: stored}
	}
	return nil
}

// PutCreator stores c at the next version and moves its email and handle
// index entries; a key owned by another creator is a *crm.DuplicateError.
func (t *tx) PutCreator(c *crm.Creator) error {
	if err := t.writable(); err != nil {
		return err
	}
	if err := checkID("creator", c.ID); err != nil {
		return err
	}
	key := []byte(c.ID)
	var old crm.Creator
	data := t.b.creators.Get(key)
	if data != nil {
		if err := decodeCached(&t.c.creators, "creator", key, data, &old); err != nil {
			return err
		}
	}
	if err := checkVersion("creator", c.ID, c.Version, data != nil, old.Version); err != nil {
		return err
	}
	next := t.creatorKeys(c)
	if err := checkKeys(c.ID, next); err != nil {
		return err
	}
	rec := *c
	rec.Version = old.Version + 1
	enc, err := encode(&rec)
	if err != nil {
		return fmt.Errorf("creator %s: %w", c.ID, err)
	}
	var prev []uniqueKey
	if data != nil {
		prev = t.creatorKeys(&old)
	}
	if err := moveKeys(c.ID, prev, next); err != nil {
		return err
	}
	if err := t.b.creators.Put(key, enc); err != nil {
		return err
	}
	t.c.creators.put(key, enc, cloneCreator(&rec))
	c.Version = rec.Version
	return nil
}

// PutDeal stores d at the next version and files it under its creator.
// The creator and campaign must exist and the stage must be known: a
// dangling or unplaceable deal would break the board for everyone.
func (t *tx) PutDeal(d *crm.Deal) error {
	if err := t.writable(); err != nil {
		return err
	}
	for _, x := range []struct {
		kind string
		id   crm.ID
	}{{"deal", d.ID}, {"creator", d.CreatorID}, {"campaign", d.CampaignID}} {
		if err := checkID(x.kind, x.id); err != nil {
			return err
		}
	}
	if !d.Stage.Valid() {
		// A deal in a stage the board does not know would silently drop
		// off it; the domain checks this too, the store makes sure.
		return &crm.FieldError{Field: "stage", Msg: fmt.Sprintf("unknown stage %q", d.Stage)}
	}
	key := []byte(d.ID)
	var old crm.Deal
	data := t.b.deals.Get(key)
	if data != nil {
		if err := decodeCached(&t.c.deals, "deal", key, data, &old); err != nil {
			return err
		}
	}
	if err := checkVersion("deal", d.ID, d.Version, data != nil, old.Version); err != nil {
		return err
	}
	if t.b.creators.Get([]byte(d.CreatorID)) == nil {
		return fmt.Errorf("deal %s: creator %s: %w", d.ID, d.CreatorID, crm.ErrNotFound)
	}
	if t.b.campaigns.Get([]byte(d.CampaignID)) == nil {
		return fmt.Errorf("deal %s: campaign %s: %w", d.ID, d.CampaignID, crm.ErrNotFound)
	}
	rec := *d
	rec.Version = old.Version + 1
	enc, err := encode(&rec)
	if err != nil {
		return fmt.Errorf("deal %s: %w", d.ID, err)
	}
	if data == nil || old.CreatorID != d.CreatorID {
		if data != nil {
			if err := t.b.creatorDeals.Delete(childKey(old.CreatorID, d.ID)); err != nil {
				return err
			}
		}
		if err := t.b.creatorDeals.Put(childKey(d.CreatorID, d.ID), []byte{}); err != nil {
			return err
		}
	}
	if err := t.b.deals.Put(key, enc); err != nil {
		return err
	}
	t.c.deals.put(key, enc, cloneDeal(&rec))
	d.Version = rec.Version
	return nil
}

// PutCampaign stores c at the next version. Name uniqueness is the
// domain's rule and is checked there.
func (t *tx) PutCampaign(c *crm.Campaign) error {
	if err := t.writable(); err != nil {
		return err
	}
	if err := checkID("campaign", c.ID); err != nil {
		return err
	}
	key := []byte(c.ID)
	var old crm.Campaign
	data := t.b.campaigns.Get(key)
	if data != nil {
		if err := decodeCached(&t.c.campaigns, "campaign", key, data, &old); err != nil {
			return err
		}
	}
	if err := checkVersion("campaign", c.ID, c.Version, data != nil, old.Version); err != nil {
		return err
	}
	rec := *c
	rec.Version = old.Version + 1
	enc, err := encode(&rec)
	if err != nil {
		return fmt.Errorf("campaign %s: %w", c.ID, err)
	}
	if err := t.b.campaigns.Put(key, enc); err != nil {
		return err
	}
	t.c.campaigns.put(key, enc, cloneCampaign(&rec))
	c.Version = rec.Version
	return nil
}

// AppendEvent adds e to the log and to its creator's index. The log is
// append-only, so an event ID that is already there is an error, not an
// overwrite.
func (t *tx) AppendEvent(e crm.Event) error {
	if err := t.writable(); err != nil {
		return err
	}
	if err := checkID("event", e.ID); err != nil {
		return err
	}
	if e.CreatorID != "" {
		if err := checkID("creator", e.CreatorID); err != nil {
			return err
		}
	}
	key := []byte(e.ID)
	if t.b.events.Get(key) != nil {
		return fmt.Errorf("event %s is already in the log, which is append-only", e.ID)
	}
	enc, err := encode(&e)
	if err != nil {
		return fmt.Errorf("event %s: %w", e.ID, err)
	}
	if err := t.b.events.Put(key, enc); err != nil {
		return err
	}
	if e.CreatorID != "" {
		if err := t.b.creatorEv.Put(childKey(e.CreatorID, e.ID), []byte{}); err != nil {
			return err
		}
	}
	t.published = append(t.published, e)
	return nil
}
