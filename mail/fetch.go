package mail

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"roster/crm"
)

// fetchJob is one mailbox's worth of FETCH commands: the UIDs in
// batches, what to ask for, and what to do with the answers.
type fetchJob struct {
	what        string // for messages: "headers", "bodies", "message ids"
	mailbox     string
	uidValidity uint32
	opts        *imap.FetchOptions
	// fallback, when set, is a smaller request tried on a message that
	// breaks the connection, before giving up on it.
	fallback *imap.FetchOptions
	// batches are sent in this order (each ascending).
	batches [][]imap.UID
	// prepare, when set, turns each message into what handle needs
	// (parses it) in the goroutine that reads the answers, so that work
	// runs beside the storing of the previous batch. It must be safe to
	// run concurrently with everything but handle.
	prepare func(buf *imapclient.FetchMessageBuffer) any
	// handle receives every message, with what prepare made of it
	// (never concurrently).
	handle func(buf *imapclient.FetchMessageBuffer, prepared any)
	// flush stores what handle collected; last is true when no batch
	// is left, so the cursor may move past the whole range.
	flush func(last bool) error
	// quarantined is told about a message skipped because it breaks
	// the connection even with the fallback request.
	quarantined func(uid imap.UID)
	progress    func(seen int)
}

// runFetch sends the batches with up to pipelineDepth commands in flight,
// handing each answer to the job in order. It returns how many of the
// requested messages the server has (received or quarantined).
//
// go-imap closes the whole connection when it cannot parse one response
// (a broken BODYSTRUCTURE, an odd flag). When that happens the messages
// already received are kept, the connection is reopened, and the rest of
// the batch is isolated (isolate) so one bad message costs a warning, not
// the sync.
func (s *session) runFetch(ctx context.Context, job *fetchJob) (seen int, err error) {
	queue := slices.Clone(job.batches)
	var pending []*flight
	w := s.watch(ctx)
	defer func() {
		w.halt()
		for _, f := range pending {
			<-f.done
		}
	}()
	for len(queue) > 0 || len(pending) > 0 {
		for len(pending) < pipelineDepth && len(queue) > 0 {
			pending = append(pending, s.send(queue[0], job, job.opts, w))
			queue = queue[1:]
		}
		cur := pending[0]
		pending = pending[1:]
		got, err := land(job, cur)
		err = w.explain(ctx, "fetch "+job.what+" in "+job.mailbox, err)
		seen += len(got)
		if err != nil {
			if !s.connKilled(ctx, err) {
				return seen, err
			}
			// Everything in flight was lost with the connection.
			w.halt()
			for i := len(pending) - 1; i >= 0; i-- {
				<-pending[i].done
				queue = append([][]imap.UID{pending[i].uids}, queue...)
			}
			pending = nil
			if err := job.flush(false); err != nil {
				return seen, err
			}
			n, err := s.isolate(ctx, job, minus(cur.uids, got))
			seen += n
			if err != nil {
				return seen, err
			}
			if err := job.flush(len(queue) == 0); err != nil {
				return seen, err
			}
			w = s.watch(ctx)
			continue
		}
		if err := job.flush(len(queue) == 0 && len(pending) == 0); err != nil {
			return seen, err
		}
		// Storing took time the server was not asked to account for.
		w.touch()
		if job.progress != nil {
			job.progress(seen)
		}
	}
	return seen, nil
}

// flight is one FETCH command whose answers a goroutine reads into
// memory as they come. Draining every in-flight command at once matters:
// go-imap's reader blocks until a message's literal is consumed, and a
// server (Dovecot does) may start answering the next pipelined command
// before it completes the current one.
type flight struct {
	uids     []imap.UID
	done     chan struct{}
	bufs     []*imapclient.FetchMessageBuffer
	prepared []any // job.prepare of each buf, when set
	err      error
}

