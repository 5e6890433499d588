package store

import (
	"errors"
	"fmt"
	"path/filepath"
)

// Sentinel errors callers (main.go, the backup command) test with
// errors.Is to decide what to tell the user or which fallback to try.
var (
	// ErrLocked means another process has the database open. roster
	// cannot share a bbolt file between processes, so the caller should
	// connect to that process (roster serve) or use RemoteBackup.
	ErrLocked = errors.New("is in use by another roster process")
	// ErrNotRoster means the file exists but is not a roster database, or
	// is damaged. Open leaves such a file exactly as it found it.
	ErrNotRoster = errors.New("is not a roster database")
	// ErrSchemaTooNew means a newer roster wrote the file. Opening it
	// with this binary could misread records it does not know, so the
	// user has to upgrade instead.
	ErrSchemaTooNew = errors.New("was made by a newer roster")
)

// lockedError builds the message a user sees when a second roster starts
// on a database that is already open, telling them how to reach it.
func lockedError(path string) error {
	return fmt.Errorf("%s %w (%s). If a team server runs it (roster serve), connect with: ssh -p 2222 HOST; or stop the other roster",
		filepath.Base(path), ErrLocked, path)
}

// notRoster explains why a file was refused.
func notRoster(path, why string) error {
	return fmt.Errorf("%s %w: %s; roster left it untouched", path, ErrNotRoster, why)
}
