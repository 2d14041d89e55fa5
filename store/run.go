package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
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
	HasHits bool   // verdict and terms are kept only for records with an occurrence
	Name    string // name, scope and street: kept for a record with an occurrence or of a known company
	Scope   string
	Verdict string
	Terms   string
	Street  string
}

// Run is a scan being recorded. Add hands records over in batches to a
// goroutine that keeps the seen set and writes records to SQLite, so that
// the store's work overlaps the screening instead of lengthening the
// caller's serial output path.
type Run struct {
	s        *Store
	ID       int64
	tx       *sql.Tx
	recBatch *sql.Stmt // inserts batchRows records rows at once
	done     bool

	batch   []Record      // the caller's records not yet handed over
	feed    chan []Record // to the writer goroutine
	stopped chan struct{} // closed when the writer has finished
	errMu   sync.Mutex
	err     error // the writer's first error

	// Owned by the writer goroutine until stopped is closed.
	seen  [][]entry // every record's key hash and fingerprint, in blocks, until Commit
	nSeen int
	tmp   []entry            // scratch for sorting a block
	recs  []Record           // records with an occurrence not yet written
	known map[int64]struct{} // key hashes of the companies the store knows
	quiet []Record           // known companies seen without an occurrence, not yet written
	args  []any
}

// handoff records go to the writer at a time.
const handoff = 1024

// Records with an occurrence arrive in export order, that is random key
// order; inserted one by one into records' (run, key) b-tree they made
// SQLite split and rewrite the same pages over and over. They are held
// back pendingRecs at a time (a few MB) and written sorted by key, in
// statements of batchRows rows (per-statement overhead dominated with one
// row per statement).
const (
	seenBlock   = 1 << 16
	pendingRecs = 8192
	batchRows   = 200
	recCols     = 8
	recInsert   = `INSERT OR REPLACE INTO records(run, key, name, scope, verdict, terms, street, fp) VALUES `
)

func valuesList(rows, cols int) string {
	one := "(" + strings.TrimSuffix(strings.Repeat("?,", cols), ",") + ")"
	return strings.TrimSuffix(strings.Repeat(one+",", rows), ",")
}

const timeFmt = time.RFC3339

// BeginRun records the run as running (committed at once, so a killed run
// is seen later as failed) and opens the transaction that holds its data.
func (s *Store) BeginRun(ctx context.Context, start RunStart) (*Run, error) {
	if s.readOnly {
		return nil, errReadOnly(s.path)
	}
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
	if r.recBatch, err = r.tx.PrepareContext(ctx, recInsert+valuesList(batchRows, recCols)); err != nil {
		return nil, r.fail(err)
	}
	r.feed, r.stopped = make(chan []Record, 4), make(chan struct{})
	go r.write(ctx)
	return r, nil
}

// Add records one screened record. It returns the writer's error, if
// any, from an earlier record.
func (r *Run) Add(ctx context.Context, rec *Record) error {
	if rec.Key == "" {
		return nil
	}
	if r.done {
		return fmt.Errorf("存储运行 %d 已结束，不能再添加记录", r.ID)
	}
	if err := r.writeErr(); err != nil {
		return err
	}
	r.batch = append(r.batch, *rec)
	if len(r.batch) == handoff {
		r.feed <- r.batch
		r.batch = make([]Record, 0, handoff)
	}
	return nil
}

func (r *Run) writeErr() error {
	r.errMu.Lock()
	defer r.errMu.Unlock()
	return r.err
}

// write is the writer goroutine: it drains feed whatever happens, so that
// Add never blocks for good, and keeps the first error.
func (r *Run) write(ctx context.Context) {
	defer close(r.stopped)
	if err := r.loadKnown(ctx); err != nil {
		r.errMu.Lock()
		r.err = err
		r.errMu.Unlock()
	}
	for b := range r.feed {
		if r.writeErr() != nil {
			continue
		}
		for i := range b {
			if err := r.take(ctx, &b[i]); err != nil {
				r.errMu.Lock()
				r.err = err
				r.errMu.Unlock()
				break
			}
		}
	}
}

