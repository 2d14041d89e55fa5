// Package store remembers scans in an embedded SQLite database (pure Go,
// no server): each run, a compact fingerprint of every record seen, and the
// details of every record with an occurrence, so that a nightly scan can
// be compared with earlier ones (五(四) continuous tracking, 七.1 monthly
// return) and the clerk's consultation decisions carry over.
//
// The contract callers rely on:
//   - A run is written in one transaction: a crash, a kill or a full disk
//     leaves the store as it was (the run is listed as failed). Running the
//     same input again, after any outcome, is harmless.
//   - Writers (Open, OpenWriter) take an exclusive lock, readers
//     (OpenReadOnly) a shared one, on the file path + ".lock" beside the
//     store. The lock file is kept for good (removing it would race with
//     a process about to lock it): back it up or not, it holds no data.
//     A second writer waits up to OpenOptions.Wait, saying so on
//     OpenOptions.Waiting, then fails with a message naming the store.
//   - OpenReadOnly never creates a store: a missing path is an error
//     wrapping ErrNotExist, an empty one (no tables) wraps ErrEmpty. It
//     works on a read-only file. OpenWriter does the same with
//     OpenOptions.Existing (import, prune); without it, it makes the store.
//   - A writer runs PRAGMA quick_check before writing and refuses a
//     damaged store; a schema version that is not a known integer is
//     refused, a newer one asks for a newer regscreen, an older one is
//     migrated forward (by a writer; readers get ErrOldSchema).
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver
)

// DefaultPath is used when --db is given without a path and REGSCREEN_DB
// is not set.
const DefaultPath = "regscreen.db"

// Path resolves the store's location: an explicit path, else REGSCREEN_DB,
// else DefaultPath.
func Path(explicit string) string {
	if explicit != "" {
		return explicit
	}
	if env := os.Getenv("REGSCREEN_DB"); env != "" {
		return env
	}
	return DefaultPath
}

// Store is an open database.
type Store struct {
	db       *sql.DB
	path     string
	lock     *os.File
	readOnly bool
	// stamp: the last write of this session (a run, an import, a prune,
	// an upgrade) succeeded, and nothing failed after it, so closing the
	// store stamps it as clean (see stamp.go).
	stamp bool
}

// OpenOptions say how an open waits for another regscreen using the store.
type OpenOptions struct {
	// Wait is how long to wait for the lock before giving up.
	Wait time.Duration
	// Waiting, if not nil, is told once (one line in Chinese) that the open
	// is waiting for another regscreen, so that a terminal does not look hung.
	Waiting io.Writer
	// Existing makes OpenWriter refuse a path that is not a store yet
	// (ErrNotExist, creating nothing) or an empty one (ErrEmpty), as
	// OpenReadOnly does: only a scan makes a store, and an import or a
	// prune given a mistyped path must not leave a new one behind.
	Existing bool
}

// Open opens the store at path for writing (a scan, an import, a prune):
// it creates the file if needed, takes the exclusive lock (waiting up to
// wait for another regscreen), refuses a damaged store, migrates an older
// schema forward and marks runs left running by a killed process failed.
func Open(ctx context.Context, path string, wait time.Duration) (*Store, error) {
	return OpenWriter(ctx, path, OpenOptions{Wait: wait})
}

