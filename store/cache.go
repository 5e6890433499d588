package store

import (
	"bytes"
	"slices"
	"sync"

	"roster/crm"
)

// Decoding JSON is most of the cost of loading a board (every deal and its
// creator), and between two loads almost nothing changed. recordCache keeps
// each decoded record together with the exact bytes it came from; a lookup
// whose stored bytes are identical returns a copy of the decoded value, any
// difference decodes afresh. Because the key to validity is the stored
// bytes themselves, the cache cannot go stale: not after a rollback, a
// migration, or a write by another path.
type recordCache[T any] struct {
	clone func(*T) T
	mu    sync.Mutex
	// m is keyed by string, not crm.ID: only m[string(b)] looks a byte
	// slice up without copying it, and get runs for every card shown.
	m map[string]cached[T]
}

type cached[T any] struct {
	raw []byte
	val T
}

// maxCached bounds memory; past it the cache starts over.
const maxCached = 200_000

// get fills dst from the cache when raw is what it decoded before.
func (c *recordCache[T]) get(id []byte, raw []byte, dst *T) bool {
	if c == nil {
		return false
	}
	c.mu.Lock()
	e, ok := c.m[string(id)]
	c.mu.Unlock()
	if !ok || !bytes.Equal(e.raw, raw) {
		return false
	}
	*dst = c.clone(&e.val)
	return true
}

// put remembers v as the decoding of raw. raw must not be bbolt memory,
// and v must not be shared with a caller.
func (c *recordCache[T]) put(id []byte, raw []byte, v T) {
	if c == nil {
		return
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= maxCached {
		c.m = make(map[string]cached[T])
	}
	c.m[string(id)] = cached[T]{raw: raw, val: v}
	c.mu.Unlock()
}

// caches holds one recordCache per cached record kind; events are read
// rarely and never twice the same way, so they go uncached.
type caches struct {
	creators  recordCache[crm.Creator]
	deals     recordCache[crm.Deal]
	campaigns recordCache[crm.Campaign]
	// threads are read for every card of the board (ThreadsOf); messages
	// are large and read one conversation at a time, so go uncached.
	threads recordCache[crm.Thread]
}

func newCaches() *caches {
	return &caches{
		creators:  recordCache[crm.Creator]{clone: cloneCreator},
		deals:     recordCache[crm.Deal]{clone: cloneDeal},
		campaigns: recordCache[crm.Campaign]{clone: cloneCampaign},
		threads:   recordCache[crm.Thread]{clone: cloneThread},
	}
}

// The clones copy every slice, so that a caller changing what it got never
// changes what the cache hands the next caller. TestCloneCoversEveryField
// fails when crm adds a field these miss.

func cloneCreator(c *crm.Creator) crm.Creator {
	out := *c
	out.Emails = slices.Clone(c.Emails)
	out.Handles = slices.Clone(c.Handles)
	out.Tags = slices.Clone(c.Tags)
	return out
}

func cloneDeal(d *crm.Deal) crm.Deal {
	out := *d
	out.History = slices.Clone(d.History)
	return out
}

func cloneCampaign(c *crm.Campaign) crm.Campaign { return *c }

func cloneThread(t *crm.Thread) crm.Thread { return *t }
