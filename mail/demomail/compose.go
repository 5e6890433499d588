package demomail

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/mail"
	"strings"
	"time"
)

// Message is one generated message and where the demo files it.
type Message struct {
	Mailbox string
	Raw     []byte
	Flags   []string
}

// style is the mail client a person writes with. It decides the MIME
// shape, how a reply quotes, and the Message-ID form, because a demo
// inbox where every message looks alike would hide parsing problems.
type style int

const (
	rosterStyle  style = iota // roster/go-mail: text/plain, quoted-printable
	gmailStyle                // multipart/alternative, Gmail quote block
	appleStyle                // text/plain, "Sent from my iPhone", "> On … wrote:"
	outlookStyle              // multipart/alternative, header-block quote, Thread-Index, "RE:"
	protonStyle               // text/plain, "------- Original Message -------"
)

// person is someone who writes mail in the demo.
type person struct {
	name, email string
	style       style
	tz          *time.Location
}

func (p person) addr() string { return (&mail.Address{Name: p.name, Address: p.email}).String() }

// plain is p's address without mail.Address's RFC 2047 encoding, for
// quote headers inside bodies.
func (p person) plain() string { return p.name + " <" + p.email + ">" }

func (p person) domain() string { return p.email[strings.LastIndexByte(p.email, '@')+1:] }

// msg is one message being written.
type msg struct {
	from      person
	to, cc    []person
	date      time.Time
	subject   string
	text      string // the writer's own words; quoting is added on render
	id        string // Message-ID without brackets
	inReplyTo string
	refs      []string
	parent    *msg // quoted in the body; nil for a first message
	noQuote   bool
	extra     [][2]string
	// body replaces the default rendering for the messy cases; it may set
	// rawSubject, which replaces the encoded Subject value.
	body       func(m *msg) part
	rawSubject string
	thread     *thread
}

// opt adjusts a message as a thread adds it.
type opt func(*msg)

func from(p person) opt          { return func(m *msg) { m.from = p } }
func to(p ...person) opt         { return func(m *msg) { m.to = p } }
func cc(p ...person) opt         { return func(m *msg) { m.cc = p } }
func subject(s string) opt       { return func(m *msg) { m.subject = s } }
func body(f func(*msg) part) opt { return func(m *msg) { m.body = f } }

// noRefs drops In-Reply-To and References, as some Outlook and mobile
// clients do; only the subject (and Thread-Index) tie the reply to its
// thread.
func noRefs() opt { return func(m *msg) { m.inReplyTo, m.refs = "", nil } }

// thread is one conversation with one creator.
type thread struct {
	key     string // stable name; seeds Message-IDs and boundaries
	subject string
	creator person
	// archived threads have their incoming mail in Archive: the deal
	// closed and the manager filed it away.
	archived bool
	msgs     []*msg
}

// out adds a message from the manager to the creator, replying to the
// thread's last message.
func (t *thread) out(at time.Time, text string, opts ...opt) *msg {
	return t.add(&msg{from: sam, to: []person{t.creator}, date: at, text: text}, opts)
}

// in adds a message from the creator to the manager, replying to the
// thread's last message.
func (t *thread) in(at time.Time, text string, opts ...opt) *msg {
	return t.add(&msg{from: t.creator, to: []person{sam}, date: at, text: text}, opts)
}

func (t *thread) add(m *msg, opts []opt) *msg {
	m.thread = t
	m.subject = t.subject
	if n := len(t.msgs); n > 0 {
		p := t.msgs[n-1]
		m.parent = p
		m.inReplyTo = p.id
		m.refs = append(append([]string{}, p.refs...), p.id)
	}
	for _, o := range opts {
		o(m)
	}
	if m.parent != nil && m.subject == t.subject {
		prefix := "Re: "
		if m.from.style == outlookStyle {
			prefix = "RE: "
		}
		m.subject = prefix + t.subject
	}
	m.id = messageID(m.from, fmt.Sprintf("%s/%d", t.key, len(t.msgs)))
	t.msgs = append(t.msgs, m)
	return m
}

// messageID makes a stable Message-ID in the shape m's client uses, so
// re-running the demo with another "now" yields the same ids.
func messageID(p person, seed string) string {
	h := sha256.Sum256([]byte(seed))
	x := hex.EncodeToString(h[:])
	dom := p.domain()
	switch p.style {
	case gmailStyle:
		if dom == "gmail.example" {
			dom = "mail.gmail.example"
		}
		return "CA" + strings.NewReplacer("/", "_", "+", "-").Replace(base64.StdEncoding.EncodeToString(h[:30])) + "@" + dom
	case appleStyle:
		return strings.ToUpper(x[:8]+"-"+x[8:12]+"-"+x[12:16]+"-"+x[16:20]+"-"+x[20:32]) + "@" + dom
	case outlookStyle:
		if dom == "outlook.example" {
			dom = "AM6PR02MB4321.eurprd02.prod.outlook.example"
		}
		return "AM6PR02MB4321" + strings.ToUpper(x[:28]) + "@" + dom
	case protonStyle:
		return base64.RawURLEncoding.EncodeToString(h[:24]) + "=@" + dom
	}
	return x[:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:32] + "@" + dom
}

// render produces the message's bytes.
func (m *msg) render() []byte {
	// The body first: a renderer for a messy case may set rawSubject.
	render := m.body
	if render == nil {
		render = (*msg).defaultBody
	}
	content := render(m)
	var b bytes.Buffer
	h := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	h("MIME-Version", "1.0")
	h("Date", m.date.In(m.from.tz).Format(time.RFC1123Z))
	h("Message-ID", "<"+m.id+">")
	if m.inReplyTo != "" {
		h("In-Reply-To", "<"+m.inReplyTo+">")
	}
	if len(m.refs) > 0 {
		ids := make([]string, len(m.refs))
		for i, r := range m.refs {
			ids[i] = "<" + r + ">"
		}
		h("References", strings.Join(ids, "\r\n "))
	}
	subj := m.rawSubject
	if subj == "" {
		subj = encodeHeader(m.subject)
	}
	h("Subject", subj)
	h("From", m.from.addr())
	h("To", addrList(m.to))
	if len(m.cc) > 0 {
		h("Cc", addrList(m.cc))
	}
	for _, x := range m.clientHeaders() {
		h(x[0], x[1])
	}
	for _, x := range m.extra {
		h(x[0], x[1])
	}
	content.write(&b)
	return b.Bytes()
}

func addrList(ps []person) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.addr()
	}
	return strings.Join(s, ", ")
}