// loadKnown reads the key hashes of the companies the store knows: of
// those, a record without an occurrence keeps its name and scope (in
// quiet), for the change report's other side.
func (r *Run) loadKnown(ctx context.Context) error {
	rows, err := r.tx.QueryContext(ctx, `SELECT key FROM companies`)
	if err != nil {
		return fmt.Errorf("读取存储: %w", err)
	}
	defer rows.Close()
	r.known = map[int64]struct{}{}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return fmt.Errorf("读取存储: %w", err)
		}
		r.known[keyHash(k)] = struct{}{}
	}
	return rows.Err()
}

func (r *Run) sortBlock(b []entry) {
	if r.tmp == nil {
		r.tmp = make([]entry, seenBlock)
	}
	radixSort(b, r.tmp)
}

// stop hands over the last records and waits for the writer to finish.
func (r *Run) stop() error {
	if r.feed == nil {
		return nil
	}
	if len(r.batch) > 0 {
		r.feed <- r.batch
		r.batch = nil
	}
	close(r.feed)
	<-r.stopped
	r.feed = nil
	return r.writeErr()
}

func (r *Run) take(ctx context.Context, rec *Record) error {
	// Fixed blocks rather than one growing slice: growing a 16 MB slice
	// by a quarter at a time cost a second of copying and page faults.
	if len(r.seen) == 0 || len(r.seen[len(r.seen)-1]) == seenBlock {
		if len(r.seen) > 0 {
			r.sortBlock(r.seen[len(r.seen)-1])
		}
		r.seen = append(r.seen, make([]entry, 0, seenBlock))
	}
	b := &r.seen[len(r.seen)-1]
	h := keyHash(rec.Key)
	*b = append(*b, entry{h, rec.FP})
	r.nSeen++
	if _, known := r.known[h]; known && !rec.HasHits {
		r.quiet = append(r.quiet, Record{Key: strings.Clone(rec.Key), Name: strings.Clone(rec.Name),
			Scope: strings.Clone(rec.Scope), Street: strings.Clone(rec.Street)})
		if len(r.quiet) >= pendingRecs {
			return r.flushQuiet(ctx)
		}
	}
	if rec.HasHits {
		// Copies: a reader's strings may share a large buffer with many
		// other rows, which holding them here would keep alive.
		c := *rec
		c.Key, c.Name, c.Scope = strings.Clone(c.Key), strings.Clone(c.Name), strings.Clone(c.Scope)
		c.Verdict, c.Terms, c.Street = strings.Clone(c.Verdict), strings.Clone(c.Terms), strings.Clone(c.Street)
		r.recs = append(r.recs, c)
		if len(r.recs) >= pendingRecs {
			return r.flush(ctx)
		}
	}
	return nil
}

// flush writes the pending records sorted by key; of a key listed twice
// the last stands, as INSERT OR REPLACE makes it across flushes.
func (r *Run) flush(ctx context.Context) error {
	slices.SortStableFunc(r.recs, func(a, b Record) int { return strings.Compare(a.Key, b.Key) })
	out := r.recs[:0]
	for i := range r.recs {
		if i+1 < len(r.recs) && r.recs[i+1].Key == r.recs[i].Key {
			continue
		}
		out = append(out, r.recs[i])
	}
	for len(out) > 0 {
		n := min(len(out), batchRows)
		args := r.args[:0]
		for i := range out[:n] {
			c := &out[i]
			args = append(args, r.ID, c.Key, c.Name, c.Scope, c.Verdict, c.Terms, c.Street, c.FP)
		}
		r.args = args
		var err error
		if n == batchRows {
			_, err = r.recBatch.ExecContext(ctx, args...)
		} else {
			_, err = r.tx.ExecContext(ctx, recInsert+valuesList(n, recCols), args...)
		}
		if err != nil {
			return fmt.Errorf("写入存储: %w", err)
		}
		out = out[n:]
	}
	clear(r.recs)
	r.recs = r.recs[:0]
	return nil
}

