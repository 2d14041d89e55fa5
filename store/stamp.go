package store

import (
	"fmt"
	"io"
	"os"
	"sync/atomic"

	"github.com/cespare/xxhash/v2"
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
// The stamp also holds a checksum of the file (see fileSum), so that a
// disk going bad under an unchanged size and time is checked too; damage
// it cannot see (past the hashed ends of a very large store) SQLite
// reports when it reads the page, and the run rolls back.

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
	sum, err := fileSum(path, fi.Size())
	if err != nil {
		return "", false
	}
	return fmt.Sprintf("regscreen closed cleanly: %d bytes, modified %d, xxh64 %016x\n", fi.Size(), fi.ModTime().UnixNano(), sum), true
}

// A store up to sumWhole bytes is hashed whole on every open and clean
// close; a larger one at its ends (the header page, which holds the page
// count and schema cookie, and the pages a run appends last), so the
// stamp stays cheap whatever the store's size. Measured (go test -tags ne
// -run X -bench FileSum ./store/, page cache warm, 2 shared cores):
// 1.9-3.3 GB/s, so 64 MiB costs 0.02-0.035 s where quick_check takes 0.15 s
// for 80 MB; the ends of a larger store cost 0.01 s.
const (
	sumWhole = 64 << 20
	sumEdge  = 8 << 20
)

// fileSum hashes the store file (see sumWhole), so that bit rot that
// keeps the file's size and modification time still makes the next
// writer check it.
func fileSum(path string, size int64) (uint64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	h := xxhash.New()
	if size <= sumWhole {
		_, err = io.Copy(h, f)
		return h.Sum64(), err
	}
	if _, err := io.Copy(h, io.NewSectionReader(f, 0, sumEdge)); err != nil {
		return 0, err
	}
	_, err = io.Copy(h, io.NewSectionReader(f, size-sumEdge, sumEdge))
	return h.Sum64(), err
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
