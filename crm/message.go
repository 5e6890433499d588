package crm

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Direction says whether a message came from a creator or went to one.
type Direction string

// The two directions; a message is "out" when its From is one of the
// manager's own addresses.
const (
	In  Direction = "in"
	Out Direction = "out"
)

// Address is a mailbox with its display name.
type Address struct {
	Name  string `json:"name,omitempty"`
	Email string `json:"email"`
}

// String formats the address for a header line or a list.
func (a Address) String() string {
	if a.Name == "" {
		return a.Email
	}
	return a.Name + " <" + a.Email + ">"
}

// Location is where one copy of a message lives on a server. A message can
// have several (INBOX and Archive); CRM data never keys on them because
// UIDs change.
type Location struct {
	Account     string `json:"account"`
	Mailbox     string `json:"mailbox"`
	UIDValidity uint32 `json:"uidvalidity"`
	UID         uint32 `json:"uid"`
}

// Attachment is a part's decoded name, type and size; the content stays on
// the server.
type Attachment struct {
	Name string `json:"name"`
	Type string `json:"type"`
	Size int64  `json:"size"`
}

// Message is one logical email: one per normalised Message-ID, however many
// folders hold it.
type Message struct {
	ID      ID     `json:"id"`
	Version uint64 `json:"version"`
	// MessageID is the normalised Message-ID (no angle brackets); mail
	// without one gets a stable synthetic id ("synthetic-…").
	MessageID string `json:"message_id"`
	ThreadID  ID     `json:"thread_id"`
	// CreatorID links the message to a creator; empty means unmatched.
	CreatorID  ID        `json:"creator_id,omitempty"`
	Account    string    `json:"account"`
	From       Address   `json:"from"`
	To         []Address `json:"to"`
	Cc         []Address `json:"cc"`
	ReplyTo    []Address `json:"reply_to,omitempty"`
	Date       time.Time `json:"date"`
	Subject    string    `json:"subject"`
	Direction  Direction `json:"direction"`
	InReplyTo  string    `json:"in_reply_to,omitempty"`
	References []string  `json:"references,omitempty"`
	// Text is the readable body, sanitised; quoted history is kept and
	// collapsed only when shown.
	Text        string       `json:"text"`
	Attachments []Attachment `json:"attachments,omitempty"`
	// Bulk marks newsletters and list mail (List-Id, Precedence: bulk,
	// Auto-Submitted), kept out of the unmatched list's way.
	Bulk      bool       `json:"bulk,omitempty"`
	Locations []Location `json:"locations"`
	// Problems notes what could not be decoded ("unknown charset
	// x-klingon"), shown with the message.
	Problems []string `json:"problems,omitempty"`
	// HeaderOnly is set until the body has been fetched: the first sync
	// pass reads headers only, bodies follow for matched mail.
	HeaderOnly bool `json:"header_only,omitempty"`
}

// Thread is a conversation: messages linked by References and In-Reply-To.
type Thread struct {
	ID        ID     `json:"id"`
	Version   uint64 `json:"version"`
	CreatorID ID     `json:"creator_id,omitempty"`
	Subject   string `json:"subject"`
	// LastAt and LastDirection describe the newest message, so the board
	// can say whose turn it is without reading every message.
	LastAt        time.Time `json:"last_at"`
	LastDirection Direction `json:"last_direction"`
}

// nextMsgID finds the next <…> token in s at or after i: a '<', one or
// more bytes that are neither angle brackets nor white space, and '>'
// (what the regexp `<([^<>\s]+)>` matches, without its cost on every
// References header of a sync). It returns the token's inside and the
// index after it, or ok false.
func nextMsgID(s string, i int) (id string, next int, ok bool) {
	for i < len(s) {
		lt := strings.IndexByte(s[i:], '<')
		if lt < 0 {
			return "", len(s), false
		}
		start := i + lt + 1
		j := start
		for j < len(s) && !isIDStop(s[j]) {
			j++
		}
		if j < len(s) && s[j] == '>' && j > start {
			return s[start:j], j + 1, true
		}
		i = j
		if i < len(s) && s[i] != '<' {
			i++
		}
	}
	return "", len(s), false
}

func isIDStop(c byte) bool {
	return c == '<' || c == '>' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
}

// NormalizeMessageID extracts a Message-ID leniently: the first <…> token,
// or the bare value when there are no brackets, without surrounding space
// and with the domain part lower-cased. Junk ("(added by postmaster)", an
// email address in In-Reply-To without brackets but with spaces) gives "".
func NormalizeMessageID(raw string) string {
	raw = strings.TrimSpace(raw)
	if id, _, ok := nextMsgID(raw, 0); ok {
		return lowerDomain(id)
	}
	if raw == "" || strings.ContainsAny(raw, " \t<>()") {
		return ""
	}
	return lowerDomain(raw)
}

