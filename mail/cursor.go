package mail

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"roster/crm"
	"roster/mail/msgparse"
)

// The header pass asks for the fields msgparse needs to match and thread
// a message, never the body; .PEEK so sync never marks mail as read.
var (
	headerSection = &imap.FetchItemBodySection{Specifier: imap.PartSpecifierHeader, HeaderFields: msgparse.HeaderFields, Peek: true}
	idSection     = &imap.FetchItemBodySection{Specifier: imap.PartSpecifierHeader, HeaderFields: []string{"Message-ID"}, Peek: true}

	headerOpts = &imap.FetchOptions{UID: true, Flags: true, InternalDate: true, RFC822Size: true, BodySection: []*imap.FetchItemBodySection{headerSection}}
	// headerFallback leaves out everything but the header fields, for a
	// message whose flags or date the client cannot parse.
	headerFallback = &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{headerSection}}
	idOpts         = &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{idSection}}
)

// unchanged is the O(1) resync test: same UIDVALIDITY, nothing new
// (UIDNEXT), nothing gone (MESSAGES; Office 365 has been seen adding mail
// without moving UIDNEXT, and the count catches that too).
func unchanged(st crm.MailboxState, status *imap.StatusData) bool {
	return status != nil && status.UIDValidity == st.UIDValidity && status.UIDNext != 0 &&
		uint32(status.UIDNext) == st.UIDNext && status.NumMessages != nil && *status.NumMessages == st.Count
}

// syncMailbox brings one mailbox up to date (mail-layer.md §1.4):
// nothing to do when STATUS matches the cursor; otherwise SELECT, remap
// after a UIDVALIDITY change, fetch new headers newest first, and look
// for vanished messages only when the count says some are gone.
//
// The cursor's Count is the number of server messages below its UIDNext
// when it was written, so "server count = Count + new messages" proves
// nothing vanished without listing the mailbox.
func (s *session) syncMailbox(ctx context.Context, name string, status *imap.StatusData) error {
	svc, acct := s.e.svc, s.acct.Name
	stored, have, err := svc.MailboxState(acct, name)
	if err != nil {
		return err
	}
	if have && unchanged(stored, status) {
		if status.HighestModSeq != 0 && status.HighestModSeq != stored.HighestModSeq {
			// Only flags changed; roster shows none yet, so
			// recording the new mod-sequence is all there is to do.
			stored.HighestModSeq = status.HighestModSeq
			_, err := svc.IngestMail(s.ident, nil, stored)
			return err
		}
		return nil
	}
	s.e.prog.set("checking", acct, name, 0, 0)
	sel, err := s.selectMailbox(ctx, name)
	if err != nil {
		return err
	}
	modseq := sel.HighestModSeq
	if modseq == 0 && status != nil {
		modseq = status.HighestModSeq
	}
	base := crm.MailboxState{Account: acct, Mailbox: name, UIDValidity: sel.UIDValidity, UIDNext: 1}
	remapped := false
	var uids []imap.UID
	switch {
	case !have:
	case stored.UIDValidity != sel.UIDValidity:
		s.log.Info("UIDVALIDITY changed: remapping by Message-ID", "mailbox", name, "old", stored.UIDValidity, "new", sel.UIDValidity)
		if uids, base, err = s.remap(ctx, name, sel, modseq); err != nil {
			return err
		}
		remapped = true
	default:
		base = stored
	}
	lo := imap.UID(max(base.UIDNext, 1))
	uidNext := imap.UID(sel.UIDNext)
	if !remapped {
		switch {
		case uidNext == 0:
			// No UIDNEXT from the server: list what is there.
			if uids, err = s.searchUIDs(ctx, lo, 0); err != nil {
				return err
			}
			uidNext = lo
			if len(uids) > 0 {
				uidNext = uids[len(uids)-1] + 1
			}
		case uidNext <= lo:
		case int(uidNext-lo) > 2*s.e.opts.BatchSize || s.e.hasQuarantine(acct, name, sel.UIDValidity):
			// A long or sparse range: learn the real UIDs first so
			// batches are full and no FETCH asks for nothing.
			if uids, err = s.searchUIDs(ctx, lo, uidNext-1); err != nil {
				return err
			}
		default:
			uids = uidRange(lo, uidNext-1)
		}
	}
	// Messages quarantined earlier in this run are counted as present
	// but not asked for again.
	skipped := 0
	uids = slices.DeleteFunc(uids, func(u imap.UID) bool {
		q := s.e.quarantined(crm.Location{Account: acct, Mailbox: name, UIDValidity: sel.UIDValidity, UID: uint32(u)})
		if q {
			skipped++
		}
		return q
	})
	final := func(seen int) crm.MailboxState {
		st := base
		st.UIDNext, st.HighestModSeq = uint32(uidNext), modseq
		if remapped {
			st.Count = sel.NumMessages
		} else {
			st.Count = base.Count + uint32(seen+skipped)
		}
		return st
	}
	seen, err := s.fetchHeaders(ctx, name, sel.UIDValidity, uids, lo, uidNext, base, final)
	if err != nil {
		return err
	}
	if st := final(seen); !remapped && sel.NumMessages != st.Count {
		return s.expunged(ctx, name, uidNext, st)
	}
	return nil
}

