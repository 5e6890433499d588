package crm

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// The outbox is how roster sends mail without ever sending one twice or
// losing one: a mail is rendered once (its Message-ID and Date fixed),
// stored, then handed to SMTP; every step of its life is a committed
// state. The mail layer delivers; the domain decides what each outcome
// means.
//
//	queued ──claim──▶ sending ──250 after DATA──▶ sent
//	   ▲                 │ 4xx, network before the final dot ──▶ queued (later)
//	   │                 │ 5xx, TLS, refused login ──▶ failed
//	   │                 │ no answer to the final dot, crash ──▶ in-doubt
//	   └──retry── failed, in-doubt (found in Sent ──▶ sent)
//	cancel: queued, failed, in-doubt ──▶ cancelled
//
// A mail in doubt is never retried by roster on its own: the mail layer
// looks for its Message-ID in the Sent folder, and when that cannot decide,
// the manager does (retry or cancel).

// OutboxState is where a mail stands in the outbox.
type OutboxState string

// The outbox states; see the diagram above.
const (
	OutboxQueued    OutboxState = "queued"
	OutboxSending   OutboxState = "sending"
	OutboxSent      OutboxState = "sent"
	OutboxFailed    OutboxState = "failed"
	OutboxInDoubt   OutboxState = "in-doubt"
	OutboxCancelled OutboxState = "cancelled"
)

// OutboxStates lists every state, in the order a list groups them.
var OutboxStates = [...]OutboxState{OutboxInDoubt, OutboxFailed, OutboxSending, OutboxQueued, OutboxSent, OutboxCancelled}

// Valid reports whether s is one of the outbox states.
func (s OutboxState) Valid() bool {
	for _, x := range OutboxStates {
		if x == s {
			return true
		}
	}
	return false
}

// The events of a mail's life in the activity log.
const (
	MailQueued    EventKind = "mail.queued"
	MailSent      EventKind = "mail.sent"
	MailFailed    EventKind = "mail.failed"
	MailInDoubt   EventKind = "mail.in-doubt"
	MailCancelled EventKind = "mail.cancelled"
	MailRetried   EventKind = "mail.retried"
	// OutboxChanged is a feed notification (not logged): a mail changed
	// state in a way that is not a person's action (a retry scheduled,
	// the Sent copy filed), so outbox views refresh.
	OutboxChanged EventKind = "outbox.changed"
	// OutboxProgress is a feed notification that the delivery worker's
	// status changed (see OutboxStatus).
	OutboxProgress EventKind = "outbox.progress"
)

// MaxAttempts is how many times a mail is tried after temporary failures
// (4xx, an unreachable server) before it is marked failed: with the
// worker's backoff that is most of a day.
const MaxAttempts = 8