// parseOneMessageID reads a field that must hold exactly one Message-ID,
// such as the message terms were agreed in: "<id>" or a bare id, with
// surrounding space dropped and the domain lower-cased as ingest stores
// it. Anything more or less ("<id> a note", two ids, words) is refused
// rather than half-read, since S would otherwise answer another message.
func parseOneMessageID(raw string) (string, bool) {
	s := strings.TrimSpace(raw)
	if strings.HasPrefix(s, "<") || strings.HasSuffix(s, ">") {
		id, next, ok := nextMsgID(s, 0)
		if !ok || next != len(s) || len(id)+2 != len(s) {
			return "", false
		}
		s = id
	}
	if s == "" || !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r) || strings.ContainsRune("<>()", r)
	}) {
		return "", false
	}
	return lowerDomain(s), true
}

// hasIDShape reports whether a Message-ID (without brackets) is
// id-left@id-right, as RFC 5322 has every one: both sides non-empty.
func hasIDShape(id string) bool {
	at := strings.LastIndexByte(id, '@')
	return at > 0 && at < len(id)-1
}

// ParseMessageIDs reads a References or In-Reply-To header: every <…>
// token in order, duplicates dropped. Headers joined with commas or split
// across lines are accepted.
func ParseMessageIDs(raw string) []string {
	var out []string
	for i := 0; ; {
		tok, next, ok := nextMsgID(raw, i)
		if !ok {
			break
		}
		i = next
		// References lists are short: a linear check beats a map.
		if id := lowerDomain(tok); !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	if len(out) == 0 {
		if id := NormalizeMessageID(raw); id != "" {
			out = append(out, id)
		}
	}
	return out
}

func lowerDomain(id string) string {
	at := strings.LastIndexByte(id, '@')
	if at < 0 {
		return id
	}
	for i := at; i < len(id); i++ {
		if c := id[i]; c >= 'A' && c <= 'Z' || c >= 0x80 {
			return id[:at] + strings.ToLower(id[at:])
		}
	}
	return id
}

// SyntheticMessageID gives mail without a Message-ID a stable key from what
// identifies it, so a resync finds the same message again.
func SyntheticMessageID(from string, date time.Time, subject string, size int64) string {
	h := sha256.Sum256([]byte(strings.ToLower(from) + "\x00" + date.UTC().Format(time.RFC3339) + "\x00" + subject + "\x00" + itoa(size)))
	return "synthetic-" + hex.EncodeToString(h[:12])
}

func itoa(n int64) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	neg := n < 0
	if neg {
		n = -n
	}
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}

// replyWords and forwardWords are the words mail clients put before a
// subject when they reply or forward, in the usual languages: Re, AW and
// WG (German), SV (Nordic), VS (Finnish), Antw (Dutch), RIF (Italian), TR
// (French), ODP (Polish), YNT (Turkish), 回复, 答复 and 转发 (Chinese).
const (
	replyWords   = `re|aw|sv|vs|antw|rif|odp|ynt|回复|答复`
	forwardWords = `fw|fwd|wg|tr|转发`
)

// prefixOf is the pattern of one such prefix made of words, with the
// counter and full-width colon some clients write: "Re:", "AW[2]:", "回复：".
func prefixOf(words string) string { return `(` + words + `)\s*(\[\d+\])?\s*[:：]\s*` }

var (
	// replyOnlyPrefix is what a reply's subject drops before its own
	// "Re: "; a forward's "Fwd:" stays, as mail clients keep it.
	replyOnlyPrefix = regexp.MustCompile(`(?i)^\s*` + prefixOf(replyWords))
	// replyPrefix is any reply or forward prefix.
	replyPrefix = regexp.MustCompile(`(?i)^\s*` + prefixOf(replyWords+`|`+forwardWords))
	// subjectPrefix adds list tags ("[team]") and "(fwd)" for threading.
	subjectPrefix = regexp.MustCompile(`(?i)^\s*(` + prefixOf(replyWords+`|`+forwardWords) + `|\[[^\]]*\]\s*|\(fwd\)\s*)`)
)

// stripPrefixes takes prefix off the start of s again and again, until
// "Re: RE: Fwd: x" is down to "x".
func stripPrefixes(s string, prefix *regexp.Regexp) string {
	for {
		t := prefix.ReplaceAllString(s, "")
		if t == s {
			return s
		}
		s = t
	}
}

// TopicOf is a subject without its reply and forward prefixes, case kept:
// what a thread is about, whichever of its messages arrived first.
func TopicOf(s string) string {
	return stripPrefixes(strings.TrimSpace(s), replyPrefix)
}

// NormalizeSubject strips reply and forward prefixes in the usual
// languages, list tags and case, for the subject fallback of threading.
func NormalizeSubject(s string) string {
	s = stripPrefixes(strings.TrimSpace(s), subjectPrefix)
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}
