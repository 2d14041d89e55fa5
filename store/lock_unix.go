//go:build darwin || linux || freebsd || netbsd || openbsd || dragonfly || solaris || illumos

package store

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// tryLock takes a whole-file flock without waiting; it reports false when
// another process holds a conflicting lock. flock (not fcntl) because it
// belongs to the open file, so SQLite's own fcntl locks on the database
// are not disturbed, and it works on a file opened read-only.
func tryLock(f *os.File, exclusive bool) (bool, error) {
	how := unix.LOCK_SH
	if exclusive {
		how = unix.LOCK_EX
	}
	err := unix.Flock(int(f.Fd()), how|unix.LOCK_NB)
	if err == nil {
		return true, nil
	}
	if errors.Is(err, unix.EWOULDBLOCK) || errors.Is(err, unix.EAGAIN) {
		return false, nil
	}
	return false, err
}

func unlock(f *os.File) error {
	return unix.Flock(int(f.Fd()), unix.LOCK_UN)
}
