package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/regscreen/regscreen/record"
)

// ImportResult says what an import did.
type ImportResult struct {
	Stored     int      // decisions added to the history
	InForce    int      // of them, the latest decision of their company now
	Unknown    []string // keys the store has never seen with an occurrence: not stored (the first MaxListed)
	NotFound   int      // all such keys, listed or not
	OtherName  int      // rows whose 企业名称 is not the company's of that code: not stored
	Duplicates int      // identical to a decision already stored: skipped
}

// MaxListed bounds the keys an import keeps to report: a hostile workbook
// can hold millions of rows, and counting them costs nothing.
const MaxListed = 1000

// Outcome is what an import made of one decision.
type Outcome int

const (
	Imported    Outcome = iota // added to the history
	Duplicate                  // the same decision is already stored
	NotKnown                   // no company of that key has had an occurrence
	NameDiffers                // the row's 企业名称 is not one the company of that code has had
)

// latestFirst orders a company's decisions: the latest date, then the
// latest import, then the latest row.
const latestFirst = `decided DESC, imported DESC, id DESC`

// ImportDecisions adds decisions to the history in one transaction (see
// Import).
func (s *Store) ImportDecisions(ctx context.Context, ds []record.Decision) (ImportResult, error) {
	im, err := s.BeginImport(ctx)
	if err != nil {
		return ImportResult{}, err
	}
	defer im.Rollback()
	for _, d := range ds {
		if _, _, err := im.Add(ctx, d); err != nil {
			return im.res, err
		}
	}
	return im.Commit(ctx)
}

// Import adds decisions to the history one at a time in one transaction,
// so that a returned workbook is streamed, never held (BeginImport, Add,
// Commit), and brings each company's decision in force (the latest by
// 日期, then by import time) up to date on Commit, so that workbooks filled
// in by different people on different nights merge by company whatever the
// order of import. A decision's fingerprint is the company's as the source
// run saw it (as the store knows it now if the run is unknown or gone).
// Its memory is the companies it touched, which the store bounds.
type Import struct {
	s       *Store
	tx      *sql.Tx
	touched map[string]bool
	firstID int64 // the first decision this import inserted: ids grow within the transaction
	res     ImportResult
}

// BeginImport starts an import.
func (s *Store) BeginImport(ctx context.Context) (_ *Import, err error) {
	defer s.named(&err)
	if s.readOnly {
		return nil, errReadOnly(s.path)
	}
	s.stamp = false // until it commits
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	return &Import{s: s, tx: tx, touched: map[string]bool{}}, nil
}

// Rollback abandons an import not committed; after Commit it does nothing.
func (im *Import) Rollback() { im.tx.Rollback() }

// Add adds one decision; for NameDiffers it also returns the name the
// store has for the code.
func (im *Import) Add(ctx context.Context, d record.Decision) (_ Outcome, storedName string, err error) {
	defer im.s.named(&err)
	out, storedName, err := im.add(ctx, d)
	if err != nil {
		return out, "", fmt.Errorf("导入会商结论: %w", err)
	}
	switch out {
	case NotKnown:
		if len(im.res.Unknown) < MaxListed {
			im.res.Unknown = append(im.res.Unknown, d.Key)
		}
		im.res.NotFound++
	case NameDiffers:
		im.res.OtherName++
	case Duplicate:
		im.res.Duplicates++
	}
	return out, storedName, nil
}

func (im *Import) add(ctx context.Context, d record.Decision) (Outcome, string, error) {
	tx := im.tx
	var fp sql.NullInt64
	var name string
	err := tx.QueryRowContext(ctx, `SELECT c.fp, COALESCE(t.name, '') FROM companies c
		LEFT JOIN texts t ON t.key = c.key AND t.fp = c.fp WHERE c.key = ?`, d.Key).Scan(&fp, &name)
	if err == sql.ErrNoRows {
		return NotKnown, "", nil
	}
	if err != nil {
		return 0, "", err
	}
	if d.Name != "" && !sameName(d.Name, name) {
		// Any name the company has had will do: a workbook returned after a
		// rename still holds the old one.
		known, err := hadName(ctx, tx, d.Key, d.Name)
		if err != nil {
			return 0, "", err
		}
		if !known {
			return NameDiffers, name, nil
		}
	}
	if d.Run != 0 {
		if runFP, ok, err := sourceFP(ctx, tx, d.Run, d.Key); err != nil {
			return 0, "", err
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
		return 0, "", err
	}
	if dup > 0 {
		// The same workbook imported again, or a decision carried into
		// a later workbook and returned unchanged: not a new decision.
		return Duplicate, "", nil
	}
	r, err := tx.ExecContext(ctx, `INSERT INTO decisions(key, status, opinion, handler, decided, fp, source, source_run, imported)
		VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)`, d.Key, d.Status, d.Opinion, d.Handler, date, fp, d.Source, d.Run,
		storedTime(imported))
	if err != nil {
		return 0, "", err
	}
	if id, _ := r.LastInsertId(); im.firstID == 0 {
		im.firstID = id
	}
	im.res.Stored++
	im.touched[d.Key] = true
	return Imported, "", nil
}

// sameName compares a returned row's name with a stored one as a clerk
// reads them: spaces around a name are no other company, and control
// characters, which a workbook cannot hold (it shows U+FFFD or nothing),
// are left out on both sides.
func sameName(returned, stored string) bool { return foldName(returned) == foldName(stored) }

func foldName(s string) string {
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return -1
		}
		return r
	}, s))
}

// hadName reports whether the company of key has had the name.
func hadName(ctx context.Context, tx *sql.Tx, key, name string) (bool, error) {
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT COALESCE(name, '') FROM texts WHERE key = ?`, key)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	for rows.Next() {
		var had string
		if err := rows.Scan(&had); err != nil {
			return false, err
		}
		if sameName(name, had) {
			return true, nil
		}
	}
	return false, rows.Err()
}

// Commit brings the touched companies' decisions in force up to date and
// commits.
func (im *Import) Commit(ctx context.Context) (_ ImportResult, err error) {
	defer im.s.named(&err)
	tx, res := im.tx, im.res
	for key := range im.touched {
		var id int64
		// The decision in force is mirrored in companies, where scans and
		// changes read it.
		if err := tx.QueryRowContext(ctx, `SELECT id FROM decisions WHERE key = ? ORDER BY `+latestFirst+` LIMIT 1`, key).
			Scan(&id); err != nil {
			return res, fmt.Errorf("导入会商结论: %w", err)
		}
		if im.firstID != 0 && id >= im.firstID {
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
	im.s.stamp = true
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
