package msgparse

import (
	"bytes"
	"mime"
	"net/textproto"
	"regexp"
	"sort"
	"strings"

	"roster/crm"
)

// field is one unfolded header field; key is canonical (Message-Id), value
// is the raw bytes with line breaks removed.
type field struct {
	key, value string
}

// get returns the first value of key (canonical form) in fields.
func get(fields []field, key string) string {
	for _, f := range fields {
		if f.key == key {
			return f.value
		}
	}
	return ""
}

func has(fields []field, key string) bool {
	for _, f := range fields {
		if f.key == key {
			return true
		}
	}
	return false
}

// splitHeader cuts raw at the first empty line. Without one, all of raw is
// header (a header-only fetch); the parser decides later where a broken
// header really ends.
func splitHeader(raw []byte) (hdr, body []byte) {
	for i := 0; i < len(raw); {
		j := bytes.IndexByte(raw[i:], '\n')
		if j < 0 {
			if len(bytes.TrimRight(raw[i:], "\r")) == 0 {
				return raw[:i], nil
			}
			return raw, nil
		}
		lineEnd := i + j
		if len(bytes.TrimRight(raw[i:lineEnd], "\r")) == 0 {
			return raw[:i], raw[lineEnd+1:]
		}
		i = lineEnd + 1
	}
	return raw, nil
}

// wantedKeys maps the lower-case names of the fields the parser reads to
// their canonical form. parseFields keeps only these: building the values
// of Received, DKIM-Signature and the like was a tenth of parsing.
var wantedKeys = func() map[string]string {
	m := map[string]string{}
	for _, k := range []string{
		"Message-Id", "In-Reply-To", "References", "From", "Sender", "Reply-To", "To", "Cc",
		"Subject", "Date", "Precedence", "Auto-Submitted", "List-Id", "List-Unsubscribe",
		"Content-Type", "Content-Disposition", "Content-Transfer-Encoding", "Content-Id",
	} {
		m[strings.ToLower(k)] = k
	}
	return m
}()

// wantedKey returns the canonical name of a field key (as splitField
// gives it) when the parser reads that field, else "". A key
// canonicalises to one of them exactly when it equals it but for ASCII
// case: their bytes are all valid in a key, so textproto would
// canonicalise it.
func wantedKey(k []byte) string {
	var buf [76]byte
	if len(k) > len(buf) {
		return ""
	}
	low := buf[:len(k)]
	for i, c := range k {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		low[i] = c
	}
	return wantedKeys[string(low)]
}

// parseFields reads a header block leniently. Folded lines are joined; a
// leading mbox "From " line is skipped; a line that is not a field is
// joined to the previous field when real fields follow it (a broken fold),
// otherwise it and the rest are body that lost its blank line: that tail
// is returned for the caller to put before the body. Only the fields in
// wantedKeys are returned; n counts all of them.
func (p *parser) parseFields(hdr []byte) (fields []field, n int, tail []byte) {
	// The value of the last wanted field: its first line, until a
	// continuation line makes it gather the lines in folded (appending
	// to a string per line would be quadratic on a megabyte of folded
	// header).
	var first, folded []byte
	isFolded, gathering := false, false
	var lastKey []byte // the last field's key, for a Problem
	finish := func() {
		if !gathering {
			return
		}
		v := first
		if isFolded {
			v = folded
		}
		fields[len(fields)-1].value = string(bytes.TrimSpace(v))
		gathering, isFolded = false, false
	}
	addLine := func(l []byte) {
		if !isFolded {
			folded = append(folded[:0], first...)
			isFolded = true
		}
		folded = append(folded, l...)
	}
	for pos, i := 0, 0; pos <= len(hdr); i++ {
		l, next := nextLine(hdr, pos)
		start := pos
		pos = next
		if len(l) == 0 {
			continue
		}
		if l[0] == ' ' || l[0] == '\t' {
			if gathering {
				addLine(l)
			}
			continue
		}
		key, value, ok := splitField(l)
		if ok {
			finish()
			n++
			lastKey = key
			if k := wantedKey(key); k != "" {
				fields = append(fields, field{key: k})
				first, gathering = value, true
			}
			continue
		}
		if i == 0 && bytes.HasPrefix(l, []byte("From ")) {
			continue // mbox separator
		}
		if !fieldFollows(hdr, pos) {
			tail = joinLines(hdr[start:])
			break
		}
		if n > 0 {
			p.problem("malformed header line joined to %s", textproto.CanonicalMIMEHeaderKey(string(lastKey)))
			if gathering {
				addLine([]byte(" "))
				addLine(l)
			}
		} else {
			p.problem("malformed header line skipped")
		}
	}
	finish()
	return fields, n, tail
}

