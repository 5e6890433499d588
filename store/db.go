package store

import (
	"fmt"
	"sync"

	"roster/crm"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// DB is an open roster database. It implements crm.Repository and is safe
// for concurrent use by any number of goroutines (one per SSH session, say):
// reads run in parallel on consistent snapshots, writes take turns.
type DB struct {
	bolt     *bolt.DB
	path     string
	readOnly bool
	feed     crm.Feed
	cache    *caches

	// wmu covers commit and publish together, so subscribers see events
	// in commit order even when writers race.
	wmu sync.Mutex

	// trimmedAt is bbolt's count of page bytes written at the last
	// trimMap (guarded by wmu).
	trimmedAt int64

	ctlMu    sync.Mutex
	ctlStops []func()
}

var _ crm.Repository = (*DB)(nil)

func newDB(b *bolt.DB, path string, readOnly bool) *DB {
	return &DB{bolt: b, path: path, readOnly: readOnly, cache: newCaches()}
}

// Close stops any control socket and releases the file, so that another
// roster can open it. It waits for running transactions to finish.
func (db *DB) Close() error {
	db.stopControl()
	return db.bolt.Close()
}

// Path is the absolute path of the file, for messages and for finding the
// control socket next to it.
func (db *DB) Path() string { return db.path }

// Feed is where committed events are published. There is one per DB, so
// every view on this process sees every change made through it.
func (db *DB) Feed() *crm.Feed { return &db.feed }

// View runs fn in a read-only transaction on a consistent snapshot; it
// never blocks writers or other readers.
func (db *DB) View(fn func(crm.Tx) error) error {
	return db.bolt.View(func(btx *bolt.Tx) error {
		t, err := newTx(btx, db.cache)
		if err != nil {
			return err
		}
		return fn(t)
	})
}

// Update runs fn in the one write transaction bbolt allows at a time. An
// error (or panic) from fn rolls everything back and publishes nothing;
// after a successful commit, the events fn appended or notified go out on
// Feed.
func (db *DB) Update(fn func(crm.Tx) error) error {
	if db.readOnly {
		return fmt.Errorf("%s was opened read-only: %w", db.path, berrors.ErrDatabaseReadOnly)
	}
	db.wmu.Lock()
	defer db.wmu.Unlock()
	var events []crm.Event
	err := db.bolt.Update(func(btx *bolt.Tx) error {
		t, err := newTx(btx, db.cache)
		if err != nil {
			return err
		}
		if err := fn(t); err != nil {
			return err
		}
		events = t.published
		return nil
	})
	if err != nil {
		return err
	}
	db.trimMap()
	db.feed.Publish(events)
	return nil
}
