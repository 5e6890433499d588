package crm

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// WriteFileAtomic fills path through a temporary file in the same
// directory (mode 0600), synced, then renamed into place, so an
// interrupted backup or export never leaves a half-written file that
// looks like a good one. It returns what write reported. Failures name
// path as the user gave it, never the temporary file, and a missing
// directory by name. The board's :backup, `roster backup` and the store
// all write through it.
func WriteFileAtomic(path string, write func(io.Writer) (int64, error)) (n int64, err error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return 0, err
	}
	dir := filepath.Dir(abs)
	f, err := os.CreateTemp(dir, "."+filepath.Base(abs)+".*.tmp")
	if errors.Is(err, fs.ErrNotExist) {
		return 0, fmt.Errorf("cannot write %s: the directory %s does not exist", path, filepath.Dir(path))
	}
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return 0, fmt.Errorf("cannot write %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	if err = f.Chmod(0o600); err != nil {
		return 0, err
	}
	if n, err = write(f); err != nil {
		return n, err
	}
	if err = f.Sync(); err != nil {
		return n, err
	}
	if err = f.Close(); err != nil {
		return n, err
	}
	if err = os.Rename(tmp, abs); err != nil {
		return n, err
	}
	if d, derr := os.Open(dir); derr == nil {
		// The rename itself reaches the disk with the directory.
		_ = d.Sync()
		_ = d.Close()
	}
	return n, nil
}