// OpenWriter is Open with options.
func OpenWriter(ctx context.Context, path string, o OpenOptions) (_ *Store, err error) {
	defer func() { err = Named(path, err) }()
	fi, err := os.Stat(path)
	if err == nil && fi.IsDir() {
		return nil, fmt.Errorf("存储 %s 是一个目录，不是存储文件", path)
	}
	if o.Existing && errors.Is(err, fs.ErrNotExist) {
		return nil, errNotExist(path)
	}
	lock, err := acquireLock(ctx, path, true, o.Wait, o.Waiting)
	if err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", "file:"+path+"?"+writerPragmas)
	if err != nil {
		releaseLock(lock)
		return nil, fmt.Errorf("打开存储 %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	s := &Store{db: db, path: path, lock: lock}
	if !closedCleanly(lock, path) {
		if err := s.check(ctx); err != nil {
			s.Close()
			return nil, err
		}
	}
	// Whatever happens from here, the next writer checks the store again
	// unless this one closes it cleanly.
	if err := clearStamp(lock); err != nil {
		s.Close()
		return nil, fmt.Errorf("写入存储锁文件 %s.lock: %w", path, err)
	}
	if o.Existing {
		v, err := s.version(ctx)
		if err == nil && v == 0 {
			err = errEmpty(path)
		}
		if err != nil {
			s.Close()
			return nil, err
		}
	}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	// We hold the lock: a run still marked running was killed.
	if _, err := db.ExecContext(ctx, `UPDATE runs SET status='failed', error='进程中断（未正常结束）' WHERE status='running'`); err != nil {
		s.Close()
		return nil, fmt.Errorf("存储 %s: %w", path, err)
	}
	return s, nil
}

// writerPragmas, measured on a 1M-row run (scripts/bench.sh): a rollback
// journal, not WAL — one writer at a time holds the lock and readers wait
// for it, so WAL buys no concurrency, costs a second write of every page
// at checkpoint, and a WAL store cannot be read from a read-only file or
// directory without its -shm file. temp_store(MEMORY) keeps the statement
// journal of multi-row inserts out of a temp file. 32 KiB pages were
// tried and withdrawn: SQLite's allocator then maps every cached page on
// its own, and freeing the cache at close took a second of madvise. A
// 4 MiB cache (the records are written in key order, so the working set is
// small) was 0.3 s faster on a 1M-row run than 16 MiB, and 25 MB smaller.
const writerPragmas = "_pragma=busy_timeout(10000)&_pragma=journal_mode(DELETE)&_pragma=synchronous(FULL)&_pragma=cache_size(-4096)&_pragma=temp_store(MEMORY)"

// OpenReadOnly opens an existing store for reading (changes, history, db
// runs, report monthly): a missing path is an error wrapping ErrNotExist,
// nothing is created but the lock file (and not even that where the
// directory is read-only), and the shared lock lets readers in together
// while a writer waits for them, and them for a writer.
func OpenReadOnly(ctx context.Context, path string, o OpenOptions) (_ *Store, err error) {
	defer func() { err = Named(path, err) }()
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, errNotExist(path)
	}
	if err != nil {
		return nil, fmt.Errorf("打开存储 %s: %w", path, err)
	}
	if fi.IsDir() {
		return nil, fmt.Errorf("存储 %s 是一个目录，不是存储文件", path)
	}
	lock, err := acquireLock(ctx, path, false, o.Wait, o.Waiting)
	if err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(10000)&_pragma=cache_size(-4096)")
	if err != nil {
		releaseLock(lock)
		return nil, fmt.Errorf("打开存储 %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	s := &Store{db: db, path: path, lock: lock, readOnly: true}
	v, err := s.version(ctx)
	if fi, jerr := os.Stat(path + "-journal"); err != nil && jerr == nil && fi.Size() > 0 {
		// A writer was killed while committing: its rollback journal must
		// be played back, which a read-only open cannot do.
		err = &Error{Kind: NeedsRecovery, Path: path, Msg: fmt.Sprintf(" 的上一次写入被中断（留有日志 %s-journal），只读命令无法恢复它", path),
			Hint: "请先运行一次写入存储的命令（如 scan --db），它会先把存储恢复到上一次完整提交的状态"}
	}
	if err == nil && v == 0 {
		err = errEmpty(path)
	}
	if err == nil && v < SchemaVersion {
		err = &Error{Kind: OldSchema, Path: path, Msg: fmt.Sprintf(" 由旧版 regscreen 写入（结构版本 %d），须先升级", v),
			Hint: fmt.Sprintf("运行一次 regscreen scan --db %s 会自动升级", path)}
	}
	if err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Upgrade opens the store for writing and closes it again: an older
// schema is migrated forward and an interrupted commit rolled back, so
// that read commands can use it (ErrOldSchema, ErrNeedsRecovery).
func Upgrade(ctx context.Context, path string, o OpenOptions) error {
	if _, err := os.Stat(path); err != nil {
		return errNotExist(path)
	}
	s, err := OpenWriter(ctx, path, o)
	if err != nil {
		return err
	}
	return s.Close()
}

// ReadOnly reports whether the store was opened with OpenReadOnly.
func (s *Store) ReadOnly() bool { return s.readOnly }

// Path is where the store is.
func (s *Store) Path() string { return s.path }

// check refuses a damaged store before anything is written to it: a
// write on a store with corrupt pages can spread the damage, and the
// failure would only show later ("malformed") in a read command.
func (s *Store) check(ctx context.Context) error {
	checks.Add(1)
	rows, err := s.db.QueryContext(ctx, `PRAGMA quick_check(5)`)
	if err != nil {
		return s.damaged(err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var msg string
		if err := rows.Scan(&msg); err != nil {
			return s.damaged(err)
		}
		if msg != "ok" {
			problems = append(problems, msg)
		}
	}
	if err := rows.Err(); err != nil {
		return s.damaged(err)
	}
	if len(problems) > 0 {
		return s.damaged(errors.New(strings.Join(problems, "；")))
	}
	return nil
}

// version reads the schema version: 0 for a new, empty store.
func (s *Store) version(ctx context.Context) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'`).Scan(&n); err != nil {
		return 0, s.damaged(err)
	}
	if n == 0 {
		if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master`).Scan(&n); err != nil {
			return 0, s.damaged(err)
		}
		if n > 0 {
			return 0, fmt.Errorf("存储 %s 是 SQLite 数据库，但不是 regscreen 的存储（没有 meta 表）；请换一个 --db 文件", s.path)
		}
		return 0, nil
	}
	var raw sql.NullString
	err := s.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key='schema_version'`).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		// An older build created meta on its own before the first
		// migration: interrupted in between, it left nothing else.
		if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'`).Scan(&n); err == nil && n == 1 {
			return 0, nil
		}
		return 0, fmt.Errorf("存储 %s 缺少结构版本（meta 表中没有 schema_version）；存储已损坏，请从备份恢复", s.path)
	}
	if err != nil {
		return 0, s.damaged(err)
	}
	v, perr := strconv.Atoi(strings.TrimSpace(raw.String))
	if perr != nil || v < 1 {
		return 0, fmt.Errorf("存储 %s 的结构版本“%s”无效（应为 1 到 %d 的整数）；存储已损坏，请从备份恢复", s.path, raw.String, SchemaVersion)
	}
	if v > SchemaVersion {
		return 0, fmt.Errorf("存储 %s 的结构版本为 %d，比本程序支持的 %d 新；请升级 regscreen", s.path, v, SchemaVersion)
	}
	return v, nil
}

func (s *Store) migrate(ctx context.Context) error {
	v, err := s.version(ctx)
	if err != nil {
		return err
	}
	if v == SchemaVersion {
		return nil
	}
	// Every step in one transaction, meta with them: a store interrupted
	// while it is made or upgraded is left as it was (an empty file, or
	// the older version), never half made.
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("存储 %s 无法使用: %w", s.path, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT)`); err != nil {
		return fmt.Errorf("存储 %s 无法使用: %w", s.path, err)
	}
	from := v
	for ; v < SchemaVersion; v++ {
		if err := migrations[v](ctx, tx); err != nil {
			return fmt.Errorf("存储 %s 的结构从版本 %d 升级到 %d 失败（存储未改动）: %w", s.path, from, SchemaVersion, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO meta(key, value) VALUES('schema_version', ?)`, SchemaVersion); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("存储 %s 的结构升级到 %d: %w", s.path, SchemaVersion, err)
	}
	s.stamp = true
	return nil
}

// Close releases the database and the lock.
func (s *Store) Close() error {
	err := s.db.Close()
	if err == nil && s.stamp {
		stampClean(s.lock, s.path)
	}
	releaseLock(s.lock)
	return err
}
