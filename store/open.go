package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Options tune Open. The zero value is what the roster program uses.
type Options struct {
	// Timeout is how long Open waits for another process to let go of
	// the file before failing with ErrLocked; 0 means one second, so that
	// a second roster explains the problem instead of hanging.
	Timeout time.Duration
	// ReadOnly opens without ever writing, for tools that inspect a
	// database (or a backup) they must not change. It still refuses files
	// that are not roster's, and it does not migrate.
	ReadOnly bool
	// MustExist refuses a path where no file is, instead of creating a
	// database there: commands that only work on an existing roster
	// (report, export, the outbox) would otherwise leave an empty one at
	// a mistyped path and report on it as if nothing were wrong. The
	// error wraps fs.ErrNotExist.
	MustExist bool
}

const defaultTimeout = time.Second

// errRaced says a zero-length file was initialised by someone else between
// our look at it and our lock on it; Open starts over once.
var errRaced = errors.New("initialised concurrently")

// Open opens the roster database at path, creating it (and its directory,
// mode 0700) when it does not exist, unless opts.MustExist. A missing or zero-length file becomes
// a new database at SchemaVersion; an older schema is migrated forward in
// one transaction. Anything else is refused without being written to:
// ErrNotRoster for a file that is not roster's or is damaged,
// ErrSchemaTooNew for one a newer roster wrote, and ErrLocked when another
// process holds it for longer than opts.Timeout.
func Open(path string, opts Options) (*DB, error) {
	if path == "" {
		return nil, errors.New("store: no database path given")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	if opts.Timeout <= 0 {
		opts.Timeout = defaultTimeout
	}
	db, err := open(abs, opts)
	if errors.Is(err, errRaced) {
		db, err = open(abs, opts)
	}
	return db, err
}

func open(path string, opts Options) (*DB, error) {
	fresh := false
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if opts.ReadOnly || opts.MustExist {
			return nil, fmt.Errorf("no roster database at %s: %w", path, err)
		}
		if err := create(path, opts); err != nil {
			return nil, fmt.Errorf("create %s: %w", path, err)
		}
	case err != nil:
		return nil, err
	case st.IsDir():
		return nil, notRoster(path, "it is a directory")
	case !st.Mode().IsRegular():
		return nil, notRoster(path, "it is not a regular file")
	case st.Size() == 0:
		if opts.ReadOnly {
			return nil, notRoster(path, "it is empty; open it once without read-only to initialise it")
		}
		fresh = true
	}

	if !fresh {
		// Validate through a read-only handle first: a read-write bbolt
		// open may write (it syncs a missing freelist), and a file is not
		// ours to write until it has proved to be roster's.
		if err := checkHeader(path); err != nil {
			return nil, err
		}
		ro, err := openBolt(path, opts, true)
		if err != nil {
			return nil, err
		}
		schema, err := validate(ro, path)
		if err == nil && opts.ReadOnly && schema < latest() {
			err = fmt.Errorf("%s uses schema %d; open it once with this roster (not read-only) to upgrade it to %d", path, schema, latest())
		}
		if err == nil && opts.ReadOnly {
			err = checkBuckets(ro, path)
		}
		if err != nil || opts.ReadOnly {
			if err != nil {
				_ = ro.Close()
				return nil, err
			}
			return newDB(ro, path, true), nil
		}
		if err := ro.Close(); err != nil {
			return nil, err
		}
	}

	bdb, err := openBolt(path, opts, false)
	if err != nil {
		return nil, err
	}
	if fresh {
		err = guard(func() error { return bdb.Update(initialiseEmpty) })
	} else {
		err = upgrade(bdb, path)
	}
	if err == nil {
		err = checkBuckets(bdb, path)
	}
	if err != nil {
		_ = bdb.Close()
		var pe *panicError
		if errors.As(err, &pe) {
			err = notRoster(path, "reading it failed: "+pe.Error())
		}
		return nil, err
	}
	return newDB(bdb, path, false), nil
}

// initialiseEmpty initialises a file bbolt has just formatted, unless
// another roster got there first.
func initialiseEmpty(tx *bolt.Tx) error {
	if k, _ := tx.Cursor().First(); k != nil {
		return errRaced
	}
	return initialise(tx)
}

// validate reads the meta bucket through a read-only handle.
func validate(bdb *bolt.DB, path string) (schema uint64, err error) {
	err = guard(func() error {
		return bdb.View(func(tx *bolt.Tx) (err error) {
			schema, err = readSchema(tx, path)
			return err
		})
	})
	var pe *panicError
	if errors.As(err, &pe) {
		return 0, notRoster(path, "reading it failed: "+pe.Error())
	}
	if err != nil {
		return 0, err
	}
	return schema, checkSchema(path, schema)
}

// checkBuckets makes sure every bucket a transaction needs is there, so
// that damage shows at Open rather than on some later click.
func checkBuckets(bdb *bolt.DB, path string) error {
	err := guard(func() error {
		return bdb.View(func(btx *bolt.Tx) error {
			_, err := newTx(btx, nil)
			return err
		})
	})
	if err != nil {
		return notRoster(path, err.Error())
	}
	return nil
}

// upgrade migrates a validated database to the latest schema. It looks in
// a read transaction first, because a write transaction commits (and
// writes) even when it changes nothing.
func upgrade(bdb *bolt.DB, path string) error {
	schema, err := validate(bdb, path)
	if err != nil || schema == latest() {
		return err
	}
	return guard(func() error {
		return bdb.Update(func(tx *bolt.Tx) error {
			schema, err := readSchema(tx, path)
			if err != nil {
				return err
			}
			if err := checkSchema(path, schema); err != nil {
				return err
			}
			return migrate(tx, schema)
		})
	})
}
