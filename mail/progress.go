package mail

import (
	"sync"
	"time"

	"roster/crm"
)

// progressEvery caps status reports at about ten a second: every report
// wakes every view of every session, and a sync of thousands of messages
// would otherwise flood them.
const progressEvery = 100 * time.Millisecond

// progress reports sync status to the service, throttled.
type progress struct {
	svc *crm.Service

	mu   sync.Mutex
	last time.Time
	st   crm.SyncStatus
}

func newProgress(svc *crm.Service) *progress {
	return &progress{svc: svc}
}

// set records what the sync is doing; it reaches the service at most
// every progressEvery, except when the phase or mailbox changes.
func (p *progress) set(phase, account, mailbox string, done, total int) {
	p.mu.Lock()
	changed := p.st.Phase != phase || p.st.Mailbox != mailbox || p.st.Account != account || !p.st.Running
	p.st.Running = true
	p.st.Phase, p.st.Account, p.st.Mailbox, p.st.Done, p.st.Total = phase, account, mailbox, done, total
	now := time.Now()
	if !changed && now.Sub(p.last) < progressEvery {
		p.mu.Unlock()
		return
	}
	if changed && now.Sub(p.last) < progressEvery/4 {
		// Even phase changes are capped, at 40 a second, for
		// accounts with many tiny mailboxes.
		p.mu.Unlock()
		return
	}
	p.last = now
	st := p.st
	p.mu.Unlock()
	p.svc.ReportSync(st)
}

// idle says the engine is waiting for mail.
func (p *progress) idle() {
	p.mu.Lock()
	p.st.Running, p.st.Phase, p.st.Mailbox, p.st.Done, p.st.Total = false, "idle", "", 0, 0
	st := p.st
	p.last = time.Now()
	p.mu.Unlock()
	p.svc.ReportSync(st)
}

// finish reports the end of a sync with its summary, always.
func (p *progress) finish(sum Summary, err error) {
	p.mu.Lock()
	p.st = crm.SyncStatus{LastSync: time.Now(), Summary: sum.String()}
	if err != nil {
		p.st.LastErr = err.Error()
	}
	st := p.st
	p.last = time.Now()
	p.mu.Unlock()
	p.svc.ReportSync(st)
}