// send issues one FETCH and starts draining it. Every message resets the
// watchdog, so a long batch on a slow link is not cut while data flows.
//
// Each message is kept only once the next one has started (or the
// command has completed): when go-imap fails to parse a response it still
// delivers the items read so far, so the message being read when the
// connection died is incomplete and must be fetched again, not stored.
func (s *session) send(uids []imap.UID, job *fetchJob, opts *imap.FetchOptions, w *watchdog) *flight {
	f := &flight{uids: uids, done: make(chan struct{})}
	cmd := s.c.Fetch(imap.UIDSetNum(uids...), opts)
	keep := func(buf *imapclient.FetchMessageBuffer) {
		f.bufs = append(f.bufs, buf)
		if job.prepare != nil {
			f.prepared = append(f.prepared, job.prepare(buf))
		}
	}
	go func() {
		defer close(f.done)
		var prev *imapclient.FetchMessageBuffer
		for m := cmd.Next(); m != nil; m = cmd.Next() {
			w.touch()
			buf, err := collect(m)
			if prev != nil {
				keep(prev)
				prev = nil
			}
			if err == nil && buf.UID != 0 {
				prev = buf
			}
		}
		f.err = cmd.Close()
		if f.err == nil && prev != nil {
			keep(prev)
		}
	}()
	return f
}

// collect is imapclient's FetchMessageData.Collect for the items sync asks
// for, reading each literal into a buffer of its announced size: Collect
// grows one by doubling (io.ReadAll), which was a tenth of an initial
// sync's CPU. A literal that ends short of its size is an error: the
// message is incomplete and is not kept (see send).
func collect(m *imapclient.FetchMessageData) (*imapclient.FetchMessageBuffer, error) {
	buf := &imapclient.FetchMessageBuffer{SeqNum: m.SeqNum}
	var err error
	for item := m.Next(); item != nil; item = m.Next() {
		switch item := item.(type) {
		case imapclient.FetchItemDataBodySection:
			var b []byte
			if item.Literal != nil && err == nil {
				b, err = readLiteral(item.Literal)
			}
			buf.BodySection = append(buf.BodySection, imapclient.FetchBodySectionBuffer{Section: item.Section, Bytes: b})
		case imapclient.FetchItemDataFlags:
			buf.Flags = item.Flags
		case imapclient.FetchItemDataInternalDate:
			buf.InternalDate = item.Time
		case imapclient.FetchItemDataRFC822Size:
			buf.RFC822Size = item.Size
		case imapclient.FetchItemDataUID:
			buf.UID = item.UID
		case imapclient.FetchItemDataModSeq:
			buf.ModSeq = item.ModSeq
		}
		// Anything else was not asked for; Next discards its literal.
	}
	return buf, err
}

// land waits for a flight and hands its messages to the job; it returns
// the UIDs received. The wait ends: the command completes, or the
// watchdog closes the connection, which ends every command.
func land(job *fetchJob, f *flight) (map[imap.UID]bool, error) {
	<-f.done
	got := make(map[imap.UID]bool, len(f.bufs))
	for i, b := range f.bufs {
		got[b.UID] = true
		var prep any
		if i < len(f.prepared) {
			prep = f.prepared[i]
		}
		job.handle(b, prep)
	}
	f.bufs, f.prepared = nil, nil
	return got, f.err
}

// fetchOnce runs one FETCH alone, for isolation.
func (s *session) fetchOnce(ctx context.Context, job *fetchJob, uids []imap.UID, opts *imap.FetchOptions) (map[imap.UID]bool, error) {
	w := s.watch(ctx)
	got, err := land(job, s.send(uids, job, opts, w))
	return got, w.stop(ctx, "fetch "+job.what+" in "+job.mailbox, err)
}

// connKilled reports whether err means the connection is gone (as
// opposed to the server refusing a command, a timeout, or cancellation,
// which isolation cannot help with).
func (s *session) connKilled(ctx context.Context, err error) bool {
	var ie *imap.Error
	if ctx.Err() != nil || errors.Is(err, errTimeout) || errors.As(err, &ie) || s.c == nil {
		return false
	}
	// go-imap fails the pending commands just before it marks the
	// connection closed; give it a moment.
	select {
	case <-s.c.Closed():
		return true
	case <-time.After(2 * time.Second):
		return false
	}
}

