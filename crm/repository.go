package crm

import "io"

// Repository is what the domain needs from storage. The store package
// implements it on bbolt; crmtest has none, because the rules are tested
// through the real store on a temp file and through pure functions.
//
// Every user action runs in one Update: it reads, checks versions, writes
// the records and appends its events, all or nothing. After a successful
// commit the repository publishes the appended events on its Feed.
type Repository interface {
	// View runs fn in a read-only transaction with a consistent snapshot.
	View(fn func(Tx) error) error
	// Update runs fn in a read-write transaction; an error from fn rolls
	// everything back.
	Update(fn func(Tx) error) error
	// Feed delivers committed events to subscribers.
	Feed() *Feed
	// Backup writes a consistent copy of the whole database to w while
	// other transactions go on.
	Backup(w io.Writer) (int64, error)
}

// Tx is one transaction. Read methods return ErrNotFound for a missing
// record. Put methods compare the record's Version with the stored one:
// a mismatch is a *ConflictError; on success the stored version is one
// higher and the passed record is updated to it. Version 0 creates;
// another version for a record that does not exist wraps ErrNotFound. IDs
// are non-empty and contain no "/" (the store's index keys use it).
type Tx interface {
	Creator(id ID) (Creator, error)
	Deal(id ID) (Deal, error)
	Campaign(id ID) (Campaign, error)

	// ForEachCreator and ForEachDeal visit every record in ID order (that
	// is, creation order); returning an error from fn stops the walk.
	ForEachCreator(fn func(*Creator) error) error
	ForEachDeal(fn func(*Deal) error) error
	Campaigns() ([]Campaign, error)
	// DealsOf lists a creator's deals in creation order.
	DealsOf(creator ID) ([]Deal, error)

	// CreatorByEmail finds the creator owning an address, compared by
	// NormalizeEmail.
	CreatorByEmail(addr string) (ID, bool, error)
	// CreatorByHandle finds the creator owning a platform handle,
	// compared by NormalizeHandle.
	CreatorByHandle(p Platform, handle string) (ID, bool, error)

	// PutCreator stores c and keeps the email and handle indexes; an
	// address or handle owned by another creator is a *DuplicateError.
	PutCreator(c *Creator) error
	PutDeal(d *Deal) error
	PutCampaign(c *Campaign) error

	// AppendEvent adds to the activity log; events are never changed.
	AppendEvent(e Event) error
	// Events lists events newest first.
	Events(q EventQuery) ([]Event, error)

	MailTx
	OutboxTx
	LedgerTx
}
