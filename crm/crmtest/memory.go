// Package crmtest holds an in-memory crm.Repository for tests of the
// domain rules and of the UI models, where a database file would only add
// I/O. The store package's own tests run the same Service against bbolt.
package crmtest

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"sort"
	"sync"

	"roster/crm"
)

// Memory is a crm.Repository kept in maps. Update works on a copy and
// swaps it in on success, so a failed transaction leaves nothing behind,
// as bbolt does.
type Memory struct {
	mu    sync.RWMutex
	state *state
	feed  crm.Feed
}

// state holds records by value; a record is replaced, never changed in
// place, so clone can copy the maps shallowly.
type state struct {
	Creators  map[crm.ID]crm.Creator
	Deals     map[crm.ID]crm.Deal
	Campaigns map[crm.ID]crm.Campaign
	Events    []crm.Event

	Messages   map[crm.ID]crm.Message
	Threads    map[crm.ID]crm.Thread
	ThreadRefs map[string]crm.ID
	// Mailboxes and Locations are keyed by mailboxKey and locationKey:
	// JSON (Backup) cannot key a map by a struct.
	Mailboxes map[string]crm.MailboxState
	Locations map[string]location
	Ignored   map[string]bool

	Outbox map[crm.ID]crm.OutboxMail

	Ledgers map[crm.ID]crm.Ledger
}

// NewMemory returns an empty repository.
func NewMemory() *Memory {
	return &Memory{state: &state{
		Creators: map[crm.ID]crm.Creator{}, Deals: map[crm.ID]crm.Deal{}, Campaigns: map[crm.ID]crm.Campaign{},
		Messages: map[crm.ID]crm.Message{}, Threads: map[crm.ID]crm.Thread{}, ThreadRefs: map[string]crm.ID{},
		Mailboxes: map[string]crm.MailboxState{}, Locations: map[string]location{}, Ignored: map[string]bool{},
		Outbox: map[crm.ID]crm.OutboxMail{}, Ledgers: map[crm.ID]crm.Ledger{},
	}}
}

func (s *state) clone() *state {
	return &state{
		Creators: maps.Clone(s.Creators), Deals: maps.Clone(s.Deals), Campaigns: maps.Clone(s.Campaigns), Events: slices.Clone(s.Events),
		Messages: maps.Clone(s.Messages), Threads: maps.Clone(s.Threads), ThreadRefs: maps.Clone(s.ThreadRefs),
		Mailboxes: maps.Clone(s.Mailboxes), Locations: maps.Clone(s.Locations), Ignored: maps.Clone(s.Ignored),
		Outbox: maps.Clone(s.Outbox), Ledgers: maps.Clone(s.Ledgers),
	}
}

// View implements crm.Repository.
func (m *Memory) View(fn func(crm.Tx) error) error {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return fn(&tx{s: m.state})
}

// Update implements crm.Repository.
func (m *Memory) Update(fn func(crm.Tx) error) error {
	m.mu.Lock()
	t := &tx{s: m.state.clone(), write: true}
	if err := fn(t); err != nil {
		m.mu.Unlock()
		return err
	}
	m.state = t.s
	m.mu.Unlock()
	m.feed.Publish(t.appended)
	return nil
}

// Feed implements crm.Repository.
func (m *Memory) Feed() *crm.Feed { return &m.feed }

// Backup implements crm.Repository by writing the state as JSON.
func (m *Memory) Backup(w io.Writer) (int64, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	b, err := json.Marshal(m.state)
	if err != nil {
		return 0, err
	}
	n, err := w.Write(b)
	return int64(n), err
}

type tx struct {
	s        *state
	write    bool
	appended []crm.Event
}

func deep[T any](v T) T {
	b, _ := json.Marshal(v)
	var out T
	_ = json.Unmarshal(b, &out)
	return out
}

func notFound(kind string, id crm.ID) error {
	return fmt.Errorf("%s %s: %w", kind, id, crm.ErrNotFound)
}

func (t *tx) Creator(id crm.ID) (crm.Creator, error) {
	c, ok := t.s.Creators[id]
	if !ok {
		return c, notFound("creator", id)
	}
	return deep(c), nil
}

func (t *tx) Deal(id crm.ID) (crm.Deal, error) {
	d, ok := t.s.Deals[id]
	if !ok {
		return d, notFound("deal", id)
	}
	return deep(d), nil
}

func (t *tx) Campaign(id crm.ID) (crm.Campaign, error) {
	c, ok := t.s.Campaigns[id]
	if !ok {
		return c, notFound("campaign", id)
	}
	return c, nil
}

