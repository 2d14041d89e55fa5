package store

import (
	"fmt"
	"os"
	"sync/atomic"
)

// A writer checks the store (PRAGMA quick_check) before writing to it, and
// that reads the whole file: 0.15 s for a store of 80 MB, seconds for the
// store of a province kept for a quarter, every night. It need not, when
// the file is as this program left it: a writer whose last write (a run,
// an import, a prune, an upgrade) succeeded, with nothing failing after
// it, writes the file's size and modification time on close into the lock file
// (which it holds exclusively), and the next writer skips the check if
// they still match and no journal is left. A copy put back from a backup,
// an edit by another program or a crash each change one or the other (a
// crashed writer also never wrote the stamp: it is cleared on open).
// Damage the stamp cannot see (a disk going bad under an unchanged file)
// SQLite reports when it reads the page, and the run rolls back.

// checks counts the full checks, for tests.
var checks atomic.Int64

func stampOf(path string) (string, bool) {
	fi, err := os.Stat(path)
	if err != nil {
		return "", false
	}
	if _, err := os.Stat(path + "-journal"); err == nil {
		return "", false
	}
	return fmt.Sprintf("regscreen closed cleanly: %d bytes, modified %d\n", fi.Size(), fi.ModTime().UnixNano()), true
}

// closedCleanly reports whether the lock file holds the stamp of the store
// file as it is now.
func closedCleanly(lock *os.File, path string) bool {
	want, ok := stampOf(path)
	if !ok || lock == nil {
		return false
	}
	got := make([]byte, len(want)+1)
	n, _ := lock.ReadAt(got, 0)
	return string(got[:n]) == want
}

func clearStamp(lock *os.File) error {
	if lock == nil {
		return nil
	}
	return lock.Truncate(0)
}

// stampClean records the store file as this writer leaves it; a failure
// only costs the next writer a check.
func stampClean(lock *os.File, path string) {
	if stamp, ok := stampOf(path); ok && lock.Truncate(0) == nil {
		lock.WriteAt([]byte(stamp), 0)
	}
}
