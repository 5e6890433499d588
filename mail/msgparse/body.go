package msgparse

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"mime/quotedprintable"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// part is one MIME entity: its header fields and its still-encoded body.
type part struct {
	fields []field
	body   []byte
}

// content is the readable text of a subtree and whether it came from HTML.
type content struct {
	text string
	html bool
}

// newPart reads the header of one multipart child.
func (p *parser) newPart(raw []byte) part {
	hdr, body := splitHeader(raw)
	fields, _, tail := p.parseFields(hdr)
	return part{fields: fields, body: withTail(tail, body)}
}

// walk renders the text of an entity and lists its attachments. parent is
// the enclosing multipart type (defaults and inline rules depend on it).
func (p *parser) walk(pt part, depth int, parent string) content {
	p.parts++
	if p.parts > maxParts {
		p.problem("more than %d MIME parts: rest skipped", maxParts)
		return content{}
	}
	if depth > maxDepth {
		p.problem("MIME nesting deeper than %d: rest skipped", maxDepth)
		return content{}
	}
	mt, params := p.mediaType(get(pt.fields, "Content-Type"))
	if !strings.Contains(mt, "/") {
		mt = "text/plain" // RFC 2045 default, also for unreadable types
		if parent == "multipart/digest" {
			mt = "message/rfc822"
		}
	}
	disp, dparams := p.mediaType(get(pt.fields, "Content-Disposition"))
	switch {
	case strings.HasPrefix(mt, "multipart/"):
		return p.multipart(pt, mt, params, depth)
	case mt == "message/rfc822" || mt == "message/global":
		p.attachMessage(pt, mt, dparams, params)
	case (mt == "text/plain" || mt == "text/html") && disp != "attachment":
		return p.textPart(pt, mt, params)
	default:
		p.attachPart(pt, mt, params, disp, dparams, parent)
	}
	return content{}
}

// multipart renders a multipart entity by its subtype: alternative picks
// one child, related renders its root, anything else (mixed, signed,
// report, unknown) renders every child in order.
func (p *parser) multipart(pt part, mt string, params map[string]string, depth int) content {
	raws, closed := splitMultipart(pt.body, params["boundary"])
	if raws == nil {
		p.problem("%s without its boundary: shown as text", mt)
		return p.textPart(pt, "text/plain", params)
	}
	if !closed {
		p.problem("%s closing boundary missing: message may be truncated", mt)
	}
	switch mt {
	case "multipart/alternative":
		return p.alternative(raws, depth)
	case "multipart/related":
		root := 0
		if start := strings.Trim(params["start"], "<> "); start != "" {
			for i, r := range raws {
				if strings.Trim(get(p.newPart(r).fields, "Content-Id"), "<> ") == start {
					root = i
					break
				}
			}
		}
		var c content
		for i, r := range raws {
			if p.parts >= maxParts {
				break
			}
			if i == root {
				c = p.walk(p.newPart(r), depth+1, mt)
			} else {
				p.walk(p.newPart(r), depth+1, mt)
			}
		}
		return c
	}
	var texts []string
	html := false
	for _, r := range raws {
		if p.parts >= maxParts {
			break
		}
		c := p.walk(p.newPart(r), depth+1, mt)
		if strings.TrimSpace(c.text) != "" {
			texts = append(texts, c.text)
			html = html || c.html
		}
	}
	return content{text: strings.Join(texts, "\n\n"), html: html}
}

