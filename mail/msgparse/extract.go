package msgparse

import (
	"errors"

	"roster/crm"
)

// ErrNoAttachment is returned by Attachment when the message lists no
// attachment of that name and size: it is not the message the attachment
// was listed from, or it changed on the server since.
var ErrNoAttachment = errors.New("msgparse: the message holds no such attachment")

// Attachment returns the decoded bytes of the attachment a, as Parse lists
// it for the same raw message: roster stores attachments' names and sizes,
// not their bytes, and reads them from the server when a manager saves
// one. The part is found by walking the message exactly as Parse does
// (same nesting, inline and deduplication rules, same limits) and taking
// the first part listed with a's name, type and size, else with its name
// and size (a type written differently by an older roster). A forwarded
// message (message/rfc822) is returned whole, as the .eml Parse lists.
// Damaged transfer encodings give what Parse counted: the bytes decoded
// before the damage.
func Attachment(raw []byte, a crm.Attachment) ([]byte, error) {
	p := &parser{want: &a}
	hdr, body := splitHeader(raw)
	fields, _, tail := p.parseFields(hdr)
	p.walk(part{fields: fields, body: withTail(tail, body)}, 0, "")
	if !p.foundAny {
		return nil, ErrNoAttachment
	}
	return p.found, nil
}

// wants reports whether a part named name may be the attachment looked
// for, so its decoded bytes are kept.
func (p *parser) wants(name string) bool {
	return p.want != nil && !p.foundExact && name == p.want.Name
}

// match keeps data when a is the attachment looked for: the first exact
// match wins, else the first with the same name and size.
func (p *parser) match(a crm.Attachment, data []byte) {
	w := p.want
	if p.foundExact || data == nil || a.Name != w.Name || a.Size != w.Size {
		return
	}
	if a == *w {
		p.found, p.foundAny, p.foundExact = data, true, true
	} else if !p.foundAny {
		p.found, p.foundAny = data, true
	}
}

// discardChunk is the size io.Discard reads in (io.discard.ReadFrom's
// pooled buffers): decodedSize reads a kept part in the same chunks, so
// that a damaged base64 part decodes to as many bytes either way.
const discardChunk = 8192

// bytesSink collects what io.CopyBuffer writes. It has no ReadFrom, so
// CopyBuffer reads the source in the buffer it is given.
type bytesSink struct{ b []byte }

func (s *bytesSink) Write(b []byte) (int, error) {
	s.b = append(s.b, b...)
	return len(b), nil
}
