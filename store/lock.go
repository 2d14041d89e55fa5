package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/regscreen/regscreen/internal/zhtime"
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
		return nil, lockFileError(path, lockPath, err)
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
			return nil, fmt.Errorf("存储 %s 正被另一个 regscreen 使用（已等待 %s）；请稍后再试", path, zhtime.Duration(wait))
		}
		if !told && waiting != nil {
			fmt.Fprintf(waiting, "存储 %s 正被另一个 regscreen 使用，等待其结束（最多 %s）…\n", path, zhtime.Duration(wait))
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

// lockFileError says why the lock file could not be opened in terms of
// the store the clerk named: usually its directory is missing or not
// writable, which the lock file's own name would hide.
func lockFileError(path, lockPath string, err error) error {
	dir := filepath.Dir(path)
	_, dirErr := os.Stat(dir)
	_, lockErr := os.Stat(lockPath)
	switch {
	case errors.Is(err, fs.ErrNotExist) && errors.Is(dirErr, fs.ErrNotExist):
		return &Error{Kind: CantOpen, Path: path, Msg: fmt.Sprintf(" 所在的目录 %s 不存在", dir),
			Hint: "请先建立这个目录，或改正 --db 的路径", Err: err}
	case errors.Is(err, fs.ErrPermission) && errors.Is(lockErr, fs.ErrNotExist):
		return &Error{Kind: NoPermission, Path: path, Msg: fmt.Sprintf(" 所在的目录 %s 没有写权限（须在其中建立锁文件 %s）", dir, filepath.Base(lockPath)),
			Hint: "请检查目录的权限，或把存储放到可写的位置", Err: err}
	}
	return fmt.Errorf("打开存储锁文件 %s: %w", lockPath, err)
}

// releaseLock unlocks and closes the lock file.
func releaseLock(f *os.File) {
	if f == nil {
		return
	}
	unlock(f)
	f.Close()
}

// RunStatusLabel is a listed run's status as a clerk reads it. A run still
// marked running that a reader sees was killed (kill -9, a power cut): a
// reader holds the shared lock, which no writer can hold at the same time,
// and a writer marks such runs failed only when it next opens the store.
// The lock is the test of whether the writer lives, not a PID in a file,
// which another process can have been given since.
func (s *Store) RunStatusLabel(status string) string {
	if status == "running" && s.readOnly {
		return "已中断"
	}
	return StatusLabel(status)
}
