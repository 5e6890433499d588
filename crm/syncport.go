package crm

import (
	"context"
	"errors"
	"sync"
	"time"
)

// SyncProgress is the kind of feed notification that sync status changed.
const SyncProgress EventKind = "sync.progress"

// SyncStatus is what the status bar says about mail sync.
type SyncStatus struct {
	Running bool
	// Phase is what is happening now ("headers", "bodies", "idle").
	Phase   string
	Account string
	Mailbox string
	Done    int
	Total   int
	// LastSync is when the last complete sync ended; LastErr is its
	// error, if any, in words.
	LastSync time.Time
	LastErr  string
	// Summary is the last sync's one-line result.
	Summary string
}

// Syncer is what the domain needs from mail sync: a way to ask for a sync
// now. The mail package implements it; the UI reaches it through the
// service, so it never imports mail.
type Syncer interface {
	SyncNow()
}

// syncState is the service's knowledge of sync, shared by every program.
type syncState struct {
	mu     sync.Mutex
	syncer Syncer
	status SyncStatus
}

// BodyFetcher is what a Syncer that can read one message's body on
// demand also implements (mail.Engine does): unmatched mail is synced
// headers only, and a manager reading a pitch from someone unknown asks
// for its text.
type BodyFetcher interface {
	FetchBody(ctx context.Context, m Message) error
}

// ErrNoMail is returned by what needs a mail account when none is
// configured.
var ErrNoMail = errors.New("no mail account configured; see docs/config.md")

// FetchBody asks mail sync to read a header-only message's body now; it
// is stored as a sync stores bodies, so views hear of it. Without mail
// configured it returns ErrNoMail.
func (s *Service) FetchBody(ctx context.Context, m Message) error {
	sy := s.syncer()
	bf, ok := sy.(BodyFetcher)
	if !ok {
		return ErrNoMail
	}
	return bf.FetchBody(ctx, m)
}

// syncer is the connected mail sync, nil without mail; SetSyncer may
// replace it while views run.
func (s *Service) syncer() Syncer {
	s.sync.mu.Lock()
	defer s.sync.mu.Unlock()
	return s.sync.syncer
}

// SetSyncer connects mail sync to the service; main.go calls it.
func (s *Service) SetSyncer(sy Syncer) {
	s.sync.mu.Lock()
	s.sync.syncer = sy
	s.sync.mu.Unlock()
}

// SyncNow asks for a sync; it reports false when no mail is configured.
func (s *Service) SyncNow() bool {
	sy := s.syncer()
	if sy == nil {
		return false
	}
	sy.SyncNow()
	return true
}

// ReportSync records the sync's status and tells every view.
func (s *Service) ReportSync(st SyncStatus) {
	s.sync.mu.Lock()
	s.sync.status = st
	s.sync.mu.Unlock()
	s.repo.Feed().Publish([]Event{{Kind: SyncProgress, At: s.clock.Now()}})
}

// SyncStatus is the latest reported status.
func (s *Service) SyncStatus() SyncStatus {
	s.sync.mu.Lock()
	defer s.sync.mu.Unlock()
	return s.sync.status
}
