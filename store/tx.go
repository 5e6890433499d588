package store

import (
	"bytes"
	"fmt"

	"roster/crm"

	bolt "go.etcd.io/bbolt"
)

// tx is one crm.Tx over a bbolt transaction. Its buckets are looked up
// once, when it begins, not on every call.
type tx struct {
	btx *bolt.Tx
	b   buckets
	c   *caches
	// published holds the events of this transaction, appended to the log
	// or only notified, in call order; Update publishes them after the
	// commit, and a rollback drops them.
	published []crm.Event
	// threadCurs are ThreadsOf's cursors, kept for the transaction: the
	// board calls it once per card, and every call starts with a Seek,
	// which is safe after writes.
	threadCurs [2]*bolt.Cursor
	// refsCur is refGet's cursor, kept for the transaction like
	// threadCurs: a sync looks up every Message-ID it meets, and
	// bbolt's Get makes a cursor (two allocations) per call.
	refsCur *bolt.Cursor
}

type buckets struct {
	creators, deals, campaigns, events       *bolt.Bucket
	emails, handles, creatorDeals, creatorEv *bolt.Bucket

	messages, threads, mailboxes, ignored     *bolt.Bucket
	threadMessages, creatorThreads, refs      *bolt.Bucket
	locations, unmatchedSender, unmatchedDate *bolt.Bucket
	pendingBodies, bodies                     *bolt.Bucket
}

var _ crm.Tx = (*tx)(nil)

// appendFill is the page fill for buckets whose new keys arrive in runs
// (time-ordered IDs; UIDs, a batch at a time): they land together, so
// pages split nearly full instead of half.
const appendFill = 0.9

func newTx(btx *bolt.Tx, c *caches) (*tx, error) {
	t := &tx{btx: btx, c: c}
	for _, x := range []struct {
		name []byte
		dst  **bolt.Bucket
	}{
		{bucketCreators, &t.b.creators},
		{bucketDeals, &t.b.deals},
		{bucketCampaigns, &t.b.campaigns},
		{bucketEvents, &t.b.events},
		{bucketEmailIndex, &t.b.emails},
		{bucketHandleIndex, &t.b.handles},
		{bucketCreatorDeals, &t.b.creatorDeals},
		{bucketCreatorEvents, &t.b.creatorEv},
		{bucketMessages, &t.b.messages},
		{bucketThreads, &t.b.threads},
		{bucketMailboxes, &t.b.mailboxes},
		{bucketIgnored, &t.b.ignored},
		{bucketThreadMessages, &t.b.threadMessages},
		{bucketCreatorThreads, &t.b.creatorThreads},
		{bucketThreadRefs, &t.b.refs},
		{bucketLocations, &t.b.locations},
		{bucketUnmatchedSender, &t.b.unmatchedSender},
		{bucketUnmatchedDate, &t.b.unmatchedDate},
		{bucketPendingBodies, &t.b.pendingBodies},
		{bucketBodies, &t.b.bodies},
	} {
		if *x.dst = btx.Bucket(x.name); *x.dst == nil {
			return nil, fmt.Errorf("bucket %s is missing; the database is damaged", x.name)
		}
	}
	if btx.Writable() {
		for _, b := range []*bolt.Bucket{t.b.creators, t.b.deals, t.b.campaigns, t.b.events, t.b.messages, t.b.threads, t.b.bodies, t.b.locations, t.b.pendingBodies} {
			b.FillPercent = appendFill
		}
	}
	return t, nil
}

// get decodes the record stored under id, or reports it missing.
func get[T any](b *bolt.Bucket, c *recordCache[T], kind string, id crm.ID, v *T) error {
	key := []byte(id)
	data := b.Get(key)
	if data == nil {
		return fmt.Errorf("%s %s: %w", kind, id, crm.ErrNotFound)
	}
	return decodeCached(c, kind, key, data, v)
}

// decodeCached decodes data (stored under key) into v, through c.
func decodeCached[T any](c *recordCache[T], kind string, key, data []byte, v *T) error {
	if c.get(key, data, v) {
		return nil
	}
	if err := decode(data, v); err != nil {
		return unreadable(kind, crm.ID(key), err)
	}
	if c != nil {
		c.put(bytes.Clone(key), bytes.Clone(data), c.clone(v))
	}
	return nil
}

func unreadable(kind string, id crm.ID, err error) error {
	return fmt.Errorf("%s %s: stored value is unreadable: %w", kind, id, err)
}

