package main

import (
	"sort"
	"sync"

	"roster/crm"
	"roster/ui"
)

// presenceHub is the server's presence board: what every session has
// open. It is owned by one sshServer (no package state) and hands each
// session a handle that implements ui.Presence.
type presenceHub struct {
	mu       sync.Mutex
	sessions map[*presenceSeat]struct{}
}

// newPresenceHub returns an empty hub.
func newPresenceHub() *presenceHub { return &presenceHub{sessions: map[*presenceSeat]struct{}{}} }

// presenceSeat is one session's place in the hub; it implements ui.Presence.
type presenceSeat struct {
	hub     *presenceHub
	actor   string
	place   ui.Place
	changed chan struct{}
}

// Join adds a session for actor; Leave removes it.
func (h *presenceHub) Join(actor string) *presenceSeat {
	p := &presenceSeat{hub: h, actor: actor, changed: make(chan struct{}, 1)}
	h.mu.Lock()
	h.sessions[p] = struct{}{}
	h.mu.Unlock()
	return p
}

// Set implements ui.Presence. It never blocks: every other session gets
// at most one pending signal and reads the whole state when it wakes.
func (p *presenceSeat) Set(pl ui.Place) {
	h := p.hub
	h.mu.Lock()
	defer h.mu.Unlock()
	if p.place == pl {
		return
	}
	p.place = pl
	h.notifyLocked(p)
}

// Leave drops the session and tells the others it is gone.
func (p *presenceSeat) Leave() {
	h := p.hub
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.sessions[p]; !ok {
		return
	}
	delete(h.sessions, p)
	if p.place != (ui.Place{}) {
		h.notifyLocked(p)
	}
}

// notifyLocked wakes every session but except (the one that changed);
// the caller holds h.mu.
func (h *presenceHub) notifyLocked(except *presenceSeat) {
	for q := range h.sessions {
		if q == except {
			continue
		}
		select {
		case q.changed <- struct{}{}:
		default:
		}
	}
}

// Others implements ui.Presence: everyone else's creator, sorted by name
// so the line does not shuffle between redraws. A teammate in two
// sessions at the same creator is listed once, with what they are doing.
func (p *presenceSeat) Others() map[crm.ID][]ui.Visitor {
	h := p.hub
	h.mu.Lock()
	defer h.mu.Unlock()
	out := map[crm.ID][]ui.Visitor{}
	for q := range h.sessions {
		if q == p || q.place.Creator == "" {
			continue
		}
		vs := out[q.place.Creator]
		merged := false
		for i := range vs {
			if vs[i].Actor == q.actor {
				if vs[i].Doing == "" {
					vs[i].Doing = q.place.Doing
				}
				merged = true
			}
		}
		if !merged {
			vs = append(vs, ui.Visitor{Actor: q.actor, Doing: q.place.Doing})
		}
		out[q.place.Creator] = vs
	}
	for _, vs := range out {
		sort.Slice(vs, func(i, j int) bool { return vs[i].Actor < vs[j].Actor })
	}
	return out
}

// Changed implements ui.Presence.
func (p *presenceSeat) Changed() <-chan struct{} { return p.changed }
