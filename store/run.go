package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/regscreen/regscreen/screen"
)

// InputInfo describes one input of a run.
type InputInfo struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256,omitempty"`
	Format string `json:"format,omitempty"`
}

// RunStart is what is known when a run starts.
type RunStart struct {
	Started     time.Time
	DictVersion string
	Command     string
}

// Counts are a run's totals (one type across the program).
type Counts = screen.Counts

// Record is one screened record as the store keeps it.
type Record struct {
	Key     string
	FP      int64
	HasHits bool // details are kept only for records with an occurrence
	Name    string
	Scope   string
	Verdict string
	Terms   string
	Street  string
}

// Run is a scan being recorded.
type Run struct {
	s         *Store
	ID        int64
	tx        *sql.Tx
	seenBatch *sql.Stmt // inserts batchRows rows at once
	recBatch  *sql.Stmt
	seen      []any // pending seen rows' values
	recs      []any // pending records rows' values
	done      bool
}

// batchRows rows go into one INSERT: per-statement overhead, not SQLite's
// b-tree, dominated a 1M-row run (16.8 s with one row per statement).
const batchRows = 200

// Seen rows arrive in export order, that is random key order; inserting
// them straight into seen's (run, key) b-tree made SQLite rewrite the same
// pages over and over (6 s of pwrite on 1M rows). They go into a plain temp
// table first and are copied over sorted by key at commit.
const (
	seenInsert = `INSERT INTO temp.seen_new(key, fp) VALUES `
	recInsert  = `INSERT OR REPLACE INTO records(run, key, name, scope, verdict, terms, street) VALUES `
)

func valuesList(rows, cols int) string {
	one := "(" + strings.TrimSuffix(strings.Repeat("?,", cols), ",") + ")"
	return strings.TrimSuffix(strings.Repeat(one+",", rows), ",")
}

const timeFmt = time.RFC3339

// BeginRun records the run as running (committed at once, so a killed run
// is seen later as failed) and opens the transaction that holds its data.
func (s *Store) BeginRun(ctx context.Context, start RunStart) (*Run, error) {
	res, err := s.db.ExecContext(ctx, `INSERT INTO runs(started, status, dict_version, command) VALUES(?, 'running', ?, ?)`,
		start.Started.Format(timeFmt), start.DictVersion, start.Command)
	if err != nil {
		return nil, fmt.Errorf("记录运行: %w", err)
	}
	id, _ := res.LastInsertId()
	r := &Run{s: s, ID: id}
	if r.tx, err = s.db.BeginTx(ctx, nil); err != nil {
		return nil, r.fail(err)
	}
	for _, q := range []string{`CREATE TEMP TABLE IF NOT EXISTS seen_new(key TEXT, fp INT)`, `DELETE FROM temp.seen_new`} {
		if _, err := r.tx.ExecContext(ctx, q); err != nil {
			return nil, r.fail(err)
		}
	}
	if r.seenBatch, err = r.tx.PrepareContext(ctx, seenInsert+valuesList(batchRows, 2)); err != nil {
		return nil, r.fail(err)
	}
	if r.recBatch, err = r.tx.PrepareContext(ctx, recInsert+valuesList(batchRows, 7)); err != nil {
		return nil, r.fail(err)
	}
	return r, nil
}

// Add records one screened record.
func (r *Run) Add(ctx context.Context, rec *Record) error {
	if rec.Key == "" {
		return nil
	}
	r.seen = append(r.seen, rec.Key, rec.FP)
	if rec.HasHits {
		r.recs = append(r.recs, r.ID, rec.Key, rec.Name, rec.Scope, rec.Verdict, rec.Terms, rec.Street)
	}
	return r.flush(ctx, false)
}

// flush writes full batches, and with all the remainder too.
func (r *Run) flush(ctx context.Context, all bool) error {
	for _, b := range []struct {
		pending *[]any
		cols    int
		stmt    *sql.Stmt
		insert  string
	}{{&r.seen, 2, r.seenBatch, seenInsert}, {&r.recs, 7, r.recBatch, recInsert}} {
		full := batchRows * b.cols
		for len(*b.pending) >= full {
			if _, err := b.stmt.ExecContext(ctx, (*b.pending)[:full]...); err != nil {
				return fmt.Errorf("写入存储: %w", err)
			}
			*b.pending = (*b.pending)[full:]
		}
		if all && len(*b.pending) > 0 {
			q := b.insert + valuesList(len(*b.pending)/b.cols, b.cols)
			if _, err := r.tx.ExecContext(ctx, q, (*b.pending)...); err != nil {
				return fmt.Errorf("写入存储: %w", err)
			}
			*b.pending = (*b.pending)[:0]
		}
	}
	return nil
}

