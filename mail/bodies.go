package mail

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"roster/crm"
	"roster/mail/msgparse"
)

var (
	wholeSection = &imap.FetchItemBodySection{Peek: true}
	// bodyOpts asks for the message only: its date and size came with
	// the header pass.
	bodyOpts = &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{wholeSection}}
)

// pendingPage is how many header-only messages are asked of the domain
// at a time.
const pendingPage = 2500

// fetchBodies downloads the bodies of messages with creators that have
// only their headers so far (the domain decides which: PendingBodies).
// Unmatched mail keeps just its headers until someone makes its sender a
// prospect or opens it (Engine.FetchBody reads that one). A message whose body cannot be had (no copy left on the
// server, a copy that breaks the connection) is marked with a problem so
// it is not asked for forever.
//
// attempted carries the messages already tried in this sync across calls
// (the body worker calls it again whenever the header pass stores more).
func (s *session) fetchBodies(ctx context.Context, attempted map[crm.ID]bool) error {
	limit := pendingPage
	for {
		// Ask past the ones already tried: a body that could not be
		// had this time stays pending and must not hide the rest. The
		// page stays one page plus those, so memory does not grow with
		// the mailbox (bodies fetched leave the pending list).
		pending, err := s.e.svc.PendingBodies(s.acct.Name, limit)
		if err != nil {
			return err
		}
		total := len(pending)
		pending = slices.DeleteFunc(pending, func(m crm.Message) bool { return attempted[m.ID] })
		if len(pending) == 0 {
			if total < limit {
				return nil // everything still pending has been tried
			}
			limit += pendingPage // tried ones fill the page: look past them
			continue
		}
		limit = total - len(pending) + pendingPage
		if err := s.fetchSome(ctx, pending, attempted); err != nil {
			return err
		}
	}
}