// flushQuiet writes the pending details of known companies seen without
// an occurrence; of a key listed twice the last stands.
func (r *Run) flushQuiet(ctx context.Context) error {
	if len(r.quiet) == 0 {
		return nil
	}
	st, err := r.tx.PrepareContext(ctx, `INSERT OR REPLACE INTO quiet(run, key, name, scope, street) VALUES(?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("写入存储: %w", err)
	}
	defer st.Close()
	for i := range r.quiet {
		q := &r.quiet[i]
		if _, err := st.ExecContext(ctx, r.ID, q.Key, q.Name, q.Scope, q.Street); err != nil {
			return fmt.Errorf("写入存储: %w", err)
		}
	}
	clear(r.quiet)
	r.quiet = r.quiet[:0]
	return nil
}

// Commit stores the run's seen set, brings the companies up to date and
// marks the run complete, all in the run's transaction.
func (r *Run) Commit(ctx context.Context, inputs []InputInfo, c Counts, finished time.Time) error {
	if err := r.commit(ctx, inputs, c, finished); err != nil {
		return r.fail(err)
	}
	r.done = true
	return nil
}

func (r *Run) commit(ctx context.Context, inputs []InputInfo, c Counts, finished time.Time) error {
	if err := r.stop(); err != nil {
		return err
	}
	if err := r.flush(ctx); err != nil {
		return err
	}
	if err := r.flushQuiet(ctx); err != nil {
		return err
	}
	if len(r.seen) > 0 {
		r.sortBlock(r.seen[len(r.seen)-1])
	}
	seen := sortedBlocks(r.seen)
	r.seen, r.tmp = nil, nil
	if err := writeSeenBlocks(ctx, r.tx, r.ID, seen); err != nil {
		return fmt.Errorf("写入存储: %w", err)
	}
	// Companies with an occurrence now: insert or bring up to date.
	if _, err := r.tx.ExecContext(ctx, `INSERT INTO companies(key, first_seen, last_seen, name, scope, verdict, terms, street, fp)
		SELECT key, ?1, ?1, name, scope, verdict, terms, street, fp FROM records WHERE run = ?1
		ON CONFLICT(key) DO UPDATE SET last_seen = excluded.last_seen, name = excluded.name, scope = excluded.scope,
			verdict = excluded.verdict, terms = excluded.terms, street = excluded.street, fp = excluded.fp`, r.ID); err != nil {
		return err
	}
	// Known companies seen without an occurrence now: few (those that had
	// one once), looked up in the seen set in memory.
	rows, err := r.tx.QueryContext(ctx, `SELECT key FROM companies
		WHERE NOT EXISTS (SELECT 1 FROM records WHERE run = ? AND records.key = companies.key)`, r.ID)
	if err != nil {
		return err
	}
	type cleared struct {
		key string
		fp  int64
	}
	var clear []cleared
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			rows.Close()
			return err
		}
		if fp, ok := seen.lookup(keyHash(k)); ok {
			clear = append(clear, cleared{k, fp})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if len(clear) > 0 {
		// The name and scope as seen now, if kept (a company becomes known
		// only at commit, so one first seen in this very run has none).
		st, err := r.tx.PrepareContext(ctx, `UPDATE companies SET last_seen = ?1, verdict = 'clear', terms = '', fp = ?2,
			name = COALESCE((SELECT name FROM quiet WHERE run = ?1 AND key = ?3), name),
			scope = COALESCE((SELECT scope FROM quiet WHERE run = ?1 AND key = ?3), scope) WHERE key = ?3`)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, c := range clear {
			if _, err := st.ExecContext(ctx, r.ID, c.fp, c.key); err != nil {
				return err
			}
		}
	}
	in, _ := json.Marshal(inputs)
	if _, err := r.tx.ExecContext(ctx, `UPDATE runs SET status = 'complete', finished = ?, inputs = ?, n_read = ?, n_refer = ?,
		n_review = ?, n_clear = ?, n_exempt = ?, n_rejected = ? WHERE id = ?`,
		finished.Format(timeFmt), string(in), c.Read, c.Refer, c.Review, c.Clear, c.Exempt, c.Rejected, r.ID); err != nil {
		return err
	}
	return r.tx.Commit()
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
	r.stop()
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
