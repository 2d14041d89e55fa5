package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"
)

// lockPoll is how often a waiting open retries the lock.
const lockPoll = 200 * time.Millisecond

// acquireLock takes the lock file beside the store: exclusive for a
// writer, shared for readers. It retries until wait has passed, telling
// waiting (if not nil) once that it is waiting. The lock file stays
// beside the store: deleting it on close would race with a process that
// has just opened it and is about to lock it.
func acquireLock(ctx context.Context, path string, exclusive bool, wait time.Duration, waiting io.Writer) (*os.File, error) {
	lockPath := path + ".lock"
	f, err := os.OpenFile(lockPath, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil && !exclusive {
		// A reader of a store in a directory it may not write to: the
		// lock file is readable (flock and LockFileEx work on a file opened
		// for reading) or, where no writer ever made one, absent — then
		// no regscreen can be writing there and the reader goes unlocked.
		if f, err = os.Open(lockPath); errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
	}
	if err != nil {
		return nil, fmt.Errorf("打开存储锁文件 %s: %w", lockPath, err)
	}
	deadline := time.Now().Add(wait)
	told := false
	for {
		ok, err := tryLock(f, exclusive)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("锁定存储 %s: %w", path, err)
		}
		if ok {
			return f, nil
		}
		if !time.Now().Before(deadline) {
			f.Close()
			return nil, fmt.Errorf("存储 %s 正被另一个 regscreen 使用（等待 %s 后放弃）；请稍后再试", path, wait)
		}
		if !told && waiting != nil {
			fmt.Fprintf(waiting, "存储 %s 正被另一个 regscreen 使用，等待其结束（最多 %s）…\n", path, wait)
			told = true
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-time.After(lockPoll):
		}
	}
}

// releaseLock unlocks and closes the lock file.
func releaseLock(f *os.File) {
	if f == nil {
		return
	}
	unlock(f)
	f.Close()
}
