package main

import (
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"strings"
	"syscall"
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

// cobraMessages turn cobra's and pflag's English into Chinese; the
// captured parts keep the flag, command or value.
var cobraMessages = []struct {
	re *regexp.Regexp
	zh string
}{
	{regexp.MustCompile(`^unknown flag: (\S+)`), "未知的选项 $1"},
	{regexp.MustCompile(`^unknown shorthand flag: '(.)' in (\S+)`), "未知的选项 -$1"},
	{regexp.MustCompile(`^flag needs an argument: '?(.*?)'? in (\S+)$`), "选项 -$1 需要一个值"},
	{regexp.MustCompile(`^flag needs an argument: (\S+)`), "选项 $1 需要一个值"},
	{regexp.MustCompile(`^invalid argument "(.*)" for "(.*)" flag: .*ParseInt.*`), "选项 $2 的值 “$1” 无效（应为整数）"},
	{regexp.MustCompile(`^invalid argument "(.*)" for "(.*)" flag: .*ParseBool.*`), "选项 $2 的值 “$1” 无效（应为 true 或 false）"},
	{regexp.MustCompile(`^invalid argument "(.*)" for "(.*)" flag: .*`), "选项 $2 的值 “$1” 无效"},
	{regexp.MustCompile(`^unknown command "(.*)" for "(.*)"$`), "未知的命令 “$1”"},
	{regexp.MustCompile(`^accepts (\d+) arg\(s\), received (\d+)$`), "需要 $1 个参数，收到 $2 个"},
	{regexp.MustCompile(`^accepts at most (\d+) arg\(s\), received (\d+)$`), "最多接受 $1 个参数，收到 $2 个"},
	{regexp.MustCompile(`^requires at least (\d+) arg\(s\), only received (\d+)$`), "至少需要 $1 个参数，收到 $2 个"},
	{regexp.MustCompile(`^if any flags in the group \[(.*)\] are set none of the others can be; .*`), "选项 $1 不能同时使用"},
}

var unknownCommand = regexp.MustCompile(`^unknown command "(.*?)" for "(.*?)"`)

// userMessage is the one line a clerk sees for an error: Chinese, with
// what to do. cmdPath names the command for the help hint.
func userMessage(err error, cmdPath string) string {
	msg := err.Error()
	if m := unknownCommand.FindStringSubmatch(msg); m != nil {
		zh := "未知的命令 “" + m[1] + "”；"
		if i := strings.Index(msg, "Did you mean this?"); i >= 0 {
			zh = "未知的命令 “" + m[1] + "”，是不是 " + strings.Join(strings.Fields(msg[i+len("Did you mean this?"):]), "、") + "？"
		}
		return zh + "用 “" + cmdPath + " --help” 查看全部命令"
	}
	for _, m := range cobraMessages {
		if m.re.MatchString(msg) {
			return m.re.ReplaceAllString(msg, m.zh) + "；用 “" + cmdPath + " --help” 查看用法"
		}
	}
	var pe *fs.PathError
	if errors.As(err, &pe) && !strings.ContainsRune(msg, '：') {
		return fileError("", pe.Path, err).Error()[1:]
	}
	msg = sqliteInChinese(withoutSentinels(msg, err))
	return strings.ReplaceAll(asciiColon.ReplaceAllString(msg, "$1："), "\n", "；")
}

// asciiColon is the ": " of Go's error wrapping after Chinese text, which
// reads as a full-width colon in a Chinese sentence.
var asciiColon = regexp.MustCompile(`([\p{Han}）」”』】]): `)

// withoutSentinels drops the English text of sentinel errors wrapped at
// the end of a Chinese sentence ("…: store does not exist"): they are
// there for errors.Is, not for the clerk. SQLite's errors say what went
// wrong: they stay, to be put into Chinese.
func withoutSentinels(msg string, err error) string {
	for e := errors.Unwrap(err); e != nil; e = errors.Unwrap(e) {
		if text := e.Error(); isASCII(text) && !sqliteText.MatchString(text) {
			msg = strings.TrimSuffix(msg, ": "+text)
		}
	}
	return msg
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