// nextLine returns the line at pos without its LF and trailing CRs, and
// where the next one starts (len(b)+1 after the last: b split on LF
// always has one line more than it has LFs).
func nextLine(b []byte, pos int) (line []byte, next int) {
	end := len(b)
	if i := bytes.IndexByte(b[pos:], '\n'); i >= 0 {
		end = pos + i
	}
	return bytes.TrimRight(b[pos:end], "\r"), end + 1
}

// joinLines joins the lines of b (see nextLine) with LF.
func joinLines(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for pos := 0; pos <= len(b); {
		l, next := nextLine(b, pos)
		if pos > 0 {
			out = append(out, '\n')
		}
		out = append(out, l...)
		pos = next
	}
	return out
}

// withTail puts a header tail back before the body.
func withTail(tail, body []byte) []byte {
	if tail == nil {
		return body
	}
	out := make([]byte, 0, len(tail)+1+len(body))
	out = append(out, tail...)
	out = append(out, '\n')
	return append(out, body...)
}

// splitField splits "Key: value"; the key must be printable ASCII without
// spaces (trailing spaces before the colon are tolerated).
func splitField(l []byte) (key, value []byte, ok bool) {
	i := bytes.IndexByte(l, ':')
	if i <= 0 {
		return nil, nil, false
	}
	k := bytes.TrimRight(l[:i], " \t")
	if len(k) == 0 || len(k) > 76 {
		return nil, nil, false
	}
	for _, c := range k {
		if c <= ' ' || c >= 0x7f {
			return nil, nil, false
		}
	}
	return k, l[i+1:], true
}

// fieldFollows reports whether one of the three lines from pos is a
// header field.
func fieldFollows(hdr []byte, pos int) bool {
	for range 3 {
		if pos > len(hdr) {
			break
		}
		l, next := nextLine(hdr, pos)
		if _, _, ok := splitField(l); ok {
			return true
		}
		pos = next
	}
	return false
}

// fillHeader decodes the top-level header fields into m.
func (p *parser) fillHeader(m *crm.ParsedMessage, fields []field) {
	m.MessageIDRaw = p.idField(get(fields, "Message-Id"))
	m.InReplyToRaw = p.idField(get(fields, "In-Reply-To"))
	m.ReferencesRaw = p.idField(joinValues(fields, "References"))
	if from := p.addressList(get(fields, "From")); len(from) > 0 {
		m.From = from[0]
	}
	m.Sender = p.addressList(get(fields, "Sender"))
	m.ReplyTo = p.addressList(get(fields, "Reply-To"))
	m.To = p.addressList(joinValues(fields, "To"))
	m.Cc = p.addressList(joinValues(fields, "Cc"))
	m.Subject = line(p.decodeWords(get(fields, "Subject")))
	m.Date = p.date(fields)
	m.Bulk = isBulk(fields)
}

// joinValues joins repeated fields (two To: lines) into one list.
func joinValues(fields []field, key string) string {
	var vs []string
	for _, f := range fields {
		if f.key == key && f.value != "" {
			vs = append(vs, f.value)
		}
	}
	return strings.Join(vs, ", ")
}

// idField keeps a Message-ID style field raw for the domain to normalise,
// except that a value RFC 2047-encoded by a broken sender is decoded, and
// that it is sanitised like every string the parser returns.
func (p *parser) idField(v string) string {
	if strings.Contains(v, "=?") && !strings.Contains(v, "<") {
		v = p.decodeWords(v)
	}
	if v = fixUTF8String(v); plainLine(v) {
		return v
	}
	return crm.SanitizeLine(v)
}

// isBulk reports list and automatic mail: List-Id or List-Unsubscribe
// present, Precedence bulk/list/junk, or Auto-Submitted other than "no".
// Such mail must not create creators or clutter the unmatched list.
func isBulk(fields []field) bool {
	if has(fields, "List-Id") || has(fields, "List-Unsubscribe") {
		return true
	}
	switch strings.ToLower(strings.TrimSpace(get(fields, "Precedence"))) {
	case "bulk", "list", "junk":
		return true
	}
	if has(fields, "Auto-Submitted") {
		v := strings.ToLower(strings.TrimSpace(get(fields, "Auto-Submitted")))
		if i := strings.IndexAny(v, "; ("); i >= 0 {
			v = v[:i]
		}
		return v != "no"
	}
	return false
}