// OutboxMail is one mail in the outbox: what it says, the exact bytes
// that go over SMTP, and where it stands.
type OutboxMail struct {
	ID      ID     `json:"id"`
	Version uint64 `json:"version"`
	// Account is the configured account that sends it.
	Account string `json:"account"`
	// CreatorID, DealID, CampaignID and ThreadID tie the mail to the CRM
	// (any may be empty: mail to an address roster does not know).
	CreatorID  ID `json:"creator_id,omitempty"`
	DealID     ID `json:"deal_id,omitempty"`
	CampaignID ID `json:"campaign_id,omitempty"`
	ThreadID   ID `json:"thread_id,omitempty"`
	// Kind says what the mail is for the log: "reply", "mail", or the
	// template's name ("outreach").
	Kind    string    `json:"kind"`
	From    Address   `json:"from"`
	To      []Address `json:"to"`
	Cc      []Address `json:"cc,omitempty"`
	Subject string    `json:"subject"`
	// Text is the body as the manager wrote or previewed it.
	Text string `json:"text"`
	// MessageID (without angle brackets) and Date are fixed when the mail
	// is queued and are in Raw: every attempt sends the same message.
	MessageID  string    `json:"message_id"`
	InReplyTo  string    `json:"in_reply_to,omitempty"`
	References []string  `json:"references,omitempty"`
	Date       time.Time `json:"date"`
	// Raw is the rendered RFC 5322 message, sent byte for byte.
	Raw   []byte      `json:"raw"`
	State OutboxState `json:"state"`
	// Attempts counts SMTP conversations started for this mail.
	Attempts int `json:"attempts"`
	// NextAt is when a queued mail is due (later after a temporary
	// failure).
	NextAt time.Time `json:"next_at"`
	// LastError is the last problem in words, with the server's own reply
	// when there was one ("550 5.1.1 no such user").
	LastError string `json:"last_error,omitempty"`
	// Response is the server's reply to the message ("250 2.0.0 OK queued
	// as 4F2A"), kept for support.
	Response string `json:"response,omitempty"`
	// SentCopy says how the Sent folder got its copy: "server" (the
	// provider filed it), "appended" (roster did), or "" while unknown.
	SentCopy string `json:"sent_copy,omitempty"`
	// DoubtChecked is set once the Sent folder was searched for a mail in
	// doubt and did not have it: from then on the manager decides.
	DoubtChecked bool      `json:"doubt_checked,omitempty"`
	QueuedBy     string    `json:"queued_by"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
	SentAt       time.Time `json:"sent_at"`
}

// Recipients are every address the mail goes to, for RCPT TO.
func (m *OutboxMail) Recipients() []string {
	var out []string
	for _, a := range append(append([]Address(nil), m.To...), m.Cc...) {
		out = append(out, a.Email)
	}
	return out
}

// ToLine is the recipients as one line for lists.
func (m *OutboxMail) ToLine() string {
	var parts []string
	for _, a := range m.To {
		parts = append(parts, a.String())
	}
	return strings.Join(parts, ", ")
}

// OutboxTx is the part of a transaction that holds the outbox. PutOutboxMail
// checks versions as the other Put methods do and keeps the index by state
// and by Message-ID.
type OutboxTx interface {
	OutboxMail(id ID) (OutboxMail, error)
	PutOutboxMail(m *OutboxMail) error
	// OutboxByState lists the mails in a state, oldest first.
	OutboxByState(state OutboxState) ([]OutboxMail, error)
	// OutboxByMessageID finds the mail that carries a Message-ID
	// (normalised, no angle brackets).
	OutboxByMessageID(mid string) (ID, bool, error)
	// ForEachOutboxMail visits every mail, oldest first.
	ForEachOutboxMail(fn func(*OutboxMail) error) error
}

// Draft is a mail before it is queued: what the compose screen edits and
// what the bulk outreach previews. Nothing about it is fixed until
// QueueMail renders it.
type Draft struct {
	Account    string    `json:"account"`
	From       Address   `json:"from"`
	To         []Address `json:"to"`
	Cc         []Address `json:"cc,omitempty"`
	Subject    string    `json:"subject"`
	Text       string    `json:"text"`
	InReplyTo  string    `json:"in_reply_to,omitempty"`
	References []string  `json:"references,omitempty"`
	CreatorID  ID        `json:"creator_id,omitempty"`
	DealID     ID        `json:"deal_id,omitempty"`
	CampaignID ID        `json:"campaign_id,omitempty"`
	ThreadID   ID        `json:"thread_id,omitempty"`
	// Kind is "reply", "mail", or a template's name.
	Kind string `json:"kind"`
	// CreatorName is for lists and the log ("queued outreach to Maya
	// Lin").
	CreatorName string `json:"creator_name,omitempty"`
}

// SendingAccount is a configured account that can send: what a draft's
// From and the templates' Sender come from.
type SendingAccount struct {
	Name        string
	DisplayName string
	Email       string
	// Aliases are other addresses that are the manager's own; a reply
	// all leaves them out.
	Aliases []string
}

// Owns reports whether addr is one of the account's addresses.
func (a SendingAccount) Owns(addr string) bool {
	return Identity{Addresses: append([]string{a.Email}, a.Aliases...)}.Owns(addr)
}

// MailRenderer turns a draft into the exact bytes that will be sent, with
// the Message-ID and Date the outbox chose, and reads the manager's
// templates. The mail package implements it (with go-mail); main.go
// connects it with SetMailRenderer.
type MailRenderer interface {
	RenderMail(d *Draft, messageID string, date time.Time) ([]byte, error)
	// Templates are the built-in templates with the manager's files laid
	// over them, read afresh on every call so an edit applies at once.
	Templates() (map[string]Template, error)
}

// Deliverer is the delivery worker: Wake asks it to look at the outbox
// now (a mail was queued or retried).
type Deliverer interface {
	Wake()
}

// OutboxStatus is what the delivery worker reports while it sends, for a
// progress line.
type OutboxStatus struct {
	Running bool
	Account string
	// Done of Total mails handled in this pass; Failed of them did not go.
	Done, Total, Failed int
	// Current is the recipient being sent to.
	Current string
	LastErr string
}

// outboxState is the service's sending setup, shared by every program.
type outboxState struct {
	mu         sync.Mutex
	renderer   MailRenderer
	accounts   []SendingAccount
	deliverer  Deliverer
	manualPipe bool
	status     OutboxStatus
}

func (s *Service) outbox() *outboxState { return s.out }

// SetMailRenderer connects the renderer; main.go calls it once.
func (s *Service) SetMailRenderer(r MailRenderer) {
	o := s.outbox()
	o.mu.Lock()
	o.renderer = r
	o.mu.Unlock()
}

// SetSending connects the configured sending accounts and the delivery
// worker (nil when none runs: mail then waits in the outbox).
func (s *Service) SetSending(accounts []SendingAccount, d Deliverer) {
	o := s.outbox()
	o.mu.Lock()
	o.accounts = append([]SendingAccount(nil), accounts...)
	o.deliverer = d
	o.mu.Unlock()
}

// SetPipelineFollowsMail turns the automatic stage moves on (the default)
// or off: the first mail sent moves a prospect to contacted, the first
// reply moves a contacted deal to negotiating.
func (s *Service) SetPipelineFollowsMail(on bool) {
	o := s.outbox()
	o.mu.Lock()
	o.manualPipe = !on
	o.mu.Unlock()
}

func (s *Service) pipelineFollowsMail() bool {
	o := s.outbox()
	o.mu.Lock()
	defer o.mu.Unlock()
	return !o.manualPipe
}

// SendingAccounts lists the accounts that can send, in config order.
func (s *Service) SendingAccounts() []SendingAccount {
	o := s.outbox()
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]SendingAccount(nil), o.accounts...)
}

// sendingAccount finds an account by name; "" means the first.
func (s *Service) sendingAccount(name string) (SendingAccount, error) {
	accts := s.SendingAccounts()
	if len(accts) == 0 {
		return SendingAccount{}, invalidf("no account can send: add [accounts.smtp] to the mail config (docs/config.md)")
	}
	if name == "" {
		return accts[0], nil
	}
	for _, a := range accts {
		if a.Name == name {
			return a, nil
		}
	}
	return SendingAccount{}, invalidf("account %q cannot send (no such account with [accounts.smtp])", name)
}

func (s *Service) renderer() (MailRenderer, error) {
	o := s.outbox()
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.renderer == nil {
		return nil, invalidf("sending is not set up in this program")
	}
	return o.renderer, nil
}

func (s *Service) wake() {
	o := s.outbox()
	o.mu.Lock()
	d := o.deliverer
	o.mu.Unlock()
	if d != nil {
		d.Wake()
	}
}

// ReportOutbox records the worker's status and tells every view.
func (s *Service) ReportOutbox(st OutboxStatus) {
	o := s.outbox()
	o.mu.Lock()
	o.status = st
	o.mu.Unlock()
	s.repo.Feed().Publish([]Event{{Kind: OutboxProgress, At: s.clock.Now()}})
}

// OutboxStatus is the worker's latest status.
func (s *Service) OutboxStatus() OutboxStatus {
	o := s.outbox()
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.status
}

// Templates are the templates a draft can use: the built-ins, with the
// manager's files over them when sending is set up.
func (s *Service) Templates() (map[string]Template, error) {
	r, err := s.renderer()
	if err != nil {
		return DefaultTemplates(), nil
	}
	return r.Templates()
}

// newMessageID makes a Message-ID in the sender's domain: the outbox ID
// (unique and time-ordered) plus randomness, so two rosters sending from
// one domain never collide.
func newMessageID(id ID, from string) string {
	domain := "roster.invalid"
	if at := strings.LastIndexByte(from, '@'); at >= 0 && at < len(from)-1 {
		domain = strings.ToLower(from[at+1:])
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	return string(id) + "." + hex.EncodeToString(b[:]) + "@" + domain
}

// QueueMail renders a draft once, with its own Message-ID and Date, and
// stores it as queued, logging it in the actor's name; the worker is woken.
// A draft with a header field that could smuggle another header (a line
// break, a control character) is refused, naming the field.
func (s *Service) QueueMail(actor string, d Draft) (OutboxMail, error) {
	ms, err := s.queue(actor, []Draft{d}, nil)
	if err != nil {
		return OutboxMail{}, err
	}
	return ms[0], nil
}

// prepare validates a draft and renders it into a queued mail.
func (s *Service) prepare(actor string, d Draft) (OutboxMail, error) {
	acct, err := s.sendingAccount(d.Account)
	if err != nil {
		return OutboxMail{}, err
	}
	d.Account = acct.Name
	if d.From.Email == "" {
		d.From = Address{Name: acct.DisplayName, Email: acct.Email}
	}
	if d.Kind == "" {
		d.Kind = "mail"
	}
	if err := d.Validate(); err != nil {
		return OutboxMail{}, err
	}
	r, err := s.renderer()
	if err != nil {
		return OutboxMail{}, err
	}
	now := s.clock.Now().UTC().Truncate(time.Second)
	id := s.ids.New()
	m := OutboxMail{
		ID: id, Account: d.Account, CreatorID: d.CreatorID, DealID: d.DealID, CampaignID: d.CampaignID,
		ThreadID: d.ThreadID, Kind: d.Kind, From: d.From, To: d.To, Cc: d.Cc, Subject: d.Subject,
		Text: d.Text, MessageID: newMessageID(id, d.From.Email), InReplyTo: d.InReplyTo,
		References: d.References, Date: now, State: OutboxQueued, NextAt: now,
		QueuedBy: actor, CreatedAt: now, UpdatedAt: now,
	}
	if m.Raw, err = r.RenderMail(&d, m.MessageID, m.Date); err != nil {
		return OutboxMail{}, fmt.Errorf("render mail to %s: %w", m.ToLine(), err)
	}
	return m, nil
}

// queue renders and stores drafts in one transaction. skip, when set, is
// asked inside the transaction whether a draft must not be queued after
// all (outreach: someone contacted the creator meanwhile); skipped drafts
// are left out of the result.
func (s *Service) queue(actor string, ds []Draft, skip func(tx Tx, d *Draft) (bool, error)) ([]OutboxMail, error) {
	ms := make([]OutboxMail, 0, len(ds))
	for _, d := range ds {
		m, err := s.prepare(actor, d)
		if err != nil {
			return nil, err
		}
		ms = append(ms, m)
	}
	var out []OutboxMail
	err := s.repo.Update(func(tx Tx) error {
		out = out[:0]
		w := s.writer(tx, actor)
		for i := range ms {
			if skip != nil {
				if no, err := skip(tx, &ds[i]); err != nil {
					return err
				} else if no {
					continue
				}
			}
			m := ms[i]
			m.Version = 0
			if err := tx.PutOutboxMail(&m); err != nil {
				return err
			}
			if err := w.mailEvent(&m, MailQueued, "queued "+m.describe()); err != nil {
				return err
			}
			out = append(out, m)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.wake()
	return out, nil
}

// describe is the mail in words for the log: "outreach to Maya Lin" or
// "reply \"Re: rates\" to maya@x.example".
func (m *OutboxMail) describe() string {
	to := m.ToLine()
	if len(m.To) > 0 && m.To[0].Name != "" && len(m.To) == 1 {
		to = m.To[0].Name
	}
	if m.Kind == "mail" || m.Kind == "reply" {
		return fmt.Sprintf("%s %q to %s", m.Kind, m.Subject, to)
	}
	return m.Kind + " to " + to
}

// mailEvent logs a change of m, with the creator's log as its home.
func (w *writer) mailEvent(m *OutboxMail, kind EventKind, summary string) error {
	return w.event(Event{Kind: kind, CreatorID: m.CreatorID, DealID: m.DealID, CampaignID: m.CampaignID,
		Summary: summary, After: rawJSON(map[string]any{"outbox": m.ID, "state": m.State, "message_id": m.MessageID, "error": m.LastError})})
}

// OutboxQuery selects outbox mail; zero fields do not filter.
type OutboxQuery struct {
	States []OutboxState
}

// Outbox lists mail, newest first.
func (s *Service) Outbox(q OutboxQuery) ([]OutboxMail, error) {
	var out []OutboxMail
	err := s.repo.View(func(tx Tx) error {
		if len(q.States) > 0 {
			for _, st := range q.States {
				ms, err := tx.OutboxByState(st)
				if err != nil {
					return err
				}
				out = append(out, ms...)
			}
		} else if err := tx.ForEachOutboxMail(func(m *OutboxMail) error {
			out = append(out, *m)
			return nil
		}); err != nil {
			return err
		}
		return nil
	})
	sortNewestFirst(out)
	return out, err
}

// sortNewestFirst orders mail by ID, newest first: IDs are time-ordered.
// It runs on every outbox listing, and the sent history only grows.
func sortNewestFirst(ms []OutboxMail) {
	slices.SortFunc(ms, func(a, b OutboxMail) int { return strings.Compare(string(b.ID), string(a.ID)) })
}

// OutboxMail loads one mail, by its full ID or what ShortID says a person
// may type for it.
func (s *Service) OutboxMail(id ID) (OutboxMail, error) {
	var m OutboxMail
	err := s.repo.View(func(tx Tx) (err error) {
		m, err = findOutbox(tx, id)
		return err
	})
	return m, err
}

// minOutboxSuffix is the fewest characters of an ID that findOutbox
// accepts: fewer would match by chance as the outbox grows.
const minOutboxSuffix = 6

// shortOutboxLen is how much of an outbox ID lists show (ShortID).
const shortOutboxLen = 10

// ShortID is the end of the mail's ID that lists show: enough to tell
// mails apart, short enough to type. RetryMail and CancelMail take it, any
// 6 or more characters that start it, or any 6 or more that end the full
// ID.
func (m *OutboxMail) ShortID() string {
	if len(m.ID) > shortOutboxLen {
		return string(m.ID[len(m.ID)-shortOutboxLen:])
	}
	return string(m.ID)
}

// findOutbox finds the mail an ID means: the full ID, or what ShortID
// says a person may type. An ID that fits several mails is refused with
// the ones it fits, as lists show them, so the next try can be exact.
func findOutbox(tx Tx, id ID) (OutboxMail, error) {
	if m, err := tx.OutboxMail(id); err == nil {
		return m, nil
	}
	if len(id) < minOutboxSuffix {
		return OutboxMail{}, &FieldError{Field: "outbox mail " + string(id),
			Msg: fmt.Sprintf("give at least %d characters of its ID", minOutboxSuffix)}
	}
	var found []OutboxMail
	if err := tx.ForEachOutboxMail(func(m *OutboxMail) error {
		if strings.HasSuffix(string(m.ID), string(id)) || strings.HasPrefix(m.ShortID(), string(id)) {
			found = append(found, *m)
		}
		return nil
	}); err != nil {
		return OutboxMail{}, err
	}
	switch len(found) {
	case 0:
		return OutboxMail{}, fmt.Errorf("outbox mail %s: %w", id, ErrNotFound)
	case 1:
		return found[0], nil
	}
	fits := make([]string, len(found))
	for i := range found {
		to := SanitizeLine(found[i].ToLine())
		if r := []rune(to); len(r) > 32 {
			to = string(r[:31]) + "…"
		}
		fits[i] = fmt.Sprintf("%s (%s to %s)", found[i].ShortID(), found[i].State, to)
	}
	return OutboxMail{}, invalidf("outbox ID %s is ambiguous: it fits %s; give more of it", id, strings.Join(fits, ", "))
}

// RetryMail puts a failed or in-doubt mail back in the queue, due now. For
// a mail in doubt this is the manager's decision that it probably did not
// go: it is sent again with the same Message-ID.
func (s *Service) RetryMail(actor string, id ID) (OutboxMail, error) {
	return s.manage(actor, id, func(w *writer, m *OutboxMail) error {
		if m.State != OutboxFailed && m.State != OutboxInDoubt {
			return invalidf("%s is %s; only failed or in-doubt mail can be retried", m.ID, m.State)
		}
		was := m.State
		m.State, m.NextAt, m.Attempts, m.DoubtChecked = OutboxQueued, w.now, 0, false
		return w.mailEvent(m, MailRetried, fmt.Sprintf("retried %s (was %s)", m.describe(), was))
	})
}

// CancelMail takes a mail that is not being sent out of the queue for
// good. Sent mail cannot be cancelled, and neither can mail the worker is
// sending this instant.
func (s *Service) CancelMail(actor string, id ID) (OutboxMail, error) {
	return s.manage(actor, id, func(w *writer, m *OutboxMail) error {
		switch m.State {
		case OutboxQueued, OutboxFailed, OutboxInDoubt:
		default:
			return invalidf("%s is %s and cannot be cancelled", m.ID, m.State)
		}
		m.State = OutboxCancelled
		return w.mailEvent(m, MailCancelled, "cancelled "+m.describe())
	})
}

func (s *Service) manage(actor string, id ID, fn func(w *writer, m *OutboxMail) error) (OutboxMail, error) {
	var m OutboxMail
	err := s.repo.Update(func(tx Tx) (err error) {
		if m, err = findOutbox(tx, id); err != nil {
			return err
		}
		w := s.writer(tx, actor)
		if err := fn(w, &m); err != nil {
			return err
		}
		m.UpdatedAt = w.now
		return tx.PutOutboxMail(&m)
	})
	if err == nil && m.State == OutboxQueued {
		s.wake()
	}
	return m, err
}