// fetchHeaders runs the header pass over uids (ascending), newest batch
// first, storing each batch as it arrives. Every batch but the one that
// completes the range is stored with the old cursor (base): if the
// process dies, the next sync fetches the range again, and the domain's
// Message-ID dedupe makes the second copy a no-op. It returns how many of
// the messages exist on the server.
func (s *session) fetchHeaders(ctx context.Context, name string, validity uint32, uids []imap.UID, lo, uidNext imap.UID,
	base crm.MailboxState, final func(seen int) crm.MailboxState) (int, error) {
	var (
		batch      []crm.ParsedMessage
		seen       int
		wroteFinal bool
		total      = len(uids)
	)
	flush := func(last bool) error {
		// Headers arrive in FETCH batches but are stored storeBatches
		// at a time: every commit rewrites the index pages it touched
		// and syncs the file, so fewer, larger commits write less (two
		// batches keep most of that gain; four cost 12 MB more heap).
		if !last && len(batch) < storeBatches*s.e.opts.BatchSize {
			return nil
		}
		st := base
		if last {
			st = final(seen)
		}
		res, err := s.e.svc.IngestMail(s.ident, batch, st)
		if err != nil {
			return err
		}
		wroteFinal = wroteFinal || last
		s.sum.New += res.New
		s.sum.Located += res.Located
		s.sum.Bodies += res.Bodies
		if s.bodyStored != nil {
			s.bodyStored(res.Pending)
		}
		stored := len(batch) > 0
		batch = batch[:0]
		if stored && s.e.opts.afterBatch != nil {
			s.e.opts.afterBatch(s.acct.Name, name)
		}
		return nil
	}
	job := &fetchJob{
		what: "headers", mailbox: name, uidValidity: validity,
		opts: headerOpts, fallback: headerFallback,
		batches: chunkNewestFirst(uids, s.e.opts.BatchSize),
		// Headers are parsed as they arrive, while the previous batch
		// is being stored.
		prepare: func(buf *imapclient.FetchMessageBuffer) any { return s.headerMessage(buf, name, validity) },
		handle: func(buf *imapclient.FetchMessageBuffer, pm any) {
			// A UID outside the range is the "n:*" quirk (the
			// server returns its last message); not ours.
			if buf.UID < lo || (uidNext != 0 && buf.UID >= uidNext) {
				return
			}
			seen++
			if slices.Contains(buf.Flags, imap.FlagDraft) {
				return // unsent drafts are not correspondence
			}
			batch = append(batch, pm.(crm.ParsedMessage))
		},
		quarantined: func(imap.UID) { seen++ },
		flush:       flush,
		progress: func(int) {
			s.e.prog.set("headers", s.acct.Name, name, seen, total)
		},
	}
	if _, err := s.runFetch(ctx, job); err != nil {
		return seen, err
	}
	if !wroteFinal {
		if err := flush(true); err != nil {
			return seen, err
		}
	}
	return seen, nil
}

// headerMessage turns one header-pass answer into a ParsedMessage.
func (s *session) headerMessage(buf *imapclient.FetchMessageBuffer, name string, validity uint32) crm.ParsedMessage {
	raw := buf.FindBodySection(headerSection)
	pm, err := msgparse.ParseHeader(raw)
	if err != nil {
		pm = crm.ParsedMessage{HeaderOnly: true, Problems: []string{"the message has no readable header"}}
	}
	// Nothing reads the header bytes after this (msgparse keeps no
	// reference): recycle them.
	for i := range buf.BodySection {
		freeLiteral(buf.BodySection[i].Bytes)
		buf.BodySection[i].Bytes = nil
	}
	if pm.Date.IsZero() {
		pm.Date = buf.InternalDate
	}
	pm.Size = buf.RFC822Size
	pm.Location = crm.Location{Account: s.acct.Name, Mailbox: name, UIDValidity: validity, UID: uint32(buf.UID)}
	return pm
}

