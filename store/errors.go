package store

import (
	"errors"
	"fmt"
	"strings"

	"modernc.org/sqlite"
)

// Kind says what went wrong with a store.
type Kind int

const (
	Failed        Kind = iota // anything else
	NotExist                  // no store at the path: only scan --db makes one
	Empty                     // a store with no tables: a first scan --db interrupted before its commit
	OldSchema                 // written by an older regscreen: a writer upgrades it
	NeedsRecovery             // its last writer was killed while committing: a writer plays the journal back
	Damaged                   // not a store, or damaged
	Busy                      // another program holds the file
	ReadOnly                  // the file or its directory is read-only
	NoPermission              // no permission to the file
	DiskFull                  // the disk is full
	DiskIO                    // the disk failed a read or a write
	NoMemory                  // SQLite ran out of memory
	CantOpen                  // the file cannot be opened
	Interrupted               // an operation was interrupted, nothing changed
	NoEarlierRun              // no complete run to compare with
)

// Error is a failure of the store at Path, worded for a clerk where it
// arises: what went wrong (Msg, the text after the path) and what to do
// about it (Hint). Err is the cause, if any (an *sqlite.Error, an I/O
// error); its English is never part of the message.
type Error struct {
	Kind Kind
	Path string
	Msg  string
	Hint string
	Err  error
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.Path != "" {
		b.WriteString("存储 " + e.Path)
	}
	b.WriteString(e.Msg)
	if e.Hint != "" {
		b.WriteString("；" + e.Hint)
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Is matches the sentinels below by kind.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Path == "" && t.Msg == "" && t.Kind == e.Kind
}

// Sentinels for errors.Is: a store Error of the same kind matches.
var (
	ErrNotExist      = &Error{Kind: NotExist}
	ErrEmpty         = &Error{Kind: Empty}
	ErrOldSchema     = &Error{Kind: OldSchema}
	ErrNeedsRecovery = &Error{Kind: NeedsRecovery}
	ErrNoEarlierRun  = &Error{Kind: NoEarlierRun}
)

func errNotExist(path string) error {
	return &Error{Kind: NotExist, Path: path, Msg: " 不存在", Hint: "请检查 --db 的路径（只有 scan --db 会新建存储）"}
}

func errEmpty(path string) error {
	return &Error{Kind: Empty, Path: path, Msg: " 是空的（还没有完成的运行）", Hint: "请先运行一次 scan --db"}
}

func errReadOnly(path string) error {
	return &Error{Kind: ReadOnly, Path: path, Msg: " 以只读方式打开，不能写入"}
}

// sqliteKinds word SQLite's result codes (the primary code, an extended
// code's low byte): the kind, what went wrong and what to do.
var sqliteKinds = map[int]struct {
	kind      Kind
	msg, hint string
}{
	// SQLITE_ERROR: a statement that does not fit the file, e.g. a table
	// dropped or changed by another program.
	1:  {Damaged, "结构与 regscreen 的不符（缺少表或列，可能被其他程序改动过）", "请检查 --db 的路径或从备份恢复"},
	3:  {NoPermission, "没有权限", "请检查文件的权限"},
	4:  {Interrupted, "操作被中断，未改动", ""},
	5:  {Busy, "正被另一个程序使用（如用 SQLite 工具打开着）", "请关闭它或稍后再试"},
	6:  {Busy, "正被另一个程序使用（如用 SQLite 工具打开着）", "请关闭它或稍后再试"},
	7:  {NoMemory, "内存不足", "请关闭其他程序后重试"},
	8:  {ReadOnly, "文件或所在目录只读", "请检查权限或换一个位置"},
	9:  {Interrupted, "操作被中断，未改动", ""},
	10: {DiskIO, "读写磁盘出错", "请检查磁盘或换一个位置后重试"},
	11: {Damaged, "不是 regscreen 存储或已损坏", "请检查 --db 的路径或从备份恢复"},
	13: {DiskFull, "磁盘已满", "请腾出空间后重试"},
	14: {CantOpen, "无法打开", "请检查路径和权限"},
	23: {NoPermission, "没有权限", "请检查文件的权限"},
	26: {Damaged, "不是 regscreen 存储或已损坏", "请检查 --db 的路径或从备份恢复"},
}

// sqliteError is the store's error for one of SQLite's, nil if err holds
// none.
func sqliteError(path string, err error) *Error {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return nil
	}
	k, ok := sqliteKinds[se.Code()&0xff]
	if !ok {
		return &Error{Kind: Failed, Path: path, Msg: fmt.Sprintf("：SQLite 出错（错误代码 %d）", se.Code()), Err: err}
	}
	return &Error{Kind: k.kind, Path: path, Msg: "：" + k.msg, Hint: k.hint, Err: err}
}

// Named is err as the store at path reports it: a store Error as it is,
// one of SQLite's worded as an Error, anything else prefixed with the
// store's path unless it names it already.
func Named(path string, err error) error {
	var se *Error
	switch {
	case err == nil, errors.As(err, &se):
		return err
	}
	if e := sqliteError(path, err); e != nil {
		return e
	}
	if strings.Contains(err.Error(), path) {
		return err
	}
	return fmt.Errorf("存储 %s：%w", path, err)
}

// named words an error of SQLite's in a method's result as the store's
// Error (defer s.named(&err)); other errors are already worded.
func (s *Store) named(err *error) {
	var se *Error
	if *err == nil || errors.As(*err, &se) {
		return
	}
	if e := sqliteError(s.path, *err); e != nil {
		*err = e
	}
}

// damaged is the error of a store that fails its check or cannot be read
// at all: damaged, unless SQLite says it is something else (busy,
// unreadable); nothing was written.
func (s *Store) damaged(cause error) error {
	if e := sqliteError(s.path, cause); e != nil && e.Kind != Damaged {
		return e
	}
	return &Error{Kind: Damaged, Path: s.path, Msg: " 不是 regscreen 存储或已损坏",
		Hint: "请检查 --db 的路径或从备份恢复（未写入任何内容）", Err: cause}
}
