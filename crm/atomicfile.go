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
// directory by name. The board's :backup and `roster backup` write
// through it, or through WriteNewFileAtomic unless told to replace.
func WriteFileAtomic(path string, write func(io.Writer) (int64, error)) (n int64, err error) {
	return writeFileAtomic(path, write, true)
}

// WriteNewFileAtomic is WriteFileAtomic for a file that must not exist
// yet: a backup written over the last good backup loses it, so when
// anything is at path it writes nothing and returns an error that names
// path and matches fs.ErrExist, for the caller to add how to replace it
// knowingly. It looks before the copy, which may take a while, then puts
// the file in place with a hard link, which fails if the name was taken
// meanwhile (a filesystem without hard links looks again, then renames).
func WriteNewFileAtomic(path string, write func(io.Writer) (int64, error)) (int64, error) {
	if err := refuseExisting(path); err != nil {
		return 0, err
	}
	return writeFileAtomic(path, write, false)
}

// ExistsError is WriteNewFileAtomic's refusal of a path that is taken.
type ExistsError struct{ Path string }

func (e *ExistsError) Error() string { return e.Path + " already exists" }

// Is makes an ExistsError match fs.ErrExist.
func (e *ExistsError) Is(target error) bool { return target == fs.ErrExist }

func refuseExisting(path string) error {
	if _, err := os.Lstat(path); err == nil {
		return &ExistsError{Path: path}
	}
	return nil
}

func writeFileAtomic(path string, write func(io.Writer) (int64, error), replace bool) (n int64, err error) {
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
	if !replace {
		// A hard link to the new name fails if the name is taken, in
		// one step: unlike a look and then a rename, it cannot replace
		// a file made in between (a saved attachment racing another).
		switch lerr := os.Link(tmp, abs); {
		case lerr == nil:
			_ = os.Remove(tmp)
			syncDir(dir)
			return n, nil
		case errors.Is(lerr, fs.ErrExist):
			err = &ExistsError{Path: path}
			return n, err
		}
		// A filesystem without hard links: look, then rename.
		if err = refuseExisting(path); err != nil {
			return n, err
		}
	}
	if err = os.Rename(tmp, abs); err != nil {
		return n, err
	}
	syncDir(dir)
	return n, nil
}

// syncDir makes a rename or link in dir reach the disk with the directory.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}