// remap handles a UIDVALIDITY change the way mbsync recovers from a
// "baseless" one: read every message's Message-ID under the new numbering,
// let the domain re-locate what it knows, and return the UIDs it does not
// know (ascending) for the header pass, with the cursor RemapMailbox left.
func (s *session) remap(ctx context.Context, name string, sel *imap.SelectData, modseq uint64) ([]imap.UID, crm.MailboxState, error) {
	uids, err := s.searchUIDs(ctx, 1, 0)
	if err != nil {
		return nil, crm.MailboxState{}, err
	}
	uidNext := imap.UID(sel.UIDNext)
	if uidNext == 0 && len(uids) > 0 {
		uidNext = uids[len(uids)-1] + 1
	}
	found := map[uint32]string{}
	job := &fetchJob{
		what: "message ids", mailbox: name, uidValidity: sel.UIDValidity, opts: idOpts,
		batches: chunkNewestFirst(uids, 4*s.e.opts.BatchSize),
		handle: func(buf *imapclient.FetchMessageBuffer, _ any) {
			if uidNext != 0 && buf.UID >= uidNext {
				return
			}
			pm, _ := msgparse.ParseHeader(buf.FindBodySection(idSection))
			found[uint32(buf.UID)] = pm.MessageIDRaw
		},
		flush: func(bool) error { return nil },
		progress: func(seen int) {
			s.e.prog.set("remapping", s.acct.Name, name, seen, len(uids))
		},
	}
	if _, err := s.runFetch(ctx, job); err != nil {
		return nil, crm.MailboxState{}, err
	}
	st := crm.MailboxState{Account: s.acct.Name, Mailbox: name, UIDValidity: sel.UIDValidity, UIDNext: uint32(uidNext), HighestModSeq: modseq, Count: sel.NumMessages}
	missing, err := s.e.svc.RemapMailbox(s.acct.Name, name, found, st)
	if err != nil {
		return nil, crm.MailboxState{}, err
	}
	s.log.Info("remapped", "mailbox", name, "kept", len(found)-len(missing), "to fetch", len(missing))
	base := st
	if len(missing) > 0 && missing[0] < base.UIDNext {
		base.UIDNext = missing[0]
	}
	out := make([]imap.UID, len(missing))
	for i, u := range missing {
		out[i] = imap.UID(u)
	}
	slices.Sort(out)
	return out, base, nil
}

// searchUIDs lists the mailbox's UIDs in lo..hi (hi 0 means no upper
// bound), ascending, with ESEARCH when offered so the answer is a compact
// set rather than every number.
func (s *session) searchUIDs(ctx context.Context, lo, hi imap.UID) ([]imap.UID, error) {
	var set imap.UIDSet
	set.AddRange(lo, hi)
	crit := &imap.SearchCriteria{UID: []imap.UIDSet{set}}
	var opts *imap.SearchOptions
	if s.caps.Has(imap.CapESearch) {
		opts = &imap.SearchOptions{ReturnAll: true}
	}
	var data *imap.SearchData
	err := s.guard(ctx, "search", func() (err error) {
		data, err = s.c.UIDSearch(crit, opts).Wait()
		return err
	})
	if err != nil {
		return nil, err
	}
	if data == nil || data.All == nil {
		return nil, nil
	}
	if data.All.Dynamic() {
		return nil, errors.New("search: the server answered with a dynamic UID set")
	}
	var out []imap.UID
	for _, u := range data.AllUIDs() {
		if u >= lo && (hi == 0 || u <= hi) {
			out = append(out, u)
		}
	}
	slices.Sort(out)
	return out, nil
}

// expunged finds what vanished from a mailbox (UID SEARCH ALL against the
// UIDs roster holds) and drops those locations. Messages stay: CRM history
// does not disappear because a server copy did.
func (s *session) expunged(ctx context.Context, name string, uidNext imap.UID, st crm.MailboxState) error {
	s.e.prog.set("checking", s.acct.Name, name, 0, 0)
	uids, err := s.searchUIDs(ctx, 1, 0)
	if err != nil {
		return err
	}
	server := make(map[uint32]bool, len(uids))
	count := 0
	for _, u := range uids {
		server[uint32(u)] = true
		if uidNext == 0 || u < uidNext {
			count++
		}
	}
	st.Count = uint32(count)
	gone, err := s.e.svc.ForgetVanished(s.acct.Name, name, server, st)
	if err != nil {
		return fmt.Errorf("forget vanished: %w", err)
	}
	if gone > 0 {
		s.log.Info("vanished", "mailbox", name, "count", gone)
	}
	s.sum.Vanished += gone
	return nil
}
