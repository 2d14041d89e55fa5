// Package store remembers scans in an embedded SQLite database (pure Go,
// no server): each run, a compact fingerprint of every record seen, and the
// details of every record with an occurrence, so that a nightly scan can
// be compared with earlier ones (五(四) continuous tracking, 七.1 monthly
// return) and the clerk's consultation decisions carry over.
//
// A run is written in one transaction: a crash, a kill or a full disk
// leaves the store as it was. A lock file beside the database makes a
// second scan wait, then fail with a clear message.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver
)

// SchemaVersion is the schema this build writes; older stores migrate
// forward when opened.
const SchemaVersion = 1

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
	db   *sql.DB
	path string
	lock *os.File
}

// migrations[i] brings the schema from version i to i+1.
var migrations = []string{
	`CREATE TABLE runs(
		id INTEGER PRIMARY KEY,
		started TEXT NOT NULL, finished TEXT,
		status TEXT NOT NULL,           -- running, complete, failed
		dict_version TEXT, command TEXT, inputs TEXT, error TEXT,
		n_read INT, n_refer INT, n_review INT, n_clear INT, n_exempt INT, n_rejected INT);
	-- every record seen in a run: its key and a fingerprint of name + scope
	CREATE TABLE seen(run INT NOT NULL, key TEXT NOT NULL, fp INT NOT NULL, PRIMARY KEY(run, key)) WITHOUT ROWID;
	-- records with any occurrence, as they were in a run
	CREATE TABLE records(run INT NOT NULL, key TEXT NOT NULL, name TEXT, scope TEXT, verdict TEXT,
		terms TEXT, street TEXT, PRIMARY KEY(run, key)) WITHOUT ROWID;
	-- each company's latest state and the clerk's decision
	CREATE TABLE companies(key TEXT PRIMARY KEY, first_seen INT, last_seen INT, name TEXT, scope TEXT,
		verdict TEXT, terms TEXT, street TEXT, fp INT,
		status TEXT, opinion TEXT, status_fp INT, status_at TEXT) WITHOUT ROWID;`,
}

// Open opens (creating or migrating) the store at path and takes the lock
// file, waiting up to wait for another scan to finish.
func Open(ctx context.Context, path string, wait time.Duration) (*Store, error) {
	lock, err := acquireLock(ctx, path, true, wait, nil)
	if err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=cache_size(-16384)")
	if err != nil {
		releaseLock(lock)
		return nil, fmt.Errorf("打开存储 %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	s := &Store{db: db, path: path, lock: lock}
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

func (s *Store) migrate(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT)`); err != nil {
		return fmt.Errorf("存储 %s 无法使用（不是 SQLite 数据库？）: %w", s.path, err)
	}
	var v int
	err := s.db.QueryRowContext(ctx, `SELECT CAST(value AS INT) FROM meta WHERE key='schema_version'`).Scan(&v)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if v > SchemaVersion {
		return fmt.Errorf("存储 %s 的结构版本为 %d，比本程序支持的 %d 新；请升级 regscreen", s.path, v, SchemaVersion)
	}
	for ; v < SchemaVersion; v++ {
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
			tx.Rollback()
			return fmt.Errorf("存储结构升级到 %d: %w", v+1, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO meta(key, value) VALUES('schema_version', ?)`, v+1); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}

// Close releases the database and the lock.
func (s *Store) Close() error {
	err := s.db.Close()
	releaseLock(s.lock)
	return err
}

// Fingerprint is a compact hash of what change tracking compares.
func Fingerprint(name, scope string) int64 {
	h := fnv.New64a()
	h.Write([]byte(name))
	h.Write([]byte{0})
	h.Write([]byte(scope))
	return int64(h.Sum64())
}

// Key picks a record's identity: the credit code or registration number,
// else the exact name.
func Key(id, name string) string {
	if id = strings.ToUpper(strings.TrimSpace(id)); id != "" {
		return id
	}
	if name = strings.TrimSpace(name); name != "" {
		return "名称:" + name
	}
	return ""
}