// mediaType parses a Content-Type or Content-Disposition value: the
// standard parser first, then a lenient one for what it rejects (stray
// tokens, unquoted specials) or silently drops (RFC 2231 values in a
// charset other than UTF-8). The type is lower-cased; parameter values are
// RFC 2047-decoded (quoted encoded-word filenames are common).
func (p *parser) mediaType(v string) (string, map[string]string) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", map[string]string{}
	}
	mt, params, err := mime.ParseMediaType(v)
	if err != nil || strings.Contains(v, "*=") || strings.Contains(v, "*0") {
		lmt, lparams := p.lenientParams(v)
		if err != nil {
			mt = lmt
		}
		if params == nil {
			params = map[string]string{}
		}
		for k, val := range lparams {
			if _, ok := params[k]; !ok {
				params[k] = val
			}
		}
	}
	if anyEncodedWord(params) {
		keys := make([]string, 0, len(params))
		for k := range params {
			keys = append(keys, k)
		}
		sort.Strings(keys) // decoding may note Problems: keep their order stable
		for _, k := range keys {
			if val := params[k]; strings.Contains(val, "=?") {
				params[k] = p.decodeWords(val)
			}
		}
	}
	return cleanType(mt), params
}

// anyEncodedWord reports a parameter value that may hold an RFC 2047
// encoded-word.
func anyEncodedWord(params map[string]string) bool {
	for _, val := range params {
		if strings.Contains(val, "=?") {
			return true
		}
	}
	return false
}

var typeRe = regexp.MustCompile(`[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+`)

// cleanType lower-cases a media type and, when junk surrounds it (a
// broken fold glued text to it), keeps the type token alone. A value
// without one is returned as it is (a disposition such as "attachment").
func cleanType(mt string) string {
	mt = strings.ToLower(strings.TrimSpace(mt))
	if !strings.Contains(mt, "/") {
		return mt
	}
	if isTypeToken(mt) {
		return mt // what typeRe would find: all of it
	}
	if loc := typeRe.FindStringIndex(mt); loc != nil {
		return mt[loc[0]:loc[1]]
	}
	return ""
}

// isTypeToken reports a string typeRe matches whole: one "/" between
// two non-empty runs of its characters.
func isTypeToken(s string) bool {
	slash := strings.IndexByte(s, '/')
	if slash <= 0 || slash == len(s)-1 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case i == slash:
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		case strings.IndexByte("!#$&^_.+-", c) >= 0:
		default:
			return false
		}
	}
	return true
}

var paramRe = regexp.MustCompile(`(?s)([^\s;=]+)\s*=\s*("(?:[^"\\]|\\.)*"?|[^;]*)`)

// lenientParams extracts a type and its parameters (plain, quoted, and
// RFC 2231 extended and continued ones) without ever failing.
func (p *parser) lenientParams(v string) (string, map[string]string) {
	mt := v
	rest := ""
	if i := strings.IndexByte(v, ';'); i >= 0 {
		mt, rest = v[:i], v[i+1:]
	}
	if strings.ContainsAny(mt, "=\"") {
		mt = ""
	}
	type piece struct {
		n   int
		val string
		enc bool
	}
	plain := map[string]string{}
	cont := map[string][]piece{}
	for _, m := range paramRe.FindAllStringSubmatch(rest, -1) {
		k := strings.ToLower(m[1])
		val := strings.TrimSpace(m[2])
		if strings.HasPrefix(val, `"`) {
			val = strings.TrimSuffix(val[1:], `"`)
			val = strings.ReplaceAll(val, `\"`, `"`)
			val = strings.ReplaceAll(val, `\\`, `\`)
		}
		name, idx, enc := splitParamName(k)
		if idx < 0 && !enc {
			if _, ok := plain[name]; !ok {
				plain[name] = val
			}
			continue
		}
		if idx < 0 {
			idx = 0
		}
		cont[name] = append(cont[name], piece{idx, val, enc})
	}
	names := make([]string, 0, len(cont))
	for n := range cont {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		ps := cont[name]
		sort.SliceStable(ps, func(i, j int) bool { return ps[i].n < ps[j].n })
		cs := ""
		var raw []byte
		for i, pc := range ps {
			val := pc.val
			if pc.enc && i == 0 {
				if parts := strings.SplitN(val, "'", 3); len(parts) == 3 {
					cs, val = parts[0], parts[2]
				}
			}
			if pc.enc {
				raw = append(raw, percentDecode(val)...)
			} else {
				raw = append(raw, val...)
			}
		}
		plain[name] = p.toUTF8(raw, cs, "a parameter")
	}
	return strings.TrimSpace(mt), plain
}

// splitParamName splits "filename*1*" into ("filename", 1, true).
func splitParamName(k string) (name string, idx int, enc bool) {
	idx = -1
	if strings.HasSuffix(k, "*") {
		enc = true
		k = k[:len(k)-1]
	}
	if i := strings.LastIndexByte(k, '*'); i >= 0 {
		n := 0
		digits := k[i+1:]
		if digits == "" || len(digits) > 3 {
			return k, idx, enc
		}
		for _, c := range digits {
			if c < '0' || c > '9' {
				return k, idx, enc
			}
			n = n*10 + int(c-'0')
		}
		return k[:i], n, enc
	}
	return k, idx, enc
}

func percentDecode(s string) []byte {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			out = append(out, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
			continue
		}
		out = append(out, s[i])
	}
	return out
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}
