package output

import (
	"errors"
	"sync"
)

// Files are the files one run writes. Each is written beside its target
// under a temporary name; Commit renames them all into place (after the
// store has committed), Abort removes them. A run that fails, or is
// interrupted, leaves no file at any target.
type Files struct {
	mu    sync.Mutex
	files []*AtomicFile
	done  bool
}

// Create starts writing path.
func (fs *Files) Create(path string) (*AtomicFile, error) {
	f, err := CreateAtomic(path)
	if err != nil {
		return nil, err
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if fs.done {
		f.Abort()
		return nil, errors.New("输出已结束")
	}
	fs.files = append(fs.files, f)
	return f, nil
}

// Commit renames every file into place.
func (fs *Files) Commit() error {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.done = true
	for i, f := range fs.files {
		if err := f.Commit(); err != nil {
			for _, rest := range fs.files[i+1:] {
				rest.Abort()
			}
			return err
		}
	}
	return nil
}

// Abort removes every temporary file; safe after Commit, and from another
// goroutine (a signal handler).
func (fs *Files) Abort() {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.done = true
	for _, f := range fs.files {
		f.Abort()
	}
}
