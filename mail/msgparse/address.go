package msgparse

import (
	"net/mail"
	"regexp"
	"strings"

	"roster/crm"
)

// maxAddresses caps one address list (a To with thousands of recipients
// is a list blast, not correspondence).
const maxAddresses = 200

// addressList parses an address header: net/mail's strict parser first
// (with RFC 2047 decoding through go-message's charsets), then a lenient
// extractor that finds `name <a@b>` or bare `a@b` in what it rejects
// (unquoted dots and commas in names, missing brackets, stray text).
func (p *parser) addressList(v string) []crm.Address {
	v = strings.TrimSpace(fixUTF8String(v))
	if v == "" {
		return nil
	}
	var out []crm.Address
	var list []*mail.Address
	var err error
	if !strings.Contains(v, "=?") {
		// No encoded-word: plain lists need no net/mail parser, and
		// neither the label rewrite nor the decoder would apply.
		if eachSimpleAddress(v, func(name, email string) {
			out = p.appendAddress(out, name, email)
		}) {
			return out
		}
		out = nil
		list, err = (&mail.AddressParser{}).ParseList(v)
	} else {
		ap := mail.AddressParser{WordDecoder: p.wordDecoder()}
		list, err = ap.ParseList(latinWord.ReplaceAllString(v, "=?windows-1252$2?"))
	}
	if err == nil {
		for _, a := range list {
			out = p.appendAddress(out, a.Name, a.Address)
		}
		return out
	}
	for _, item := range splitAddressList(v) {
		name, email := lenientAddress(item)
		out = p.appendAddress(out, p.decodeWords(name), email)
	}
	return out
}

// eachSimpleAddress calls f with the display name and address of each
// item of a list in the forms most mail uses, "Jane Doe <jane@example.com>"
// and "jane@example.com", exactly as net/mail's parser would return them,
// and reports true. It reports false, having perhaps called f, for a list
// it does not read itself: anything with quotes, comments, groups, domain
// literals, spaces inside an address, encoded-words or non-ASCII text.
func eachSimpleAddress(v string, f func(name, email string)) bool {
	if strings.Contains(v, "=?") {
		return false
	}
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c == '"' || c == '(' || c == ')' || c == '[' || c == ']' || c == ':' || c == ';' || c == '\\':
			return false
		case c != ' ' && c != '\t' && (c < '!' || c > '~'):
			return false
		}
	}
	found := false
	for rest := v; ; {
		item, next, more := strings.Cut(rest, ",")
		item = strings.Trim(item, " \t")
		if item != "" {
			name := ""
			if lt := strings.IndexByte(item, '<'); lt >= 0 {
				if item[len(item)-1] != '>' || strings.Count(item, "<") != 1 || strings.Count(item, ">") != 1 {
					return false
				}
				phrase := strings.TrimRight(item[:lt], " \t")
				item = item[lt+1 : len(item)-1]
				if strings.IndexByte(phrase, '@') >= 0 || strings.IndexByte(phrase, '>') >= 0 {
					return false
				}
				name = phrase
				if !plainLine(phrase) {
					name = strings.Join(strings.Fields(phrase), " ")
				}
			} else if strings.IndexByte(item, '>') >= 0 {
				return false
			}
			local, domain, ok := strings.Cut(item, "@")
			if !ok || !dotAtom(local) || !dotAtom(domain) {
				return false
			}
			f(name, item)
			found = true
		}
		if !more {
			return found // net/mail rejects a list of empty items
		}
		rest = next
	}
}

// dotAtom reports an RFC 5322 dot-atom of ASCII atext as net/mail reads
// it: no specials or spaces, no dot at either end or twice in a row.
func dotAtom(s string) bool {
	if s == "" || s[0] == '.' || s[len(s)-1] == '.' || strings.Contains(s, "..") {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '(', ')', '<', '>', '[', ']', ':', ';', '@', '\\', ',', '"':
			return false
		default:
			if c < '!' || c > '~' {
				return false
			}
		}
	}
	return true
}

func (p *parser) appendAddress(out []crm.Address, name, email string) []crm.Address {
	email = normEmail(email)
	if email == "" || len(out) >= maxAddresses {
		return out
	}
	name = line(strings.Trim(strings.TrimSpace(fixUTF8String(name)), `"'`))
	if strings.EqualFold(name, email) {
		name = ""
	}
	return append(out, crm.Address{Name: name, Email: email})
}

// normEmail trims and sanitises an address and lower-cases its domain
// (the local part is case-sensitive by the RFC; the domain normalises
// the rest when matching).
func normEmail(s string) string {
	s = strings.Trim(strings.TrimSpace(s), "<>\"' ")
	s = strings.Join(strings.Fields(crm.SanitizeLine(s)), "")
	if at := strings.LastIndexByte(s, '@'); at > 0 && at < len(s)-1 {
		s = s[:at] + strings.ToLower(s[at:])
	} else {
		return ""
	}
	return truncBytes(s, 320)
}

// splitAddressList splits at commas and semicolons outside quotes, angle
// brackets and comments.
func splitAddressList(v string) []string {
	var out []string
	quoted, angle, paren := false, false, 0
	start := 0
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c == '\\' && quoted:
			i++
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '<':
			angle = true
		case c == '>':
			angle = false
		case c == '(':
			paren++
		case c == ')' && paren > 0:
			paren--
		case (c == ',' || c == ';') && !angle && paren == 0:
			out = append(out, v[start:i])
			start = i + 1
		}
	}
	return append(out, v[start:])
}

var (
	angleAddrRe = regexp.MustCompile(`<\s*([^<>\s]+@[^<>\s]+)\s*>`)
	bareAddrRe  = regexp.MustCompile(`[^\s<>,;:"()\[\]]+@[^\s<>,;:"()\[\]]+`)
	parenRe     = regexp.MustCompile(`\(([^()]*)\)`)
)

// lenientAddress finds the address and display name in one list item.
func lenientAddress(item string) (name, email string) {
	if loc := angleAddrRe.FindStringSubmatchIndex(item); loc != nil {
		email = item[loc[2]:loc[3]]
		name = item[:loc[0]]
		if i := strings.LastIndexByte(name, ':'); i >= 0 && !strings.Contains(name[i:], `"`) {
			name = name[i+1:] // group "Team: Jane <j@x>"
		}
		return cleanName(name), email
	}
	loc := bareAddrRe.FindStringIndex(item)
	if loc == nil {
		return "", ""
	}
	email = item[loc[0]:loc[1]]
	if m := parenRe.FindStringSubmatch(item[loc[1]:]); m != nil {
		name = m[1] // "jane@x.com (Jane Doe)"
	}
	return cleanName(name), email
}

func cleanName(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = strings.ReplaceAll(s[1:len(s)-1], `\"`, `"`)
	}
	return strings.TrimSpace(s)
}
