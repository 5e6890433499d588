package store

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"roster/crm"

	bolt "go.etcd.io/bbolt"
)

// Backup writes a consistent copy of the whole database to w, from one read
// transaction: writers carry on meanwhile and the copy is the state at the
// moment it began. The copy is itself a roster database that Open accepts.
func (db *DB) Backup(w io.Writer) (int64, error) {
	var n int64
	err := db.bolt.View(func(tx *bolt.Tx) (err error) {
		n, err = tx.WriteTo(w)
		return err
	})
	return n, err
}

// BackupFile writes a backup to path atomically (a temporary file in the
// same directory, synced, then renamed, mode 0600), so that an interrupted
// backup never leaves a half-written file that looks like a good one.
func (db *DB) BackupFile(path string) error {
	if err := notSelf(path, db.path); err != nil {
		return err
	}
	return writeFileAtomic(path, db.Backup)
}

// RemoteBackupFile is RemoteBackup into a file, written atomically like
// BackupFile. It is what `roster backup FILE` falls back to when Open
// reports ErrLocked.
func RemoteBackupFile(dbPath, path string) error {
	if err := notSelf(path, dbPath); err != nil {
		return err
	}
	return writeFileAtomic(path, func(w io.Writer) (int64, error) { return RemoteBackup(dbPath, w) })
}

// notSelf refuses to back a database up onto itself, which the rename
// would replace with a copy while it is in use.
func notSelf(target, dbPath string) error {
	a, errA := os.Stat(target)
	b, errB := os.Stat(dbPath)
	ta, _ := filepath.Abs(target)
	tb, _ := filepath.Abs(dbPath)
	if (errA == nil && errB == nil && os.SameFile(a, b)) || ta == tb {
		return fmt.Errorf("backup target %s is the database itself", target)
	}
	return nil
}

// writeFileAtomic is crm.WriteFileAtomic, for the store's own backups.
func writeFileAtomic(path string, write func(io.Writer) (int64, error)) error {
	_, err := crm.WriteFileAtomic(path, write)
	return err
}
