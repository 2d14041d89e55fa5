package main

import (
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"syscall"
	"unicode"
	"unicode/utf8"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

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
	if zh, ok := flagMessage(err); ok {
		return zh + "；用 “" + cmdPath + " --help” 查看用法"
	}
	msg := err.Error()
	if name, did, ok := unknownCommand(msg); ok {
		if len(did) > 0 {
			return "未知的命令 “" + name + "”，是不是 " + strings.Join(did, "、") + "？用 “" + cmdPath + " --help” 查看全部命令"
		}
		return "未知的命令 “" + name + "”；用 “" + cmdPath + " --help” 查看全部命令"
	}
	var pe *fs.PathError
	var worded *store.Error
	if errors.As(err, &pe) && !errors.As(err, &worded) && !strings.ContainsRune(msg, '：') {
		return fileError("", pe.Path, err).Error()[1:]
	}
	return strings.ReplaceAll(fullWidthColons(msg), "\n", "；")
}

// flagMessage is pflag's error about a flag, in Chinese.
func flagMessage(err error) (string, bool) {
	var unknown *pflag.NotExistError
	var noValue *pflag.ValueRequiredError
	var invalid *pflag.InvalidValueError
	switch {
	case errors.As(err, &unknown) && unknown.GetSpecifiedShortnames() != "":
		return "未知的选项 -" + unknown.GetSpecifiedName(), true
	case errors.As(err, &unknown):
		return "未知的选项 --" + unknown.GetSpecifiedName(), true
	case errors.As(err, &noValue) && noValue.GetSpecifiedShortnames() != "":
		return "选项 -" + noValue.GetFlag().Shorthand + " 需要一个值", true
	case errors.As(err, &noValue):
		return "选项 --" + noValue.GetSpecifiedName() + " 需要一个值", true
	case errors.As(err, &invalid):
		f := invalid.GetFlag()
		name := "--" + f.Name
		if f.Shorthand != "" {
			name = "-" + f.Shorthand + ", " + name
		}
		zh := "选项 " + name + " 的值 “" + invalid.GetValue() + "” 无效"
		var num *strconv.NumError
		switch {
		case errors.As(err, &num) && num.Func == "ParseInt":
			zh += "（应为整数）"
		case errors.As(err, &num) && num.Func == "ParseBool":
			zh += "（应为 true 或 false）"
		}
		return zh, true
	}
	return "", false
}

// unknownCommand reads cobra's `unknown command "x" for "regscreen db"`
// and the suggestions after "Did you mean this?".
func unknownCommand(msg string) (name string, suggestions []string, ok bool) {
	rest, ok := strings.CutPrefix(msg, `unknown command "`)
	if !ok {
		return "", nil, false
	}
	name, rest, ok = strings.Cut(rest, `" for "`)
	if !ok {
		return "", nil, false
	}
	if _, did, found := strings.Cut(rest, "Did you mean this?"); found {
		suggestions = strings.Fields(did)
	}
	return name, suggestions, true
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

// exactArgs is cobra.ExactArgs in Chinese.
func exactArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return fmt.Errorf("需要 %d 个参数，收到 %d 个；用 “%s --help” 查看用法", n, len(args), cmd.CommandPath())
		}
		return nil
	}
}