// alternative picks the text/plain rendering unless it is fake plaintext
// (see fakePlain), in which case the HTML one. Attachments are collected
// from every branch (Apple Mail puts them in the HTML branch only), once;
// problems only from the branch shown.
func (p *parser) alternative(raws [][]byte, depth int) content {
	type alt struct {
		c     content
		probs []string
	}
	var plain, rich *alt
	firstAtt := len(p.atts)
	visit := func(pt part) {
		before := len(p.problems)
		c := p.walk(pt, depth+1, "multipart/alternative")
		a := &alt{c: c, probs: append([]string(nil), p.problems[before:]...)}
		p.problems = p.problems[:before]
		switch {
		case c.html:
			rich = a
		case strings.TrimSpace(c.text) != "" || plain == nil:
			plain = a
		}
	}
	// Plain parts first: a lone text/html leaf is converted only when the
	// plain text might be fake. Converting HTML is the costliest step of
	// parsing and most replies carry a perfectly good plain part.
	var htmlLeaves []part
	for _, r := range raws {
		if p.parts >= maxParts {
			break
		}
		pt := p.newPart(r)
		if mt, _ := p.mediaType(get(pt.fields, "Content-Type")); mt == "text/html" {
			htmlLeaves = append(htmlLeaves, pt)
			continue
		}
		visit(pt)
	}
	for _, pt := range htmlLeaves {
		if p.parts >= maxParts {
			break
		}
		if plain != nil && surelyRealPlain(plain.c.text, len(pt.body)) {
			continue
		}
		visit(pt)
	}
	p.atts = append(p.atts[:firstAtt], dedupe(p.atts[firstAtt:])...)
	chosen := plain
	if rich != nil && (plain == nil || fakePlain(plain.c.text, rich.c.text)) {
		chosen = rich
	}
	if chosen == nil {
		return content{}
	}
	for _, q := range chosen.probs {
		p.problem("%s", q)
	}
	return chosen.c
}

var browserRe = regexp.MustCompile(`(?i)view (this|it|the) (e-?mail |message |newsletter )?(in|on) (a |your )?(web )?browser|view (this )?(e-?mail |message )?online|web version|does not support html|html version`)

// fakePlain reports a text/plain alternative not worth showing: empty, a
// bare "view in browser" stub, or under 20% of the HTML's text (marketing
// templates ship a token plaintext part).
func fakePlain(plain, html string) bool {
	pn, hn := countNonSpace(plain), countNonSpace(html)
	switch {
	case pn == 0:
		return true
	case pn*5 < hn:
		return true
	case pn < 400 && hn > pn && browserRe.MatchString(plain):
		return true
	}
	return false
}

// surelyRealPlain reports that plain cannot be fake plaintext next to an
// HTML part of htmlBytes encoded bytes: HTML text is never longer than its
// encoding, so the 20% rule of fakePlain cannot fire, and plain is no
// "view in browser" stub.
func surelyRealPlain(plain string, htmlBytes int) bool {
	pn := countNonSpace(plain)
	return pn > 0 && pn*5 >= htmlBytes && !(pn < 400 && browserRe.MatchString(plain))
}

// countNonSpace counts the runes of s that are not white space (an
// invalid byte counts as one rune).
func countNonSpace(s string) int {
	n := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if !asciiSpace[c] {
				n++
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsSpace(r) {
			n++
		}
		i += size
	}
	return n
}

// asciiSpace is unicode.IsSpace for the ASCII range.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// stringLF returns b as a string with every CRLF turned into LF.
func stringLF(b []byte) string {
	i := bytes.Index(b, []byte("\r\n"))
	if i < 0 {
		return string(b)
	}
	var sb strings.Builder
	sb.Grow(len(b) - 1)
	for i >= 0 {
		sb.Write(b[:i])
		sb.WriteByte('\n')
		b = b[i+2:]
		i = bytes.Index(b, []byte("\r\n"))
	}
	sb.Write(b)
	return sb.String()
}

// textPart decodes a text/plain or text/html leaf to UTF-8 text.
func (p *parser) textPart(pt part, mt string, params map[string]string) content {
	html := mt == "text/html"
	limit := maxText
	if html {
		limit = maxHTML
	}
	data := p.decodeBody(pt, limit, mt)
	label := params["charset"]
	if html && label == "" {
		label = metaCharset(data)
	}
	var s string
	if alreadyUTF8(data, label) {
		s = stringLF(data) // what toUTF8 and ReplaceAll give, in one copy
	} else {
		s = strings.ReplaceAll(p.toUTF8(data, label, mt), "\r\n", "\n")
	}
	if html {
		text, ok := htmlToText(s)
		if !ok {
			p.problem("HTML nested too deeply: shown without layout")
		}
		return content{text: text, html: true}
	}
	if strings.EqualFold(params["format"], "flowed") {
		s = unflow(s, strings.EqualFold(params["delsp"], "yes"))
	}
	return content{text: s}
}

