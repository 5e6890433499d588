package ui

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"roster/crm"
)

// Presence is what one program knows of the other people in the same
// roster: `roster serve` gives every session its own, so two teammates do
// not answer the same creator at once. A local run has none (nil), and
// every use below is a no-op then.
type Presence interface {
	// Set says what this program has open now; the zero Place is the
	// board. It must not block: the model calls it from Update.
	Set(Place)
	// Others lists what everyone else has open, by creator.
	Others() map[crm.ID][]Visitor
	// Changed is signalled (and drained by the reader) when anyone's
	// place changed.
	Changed() <-chan struct{}
}

// Place is what a session has open: a creator, and what it is doing there.
type Place struct {
	Creator crm.ID
	// Doing is "" for looking, or a verb the others see: "editing",
	// "writing notes", "replying".
	Doing string
}

// Visitor is another session at a creator.
type Visitor struct {
	Actor string
	Doing string
}

// presenceMsg says someone's place changed; the model re-reads Others.
type presenceMsg struct{}

// waitPresenceCmd blocks until the presence hub reports a change, like
// waitChangeCmd does for the change feed.
func waitPresenceCmd(ctx context.Context, p Presence) tea.Cmd {
	if p == nil {
		return nil
	}
	return func() tea.Msg {
		select {
		case <-ctx.Done():
			return nil
		case <-p.Changed():
			return presenceMsg{}
		}
	}
}

// place is what this program has open, for Presence.Set.
func (m *Model) place() Place {
	switch m.screen {
	case screenDetail:
		return Place{Creator: m.detail.creatorID()}
	case screenForm:
		if m.form.editing != nil {
			return Place{Creator: m.form.editing.ID, Doing: "editing"}
		}
	case screenNotes:
		return Place{Creator: m.detail.creatorID(), Doing: "writing notes"}
	case screenCompose, screenPreview:
		// So two teammates do not answer the same creator at once.
		if c := m.compose.base.CreatorID; c != "" {
			doing := "writing to them"
			if m.compose.base.InReplyTo != "" {
				doing = "replying"
			}
			return Place{Creator: c, Doing: doing}
		}
	}
	return Place{}
}

// syncPresence tells the hub where this program is, when that changed.
func (m *Model) syncPresence() {
	p := m.c.Presence
	if p == nil {
		return
	}
	if pl := m.place(); pl != m.placed {
		m.placed = pl
		p.Set(pl)
	}
}

// othersAt is who else has creator open, as "maria (editing), sam".
func (m *Model) othersAt(creator crm.ID) string {
	if creator == "" {
		return ""
	}
	out := ""
	for _, v := range m.others[creator] {
		if out != "" {
			out += ", "
		}
		out += sanitize(v.Actor)
		if v.Doing != "" {
			out += " (" + sanitize(v.Doing) + ")"
		}
	}
	return out
}
