package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"unsafe"

	"github.com/klauspost/compress/s2"

	"roster/crm"
)

// A message's body lives in the bodies bucket (schema 7), apart from its
// record, so the body pass writes one value per message and never
// rewrites the records that threading and the board read. An entry exists
// exactly when the message has its body (HeaderOnly is false); an empty
// body is an entry too.
//
// The value is uvarint(n), n bytes of JSON holding the attachments and
// problems (n is 0 when there are none), then the text as raw UTF-8: a
// text is neither escaped nor parsed on its way in or out.
//
// A text worth compressing is stored as an S2 block instead (Snappy's
// faster, stronger successor from github.com/klauspost/compress, chosen
// for speed: it compresses mail text at about a gigabyte a second and
// halves it), and the value then starts with s2Mark. binary.AppendUvarint
// writes the shortest encoding, which never begins 0xFF 0x00, so no entry
// written before compression can start that way: old databases read as
// they are, with no migration rewriting every body. On the 50,000-message
// sync of docs/PERFORMANCE.md the database came out 263 MB instead of 377,
// and the body commits' write time fell from 0.97 s to 0.54 s.

// bodyMeta is the JSON part of a body entry.
type bodyMeta struct {
	Attachments []crm.Attachment `json:"attachments,omitempty"`
	Problems    []string         `json:"problems,omitempty"`
}

// s2Mark starts a body entry whose text is an S2 block: a uvarint no
// AppendUvarint writes (127 with a needless continuation byte).
var s2Mark = []byte{0xff, 0x00}

// compressFrom is the shortest text compressed: below it the block's
// header eats most of the gain.
const compressFrom = 256

// s2Scratch holds the buffers encodeBody compresses into.
var s2Scratch = sync.Pool{New: func() any { return new([]byte) }}

// maxBodyLen bounds what a damaged S2 block may claim to decode to, so a
// corrupt entry cannot make a read allocate without limit.
const maxBodyLen = 1 << 28

func encodeBody(text string, attachments []crm.Attachment, problems []string) ([]byte, error) {
	var meta []byte
	if len(attachments) > 0 || len(problems) > 0 {
		var err error
		if meta, err = encode(&bodyMeta{Attachments: attachments, Problems: problems}); err != nil {
			return nil, err
		}
	}
	head := len(s2Mark) + binary.MaxVarintLen64 + len(meta)
	if len(text) >= compressFrom {
		// The block is built in a pooled buffer of the most S2 may
		// write and copied out at its size: bbolt keeps the value until
		// commit, and a buffer per body, bigger than the text, was an
		// eighth of what a sync allocated.
		bp := s2Scratch.Get().(*[]byte)
		defer s2Scratch.Put(bp)
		if n := s2.MaxEncodedLen(len(text)); cap(*bp) < n {
			*bp = make([]byte, n)
		}
		// S2 only reads its source, so it reads the string's bytes
		// where they are instead of a copy of the whole text.
		block := s2.Encode((*bp)[:cap(*bp)], unsafe.Slice(unsafe.StringData(text), len(text)))
		// Keep it only if it saves an eighth: text that does not
		// compress is cheaper to read raw.
		if len(block) <= len(text)-len(text)/8 {
			out := make([]byte, 0, head+len(block))
			out = append(out, s2Mark...)
			out = binary.AppendUvarint(out, uint64(len(meta)))
			out = append(out, meta...)
			return append(out, block...), nil
		}
	}
	out := make([]byte, 0, head+len(text))
	out = binary.AppendUvarint(out, uint64(len(meta)))
	out = append(out, meta...)
	return append(out, text...), nil
}

var errBadBody = errors.New("the body entry is damaged")

// decodeBody fills m's body fields from an entry; v may be bbolt memory,
// so everything kept is copied.
func decodeBody(v []byte, m *crm.Message) error {
	compressed := bytes.HasPrefix(v, s2Mark)
	if compressed {
		v = v[len(s2Mark):]
	}
	n, w := binary.Uvarint(v)
	if w <= 0 || n > uint64(len(v)-w) {
		return errBadBody
	}
	meta := v[w : w+int(n)]
	m.Attachments, m.Problems = nil, nil
	if len(meta) > 0 {
		var bm bodyMeta
		if err := decode(meta, &bm); err != nil {
			return fmt.Errorf("%w: %v", errBadBody, err)
		}
		m.Attachments, m.Problems = bm.Attachments, bm.Problems
	}
	text := v[w+int(n):]
	if !compressed {
		m.Text = string(text)
		m.HeaderOnly = false
		return nil
	}
	size, err := s2.DecodedLen(text)
	if err != nil || size > maxBodyLen {
		return fmt.Errorf("%w: its compressed text is unreadable", errBadBody)
	}
	raw, err := s2.Decode(make([]byte, size), text)
	if err != nil {
		return fmt.Errorf("%w: its compressed text is unreadable: %v", errBadBody, err)
	}
	// raw is this call's own buffer and nothing else holds it, so the
	// text is those bytes, not a second copy of the whole body.
	m.Text = unsafe.String(unsafe.SliceData(raw), len(raw))
	m.HeaderOnly = false
	return nil
}

// EncodeBody is the encoding PutBody stores (crm.BodyEncoder), made
// before the write transaction: most of it is S2 compression.
func (db *DB) EncodeBody(b *crm.Body) ([]byte, error) {
	return encodeBody(b.Text, b.Attachments, b.Problems)
}

// PutBody gives a header-only message its body (crm.MailTx), in b's
// Encoded form when it has one. It looks the
// message up by its pending-body index entry, so filling a body touches
// neither the message record nor its page.
func (t *tx) PutBody(m *crm.Message, b *crm.Body) (bool, error) {
	if err := t.writable(); err != nil {
		return false, err
	}
	if err := checkID("message", m.ID); err != nil {
		return false, err
	}
	key := []byte(m.ID)
	pending := joinKey(m.Account, m.ID)
	if t.b.pendingBodies.Get(pending) == nil {
		// Not waiting for a body: unknown, filled already, or a
		// message of nobody's (whose body may still be given).
		if t.b.messages.Get(key) == nil {
			return false, fmt.Errorf("message %s: %w", m.ID, crm.ErrNotFound)
		}
		if t.b.bodies.Get(key) != nil {
			return false, nil
		}
		pending = nil
	}
	enc := b.Encoded
	if enc == nil {
		var err error
		if enc, err = encodeBody(b.Text, b.Attachments, b.Problems); err != nil {
			return false, fmt.Errorf("message %s: %w", m.ID, err)
		}
	}
	if err := t.b.bodies.Put(key, enc); err != nil {
		return false, err
	}
	if pending != nil {
		if err := t.b.pendingBodies.Delete(pending); err != nil {
			return false, err
		}
	}
	return true, nil
}

// putBody stores what PutMessage was given of the body: an entry when the
// message has its body, none when it is header-only. An unchanged entry
// is not written again.
func (t *tx) putBody(key []byte, m *crm.Message) error {
	old := t.b.bodies.Get(key)
	if m.HeaderOnly {
		if old == nil {
			return nil
		}
		return t.b.bodies.Delete(key)
	}
	enc, err := encodeBody(m.Text, m.Attachments, m.Problems)
	if err != nil {
		return err
	}
	if old != nil && string(old) == string(enc) {
		return nil
	}
	return t.b.bodies.Put(key, enc)
}