var metaCharsetRe = regexp.MustCompile(`(?i)<meta[^>]+charset\s*=\s*["']?\s*([a-z0-9_:.-]+)`)

// metaCharset finds a <meta> charset in the start of an HTML part that
// came without a charset parameter.
func metaCharset(b []byte) string {
	if len(b) > 4096 {
		b = b[:4096]
	}
	if m := metaCharsetRe.FindSubmatch(b); m != nil {
		return string(m[1])
	}
	return ""
}

// encoding returns the part's Content-Transfer-Encoding, lower case and
// without parameters or comments. An unknown encoding gives "" (the body
// is then read raw) and a Problem; so do invalid quoted-printable escapes
// (they are kept as they are).
func (p *parser) encoding(pt part, what string) string {
	cte := strings.ToLower(strings.TrimSpace(get(pt.fields, "Content-Transfer-Encoding")))
	if i := strings.IndexAny(cte, " ;("); i >= 0 {
		cte = cte[:i]
	}
	switch cte {
	case "7bit", "8bit", "binary", "", "base64":
	case "quoted-printable":
		if badQP(pt.body) {
			p.problem("quoted-printable %s has invalid escapes: kept as they are", what)
		}
	default:
		p.problem("unknown transfer encoding %s in %s: shown raw", cte, what)
		return ""
	}
	return cte
}

// transfer returns a reader that undoes the part's transfer encoding with
// the standard decoders (configured as go-message's message.New does),
// and the encoding (see encoding).
func (p *parser) transfer(pt part, what string) (io.Reader, string) {
	cte := p.encoding(pt, what)
	return decoder(cte, pt.body), cte
}

// decoder returns a reader of body decoded from cte (as encoding gives it).
func decoder(cte string, body []byte) io.Reader {
	var r io.Reader = bytes.NewReader(body)
	switch cte {
	case "quoted-printable":
		r = quotedprintable.NewReader(r)
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, spaceToNewline{r})
	}
	return r
}

// spaceToNewline turns spaces and tabs into line breaks, which the base64
// decoder skips, so a base64 body indented like a folded header still
// decodes (as go-message reads it).
type spaceToNewline struct{ r io.Reader }

func (s spaceToNewline) Read(b []byte) (int, error) {
	n, err := s.r.Read(b)
	for i, c := range b[:n] {
		if c == ' ' || c == '\t' {
			b[i] = '\n'
		}
	}
	return n, err
}

// decodeBody reads a decoded text body, at most limit bytes. An
// unencoded body is returned as a slice of the message, not a copy:
// callers must not modify it.
func (p *parser) decodeBody(pt part, limit int, what string) []byte {
	var data []byte
	var err error
	cte := p.encoding(pt, what)
	switch cte {
	case "quoted-printable":
		// Decoded text is never longer than its encoding.
		data, err = appendQP(make([]byte, 0, min(len(pt.body), limit+1)), pt.body, limit+1)
	case "base64":
		// The standard reader, read the same way as always: the offset
		// of a damage it reports depends on the sizes it is read with.
		data, err = io.ReadAll(io.LimitReader(decoder(cte, pt.body), int64(limit)+1))
	default:
		data = pt.body
	}
	p.readErr(err, cte, what)
	if len(data) > limit {
		data = data[:limit]
		p.problem("%s over %d MiB: truncated", what, limit>>20)
	}
	return data
}