// forEach decodes every record of b into a fresh value, in key order, so
// that fn may keep the pointer.
func forEach[T any](b *bolt.Bucket, rc *recordCache[T], kind string, fn func(*T) error) error {
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		rec := new(T)
		if err := decodeCached(rc, kind, k, v, rec); err != nil {
			return err
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
	return nil
}

// Creator reads one creator; a miss wraps crm.ErrNotFound.
func (t *tx) Creator(id crm.ID) (crm.Creator, error) {
	var c crm.Creator
	err := get(t.b.creators, &t.c.creators, "creator", id, &c)
	return c, err
}

// Deal reads one deal; a miss wraps crm.ErrNotFound.
func (t *tx) Deal(id crm.ID) (crm.Deal, error) {
	var d crm.Deal
	err := get(t.b.deals, &t.c.deals, "deal", id, &d)
	return d, err
}

// Campaign reads one campaign; a miss wraps crm.ErrNotFound.
func (t *tx) Campaign(id crm.ID) (crm.Campaign, error) {
	var c crm.Campaign
	err := get(t.b.campaigns, &t.c.campaigns, "campaign", id, &c)
	return c, err
}

// ForEachCreator visits creators in ID (creation) order.
func (t *tx) ForEachCreator(fn func(*crm.Creator) error) error {
	return forEach(t.b.creators, &t.c.creators, "creator", fn)
}

// ForEachDeal visits deals in ID (creation) order.
func (t *tx) ForEachDeal(fn func(*crm.Deal) error) error {
	return forEach(t.b.deals, &t.c.deals, "deal", fn)
}

// Campaigns lists every campaign, oldest first.
func (t *tx) Campaigns() ([]crm.Campaign, error) {
	var out []crm.Campaign
	err := forEach(t.b.campaigns, &t.c.campaigns, "campaign", func(c *crm.Campaign) error {
		out = append(out, *c)
		return nil
	})
	return out, err
}

// children lists the child IDs indexed under parent in idx, oldest first.
func children(idx *bolt.Bucket, parent crm.ID) []crm.ID {
	prefix := childPrefix(parent)
	var out []crm.ID
	c := idx.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		out = append(out, crm.ID(k[len(prefix):]))
	}
	return out
}

// DealsOf lists a creator's deals, oldest first, through the
// creator-deals index rather than a scan.
func (t *tx) DealsOf(creator crm.ID) ([]crm.Deal, error) {
	var out []crm.Deal
	for _, id := range children(t.b.creatorDeals, creator) {
		d, err := t.Deal(id)
		if err != nil {
			return nil, fmt.Errorf("deals of creator %s: %w", creator, err)
		}
		out = append(out, d)
	}
	return out, nil
}

// CreatorByEmail looks an address up by its normalised form.
func (t *tx) CreatorByEmail(addr string) (crm.ID, bool, error) {
	return lookup(t.b.emails, emailKey(addr))
}

// CreatorByHandle looks a platform handle up by its normalised form.
func (t *tx) CreatorByHandle(p crm.Platform, handle string) (crm.ID, bool, error) {
	return lookup(t.b.handles, handleKey(p, handle))
}

func lookup(idx *bolt.Bucket, key string) (crm.ID, bool, error) {
	if key == "" {
		return "", false, nil
	}
	v := idx.Get([]byte(key))
	if v == nil {
		return "", false, nil
	}
	return crm.ID(v), true, nil
}

// Events walks the log backwards: event IDs are time-ordered, so the last
// key is the newest event. A creator's events come from their index.
func (t *tx) Events(q crm.EventQuery) ([]crm.Event, error) {
	var out []crm.Event
	full := func() bool { return q.Limit > 0 && len(out) >= q.Limit }
	if q.CreatorID == "" {
		c := t.b.events.Cursor()
		for k, v := c.Last(); k != nil && !full(); k, v = c.Prev() {
			var e crm.Event
			if err := decode(v, &e); err != nil {
				return nil, unreadable("event", crm.ID(k), err)
			}
			out = append(out, e)
		}
		return out, nil
	}
	prefix := childPrefix(q.CreatorID)
	c := t.b.creatorEv.Cursor()
	// Every key under prefix is below prefix+0xff; step back from there.
	k, _ := c.Seek(append(prefix[:len(prefix):len(prefix)], 0xff))
	if k == nil {
		k, _ = c.Last()
	} else {
		k, _ = c.Prev()
	}
	for ; k != nil && bytes.HasPrefix(k, prefix) && !full(); k, _ = c.Prev() {
		var e crm.Event
		if err := get(t.b.events, nil, "event", crm.ID(k[len(prefix):]), &e); err != nil {
			return nil, fmt.Errorf("log of creator %s: %w", q.CreatorID, err)
		}
		out = append(out, e)
	}
	return out, nil
}

// bucket looks up a bucket that is not in tx's table (the outbox's and the
// ledgers', which a transaction rarely touches), or reports the damage.
func (t *tx) bucket(name []byte) (*bolt.Bucket, error) {
	b := t.btx.Bucket(name)
	if b == nil {
		return nil, fmt.Errorf("bucket %s is missing; the database is damaged", name)
	}
	return b, nil
}
