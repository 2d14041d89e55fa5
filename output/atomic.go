package output

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// AtomicFile is written to a temporary file beside its target and renamed
// into place on Commit, so a reader never sees half a file. A target that
// is not a regular file (a device, a FIFO, a pipe behind /dev/stdout) is
// written directly instead: renaming over /dev/null would replace the
// device with a file and break every program on the machine.
type AtomicFile struct {
	*os.File
	target string // what the caller named, for messages
	dest   string // where the file is renamed to: target, its links followed
	perm   fs.FileMode
	direct bool // written in place: nothing to sync, rename or remove
	parked bool // synced and closed by Park: Commit only renames
	done   bool
}

// tempPrefix starts the name of every temporary file written beside a
// target, whatever the target's name: short, so that a target name near
// the file system's 255-byte limit still leaves room for it, and the same
// for every target, so that any later run writing into the directory
// finds what a killed run left there.
const tempPrefix = ".regscreen.tmp-"

// maxLinks is how many symbolic links are followed before giving up, as
// the kernel does (ELOOP).
const maxLinks = 40

// errLinkLoop is a chain of symbolic links too long to be anything but a loop.
var errLinkLoop = errors.New("符号链接层数过多（可能是循环链接），请检查路径")

// CreateAtomic starts writing path. The temporary name carries this
// process's id, so that a later run can remove what a killed one left.
// A symbolic link is followed: the file it points to is replaced and the
// link kept.
func CreateAtomic(path string) (*AtomicFile, error) {
	dest, fi, err := resolveTarget(path)
	if err != nil {
		return nil, fmt.Errorf("创建 %s: %w", path, err)
	}
	if fi != nil && !fi.Mode().IsRegular() && !fi.IsDir() {
		f, err := os.OpenFile(dest, os.O_WRONLY, 0)
		if err != nil {
			return nil, fmt.Errorf("创建 %s: %w", path, err)
		}
		return &AtomicFile{File: f, target: path, dest: dest, direct: true}, nil
	}
	dir := filepath.Dir(dest)
	// Also the name earlier versions gave this target's temporary file.
	removeStale(dir, tempPrefix, "."+filepath.Base(dest)+".tmp-")
	f, err := os.CreateTemp(dir, tempPrefix+strconv.Itoa(os.Getpid())+"-*")
	if err != nil {
		return nil, fmt.Errorf("创建 %s: %w", path, err)
	}
	perm := fs.FileMode(0o644)
	if fi != nil && fi.Mode().IsRegular() {
		perm = fi.Mode().Perm() // a file replaced keeps its permissions
	}
	return &AtomicFile{File: f, target: path, dest: dest, perm: perm}, nil
}

// resolveTarget follows path's symbolic links to the name that is to be
// replaced, and stats it (nil when it does not exist yet). A link to a
// special file (/dev/stdout → /proc/self/fd/1 → pipe:[…], which cannot be
// named) is returned as it is, to be opened through the link.
func resolveTarget(path string) (string, fs.FileInfo, error) {
	p := path
	for range maxLinks {
		fi, err := os.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) {
			return p, nil, nil
		}
		if err != nil {
			return "", nil, err
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			return p, fi, nil
		}
		if st, err := os.Stat(p); err == nil && !st.Mode().IsRegular() && !st.IsDir() {
			return p, st, nil
		}
		link, err := os.Readlink(p)
		if err != nil {
			return "", nil, err
		}
		if !filepath.IsAbs(link) {
			link = filepath.Join(filepath.Dir(p), link)
		}
		p = link
	}
	return "", nil, &fs.PathError{Op: "readlink", Path: path, Err: errLinkLoop}
}

// Park syncs and closes a file that is written in full but not yet to be
// renamed, so that a run writing many (one workbook per street) holds
// one descriptor at a time, not one per file past ulimit -n; Commit then
// only renames it, Abort removes it.
func (a *AtomicFile) Park() error {
	if a.done || a.parked || a.direct {
		return nil
	}
	if err := a.File.Sync(); err != nil {
		return fmt.Errorf("写入 %s: %w", a.target, err)
	}
	if err := a.File.Close(); err != nil {
		return fmt.Errorf("写入 %s: %w", a.target, err)
	}
	a.parked = true
	return nil
}

// Commit syncs, closes and renames the file into place.
func (a *AtomicFile) Commit() error {
	if a.done {
		return nil
	}
	a.done = true
	if a.parked {
		return a.rename()
	}
	if a.direct {
		if err := a.File.Close(); err != nil {
			return fmt.Errorf("写入 %s: %w", a.target, err)
		}
		return nil
	}
	if err := a.File.Sync(); err != nil {
		a.File.Close()
		os.Remove(a.File.Name())
		return fmt.Errorf("写入 %s: %w", a.target, err)
	}
	if err := a.File.Close(); err != nil {
		os.Remove(a.File.Name())
		return fmt.Errorf("写入 %s: %w", a.target, err)
	}
	return a.rename()
}

func (a *AtomicFile) rename() error {
	if err := os.Chmod(a.File.Name(), a.perm); err != nil {
		os.Remove(a.File.Name())
		return err
	}
	if err := os.Rename(a.File.Name(), a.dest); err != nil {
		os.Remove(a.File.Name())
		return fmt.Errorf("写入 %s: %w", a.target, err)
	}
	return nil
}

// Abort removes the temporary file; safe to call after Commit. A file
// written directly is only closed: what it took cannot be taken back.
func (a *AtomicFile) Abort() {
	if a.done {
		return
	}
	a.done = true
	a.File.Close()
	if !a.direct {
		os.Remove(a.File.Name())
	}
}

// removeStale removes the files and directories in dir named one of
// prefixes + pid + "-…" whose process no longer runs: what a killed run
// left.
func removeStale(dir string, prefixes ...string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		var rest string
		ok := false
		for _, p := range prefixes {
			if rest, ok = strings.CutPrefix(e.Name(), p); ok {
				break
			}
		}
		if !ok {
			continue
		}
		pidText, _, ok := strings.Cut(rest, "-")
		pid, err := strconv.Atoi(pidText)
		if !ok || err != nil || pid <= 0 || pid == os.Getpid() || processAlive(pid) {
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
	// MkdirTemp, not MkdirAll: a TMPDIR that does not exist is an error
	// to report, not a directory for root to create, and a name made
	// beforehand in a shared /tmp cannot be taken over.
	dir, err := os.MkdirTemp(base, "regscreen-"+strconv.Itoa(os.Getpid())+"-*")
	if err != nil {
		return "", nil, &TempDirError{Dir: base, Err: err}
	}
	return dir, func() { os.RemoveAll(dir) }, nil
}

// TempDirError is a system temporary directory (TMPDIR) that cannot be
// written to.
type TempDirError struct {
	Dir string
	Err error
}

func (e *TempDirError) Error() string {
	return fmt.Sprintf("无法在临时目录 %s 中建立文件（可用环境变量 TMPDIR 指定）: %v", e.Dir, e.Err)
}

func (e *TempDirError) Unwrap() error { return e.Err }
