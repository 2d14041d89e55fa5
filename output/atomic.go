package output

import (
	"fmt"
	"os"
	"path/filepath"
)

// AtomicFile is written to a temporary file beside its target and renamed
// into place on Commit, so a reader never sees half a file.
type AtomicFile struct {
	*os.File
	target string
	done   bool
}

// CreateAtomic starts writing path.
func CreateAtomic(path string) (*AtomicFile, error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("创建 %s: %w", path, err)
	}
	return &AtomicFile{File: f, target: path}, nil
}

// Commit syncs, closes and renames the file into place.
func (a *AtomicFile) Commit() error {
	if a.done {
		return nil
	}
	a.done = true
	if err := a.File.Sync(); err != nil {
		a.File.Close()
		os.Remove(a.File.Name())
		return fmt.Errorf("写入 %s: %w", a.target, err)
	}
	if err := a.File.Close(); err != nil {
		os.Remove(a.File.Name())
		return fmt.Errorf("写入 %s: %w", a.target, err)
	}
	if err := os.Chmod(a.File.Name(), 0o644); err != nil {
		return err
	}
	if err := os.Rename(a.File.Name(), a.target); err != nil {
		os.Remove(a.File.Name())
		return fmt.Errorf("写入 %s: %w", a.target, err)
	}
	return nil
}

// Abort removes the temporary file; safe to call after Commit.
func (a *AtomicFile) Abort() {
	if a.done {
		return
	}
	a.done = true
	a.File.Close()
	os.Remove(a.File.Name())
}
