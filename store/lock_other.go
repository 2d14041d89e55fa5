//go:build !(darwin || linux || freebsd || netbsd || openbsd || dragonfly || solaris || illumos || windows)

package store

import (
	"errors"
	"os"
)

// Without a file lock a second scan could interleave with the first;
// refuse rather than lose that guarantee silently.
func tryLock(*os.File, bool) (bool, error) {
	return false, errors.New("此平台不支持文件锁，无法安全使用存储")
}

func unlock(*os.File) error { return nil }
