package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"time"
)

// Kinds of change between two runs.
const (
	NewlyReferred    = "新增送会商"
	NoLongerReferred = "不再送会商"
	Gone             = "已不在名录"
	NewWithHits      = "新登记且有命中"
	Changed          = "内容变更"
)

// Snapshot is a company as one run saw it.
type Snapshot struct {
	Name    string `json:"name"`
	Scope   string `json:"scope"`
	Verdict string `json:"verdict"`
	Terms   string `json:"terms"`
	Street  string `json:"street"`
}

// Change is one company's change between two runs.
type Change struct {
	Kind    string    `json:"kind"`
	Key     string    `json:"key"`
	Before  *Snapshot `json:"before,omitempty"`
	After   *Snapshot `json:"after,omitempty"`
	Status  string    `json:"status,omitempty"` // the consultation's 处理状态, if any
	Opinion string    `json:"opinion,omitempty"`
}

// Street is the company's street, after the change if it still exists.
func (c *Change) Street() string {
	if c.After != nil && c.After.Street != "" {
		return c.After.Street
	}
	if c.Before != nil {
		return c.Before.Street
	}
	return ""
}

// LatestRuns returns the newest two complete runs (from, to).
func (s *Store) LatestRuns(ctx context.Context) (int64, int64, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM runs WHERE status = 'complete' ORDER BY id DESC LIMIT 2`)
	if err != nil {
		return 0, 0, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		ids = append(ids, id)
	}
	switch len(ids) {
	case 0:
		return 0, 0, fmt.Errorf("存储中还没有完成的运行")
	case 1:
		return 0, ids[0], nil
	}
	return ids[1], ids[0], nil
}

// RunBefore returns the newest complete run started before t (0 if none).
func (s *Store) RunBefore(ctx context.Context, t time.Time) (int64, error) {
	var id sql.NullInt64
	err := s.db.QueryRowContext(ctx, `SELECT MAX(id) FROM runs WHERE status = 'complete' AND started < ?`, t.Format(timeFmt)).Scan(&id)
	if err != nil {
		return 0, err
	}
	return id.Int64, nil
}

// CheckRun makes sure a run exists and is complete.
func (s *Store) CheckRun(ctx context.Context, id int64) error {
	var status string
	err := s.db.QueryRowContext(ctx, `SELECT status FROM runs WHERE id = ?`, id).Scan(&status)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("没有编号为 %d 的运行（regscreen db runs 列出全部）", id)
	}
	if err != nil {
		return err
	}
	if status != "complete" {
		return fmt.Errorf("运行 %d 的状态是 %s，不能用于比较", id, status)
	}
	return nil
}

// Changes compares run from with run to (from 0: everything in to is new).
func (s *Store) Changes(ctx context.Context, from, to int64) ([]Change, error) {
	var out []Change
	add := func(kind, q string, args ...any) error {
		rows, err := s.db.QueryContext(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("比较运行 %d 与 %d: %w", from, to, err)
		}
		defer rows.Close()
		for rows.Next() {
			var c Change
			var b, a [5]sql.NullString
			var st, op sql.NullString
			if err := rows.Scan(&c.Key, &b[0], &b[1], &b[2], &b[3], &b[4], &a[0], &a[1], &a[2], &a[3], &a[4], &st, &op); err != nil {
				return err
			}
			c.Kind, c.Status, c.Opinion = kind, st.String, op.String
			c.Before, c.After = snapshot(b), snapshot(a)
			out = append(out, c)
		}
		return rows.Err()
	}
	// Columns: key, before (name, scope, verdict, terms, street), after (…), status, opinion.
	const sel = `SELECT k.key, ra.name, ra.scope, ra.verdict, ra.terms, ra.street,
		rb.name, rb.scope, rb.verdict, rb.terms, rb.street, c.status, c.opinion FROM `
	const joins = ` LEFT JOIN records ra ON ra.run = ?1 AND ra.key = k.key
		LEFT JOIN records rb ON rb.run = ?2 AND rb.key = k.key
		LEFT JOIN companies c ON c.key = k.key `
	inA := `EXISTS (SELECT 1 FROM seen WHERE run = ?1 AND seen.key = k.key)`
	inB := `EXISTS (SELECT 1 FROM seen WHERE run = ?2 AND seen.key = k.key)`
	queries := []struct{ kind, q string }{
		{NewlyReferred, sel + `(SELECT key FROM records WHERE run = ?2 AND verdict = 'refer') k` + joins +
			`WHERE ` + inA + ` AND (ra.verdict IS NULL OR ra.verdict != 'refer')`},
		{NoLongerReferred, sel + `(SELECT key FROM records WHERE run = ?1 AND verdict = 'refer') k` + joins +
			`WHERE ` + inB + ` AND (rb.verdict IS NULL OR rb.verdict != 'refer')`},
		{Gone, sel + `(SELECT key FROM records WHERE run = ?1) k` + joins + `WHERE NOT ` + inB},
		{NewWithHits, sel + `(SELECT key FROM records WHERE run = ?2) k` + joins + `WHERE NOT ` + inA},
		{Changed, sel + `(SELECT sa.key FROM seen sa JOIN seen sb ON sb.run = ?2 AND sb.key = sa.key
			WHERE sa.run = ?1 AND (sa.fp != sb.fp OR EXISTS (SELECT 1 FROM records x WHERE x.run = ?1 AND x.key = sa.key)
			OR EXISTS (SELECT 1 FROM records x WHERE x.run = ?2 AND x.key = sa.key))) k` + joins +
			`WHERE (ra.key IS NOT NULL OR rb.key IS NOT NULL) AND (
				(SELECT fp FROM seen WHERE run = ?1 AND key = k.key) != (SELECT fp FROM seen WHERE run = ?2 AND key = k.key)
				OR COALESCE(ra.verdict, 'clear') != COALESCE(rb.verdict, 'clear') OR COALESCE(ra.terms, '') != COALESCE(rb.terms, ''))`},
	}
	for _, q := range queries {
		if err := add(q.kind, q.q, from, to); err != nil {
			return nil, err
		}
	}
	order := map[string]int{NewlyReferred: 0, NewWithHits: 1, Changed: 2, NoLongerReferred: 3, Gone: 4}
	sort.SliceStable(out, func(i, j int) bool {
		if order[out[i].Kind] != order[out[j].Kind] {
			return order[out[i].Kind] < order[out[j].Kind]
		}
		return out[i].Key < out[j].Key
	})
	return out, nil
}

func snapshot(v [5]sql.NullString) *Snapshot {
	if !v[2].Valid {
		return nil
	}
	return &Snapshot{Name: v[0].String, Scope: v[1].String, Verdict: v[2].String, Terms: v[3].String, Street: v[4].String}
}

// Referred returns the companies referred in a run with their street and
// consultation status.
func (s *Store) Referred(ctx context.Context, run int64) ([]Change, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT r.key, r.name, r.street, COALESCE(c.status, '') FROM records r
		LEFT JOIN companies c ON c.key = r.key WHERE r.run = ? AND r.verdict = 'refer' ORDER BY r.key`, run)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Change
	for rows.Next() {
		var c Change
		var snap Snapshot
		if err := rows.Scan(&c.Key, &snap.Name, &snap.Street, &c.Status); err != nil {
			return nil, err
		}
		c.After = &snap
		out = append(out, c)
	}
	return out, rows.Err()
}