// readErr turns a decoding error into a Problem; what decoded is kept.
func (p *parser) readErr(err error, cte, what string) {
	var corrupt base64.CorruptInputError
	switch {
	case err == nil:
	case errors.Is(err, io.ErrUnexpectedEOF):
		p.problem("%s %s truncated", cte, what)
	case errors.As(err, &corrupt):
		p.problem("%s %s damaged after byte %d: kept what decoded", cte, what, int64(corrupt))
	default:
		p.problem("%s %s could not be fully decoded: %v", cte, what, err)
	}
}

// badQP reports "=" escapes that are neither hex pairs nor soft breaks.
func badQP(b []byte) bool {
	for i := 0; i < len(b); i++ {
		if b[i] != '=' {
			continue
		}
		rest := b[i+1:]
		if len(rest) >= 2 && isHex(rest[0]) && isHex(rest[1]) {
			continue
		}
		k := bytes.IndexByte(rest, '\n')
		if k < 0 {
			k = len(rest)
		}
		if len(bytes.TrimLeft(rest[:k], " \t\r")) != 0 {
			return true // not a soft line break either
		}
	}
	return false
}

// splitMultipart cuts a multipart body at its delimiter lines. It is
// lenient: preamble and epilogue are ignored, transport padding after a
// delimiter is allowed, a delimiter that merely starts with the boundary
// (a nested part's longer boundary) is not one, and a missing closing
// delimiter lets the last part run to the end (closed is then false).
// parts is nil when no delimiter is found at all.
func splitMultipart(body []byte, boundary string) (parts [][]byte, closed bool) {
	if boundary == "" {
		return nil, false
	}
	delim := []byte("--" + boundary)
	cur := -1
	found := false
	for i := 0; i <= len(body); {
		j := bytes.Index(body[i:], delim)
		if j < 0 {
			break
		}
		pos := i + j
		after := pos + len(delim)
		if pos > 0 && body[pos-1] != '\n' {
			i = after
			continue
		}
		lineEnd := len(body)
		if k := bytes.IndexByte(body[after:], '\n'); k >= 0 {
			lineEnd = after + k
		}
		rest := body[after:lineEnd]
		isClose := bytes.HasPrefix(rest, []byte("--"))
		if isClose {
			rest = rest[2:]
		}
		if len(bytes.TrimSpace(rest)) != 0 {
			i = after
			continue
		}
		found = true
		if cur >= 0 {
			end := pos
			if end > cur && body[end-1] == '\n' {
				end--
			}
			if end > cur && body[end-1] == '\r' {
				end--
			}
			parts = append(parts, body[cur:end])
		}
		if isClose {
			return nonNil(parts), true
		}
		cur = min(lineEnd+1, len(body))
		i = cur
	}
	if !found {
		return nil, false
	}
	if cur >= 0 {
		parts = append(parts, body[cur:])
	}
	return nonNil(parts), false
}

func nonNil(p [][]byte) [][]byte {
	if p == nil {
		return [][]byte{}
	}
	return p
}

// unflow undoes format=flowed (RFC 3676): soft line breaks (a trailing
// space) are joined, space-stuffing is removed, quote depth is kept. The
// terminal wraps at render time, so joined paragraphs read better.
func unflow(s string, delsp bool) string {
	var b strings.Builder
	b.Grow(len(s))
	prevSoft, prevDepth := false, -1
	for i, l := range strings.Split(s, "\n") {
		depth := 0
		for depth < len(l) && l[depth] == '>' {
			depth++
		}
		text := strings.TrimPrefix(l[depth:], " ")
		soft := strings.HasSuffix(text, " ") && text != "-- "
		if !(prevSoft && depth == prevDepth) {
			if i > 0 {
				b.WriteByte('\n')
			}
			if depth > 0 {
				b.WriteString(l[:depth])
				b.WriteByte(' ')
			}
		}
		if soft && delsp {
			text = text[:len(text)-1]
		}
		b.WriteString(text)
		prevSoft, prevDepth = soft, depth
	}
	return b.String()
}
