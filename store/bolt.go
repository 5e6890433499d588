package store

import (
	"errors"
	"fmt"
	"os"
	"runtime/debug"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// bbolt remaps the file each time it outgrows its mapping, and a remap
// waits for every open read transaction (a backup, say) and copies every
// page the write transaction touched: that was 70% of an import's
// allocations. Mapping 64 MiB of address space (not memory) up front
// avoids it for any roster of realistic size. bbolt then grows the file in
// AllocSize steps past what it needs; 1 MiB keeps a new database small.
const (
	initialMmapSize = 64 << 20
	allocSize       = 1 << 20
)

// openBolt opens path with roster's bbolt options and turns bbolt's errors
// into the store's.
func openBolt(path string, opts Options, readOnly bool) (*bolt.DB, error) {
	var file *os.File
	bo := &bolt.Options{
		Timeout:  opts.Timeout,
		ReadOnly: readOnly,
		// The map freelist keeps allocation fast as the file grows. The
		// freelist stays synced (NoFreelistSync off): otherwise every
		// read-write open rebuilds it by walking the whole file.
		FreelistType: bolt.FreelistMapType,
		OpenFile: func(name string, flag int, mode os.FileMode) (*os.File, error) {
			f, err := os.OpenFile(name, flag, mode)
			if file == nil {
				file = f
			}
			return f, err
		},
	}
	if !readOnly {
		bo.InitialMmapSize = initialMmapSize
	}
	var bdb *bolt.DB
	err := guard(func() (err error) {
		bdb, err = bolt.Open(path, 0o600, bo)
		if err == nil {
			bdb.AllocSize = allocSize
		}
		return err
	})
	var pe *panicError
	switch {
	case err == nil:
		return bdb, nil
	case errors.As(err, &pe):
		// bbolt panicked half-way and kept the file and its lock.
		if file != nil {
			unlockFile(file)
			_ = file.Close()
		}
		return nil, notRoster(path, "reading it failed: "+pe.Error())
	case errors.Is(err, berrors.ErrTimeout):
		return nil, lockedError(path)
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrVersionMismatch), errors.Is(err, berrors.ErrChecksum):
		return nil, notRoster(path, err.Error())
	}
	return nil, fmt.Errorf("open %s: %w", path, err)
}

// panicError is a panic inside bbolt, which happens on damaged pages.
type panicError struct{ v any }

func (e *panicError) Error() string { return fmt.Sprint(e.v) }

// guard runs fn, turning a panic, and a memory fault on a page past the
// end of the file, into an error so that a damaged file is refused rather
// than crashing roster.
func guard(fn func() error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			err = &panicError{v: r}
		}
	}()
	return fn()
}