// fetchSome fetches the bodies of msgs, each from a copy in a mailbox
// whose cursor is current, and marks them attempted.
func (s *session) fetchSome(ctx context.Context, msgs []crm.Message, attempted map[crm.ID]bool) error {
	for _, m := range msgs {
		attempted[m.ID] = true
	}
	groups, lost, err := s.groupByMailbox(msgs)
	if err != nil {
		return err
	}
	if len(lost) > 0 {
		if err := s.markBodies(lost, "no copy left on the server to read the body from"); err != nil {
			return err
		}
	}
	for _, name := range slices.Sorted(maps.Keys(groups)) {
		err := s.fetchBodiesIn(ctx, name, groups[name])
		if err == nil {
			continue
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		s.warn(fmt.Sprintf("bodies in %s: %v", name, err))
		if err := s.ensure(ctx); err != nil {
			return err
		}
	}
	return nil
}

// bodyRef is one message to fetch and the UID of the copy to read.
type bodyRef struct {
	msg      crm.Message
	uid      imap.UID
	validity uint32
}

// groupByMailbox picks for every message its best copy (copyPicker) and
// groups the picks by mailbox; lost are the messages with no copy to read.
func (s *session) groupByMailbox(msgs []crm.Message) (map[string][]bodyRef, []crm.Message, error) {
	p := s.copyPicker()
	groups := map[string][]bodyRef{}
	var (
		lost   []crm.Message
		copies []crm.Location
	)
	for _, m := range msgs {
		var err error
		if copies, err = p.current(m, copies[:0]); err != nil {
			return nil, nil, err
		}
		if len(copies) == 0 {
			lost = append(lost, m)
			continue
		}
		best := copies[0]
		groups[best.Mailbox] = append(groups[best.Mailbox], bodyRef{msg: m, uid: imap.UID(best.UID), validity: best.UIDValidity})
	}
	return groups, lost, nil
}

// copyPicker ranks the copies of messages, reading each mailbox's cursor
// once.
type copyPicker struct {
	s      *session
	states map[string]uint32
}

func (s *session) copyPicker() *copyPicker {
	return &copyPicker{s: s, states: map[string]uint32{}}
}

// current appends to buf the copies of m that can be read now (in this
// account, in a mailbox whose cursor is at the copy's UIDVALIDITY), best
// first: the synced folders in their order, then the rest. A session that
// has not listed its folders (the on-demand reads) ranks them all alike,
// so its copies come in the order the sync stored them.
func (p *copyPicker) current(m crm.Message, buf []crm.Location) ([]crm.Location, error) {
	for _, l := range m.Locations {
		if l.Account != p.s.acct.Name {
			continue
		}
		v, err := p.validity(l.Mailbox)
		if err != nil {
			return nil, err
		}
		if v == l.UIDValidity {
			buf = append(buf, l)
		}
	}
	slices.SortStableFunc(buf, func(a, b crm.Location) int { return cmp.Compare(p.rank(a.Mailbox), p.rank(b.Mailbox)) })
	return buf, nil
}

func (p *copyPicker) validity(mbox string) (uint32, error) {
	if v, ok := p.states[mbox]; ok {
		return v, nil
	}
	st, ok, err := p.s.e.svc.MailboxState(p.s.acct.Name, mbox)
	if err != nil || !ok {
		return 0, err
	}
	p.states[mbox] = st.UIDValidity
	return st.UIDValidity, nil
}

func (p *copyPicker) rank(mbox string) int {
	if i := slices.Index(p.s.folders, mbox); i >= 0 {
		return i
	}
	return len(p.s.folders)
}

// fetchBodiesIn fetches the bodies of refs from one mailbox.
func (s *session) fetchBodiesIn(ctx context.Context, name string, refs []bodyRef) error {
	// The body connection opens only when there is a body to fetch.
	if err := s.ensure(ctx); err != nil {
		return err
	}
	newest := imap.UID(0)
	for _, r := range refs {
		newest = max(newest, r.uid)
	}
	validity, err := s.useMailbox(ctx, name, newest)
	if err != nil {
		return err
	}
	byUID := map[imap.UID]crm.Message{}
	var uids []imap.UID
	for _, r := range refs {
		if r.validity != validity {
			continue // renumbered since: the next sync remaps first
		}
		if s.e.quarantined(crm.Location{Account: s.acct.Name, Mailbox: name, UIDValidity: r.validity, UID: uint32(r.uid)}) {
			continue
		}
		byUID[r.uid] = r.msg
		uids = append(uids, r.uid)
	}
	slices.Sort(uids)
	var (
		batch []rawBody
		bad   []crm.Message
		done  int
	)
	stage := s.startBodyStage()
	job := &fetchJob{
		what: "bodies", mailbox: name, uidValidity: validity, opts: bodyOpts,
		batches: chunkNewestFirst(uids, max(1, s.e.opts.BatchSize/5)),
		handle: func(buf *imapclient.FetchMessageBuffer, _ any) {
			m, ok := byUID[buf.UID]
			if !ok {
				return
			}
			batch = append(batch, rawBody{msg: m, raw: buf.FindBodySection(wholeSection)})
		},
		quarantined: func(uid imap.UID) { bad = append(bad, byUID[uid]) },
		flush: func(last bool) error {
			// Bodies are fetched in small batches (they are big) but
			// stored in larger ones: each store commit is an fsync.
			if len(batch) == 0 || (!last && len(batch) < s.e.opts.BatchSize) {
				return nil
			}
			done += len(batch)
			err := stage.put(batch)
			batch = nil
			return err
		},
		progress: func(int) {
			if !s.quiet && (s.headersBusy == nil || !s.headersBusy.Load()) {
				s.e.prog.set("bodies", s.acct.Name, name, done, len(uids))
			}
		},
	}
	_, err = s.runFetch(ctx, job)
	if err == nil {
		err = job.flush(true)
	}
	n, serr := stage.close()
	s.sum.Bodies += n
	if err != nil {
		return err
	}
	if serr != nil {
		return serr
	}
	if len(bad) > 0 {
		return s.markBodies(bad, "the server's copy of this message could not be read")
	}
	return nil
}

// bodyStage parses and stores fetched bodies in goroutines of its own,
// while the connection reads the next batch: one batch is parsed while
// the one before is stored, so fetching, parsing and storing overlap
// instead of taking turns.
type bodyStage struct {
	in  chan []rawBody
	out chan struct{}
	svc *crm.Service

	mu  sync.Mutex
	n   int
	err error
}

func (s *session) startBodyStage() *bodyStage {
	st := &bodyStage{in: make(chan []rawBody), out: make(chan struct{}), svc: s.e.svc}
	parsed := make(chan []crm.FetchedBody)
	go func() {
		defer close(parsed)
		for batch := range st.in {
			if st.failed() != nil {
				continue // drain; put or close reports the error
			}
			parsed <- parseBodies(batch)
		}
	}()
	go func() {
		defer close(st.out)
		for bodies := range parsed {
			if st.failed() != nil {
				continue
			}
			n, err := st.svc.SetBodies(bodies)
			st.mu.Lock()
			st.n += n
			st.err = err
			st.mu.Unlock()
		}
	}()
	return st
}

// put hands a batch over, waiting while the previous one is stored, and
// returns the error of an earlier batch, if any. The batch belongs to the
// stage from then on.
func (st *bodyStage) put(batch []rawBody) error {
	st.in <- batch
	return st.failed()
}

func (st *bodyStage) failed() error {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.err
}

// close waits for the last batch and reports how many bodies were stored.
func (st *bodyStage) close() (int, error) {
	close(st.in)
	<-st.out
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.n, st.err
}

// rawBody is a fetched message waiting to be parsed: the message as
// PendingBodies listed it and the server's bytes.
type rawBody struct {
	msg crm.Message
	raw []byte
}

// parseBodies parses a batch on every core: parsing MIME is most of the
// body pass's work and each message is independent. The raw bytes are
// recycled as each message is parsed.
func parseBodies(batch []rawBody) []crm.FetchedBody {
	out := make([]crm.FetchedBody, len(batch))
	workers := min(runtime.GOMAXPROCS(0), len(batch))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(batch) {
					return
				}
				out[i] = crm.FetchedBody{Message: batch[i].msg, Parsed: parseBody(&batch[i])}
				freeLiteral(batch[i].raw) // msgparse keeps no reference
				batch[i].raw = nil
			}
		}()
	}
	wg.Wait()
	return out
}

func parseBody(b *rawBody) crm.ParsedMessage {
	pm, err := msgparse.Parse(b.raw)
	if err != nil {
		pm = crm.ParsedMessage{Problems: []string{"the message is empty"}}
	}
	return pm
}

// markBodies records that a body cannot be fetched, so the message is no
// longer pending and the reason shows with it.
func (s *session) markBodies(msgs []crm.Message, why string) error {
	fbs := make([]crm.FetchedBody, len(msgs))
	for i, m := range msgs {
		fbs[i] = crm.FetchedBody{Message: m, Parsed: crm.ParsedMessage{Problems: []string{why}}}
	}
	_, err := s.e.svc.SetBodies(fbs)
	return err
}
