package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/regscreen/regscreen/record"
)

// ImportResult says what an import did.
type ImportResult struct {
	Stored     int      // decisions added to the history
	InForce    int      // of them, the latest decision of their company now
	Unknown    []string // keys the store has never seen with an occurrence: not stored
	Duplicates int      // identical to a decision already stored: skipped
}

// latestFirst orders a company's decisions: the latest date, then the
// latest import, then the latest row.
const latestFirst = `decided DESC, imported DESC, id DESC`

// ImportDecisions adds decisions to the history in one transaction and
// brings each company's decision in force (the latest by 日期, then by
// import time) up to date, so that workbooks filled in by different people
// on different nights merge by company whatever the order of import.
// A decision's fingerprint is the company's as the source run saw it (as
// the store knows it now if the run is unknown or gone).
func (s *Store) ImportDecisions(ctx context.Context, ds []record.Decision) (_ ImportResult, err error) {
	defer s.named(&err)
	var res ImportResult
	if s.readOnly {
		return res, errReadOnly(s.path)
	}
	s.stamp = false // until it commits
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return res, err
	}
	defer tx.Rollback()
	touched := map[string]bool{}
	inserted := map[int64]bool{}
	for _, d := range ds {
		var fp sql.NullInt64
		err := tx.QueryRowContext(ctx, `SELECT fp FROM companies WHERE key = ?`, d.Key).Scan(&fp)
		if err == sql.ErrNoRows {
			res.Unknown = append(res.Unknown, d.Key)
			continue
		}
		if err != nil {
			return res, fmt.Errorf("导入会商结论: %w", err)
		}
		if d.Run != 0 {
			if runFP, ok, err := sourceFP(ctx, tx, d.Run, d.Key); err != nil {
				return res, fmt.Errorf("导入会商结论: %w", err)
			} else if ok {
				fp = sql.NullInt64{Int64: runFP, Valid: true}
			}
		}
		imported := d.Imported
		if imported.IsZero() {
			imported = time.Now()
		}
		date := d.Date
		if date == "" {
			date = imported.Format(time.DateOnly)
		}
		var dup int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM decisions WHERE key = ? AND status = ? AND opinion = ?
			AND handler = ? AND decided = ?`, d.Key, d.Status, d.Opinion, d.Handler, date).Scan(&dup); err != nil {
			return res, fmt.Errorf("导入会商结论: %w", err)
		}
		if dup > 0 {
			// The same workbook imported again, or a decision carried into
			// a later workbook and returned unchanged: not a new decision.
			res.Duplicates++
			continue
		}
		r, err := tx.ExecContext(ctx, `INSERT INTO decisions(key, status, opinion, handler, decided, fp, source, source_run, imported)
			VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)`, d.Key, d.Status, d.Opinion, d.Handler, date, fp, d.Source, d.Run,
			storedTime(imported))
		if err != nil {
			return res, fmt.Errorf("导入会商结论: %w", err)
		}
		id, _ := r.LastInsertId()
		inserted[id] = true
		res.Stored++
		touched[d.Key] = true
	}
	for key := range touched {
		var id int64
		// The decision in force is mirrored in companies, where scans and
		// changes read it.
		if err := tx.QueryRowContext(ctx, `SELECT id FROM decisions WHERE key = ? ORDER BY `+latestFirst+` LIMIT 1`, key).
			Scan(&id); err != nil {
			return res, fmt.Errorf("导入会商结论: %w", err)
		}
		if inserted[id] {
			res.InForce++
		}
		if _, err := tx.ExecContext(ctx, `UPDATE companies SET (status, opinion, status_fp, status_at) =
			(SELECT status, opinion, fp, imported FROM decisions WHERE id = ?) WHERE key = ?`, id, key); err != nil {
			return res, fmt.Errorf("导入会商结论: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return res, fmt.Errorf("导入会商结论: %w", err)
	}
	s.stamp = true
	return res, nil
}

// Decisions returns each decided company's decision in force, by key.
func (s *Store) Decisions(ctx context.Context) (_ map[string]record.Decision, err error) {
	defer s.named(&err)
	rows, err := s.db.QueryContext(ctx, `SELECT `+decisionCols+` FROM decisions d
		WHERE id = (SELECT id FROM decisions x WHERE x.key = d.key ORDER BY `+latestFirst+` LIMIT 1)`)
	if err != nil {
		return nil, fmt.Errorf("读取会商结论: %w", err)
	}
	defer rows.Close()
	out := map[string]record.Decision{}
	for rows.Next() {
		d, err := scanDecision(rows)
		if err != nil {
			return nil, err
		}
		out[d.Key] = d
	}
	return out, rows.Err()
}

// DecisionHistory lists a company's decisions, the one in force first.
func (s *Store) DecisionHistory(ctx context.Context, key string) (_ []record.Decision, err error) {
	defer s.named(&err)
	rows, err := s.db.QueryContext(ctx, `SELECT `+decisionCols+` FROM decisions WHERE key = ? ORDER BY `+latestFirst, key)
	if err != nil {
		return nil, fmt.Errorf("读取会商结论: %w", err)
	}
	defer rows.Close()
	var out []record.Decision
	for rows.Next() {
		d, err := scanDecision(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

const decisionCols = `key, status, opinion, handler, decided, COALESCE(fp, 0), source, source_run, imported`

func scanDecision(rows *sql.Rows) (record.Decision, error) {
	var d record.Decision
	var imported string
	if err := rows.Scan(&d.Key, &d.Status, &d.Opinion, &d.Handler, &d.Date, &d.FP, &d.Source, &d.Run, &imported); err != nil {
		return d, err
	}
	d.Imported, _ = time.Parse(timeFmt, imported)
	return d, nil
}

// sourceFP is a company's fingerprint as the run a workbook came from saw
// it, made this build's way: a workbook of a run before the fingerprints
// changed kind is remade from the text that run kept of the company.
func sourceFP(ctx context.Context, tx *sql.Tx, run int64, key string) (int64, bool, error) {
	fp, ok, err := seenFP(ctx, tx, run, key)
	if err != nil || !ok {
		return fp, ok, err
	}
	kind, err := runKind(ctx, tx, run)
	if err != nil || kind == fpKind {
		return fp, ok, err
	}
	var name, scope string
	err = tx.QueryRowContext(ctx, `SELECT COALESCE(t.name, ''), COALESCE(t.scope, '') FROM records r
		JOIN texts t ON t.key = r.key AND t.fp = r.fp WHERE r.run = ? AND r.key = ?`, run, key).Scan(&name, &scope)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil // not known: the company's own fingerprint is used
	}
	if err != nil {
		return 0, false, err
	}
	return record.Fingerprint(name, scope), true, nil
}
