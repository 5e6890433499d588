package store

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// create makes a new database at path atomically: it is built under a
// temporary name and linked into place, so a crash never leaves a
// half-initialised file for the next start to refuse, and two rosters
// starting at once end up sharing one file.
func create(path string, opts Options) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.new")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	if err := f.Close(); err != nil {
		return err
	}
	bdb, err := openBolt(tmp, opts, false)
	if err != nil {
		return err
	}
	err = bdb.Update(initialise)
	if cerr := bdb.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil // another roster created it first; use theirs
		}
		// No hard links on this file system: rename, unless the path
		// appeared meanwhile.
		if _, serr := os.Lstat(path); serr == nil {
			return nil
		}
		if err := os.Rename(tmp, path); err != nil {
			return err
		}
	}
	syncDir(dir)
	return nil
}

// syncDir makes a rename or link durable; failure only weakens durability
// on a crash, so it is not reported.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}
