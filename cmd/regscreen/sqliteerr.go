package main

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// sqliteText matches an error as modernc.org/sqlite words it: SQLite's
// own description of the result code, perhaps its detailed message after a
// colon, then the code in brackets ("file is not a database (26)").
var sqliteText = regexp.MustCompile(`(: )?(?:not an error|SQL logic error|internal logic error|access permission denied|query aborted|` +
	`database is locked|database table is locked|out of memory|attempt to write a readonly database|interrupted|disk I/O error|` +
	`database disk image is malformed|unknown operation|database or disk is full|unable to open database file|locking protocol|` +
	`database schema has changed|string or blob too big|constraint failed|datatype mismatch|bad parameter or other API misuse|` +
	`authorization denied|column index out of range|file is not a database)(?:: [^\n]*?)? \((\d+)\)(?: \(SQLITE_BUSY\))?`)

// sqliteReason is the Chinese for an SQLite result code: what went wrong
// and what to do.
func sqliteReason(code int) string {
	switch code & 0xff { // an extended code's low byte is its primary code
	case 5, 6: // SQLITE_BUSY, SQLITE_LOCKED
		return "正被另一个程序使用（如用 SQLite 工具打开着），请关闭它或稍后再试"
	case 7: // SQLITE_NOMEM
		return "内存不足，请关闭其他程序后重试"
	case 8: // SQLITE_READONLY
		return "文件或所在目录只读，请检查权限或换一个位置"
	case 4, 9: // SQLITE_ABORT, SQLITE_INTERRUPT
		return "操作被中断，未改动"
	case 10: // SQLITE_IOERR
		return "读写磁盘出错，请检查磁盘或换一个位置后重试"
	case 11, 26: // SQLITE_CORRUPT, SQLITE_NOTADB
		return "不是 regscreen 存储或已损坏，请检查路径或从备份恢复"
	case 13: // SQLITE_FULL
		return "磁盘已满，请腾出空间后重试"
	case 14: // SQLITE_CANTOPEN
		return "无法打开，请检查路径和权限"
	case 3, 23: // SQLITE_PERM, SQLITE_AUTH
		return "没有权限，请检查文件的权限"
	}
	return fmt.Sprintf("SQLite 出错（错误代码 %d）", code)
}

// damagedStore matches the store's refusal of a file it cannot check.
var damagedStore = regexp.MustCompile(`(?s)^(.*?)存储 (.+?) 已损坏或不是 SQLite 数据库（检查结果：(.*)）；未写入任何内容。.*$`)

// sqliteInChinese replaces SQLite's English in a message. A store the
// check could not read is said to be damaged only when SQLite says so (a
// busy or unreadable file is something else), in one sentence.
func sqliteInChinese(msg string) string {
	if m := damagedStore.FindStringSubmatch(msg); m != nil {
		if c := sqliteText.FindStringSubmatch(m[3]); c != nil {
			if code, _ := strconv.Atoi(c[2]); code&0xff != 11 && code&0xff != 26 {
				return m[1] + "存储 " + m[2] + "：" + sqliteReason(code)
			}
		}
		return m[1] + "存储 " + m[2] + " 不是 regscreen 存储或已损坏，请检查 --db 的路径或从备份恢复（未写入任何内容）"
	}
	return sqliteText.ReplaceAllStringFunc(msg, func(s string) string {
		m := sqliteText.FindStringSubmatch(s)
		code, _ := strconv.Atoi(m[2])
		if m[1] != "" {
			return "：" + sqliteReason(code)
		}
		return sqliteReason(code)
	})
}

// storeError names the store in an error that does not already: SQLite's
// own errors name no file.
func storeError(path string, err error) error {
	if err == nil || strings.Contains(err.Error(), path) {
		return err
	}
	return fmt.Errorf("存储 %s：%w", path, err)
}
