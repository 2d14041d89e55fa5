package output

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// AtomicFile is written to a temporary file beside its target and renamed
// into place on Commit, so a reader never sees half a file.
type AtomicFile struct {
	*os.File
	target string
	done   bool
}

// CreateAtomic starts writing path. The temporary name carries this
// process's id, so that a later run can remove what a killed one left.
func CreateAtomic(path string) (*AtomicFile, error) {
	dir := filepath.Dir(path)
	removeStale(dir, "."+filepath.Base(path)+".tmp-")
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-"+strconv.Itoa(os.Getpid())+"-*")
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

// removeStale removes the files and directories in dir named prefix +
// pid + "-…" whose process no longer runs: what a killed run left.
func removeStale(dir, prefix string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), prefix)
		if !ok {
			continue
		}
		pidText, _, ok := strings.Cut(rest, "-")
		pid, err := strconv.Atoi(pidText)
		if !ok || err != nil || pid == os.Getpid() || processAlive(pid) {
			continue
		}
		os.RemoveAll(filepath.Join(dir, e.Name()))
	}
}

// RunTempDir makes this run's directory for temporary files (the
// workbook library's, the split spool) under the system's, named by the
// process id, after removing those of runs that were killed. The returned
// function removes it.
func RunTempDir() (string, func(), error) {
	base := os.TempDir()
	removeStale(base, "regscreen-")
	dir := filepath.Join(base, "regscreen-"+strconv.Itoa(os.Getpid())+"-run")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", nil, fmt.Errorf("创建临时目录 %s: %w", dir, err)
	}
	return dir, func() { os.RemoveAll(dir) }, nil
}