func sortedKeys[V any](m map[crm.ID]V) []crm.ID {
	keys := slices.Collect(maps.Keys(m))
	slices.Sort(keys)
	return keys
}

func (t *tx) ForEachCreator(fn func(*crm.Creator) error) error {
	for _, id := range sortedKeys(t.s.Creators) {
		c := deep(t.s.Creators[id])
		if err := fn(&c); err != nil {
			return err
		}
	}
	return nil
}

func (t *tx) ForEachDeal(fn func(*crm.Deal) error) error {
	for _, id := range sortedKeys(t.s.Deals) {
		d := deep(t.s.Deals[id])
		if err := fn(&d); err != nil {
			return err
		}
	}
	return nil
}

func (t *tx) Campaigns() ([]crm.Campaign, error) {
	var out []crm.Campaign
	for _, id := range sortedKeys(t.s.Campaigns) {
		out = append(out, t.s.Campaigns[id])
	}
	return out, nil
}

func (t *tx) DealsOf(creator crm.ID) ([]crm.Deal, error) {
	var out []crm.Deal
	for _, id := range sortedKeys(t.s.Deals) {
		if d := t.s.Deals[id]; d.CreatorID == creator {
			out = append(out, deep(d))
		}
	}
	return out, nil
}

func (t *tx) CreatorByEmail(addr string) (crm.ID, bool, error) {
	n := crm.NormalizeEmail(addr)
	for _, id := range sortedKeys(t.s.Creators) {
		for _, e := range t.s.Creators[id].Emails {
			if crm.NormalizeEmail(e) == n {
				return id, true, nil
			}
		}
	}
	return "", false, nil
}

func (t *tx) CreatorByHandle(p crm.Platform, handle string) (crm.ID, bool, error) {
	h := crm.NormalizeHandle(handle)
	for _, id := range sortedKeys(t.s.Creators) {
		for _, x := range t.s.Creators[id].Handles {
			if x.Platform == p && crm.NormalizeHandle(x.Handle) == h {
				return id, true, nil
			}
		}
	}
	return "", false, nil
}

// checkVersion is crm.Tx's rule, as the store applies it: 0 creates, the
// stored version updates, anything else is a conflict, or a miss when the
// record does not exist.
func checkVersion(kind string, id crm.ID, stored uint64, exists bool, have uint64) error {
	switch {
	case !exists && have == 0, exists && stored == have:
		return nil
	case !exists:
		return fmt.Errorf("%s %s: %w (cannot save version %d)", kind, id, crm.ErrNotFound, have)
	}
	return &crm.ConflictError{Kind: kind, ID: id, Have: have, Current: stored}
}

func (t *tx) mustWrite() {
	if !t.write {
		panic("crmtest: write in a read-only transaction")
	}
}

func (t *tx) PutCreator(c *crm.Creator) error {
	t.mustWrite()
	old, ok := t.s.Creators[c.ID]
	if err := checkVersion("creator", c.ID, old.Version, ok, c.Version); err != nil {
		return err
	}
	for _, e := range c.Emails {
		if id, found, _ := t.CreatorByEmail(e); found && id != c.ID {
			return &crm.DuplicateError{Key: "email " + e, Owner: id}
		}
	}
	c.Version++
	t.s.Creators[c.ID] = deep(*c)
	return nil
}

func (t *tx) PutDeal(d *crm.Deal) error {
	t.mustWrite()
	old, ok := t.s.Deals[d.ID]
	if err := checkVersion("deal", d.ID, old.Version, ok, d.Version); err != nil {
		return err
	}
	d.Version++
	t.s.Deals[d.ID] = deep(*d)
	return nil
}

func (t *tx) PutCampaign(c *crm.Campaign) error {
	t.mustWrite()
	old, ok := t.s.Campaigns[c.ID]
	if err := checkVersion("campaign", c.ID, old.Version, ok, c.Version); err != nil {
		return err
	}
	c.Version++
	t.s.Campaigns[c.ID] = *c
	return nil
}

func (t *tx) AppendEvent(e crm.Event) error {
	t.mustWrite()
	t.s.Events = append(t.s.Events, e)
	t.appended = append(t.appended, e)
	return nil
}

func (t *tx) Events(q crm.EventQuery) ([]crm.Event, error) {
	var out []crm.Event
	for _, e := range t.s.Events {
		if q.CreatorID == "" || e.CreatorID == q.CreatorID {
			out = append(out, e)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].ID > out[j].ID })
	if q.Limit > 0 && len(out) > q.Limit {
		out = out[:q.Limit]
	}
	return out, nil
}