// isolate finds the message(s) among uids that break the connection.
// Servers answer in UID order, so the first UID not received is the prime
// suspect: it is tried alone first, and if it passes the rest is split in
// halves. A message that fails alone is re-read with the job's fallback
// request (fewer items), and skipped with a warning if that fails too.
func (s *session) isolate(ctx context.Context, job *fetchJob, uids []imap.UID) (seen int, err error) {
	type part struct {
		uids  []imap.UID
		guess bool // first-UID guess already tried for this range
	}
	var queue []part
	if len(uids) > 0 {
		queue = append(queue, part{uids: uids})
	}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if err := s.reopen(ctx, job.mailbox, job.uidValidity); err != nil {
			return seen, err
		}
		got, err := s.fetchOnce(ctx, job, p.uids, job.opts)
		seen += len(got)
		if err != nil && !s.connKilled(ctx, err) {
			return seen, err
		}
		if err := job.flush(false); err != nil {
			return seen, err
		}
		if err == nil {
			continue
		}
		left := minus(p.uids, got)
		switch {
		case len(left) == 0:
		case len(left) == 1:
			n, err := s.lastResort(ctx, job, left[0])
			seen += n
			if err != nil {
				return seen, err
			}
		case !p.guess:
			queue = append([]part{{uids: left[:1], guess: true}, {uids: left[1:], guess: true}}, queue...)
		default:
			mid := len(left) / 2
			queue = append([]part{{uids: left[:mid], guess: true}, {uids: left[mid:], guess: true}}, queue...)
		}
	}
	return seen, nil
}

// lastResort handles one message that breaks the connection: re-read it
// with the fallback request, or quarantine it for the rest of the run.
func (s *session) lastResort(ctx context.Context, job *fetchJob, uid imap.UID) (seen int, err error) {
	loc := crm.Location{Account: s.acct.Name, Mailbox: job.mailbox, UIDValidity: job.uidValidity, UID: uint32(uid)}
	if job.fallback != nil && !s.e.opts.noFallback {
		if err := s.reopen(ctx, job.mailbox, job.uidValidity); err != nil {
			return 0, err
		}
		got, err := s.fetchOnce(ctx, job, []imap.UID{uid}, job.fallback)
		if err == nil {
			if len(got) == 1 {
				s.warn(fmt.Sprintf("mailbox %s: UID %d: the server's full answer could not be read; stored what could be", job.mailbox, uid))
			}
			return len(got), job.flush(false)
		}
		if !s.connKilled(ctx, err) {
			return 0, err
		}
	}
	s.e.addQuarantine(loc, job.what)
	s.warn(fmt.Sprintf("mailbox %s: UID %d skipped: the server's answer breaks the connection", job.mailbox, uid))
	if job.quarantined != nil {
		job.quarantined(uid)
	}
	return 1, nil
}

// reopen makes sure the connection is up with mailbox selected at the
// same UIDVALIDITY (if it changed, the next sync remaps).
func (s *session) reopen(ctx context.Context, mailbox string, uidValidity uint32) error {
	if s.alive() && s.selected == mailbox {
		return nil
	}
	if err := s.ensure(ctx); err != nil {
		return err
	}
	sel, err := s.selectMailbox(ctx, mailbox)
	if err != nil {
		return err
	}
	if sel.UIDValidity != uidValidity {
		return fmt.Errorf("UIDVALIDITY of %s changed during sync", mailbox)
	}
	return nil
}

// minus returns the uids not in got, in order.
func minus(uids []imap.UID, got map[imap.UID]bool) []imap.UID {
	var out []imap.UID
	for _, u := range uids {
		if !got[u] {
			out = append(out, u)
		}
	}
	return out
}

// chunk splits ascending uids into batches of n, newest batch first (the
// header pass shows recent mail first).
func chunkNewestFirst(uids []imap.UID, n int) [][]imap.UID {
	var out [][]imap.UID
	for hi := len(uids); hi > 0; hi -= n {
		lo := max(0, hi-n)
		out = append(out, uids[lo:hi])
	}
	return out
}

// uidRange lists lo..hi.
func uidRange(lo, hi imap.UID) []imap.UID {
	if hi < lo {
		return nil
	}
	out := make([]imap.UID, 0, hi-lo+1)
	for u := lo; u <= hi; u++ {
		out = append(out, u)
	}
	return out
}
