package mail

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"roster/crm"
	"roster/mail/msgparse"
)

var _ crm.AttachmentFetcher = (*Engine)(nil)

// maxWholeMessage bounds the message FetchAttachment and FetchBody read
// into memory: a server that announces a gigabyte (hostile or broken) is
// refused before a byte of it is read. Mail providers cap messages at 25
// to 50 MiB, so no real message is refused.
const maxWholeMessage = 64 << 20

// errGoneFromServer says that the copy of a message the last sync saw is
// not where it was.
var errGoneFromServer = errors.New("the server no longer has this message where roster last saw it: it was moved or deleted since the last sync")

// errPoisonCopy says that reading a copy of a message broke the
// connection in a sync, which quarantined it (engine.go).
var errPoisonCopy = errors.New("the server's copy of this message breaks the connection when read, so roster skips it")

// FetchAttachment reads one attachment of m from the server: roster keeps
// attachments' names and sizes, not their bytes, so a manager saving the
// contract a creator sent has it read now, from a copy of m the sync
// knows (as FetchBody does, on a connection of its own and without a
// word on the status line), and cut out of the whole message with
// msgparse.Attachment, which finds it as the sync's parse listed it.
//
// When nothing can be had the error says why in a sentence: the account
// is gone from the config, the server no longer has the message where
// roster last saw it, the message is over maxWholeMessage, or the
// message no longer holds that attachment.
func (e *Engine) FetchAttachment(ctx context.Context, m crm.Message, a crm.Attachment) ([]byte, error) {
	raw, _, err := e.fetchWhole(ctx, m)
	if err != nil {
		return nil, err
	}
	data, err := msgparse.Attachment(raw, a)
	if errors.Is(err, msgparse.ErrNoAttachment) {
		return nil, fmt.Errorf("the message on the server no longer holds the attachment %s (%s): it changed since roster listed it", a.Name, crm.ByteSize(a.Size))
	}
	return data, err
}

// fetchWhole reads the whole of m (BODY.PEEK[]) on a session of its own,
// from the first of its copies the server still has, best first
// (copyPicker): a copy moved or deleted since the last sync must not hide
// another copy the sync also saw. known is false when the sync knows no
// copy to read from at all.
func (e *Engine) fetchWhole(ctx context.Context, m crm.Message) (raw []byte, known bool, err error) {
	acct, ok := e.cfg.Account(m.Account)
	if !ok {
		return nil, false, fmt.Errorf("the message came from account %q, which the config no longer has", m.Account)
	}
	s := e.newSession(acct)
	s.quiet = true
	defer s.logout()
	copies, err := s.copyPicker().current(m, nil)
	if err != nil {
		return nil, false, err
	}
	err = errGoneFromServer
	for _, l := range copies {
		raw, err = s.fetchWholeIn(ctx, l.Mailbox, bodyRef{msg: m, uid: imap.UID(l.UID), validity: l.UIDValidity})
		if !errors.Is(err, errGoneFromServer) && !errors.Is(err, errPoisonCopy) {
			return raw, true, err
		}
	}
	return nil, len(copies) > 0, err
}

// fetchWholeIn reads one message from mailbox name, checking that the
// mailbox was not renumbered (UIDVALIDITY) since the copy was seen.
func (s *session) fetchWholeIn(ctx context.Context, name string, ref bodyRef) ([]byte, error) {
	if err := s.ensure(ctx); err != nil {
		return nil, err
	}
	sel, err := s.selectMailbox(ctx, name)
	if err != nil {
		return nil, err
	}
	if sel.UIDValidity != ref.validity {
		return nil, errGoneFromServer // renumbered: the next sync finds it again
	}
	if s.e.quarantined(crm.Location{Account: s.acct.Name, Mailbox: name, UIDValidity: ref.validity, UID: uint32(ref.uid)}) {
		return nil, errPoisonCopy
	}
	w := s.watch(ctx)
	cmd := s.c.Fetch(imap.UIDSetNum(ref.uid), &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{wholeSection}})
	var (
		raw     []byte
		found   bool
		readErr error
	)
	for msg := cmd.Next(); msg != nil && readErr == nil; msg = cmd.Next() {
		w.touch()
		for item := msg.Next(); item != nil; item = msg.Next() {
			bs, ok := item.(imapclient.FetchItemDataBodySection)
			if !ok || bs.Literal == nil || found {
				continue
			}
			raw, readErr = s.readWhole(bs.Literal, w)
			if readErr != nil {
				break
			}
			found = true
		}
	}
	err = w.stop(ctx, "fetch the message in "+name, cmd.Close())
	var big *tooBigError
	switch {
	case errors.As(readErr, &big):
		return nil, readErr
	case err != nil:
		return nil, err
	case readErr != nil:
		return nil, fmt.Errorf("fetch the message in %s: %w", name, readErr)
	case !found:
		return nil, errGoneFromServer // expunged since: answered with nothing
	}
	return raw, nil
}

// readWhole reads a message literal of at most the engine's bound, every
// read telling the watchdog the server still sends. A bigger one is
// refused unread and the connection dropped, rather than drained.
func (s *session) readWhole(lit imap.LiteralReader, w *watchdog) ([]byte, error) {
	size := lit.Size()
	if size < 0 || size > s.e.opts.maxWhole {
		// Close waits for go-imap's reader, which waits for this
		// literal to be consumed: closing from here would deadlock.
		// Closed aside, the literal's discard fails at once.
		c := s.c
		s.c, s.selected = nil, ""
		go c.Close()
		return nil, &tooBigError{size: size, limit: s.e.opts.maxWhole}
	}
	b := make([]byte, size)
	_, err := io.ReadFull(touchReader{lit, w}, b)
	return b, err
}

// tooBigError refuses a message over the bound FetchAttachment and
// FetchBody read.
type tooBigError struct{ size, limit int64 }

func (e *tooBigError) Error() string {
	return fmt.Sprintf("the message is %s, over the %s roster reads on demand; open it in a mail client", crm.ByteSize(e.size), crm.ByteSize(e.limit))
}

// touchReader restarts the watchdog on every read: a large message on a
// slow link is not cut while it still arrives.
type touchReader struct {
	r io.Reader
	w *watchdog
}

func (t touchReader) Read(b []byte) (int, error) {
	n, err := t.r.Read(b)
	if n > 0 {
		t.w.touch()
	}
	return n, err
}
