package store

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// english catches SQLite's English (or Go's) in what a clerk reads.
var english = regexp.MustCompile(`[a-zA-Z]{3,} [a-zA-Z]{2,}`)

// SQLite's own errors reach the caller as the store's Error, of a kind,
// in Chinese, naming the store, with the SQLite error as the cause.
func TestSQLiteErrorsAreWordedWhereTheyArise(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()

	text := filepath.Join(dir, "text.db")
	os.WriteFile(text, []byte(strings.Repeat("这不是数据库\n", 1000)), 0o644)
	raw, _ := sql.Open("sqlite", "file:"+text)
	defer raw.Close()
	_, notADB := raw.ExecContext(ctx, `SELECT 1 FROM sqlite_master`)

	busyPath := filepath.Join(dir, "busy.db")
	holder, _ := sql.Open("sqlite", "file:"+busyPath)
	defer holder.Close()
	holder.SetMaxOpenConns(1)
	holder.Exec(`CREATE TABLE t(x)`)
	tx, err := holder.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	tx.Exec(`INSERT INTO t VALUES(1)`)
	other, _ := sql.Open("sqlite", "file:"+busyPath+"?_pragma=busy_timeout(0)")
	defer other.Close()
	_, busy := other.ExecContext(ctx, `INSERT INTO t VALUES(2)`)
	raw2, _ := sql.Open("sqlite", "file:"+filepath.Join(dir, "other.db"))
	defer raw2.Close()
	_, dropped := raw2.ExecContext(ctx, `SELECT id FROM runs`) // a table another program dropped

	for _, tc := range []struct {
		name string
		err  error
		kind Kind
		want string
	}{
		{"not a database", notADB, Damaged, "不是 regscreen 存储或已损坏；请检查 --db 的路径"},
		{"busy", busy, Busy, "：正被另一个程序使用（如用 SQLite 工具打开着）；请关闭它或稍后再试"},
		{"no such table", dropped, Damaged, "结构与 regscreen 的不符（缺少表或列，可能被其他程序改动过）；请检查 --db 的路径或从备份恢复"},
	} {
		if tc.err == nil {
			t.Fatalf("%s: SQLite gave no error", tc.name)
		}
		got := Named("s.db", tc.err)
		var se *Error
		if !errors.As(got, &se) || se.Kind != tc.kind || !errors.Is(got, tc.err) {
			t.Errorf("%s: %#v, want kind %d wrapping SQLite's error", tc.name, got, tc.kind)
			continue
		}
		if msg := got.Error(); !strings.HasPrefix(msg, "存储 s.db") || !strings.Contains(msg, tc.want) || english.MatchString(msg) {
			t.Errorf("%s: %q, want %q and no English", tc.name, msg, tc.want)
		}
	}
}

// The sentinels match a store Error of their kind whatever its text.
func TestSentinelsMatchByKind(t *testing.T) {
	ctx := context.Background()
	_, err := OpenReadOnly(ctx, filepath.Join(t.TempDir(), "没有.db"), OpenOptions{})
	if !errors.Is(err, ErrNotExist) || errors.Is(err, ErrEmpty) {
		t.Errorf("missing store: %v", err)
	}
	if english.MatchString(err.Error()) {
		t.Errorf("English in %q", err)
	}
}
