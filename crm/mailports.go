package crm

import "time"

// ParsedMessage is one message as the mail layer read it from a server,
// before it is matched, threaded and stored. Header fields are raw (the
// domain normalises them); Text and names are already decoded and
// sanitised. HeaderOnly marks the fast first pass: no body yet.
type ParsedMessage struct {
	MessageIDRaw  string
	InReplyToRaw  string
	ReferencesRaw string
	From          Address
	Sender        []Address
	ReplyTo       []Address
	To            []Address
	Cc            []Address
	Date          time.Time
	Subject       string
	Size          int64
	// Bulk: List-Id, Precedence bulk/list/junk or Auto-Submitted.
	Bulk        bool
	HeaderOnly  bool
	Text        string
	Attachments []Attachment
	Problems    []string
	Location    Location
}

// Identity is one mail account and the addresses that are the manager's
// own (the account address and its aliases): mail from them is outgoing.
type Identity struct {
	Account   string
	Addresses []string
}

// Owns reports whether addr is one of the identity's addresses.
func (id Identity) Owns(addr string) bool {
	n := NormalizeEmail(addr)
	for _, a := range id.Addresses {
		if NormalizeEmail(a) == n {
			return true
		}
	}
	return false
}

// MailboxState is the sync cursor of one mailbox, stored in the same
// transaction as the messages it covers so it is never ahead of them.
type MailboxState struct {
	Account       string `json:"account"`
	Mailbox       string `json:"mailbox"`
	UIDValidity   uint32 `json:"uidvalidity"`
	UIDNext       uint32 `json:"uidnext"`
	HighestModSeq uint64 `json:"highestmodseq"`
	// Count is how many messages the server had below UIDNext when the
	// cursor was written (drafts and skipped messages included): a
	// server count other than Count plus new arrivals means some vanished.
	Count uint32 `json:"count"`
}

// MailTx is the part of a transaction that holds mail. Put methods check
// versions as the creator ones do. The store keeps these indexes as
// records change: Message-ID → message, thread → messages, creator →
// threads, location → message, unmatched messages by sender, and messages
// of a creator whose body is still to be fetched.
type MailTx interface {
	Message(id ID) (Message, error)
	MessageByMessageID(mid string) (ID, bool, error)
	PutMessage(m *Message) error
	// MessagesOfThread lists a thread's messages oldest first.
	MessagesOfThread(thread ID) ([]Message, error)

	Thread(id ID) (Thread, error)
	PutThread(t *Thread) error
	// DeleteThread removes a thread emptied by a merge.
	DeleteThread(id ID) error
	// ThreadsOf lists a creator's threads, newest activity first.
	ThreadsOf(creator ID) ([]Thread, error)
	// TurnOf is whose turn it is in a creator's mail, from the newest
	// thread (ThreadsOf's first). The board asks it for every card, so
	// a store answers it without reading the threads themselves.
	TurnOf(creator ID) (Turn, error)
	// ThreadByRef finds the thread a Message-ID belongs to, including
	// ids only referenced so far (ghosts), so a parent arriving after
	// its reply joins the same thread.
	ThreadByRef(mid string) (ID, bool, error)
	PutThreadRef(mid string, thread ID) error

	MailboxState(account, mailbox string) (MailboxState, bool, error)
	PutMailboxState(st MailboxState) error
	// LocationsIn maps the UIDs roster knows in a mailbox (at its stored
	// UIDVALIDITY) to their messages.
	LocationsIn(account, mailbox string) (map[uint32]ID, error)
	PutLocation(loc Location, msg ID) error
	DeleteLocation(loc Location) error

	// Unmatched lists messages linked to no creator, not bulk and not
	// from an ignored sender, newest first.
	Unmatched(limit int) ([]Message, error)
	// UnmatchedFrom lists the unmatched messages whose From address
	// normalises to addr.
	UnmatchedFrom(addr string) ([]ID, error)
	IsIgnored(addr string) (bool, error)
	PutIgnored(addr string) error
	// Ignored lists the ignored senders, normalised, sorted.
	Ignored() ([]string, error)
	// DeleteIgnored lists a sender's unmatched mail again, past and
	// future; a sender who is not ignored is ErrNotFound.
	DeleteIgnored(addr string) error
	// PendingBodies lists messages linked to a creator whose body has
	// not been fetched yet (HeaderOnly), oldest first.
	PendingBodies(account string, limit int) ([]Message, error)
	// PutBody gives a header-only message its body (Text, Attachments,
	// Problems; HeaderOnly becomes false) without rewriting the message
	// itself: the body pass writes tens of thousands of bodies, and the
	// message records are what threading and the board read. m is the
	// message as PendingBodies listed it; only its ID and Account are
	// used. The message's Version does not change: only sync writes a
	// body, once. stored is false, and nothing changes, when the message
	// has its body already (another copy brought it meanwhile).
	PutBody(m *Message, b *Body) (stored bool, err error)

	// Notify publishes e to subscribers after commit without adding it
	// to the activity log: mail sync changes many records that views
	// must refresh but that are not a person's action.
	Notify(e Event)
}

// Body is a message's body as the body pass stores it (MailTx.PutBody).
type Body struct {
	Text        string
	Attachments []Attachment
	Problems    []string
	// Encoded is the store's own encoding of the fields above, made by
	// its BodyEncoder before the write transaction; nil when the store
	// has none, and then PutBody encodes.
	Encoded []byte
}

// BodyEncoder is a Repository that stores bodies in an encoding of its
// own (compressed). SetBodies has it encode a batch before opening the
// write transaction: compressing is CPU work, and the one write
// transaction is what every writer, the header pass's included, waits
// for.
type BodyEncoder interface {
	EncodeBody(b *Body) ([]byte, error)
}
