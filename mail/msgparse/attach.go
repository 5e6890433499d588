package msgparse

import (
	"io"
	"strings"

	"roster/crm"
)

// maxAttachments caps the attachment list of one message.
const maxAttachments = 200

// attachPart lists a non-text leaf. Every part that is not inline is
// listed; an inline one only when it has a filename (a pasted photo, not a
// newsletter's cid: logo). A part without Content-Disposition counts as
// inline inside multipart/related or when it has a Content-ID, since it is
// then referenced from the HTML.
func (p *parser) attachPart(pt part, mt string, params map[string]string, disp string, dparams map[string]string, parent string) {
	name := attachmentName(dparams, params)
	inline := disp == "inline" || disp == "" && (parent == "multipart/related" || has(pt.fields, "Content-Id"))
	if inline && name == "" {
		return
	}
	if name == "" {
		name = "unnamed"
	}
	size, data := p.decodedSize(pt, name, p.wants(name))
	p.addAttachment(crm.Attachment{Name: name, Type: line(mt), Size: size}, data)
}

// attachMessage lists a message/rfc822 part (a forwarded mail) as an
// attachment named after its filename or, usually, its subject.
func (p *parser) attachMessage(pt part, mt string, dparams, params map[string]string) {
	r, cte := p.transfer(pt, "forwarded message")
	data, err := io.ReadAll(r)
	p.readErr(err, cte, "forwarded message")
	name := attachmentName(dparams, params)
	if name == "" {
		inner := &parser{} // its header's own damage is not this message's
		hdr, _ := splitHeader(data)
		fields, _, _ := inner.parseFields(hdr)
		if subj := line(inner.decodeWords(get(fields, "Subject"))); subj != "" {
			name = truncRunes(subj, 200) + ".eml"
		} else {
			name = "forwarded message.eml"
		}
	}
	p.addAttachment(crm.Attachment{Name: name, Type: mt, Size: int64(len(data))}, data)
}

// attachmentName takes the Content-Disposition filename (RFC 2231 or
// 2047 encoded, already decoded by mediaType), else the Content-Type name;
// directory parts are dropped so a name can never point elsewhere.
func attachmentName(dparams, params map[string]string) string {
	name := dparams["filename"]
	if strings.TrimSpace(name) == "" {
		name = params["name"]
	}
	if strings.TrimSpace(name) == "" {
		name = dparams["name"]
	}
	name = fixUTF8String(name)
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	return line(name)
}

// decodedSize counts the bytes the part decodes to and, when keep is set
// (Attachment looks for a part of this name), returns them too. Both ways
// read the decoder in the same chunks (io.Discard's), so a damaged part
// keeps the same bytes, and so the same size, whichever asks.
func (p *parser) decodedSize(pt part, name string, keep bool) (int64, []byte) {
	what := "attachment " + truncRunes(name, 60)
	r, cte := p.transfer(pt, what)
	if !keep {
		n, err := io.Copy(io.Discard, r)
		p.readErr(err, cte, what)
		return n, nil
	}
	sink := bytesSink{b: []byte{}} // kept, even when empty
	n, err := io.CopyBuffer(&sink, r, make([]byte, discardChunk))
	p.readErr(err, cte, what)
	return n, sink.b
}

// addAttachment lists a; data, when the part was kept for Attachment, is
// what it decoded to (nil when not kept).
func (p *parser) addAttachment(a crm.Attachment, data []byte) {
	if len(p.atts) >= maxAttachments {
		p.problem("more than %d attachments: rest not listed", maxAttachments)
		return
	}
	p.atts = append(p.atts, a)
	if p.want != nil {
		p.match(a, data)
	}
}

// dedupe drops repeated attachments (the same file in two alternatives).
func dedupe(atts []crm.Attachment) []crm.Attachment {
	out := atts[:0]
	for _, a := range atts {
		dup := false
		for _, b := range out {
			if a == b {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, a)
		}
	}
	return out
}
