package ui

import (
	"testing"

	"roster/crm"
)

// recordedPresence remembers where the program said it is.
type recordedPresence struct{ places []Place }

func (p *recordedPresence) Set(pl Place)                 { p.places = append(p.places, pl) }
func (p *recordedPresence) Others() map[crm.ID][]Visitor { return nil }
func (p *recordedPresence) Changed() <-chan struct{}     { return nil }

// TestReplyingShowsInPresence: teammates see who is answering a creator,
// so two people do not reply to the same one.
func TestReplyingShowsInPresence(t *testing.T) {
	m := newSending(t, 100, 34)
	withThread(t, m)
	rec := &recordedPresence{}
	m.c.Presence = rec
	creator := m.detail.creatorID()
	pressSync(t, m, "r")
	if m.screen != screenCompose || len(rec.places) == 0 {
		t.Fatalf("r should open a reply and say so: %+v", rec.places)
	}
	if got := rec.places[len(rec.places)-1]; got != (Place{Creator: creator, Doing: "replying"}) {
		t.Errorf("while replying the place is %+v", got)
	}
	press(t, m, "ctrl+s")
	if got := rec.places[len(rec.places)-1]; m.screen != screenPreview || got.Doing != "replying" {
		t.Errorf("in the review the place is %+v", got)
	}
}