// HistoryEntry is one company in one run.
type HistoryEntry struct {
	Run     int64     `json:"run"`
	Started string    `json:"started"`
	Present bool      `json:"present"`
	Changed bool      `json:"changed"` // name or scope differ from the run before
	Record  *Snapshot `json:"record,omitempty"`
}

// History lists a company across every complete run.
func (s *Store) History(ctx context.Context, key string) ([]HistoryEntry, *Change, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT ru.id, ru.started, se.fp, r.name, r.scope, r.verdict, r.terms, r.street
		FROM runs ru LEFT JOIN seen se ON se.run = ru.id AND se.key = ?1
		LEFT JOIN records r ON r.run = ru.id AND r.key = ?1
		WHERE ru.status = 'complete' ORDER BY ru.id`, key)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var out []HistoryEntry
	var lastFP sql.NullInt64
	for rows.Next() {
		var e HistoryEntry
		var fp sql.NullInt64
		var v [5]sql.NullString
		if err := rows.Scan(&e.Run, &e.Started, &fp, &v[0], &v[1], &v[2], &v[3], &v[4]); err != nil {
			return nil, nil, err
		}
		e.Present = fp.Valid
		e.Changed = fp.Valid && lastFP.Valid && fp.Int64 != lastFP.Int64
		if fp.Valid {
			lastFP = fp
		}
		e.Record = snapshot(v)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	var c Change
	var st, op sql.NullString
	err = s.db.QueryRowContext(ctx, `SELECT status, opinion FROM companies WHERE key = ?`, key).Scan(&st, &op)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, nil, err
	}
	c.Key, c.Status, c.Opinion = key, st.String, op.String
	return out, &c, nil
}

// SetStatus records the consultation's decision for a company, with the
// fingerprint it had then. It reports false for an unknown company.
func (s *Store) SetStatus(ctx context.Context, key, status, opinion string, at time.Time) (bool, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE companies SET status = ?, opinion = ?, status_fp = fp, status_at = ? WHERE key = ?`,
		status, opinion, at.Format(timeFmt), key)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// Prune deletes runs started before cutoff, keeping the newest complete
// run whatever its age, and returns how many runs went.
func (s *Store) Prune(ctx context.Context, cutoff time.Time) (int, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	keep := `(SELECT COALESCE(MAX(id), 0) FROM runs WHERE status = 'complete')`
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM runs WHERE started < ? AND id != `+keep, cutoff.Format(timeFmt)).Scan(&n); err != nil {
		return 0, err
	}
	for _, q := range []string{
		`DELETE FROM seen WHERE run IN (SELECT id FROM runs WHERE started < ?1 AND id != ` + keep + `)`,
		`DELETE FROM records WHERE run IN (SELECT id FROM runs WHERE started < ?1 AND id != ` + keep + `)`,
		`DELETE FROM runs WHERE started < ?1 AND id != ` + keep,
	} {
		if _, err := tx.ExecContext(ctx, q, cutoff.Format(timeFmt)); err != nil {
			return 0, err
		}
	}
	return n, tx.Commit()
}

// Vacuum gives the space of pruned runs back to the file system.
func (s *Store) Vacuum(ctx context.Context) error {
	_, err := s.db.ExecContext(ctx, `VACUUM`)
	return err
}