// Commit brings the companies up to date and marks the run complete, all
// in the run's transaction.
func (r *Run) Commit(ctx context.Context, inputs []InputInfo, c Counts, finished time.Time) error {
	if err := r.flush(ctx, true); err != nil {
		return r.fail(err)
	}
	in, _ := json.Marshal(inputs)
	stmts := []struct {
		q    string
		args []any
	}{
		{`INSERT OR REPLACE INTO seen(run, key, fp) SELECT ?, key, fp FROM temp.seen_new ORDER BY key`, []any{r.ID}},
		{`DELETE FROM temp.seen_new`, nil},
		// Companies with an occurrence now: insert or bring up to date.
		{`INSERT INTO companies(key, first_seen, last_seen, name, scope, verdict, terms, street, fp)
			SELECT r.key, ?, ?, r.name, r.scope, r.verdict, r.terms, r.street, s.fp
			FROM records r JOIN seen s ON s.run = r.run AND s.key = r.key WHERE r.run = ?
			ON CONFLICT(key) DO UPDATE SET last_seen = excluded.last_seen, name = excluded.name, scope = excluded.scope,
				verdict = excluded.verdict, terms = excluded.terms, street = excluded.street, fp = excluded.fp`,
			[]any{r.ID, r.ID, r.ID}},
		// Known companies seen without an occurrence now.
		{`UPDATE companies SET last_seen = ?, verdict = 'clear', terms = '',
				fp = (SELECT fp FROM seen WHERE run = ? AND seen.key = companies.key)
			WHERE EXISTS (SELECT 1 FROM seen WHERE run = ? AND seen.key = companies.key)
			AND NOT EXISTS (SELECT 1 FROM records WHERE run = ? AND records.key = companies.key)`,
			[]any{r.ID, r.ID, r.ID, r.ID}},
		{`UPDATE runs SET status = 'complete', finished = ?, inputs = ?, n_read = ?, n_refer = ?, n_review = ?,
			n_clear = ?, n_exempt = ?, n_rejected = ? WHERE id = ?`,
			[]any{finished.Format(timeFmt), string(in), c.Read, c.Refer, c.Review, c.Clear, c.Exempt, c.Rejected, r.ID}},
	}
	for _, st := range stmts {
		if _, err := r.tx.ExecContext(ctx, st.q, st.args...); err != nil {
			return r.fail(err)
		}
	}
	if err := r.tx.Commit(); err != nil {
		return r.fail(err)
	}
	r.done = true
	return nil
}

// Fail rolls the run's data back and marks it failed with the reason.
func (r *Run) Fail(cause error) {
	if r.done {
		return
	}
	r.fail(cause)
}

func (r *Run) fail(cause error) error {
	r.done = true
	if r.tx != nil {
		r.tx.Rollback()
	}
	msg := "未知原因"
	if cause != nil {
		msg = cause.Error()
	}
	// A fresh context: the run's own may be the one that was cancelled.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	r.s.db.ExecContext(ctx, `UPDATE runs SET status = 'failed', finished = ?, error = ? WHERE id = ?`,
		time.Now().Format(timeFmt), msg, r.ID)
	return fmt.Errorf("存储运行 %d 失败，已回滚: %w", r.ID, cause)
}

// Excluded returns the companies the consultation marked 排除, with the
// fingerprint they had then: while it is unchanged they are not re-referred.
func (s *Store) Excluded(ctx context.Context) (map[string]int64, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT key, status_fp FROM companies WHERE status = '排除'`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var k string
		var fp int64
		if err := rows.Scan(&k, &fp); err != nil {
			return nil, err
		}
		out[k] = fp
	}
	return out, rows.Err()
}

// RunInfo is a run as listed.
type RunInfo struct {
	ID                                           int64
	Started, Finished                            string
	Status, DictVersion, Command, Inputs, Error  string
	Read, Refer, Review, Clear, Exempt, Rejected int
}

// Runs lists the runs, newest first.
func (s *Store) Runs(ctx context.Context) ([]RunInfo, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, started, COALESCE(finished,''), status, COALESCE(dict_version,''),
		COALESCE(command,''), COALESCE(inputs,''), COALESCE(error,''), COALESCE(n_read,0), COALESCE(n_refer,0),
		COALESCE(n_review,0), COALESCE(n_clear,0), COALESCE(n_exempt,0), COALESCE(n_rejected,0) FROM runs ORDER BY id DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RunInfo
	for rows.Next() {
		var r RunInfo
		if err := rows.Scan(&r.ID, &r.Started, &r.Finished, &r.Status, &r.DictVersion, &r.Command, &r.Inputs, &r.Error,
			&r.Read, &r.Refer, &r.Review, &r.Clear, &r.Exempt, &r.Rejected); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
