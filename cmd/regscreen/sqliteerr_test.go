package main

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestSQLiteErrorsInChinese: what SQLite says (as modernc.org/sqlite words
// it) reaches the clerk in Chinese, with what to do.
func TestSQLiteErrorsInChinese(t *testing.T) {
	cases := []struct{ err, want string }{
		{"存储 t.db 已损坏或不是 SQLite 数据库（检查结果：file is not a database (26)）；未写入任何内容。请从备份恢复，或换一个 --db 文件", "存储 t.db 不是 regscreen 存储或已损坏，请检查 --db 的路径或从备份恢复"},
		{"存储 t.db 已损坏或不是 SQLite 数据库（检查结果：*** in database main ***\nPage 3: btreeInitPage() returns error code 11）；未写入任何内容。请从备份恢复，或换一个 --db 文件", "存储 t.db 不是 regscreen 存储或已损坏"},
		{"存储 t.db 已损坏或不是 SQLite 数据库（检查结果：database is locked (5) (SQLITE_BUSY)）；未写入任何内容。请从备份恢复，或换一个 --db 文件", "存储 t.db：正被另一个程序使用"},
		{"存储 s.db 无法使用: database or disk is full (13)", "存储 s.db 无法使用：磁盘已满，请腾出空间后重试"},
		{"存储 s.db：attempt to write a readonly database (8)", "存储 s.db：文件或所在目录只读"},
		{"存储 s.db：disk I/O error: short write (778)", "存储 s.db：读写磁盘出错"},
		{"存储 s.db：unable to open database file: out of memory (14)", "存储 s.db：无法打开，请检查路径和权限"},
		{"存储 s.db：database disk image is malformed (11)", "存储 s.db：不是 regscreen 存储或已损坏，请检查路径或从备份恢复"},
	}
	for _, tc := range cases {
		got := userMessage(fmt.Errorf("%s", tc.err), "regscreen")
		if !strings.Contains(got, tc.want) || english.MatchString(got) || strings.Contains(got, "database") {
			t.Errorf("%q\n  gave %q\n  want %q, no English", tc.err, got, tc.want)
		}
	}
	// SQLite's error wrapped under a Chinese sentence is its cause, not a
	// sentinel to drop.
	got := userMessage(fmt.Errorf("存储 s.db 无法使用: %w", errors.New("database or disk is full (13)")), "regscreen")
	if !strings.Contains(got, "磁盘已满") {
		t.Errorf("the wrapped cause was lost: %q", got)
	}
}
