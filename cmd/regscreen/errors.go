package main

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"syscall"
	"unicode"
	"unicode/utf8"

	"github.com/regscreen/regscreen/internal/cobrazh"
	"github.com/regscreen/regscreen/store"
)

// fileError words a file-system error in Chinese, keeping the file name,
// with what to do about it.
func fileError(action, path string, err error) error {
	return fmt.Errorf("%s %s：%s", action, path, osReason(err))
}

// osReason is the Chinese for the common file-system errors; others keep
// their text.
func osReason(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "文件或目录不存在，请检查路径"
	case errors.Is(err, fs.ErrPermission):
		return "没有权限，请检查文件的权限或换一个位置"
	case errors.Is(err, syscall.EISDIR):
		return "这是目录，不是文件"
	case errors.Is(err, syscall.ENOTDIR):
		return "路径中的某一级不是目录"
	case errors.Is(err, syscall.ENOSPC):
		return "磁盘已满，请腾出空间后重试"
	case errors.Is(err, syscall.EROFS):
		return "所在磁盘只读，请换一个位置"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// userMessage is the one line a clerk sees for an error: Chinese, with
// what to do. cmdPath names the command for the help hint. Errors are
// worded where they arise (the store's, the readers'); only cobra's and
// pflag's English, and the OS's text in a bare *fs.PathError, are put
// into Chinese here.
func userMessage(err error, cmdPath string) string {
	if zh, ok := cobrazh.Message(err, cmdPath); ok {
		return zh
	}
	msg := err.Error()
	var pe *fs.PathError
	var worded *store.Error
	if errors.As(err, &pe) && !errors.As(err, &worded) && !strings.ContainsRune(msg, '：') {
		return fileError("", pe.Path, err).Error()[1:]
	}
	return strings.ReplaceAll(fullWidthColons(msg), "\n", "；")
}

// fullWidthColons turns the ": " of Go's error wrapping after Chinese
// text into the full-width colon a Chinese sentence has.
func fullWidthColons(msg string) string {
	var b strings.Builder
	for {
		i := strings.Index(msg, ": ")
		if i < 0 {
			b.WriteString(msg)
			return b.String()
		}
		r, _ := utf8.DecodeLastRuneInString(msg[:i])
		if unicode.Is(unicode.Han, r) || strings.ContainsRune("）」”』】", r) {
			b.WriteString(msg[:i] + "：")
		} else {
			b.WriteString(msg[:i+2])
		}
		msg = msg[i+2:]
	}
}
