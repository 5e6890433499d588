package crm

import (
	"errors"
	"fmt"
)

// Sentinel errors callers test with errors.Is.
var (
	// ErrNotFound: the record does not exist (any more).
	ErrNotFound = errors.New("not found")
	// ErrConflict: someone saved the record since it was read. The caller
	// reloads, or overwrites knowingly.
	ErrConflict = errors.New("changed by someone else since you opened it")
	// ErrDuplicate: another record already owns a unique key (an email or
	// a platform handle).
	ErrDuplicate = errors.New("already belongs to another record")
	// ErrInvalid: the request breaks a domain rule; the wrapped message
	// says which.
	ErrInvalid = errors.New("invalid")
)

// FieldError names the field a value was wrong in, so that forms and
// importers can point at it.
type FieldError struct {
	Field string
	Msg   string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Msg }

// Is makes every FieldError match ErrInvalid.
func (e *FieldError) Is(target error) bool { return target == ErrInvalid }

// ConflictError is an ErrConflict that says which record and which
// versions met.
type ConflictError struct {
	Kind    string // "creator", "deal", "campaign"
	ID      ID
	Have    uint64 // version the caller read
	Current uint64 // version now stored
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("%s %s %v (you had version %d, it is now %d)", e.Kind, e.ID, ErrConflict, e.Have, e.Current)
}

// Is makes every ConflictError match ErrConflict.
func (e *ConflictError) Is(target error) bool { return target == ErrConflict }

// DuplicateError is an ErrDuplicate that names the key and its owner.
// Its message names the owner as a person knows it ("… already belongs
// to Maya Chen") or says the key already exists; Owner is there for code
// and never shown, since a record id means nothing to whoever reads it.
type DuplicateError struct {
	Key   string // "email maya@example.com", "tiktok @maya", `campaign "Spring"`
	Owner ID
	// OwnerName is the owner as a person names it ("Maya Chen"); empty
	// when the key itself says enough (a campaign's name, a Message-ID).
	OwnerName string
}

func (e *DuplicateError) Error() string {
	if e.OwnerName != "" {
		return e.Key + " already belongs to " + e.OwnerName
	}
	return e.Key + " already exists"
}

// Is makes every DuplicateError match ErrDuplicate.
func (e *DuplicateError) Is(target error) bool { return target == ErrDuplicate }

// invalidf is a refusal worded for the person who asked: its message is
// the sentence alone ("… is cancelled and cannot be cancelled"), with no
// "invalid: " before it, and it matches ErrInvalid for callers.
func invalidf(format string, args ...any) error {
	return &sentenceError{err: fmt.Errorf(format, args...), kind: ErrInvalid}
}

// notFoundf is invalidf for ErrNotFound: a sentence for the person who
// asked ("x is not ignored …"), without ": not found" tacked on.
func notFoundf(format string, args ...any) error {
	return &sentenceError{err: fmt.Errorf(format, args...), kind: ErrNotFound}
}

// sentenceError is what invalidf and notFoundf return: it reads as the
// sentence and matches its sentinel (kind). It unwraps to the formatted
// error, so a %w among the arguments still matches too.
type sentenceError struct{ err, kind error }

func (e *sentenceError) Error() string { return e.err.Error() }

// Is makes a sentenceError match its sentinel.
func (e *sentenceError) Is(target error) bool { return target == e.kind }

func (e *sentenceError) Unwrap() error { return e.err }
