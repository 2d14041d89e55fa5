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

	"github.com/regscreen/regscreen/record"
	"github.com/regscreen/regscreen/screen"
)

// RunStart is what is known when a run starts.
type RunStart struct {
	Started     time.Time
	DictVersion string
	Command     string
}

// Counts are a run's totals (one type across the program).
type Counts = screen.Counts

// The verdicts as the store keeps them (screen's, as text).
var (
	verdictRefer  = string(screen.Refer)
	verdictReview = string(screen.Review)
	verdictExempt = string(screen.Exempt)
	verdictClear  = string(screen.Clear)
)

// row is what the store keeps of one screened record.
type row struct {
	Key     string
	FP      int64
	HasHits bool   // verdict and terms are kept only for records with an occurrence
	company bool   // the company's row needs writing (set by the writer)
	text    bool   // texts lacks the name and scope (set by the writer)
	Name    string // name, scope and street: kept for a record with an occurrence or of a known company
	Scope   string
	Verdict string
	Terms   string
	Street  string
}

// Run is a scan being recorded. Add hands records over in batches to an
// intake goroutine that keeps the seen set and decides what to write, and
// that hands what to write to a goroutine that writes it to SQLite, so
// that the store's work overlaps the screening instead of lengthening the
// caller's serial output path. With one goroutine for both, the screening
// stalled for each SQLite write (the intake buffer holds a few thousand
// records; a write of 8,192 took a tenth of a second): on a 1M-row
// register the screening took 2.8 s instead of 1.3.
type Run struct {
	s    *Store
	ID   int64
	tx   *sql.Tx
	done bool
	// Duplicates, once committed, is the number of records that named a
	// company an earlier record of the run named too (the same key).
	Duplicates int

	batch   []row         // the caller's records not yet handed over
	feed    chan []row    // to the intake goroutine
	stopped chan struct{} // closed when the intake has finished
	toSQL   chan sqlWork  // from the intake to the SQLite goroutine
	written chan struct{} // closed when the SQLite goroutine has finished
	errMu   sync.Mutex
	err     error // the first error of either goroutine

	// Owned by the intake goroutine until stopped is closed.
	seen  [][]entry              // every record's key hash and fingerprint, in blocks, until Commit
	tmp   []entry                // scratch for sorting a block
	recs  []row                  // records with an occurrence, or of a known company, not yet written
	known map[int64]companyState // the companies the store knows, by key hash, as they are now
	maybe hashFilter             // every key hash in known, and a few more
	hit   map[int64]struct{}     // key hashes with an occurrence in this run
	texts map[[2]int64]struct{}  // key hash and fingerprint of every text stored
	names *runNames              // the companies' names (see names.go)
	taken int                    // records taken
	// Owned by the SQLite goroutine: inserts into records, quiet, texts and
	// companies, batchRows rows a statement.
	records, quiet, text, companies, cleared *batcher
}

// companyState is what decides whether a company's row must be written:
// on a night when 1% of a register changed, rewriting every referred
// company's row (~600 bytes each) cost a second night's commit 0.4 s.
type companyState struct {
	fp     int64  // Fingerprint(name, scope)
	judged uint64 // a hash of verdict and terms
	street uint64 // a hash of the street
}

func stateOf(fp int64, verdict, terms, street string) companyState {
	return companyState{fp, fnvString(fnvSep(fnvString(fnvOffset, verdict)), terms), fnvString(fnvOffset, street)}
}

// sqlWork is what the intake hands the SQLite goroutine: settled records,
// or a chunk of names.
type sqlWork struct {
	recs  []row
	names []byte
}

// handoff records go to the writer at a time.
const handoff = 1024

// Records with an occurrence arrive in export order, that is random key
// order; inserted one by one into records' (run, key) b-tree they made
// SQLite split and rewrite the same pages over and over. They are held
// back pendingRecs at a time (a few MB) and written sorted by key, in
// statements of batchRows rows (per-statement overhead dominated with one
// row per statement).
//
// A record's name and scope go to texts, once per company and fingerprint:
// on a night when 1% of a register changed, copying every referred
// company's text into records again made the second night as slow as the
// first, and the store grew by the whole text every night.
const (
	seenBlock   = 1 << 16
	pendingRecs = 8192
	batchRows   = 200
)

func valuesList(rows, cols int) string {
	one := "(" + strings.TrimSuffix(strings.Repeat("?,", cols), ",") + ")"
	return strings.TrimSuffix(strings.Repeat(one+",", rows), ",")
}

// batcher inserts rows batchRows at a time, with a statement prepared
// once for a full batch.
type batcher struct {
	tx     *sql.Tx
	prefix string // up to VALUES
	suffix string // after the values (ON CONFLICT …)
	cols   int
	full   *sql.Stmt
	args   []any
	n      int
}

func newBatcher(tx *sql.Tx, prefix string, cols int, suffix string) *batcher {
	return &batcher{tx: tx, prefix: prefix, cols: cols, suffix: suffix}
}

func (b *batcher) add(ctx context.Context, vals ...any) error {
	b.args = append(b.args, vals...)
	if b.n++; b.n == batchRows {
		return b.flush(ctx)
	}
	return nil
}

func (b *batcher) flush(ctx context.Context) error {
	if b.n == 0 {
		return nil
	}
	var err error
	if b.n == batchRows {
		if b.full == nil {
			if b.full, err = b.tx.PrepareContext(ctx, b.prefix+valuesList(batchRows, b.cols)+b.suffix); err != nil {
				return fmt.Errorf("写入存储: %w", err)
			}
		}
		_, err = b.full.ExecContext(ctx, b.args...)
	} else {
		_, err = b.tx.ExecContext(ctx, b.prefix+valuesList(b.n, b.cols)+b.suffix, b.args...)
	}
	clear(b.args)
	b.args, b.n = b.args[:0], 0
	if err != nil {
		return fmt.Errorf("写入存储: %w", err)
	}
	return nil
}

const timeFmt = time.RFC3339

// storedTime is a time as the store keeps it: RFC 3339 in UTC, so that
// times compare as text (a clerk's machine on China time wrote
// 2026-12-01T07:56:00+08:00, which sorts before 2026-11-30T23:59:46Z).
func storedTime(t time.Time) string { return t.UTC().Format(timeFmt) }

// BeginRun records the run as running (committed at once, so a killed run
// is seen later as failed) and opens the transaction that holds its data.
func (s *Store) BeginRun(ctx context.Context, start RunStart) (_ *Run, err error) {
	defer s.named(&err)
	if s.readOnly {
		return nil, errReadOnly(s.path)
	}
	s.stamp = false // until the run commits
	res, err := s.db.ExecContext(ctx, `INSERT INTO runs(started, status, dict_version, command, fp_kind) VALUES(?, 'running', ?, ?, ?)`,
		storedTime(start.Started), start.DictVersion, start.Command, fpKind)
	if err != nil {
		return nil, fmt.Errorf("记录运行: %w", err)
	}
	id, _ := res.LastInsertId()
	r := &Run{s: s, ID: id}
	if r.tx, err = s.db.BeginTx(ctx, nil); err != nil {
		return nil, r.fail(err)
	}
	r.records = newBatcher(r.tx, `INSERT OR REPLACE INTO records(run, key, verdict, terms, street, fp) VALUES `, 6, "")
	r.quiet = newBatcher(r.tx, `INSERT OR REPLACE INTO quiet(run, key, street, fp) VALUES `, 4, "")
	r.text = newBatcher(r.tx, `INSERT OR IGNORE INTO texts(key, fp, name, scope) VALUES `, 4, "")
	// A company with an occurrence: inserted, or brought up to date (its
	// name and scope are the text of its fingerprint).
	r.companies = newBatcher(r.tx, `INSERT INTO companies(key, first_seen, changed_in, verdict, terms, street, fp) VALUES `, 7,
		` ON CONFLICT(key) DO UPDATE SET changed_in = excluded.changed_in,
			verdict = excluded.verdict, terms = excluded.terms, street = excluded.street, fp = excluded.fp`)
	// A known company seen without one: clear now (its street stays: a
	// street is only looked up for a hit).
	r.cleared = newBatcher(r.tx, `INSERT INTO companies(key, changed_in, verdict, terms, fp) VALUES `, 5,
		` ON CONFLICT(key) DO UPDATE SET changed_in = excluded.changed_in, verdict = excluded.verdict, terms = '', fp = excluded.fp`)
	r.feed, r.stopped = make(chan []row, 4), make(chan struct{})
	r.toSQL, r.written = make(chan sqlWork, 2), make(chan struct{})
	r.hit = map[int64]struct{}{}
	go r.intake(ctx)
	go r.writeSQL(ctx)
	return r, nil
}

// Add records one screened record (a record without a Key is not kept).
// It returns the writer's error, if any, from an earlier record.
func (r *Run) Add(ctx context.Context, rec *record.Record) (err error) {
	defer r.s.named(&err)
	if rec.Key == "" {
		return nil
	}
	if r.done {
		return fmt.Errorf("存储运行 %d 已结束，不能再添加记录", r.ID)
	}
	if err := r.writeErr(); err != nil {
		return err
	}
	r.batch = append(r.batch, rowOf(rec))
	if len(r.batch) == handoff {
		r.feed <- r.batch
		r.batch = make([]row, 0, handoff)
	}
	return nil
}

// rowOf is what the store keeps of rec: a value, not a pointer (a million
// records allocated one by one kept the collector busy).
func rowOf(rec *record.Record) row {
	w := row{Key: rec.Key, FP: rec.FP, HasHits: rec.HasHits(), Name: rec.Name, Scope: rec.Scope, Street: rec.Street}
	if w.HasHits {
		w.Verdict = string(rec.Result.Verdict)
		w.Terms = strings.Join(rec.Result.Terms(), "、")
	}
	return w
}

func (r *Run) writeErr() error {
	r.errMu.Lock()
	defer r.errMu.Unlock()
	return r.err
}

func (r *Run) setErr(err error) {
	r.errMu.Lock()
	defer r.errMu.Unlock()
	if r.err == nil {
		r.err = err
	}
}

// intake is the intake goroutine: it drains feed whatever happens, so
// that Add never blocks for good.
func (r *Run) intake(ctx context.Context) {
	defer close(r.stopped)
	if err := r.loadKnown(ctx); err != nil {
		r.setErr(err)
	}
	for b := range r.feed {
		if r.writeErr() != nil {
			continue
		}
		for i := range b {
			r.take(&b[i])
		}
	}
}

// writeSQL is the SQLite goroutine: it drains toSQL whatever happens.
func (r *Run) writeSQL(ctx context.Context) {
	defer close(r.written)
	var packed []byte
	for w := range r.toSQL {
		if r.writeErr() != nil {
			continue
		}
		var err error
		if w.names != nil {
			packed = packNames(packed, w.names)
			if _, err = r.tx.ExecContext(ctx, `INSERT INTO names(run, data) VALUES(?, ?)`, r.ID, packed); err != nil {
				err = fmt.Errorf("写入存储: %w", err)
			}
			select {
			case r.names.free <- w.names: // to be filled again
			default:
			}
		} else {
			err = r.writeRecs(ctx, w.recs)
		}
		if err != nil {
			r.setErr(err)
		}
	}
}

// loadKnown reads the companies the store knows: a record of one without
// an occurrence keeps its name and scope (in quiet), for the change
// report's other side, and a company's row is written only if it changed.
// It reads which texts are stored, so that only new ones are written.
// The last complete run left both in one blob (see state.go); without it
// (a store just migrated, or pruned since) they are read from covering
// indexes, not the rows with their text.
func (r *Run) loadKnown(ctx context.Context) error {
	r.names = newRunNames()
	go func() {
		defer close(r.names.ready)
		if err := r.names.loadBase(ctx, r.tx); err != nil {
			r.setErr(fmt.Errorf("读取存储: %w", err))
		}
	}()
	known, texts, ok, err := loadState(ctx, r.tx)
	if err != nil {
		return fmt.Errorf("读取存储: %w", err)
	}
	if !ok {
		if known, texts, err = stateFromTables(ctx, r.tx); err != nil {
			return fmt.Errorf("读取存储: %w", err)
		}
	}
	r.known, r.texts = known, texts
	r.maybe = newHashFilter(len(known))
	for h := range known {
		r.maybe.add(h)
	}
	return nil
}

// hashFilter has a bit for each key hash known (and, sharing bits, a few
// others): most records are of companies the store does not know, and
// looking each up in the known map (cache misses in a map of 50,000 or
// more) cost 0.3 s of CPU over a 1M-row register.
type hashFilter struct {
	bits  []uint64
	shift uint
}

// newHashFilter sizes the filter for n hashes, at 16 bits each or more (a
// few percent of unknown hashes pass), 128 KiB at least.
func newHashFilter(n int) hashFilter {
	log := uint(20)
	for 1<<log < 16*n {
		log++
	}
	return hashFilter{make([]uint64, 1<<log/64), 64 - log}
}

func (f hashFilter) index(h int64) uint64 { return uint64(h) * 0x9E3779B97F4A7C15 >> f.shift }

func (f hashFilter) add(h int64) { i := f.index(h); f.bits[i/64] |= 1 << (i % 64) }

func (f hashFilter) has(h int64) bool { i := f.index(h); return f.bits[i/64]&(1<<(i%64)) != 0 }

func (r *Run) sortBlock(b []entry) {
	if r.tmp == nil {
		r.tmp = make([]entry, seenBlock)
	}
	radixSort(b, r.tmp)
}

// stop hands over the last records and waits for both goroutines to
// finish writing them.
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
	r.handOff()
	r.handOffNames()
	close(r.toSQL)
	<-r.written
	return r.writeErr()
}

func (r *Run) take(rec *row) {
	r.taken++
	// Fixed blocks rather than one growing slice: growing a 16 MB slice
	// by a quarter at a time cost a second of copying and page faults.
	if len(r.seen) == 0 || len(r.seen[len(r.seen)-1]) == seenBlock {
		if len(r.seen) > 0 {
			r.sortBlock(r.seen[len(r.seen)-1])
		}
		r.seen = append(r.seen, make([]entry, 0, seenBlock))
	}
	h := keyHash(rec.Key)
	r.takeName(h, rec)
	maybe := rec.HasHits || r.maybe.has(h)
	if !rec.HasHits && maybe {
		if _, hit := r.hit[h]; hit {
			// Listed before in this export with an occurrence, which
			// stands, in the seen set too.
			return
		}
	}
	b := &r.seen[len(r.seen)-1]
	*b = append(*b, entry{h, rec.FP})
	if !maybe {
		return
	}
	was, known := r.known[h]
	if !rec.HasHits {
		if !known {
			return
		}
	} else {
		r.hit[h] = struct{}{}
	}
	// What the company's row will be after this record (a record of the
	// same company later in the run compares with this one).
	now := stateOf(rec.FP, rec.Verdict, rec.Terms, rec.Street)
	if !rec.HasHits {
		now = stateOf(rec.FP, verdictClear, "", "")
		now.street = was.street
	}
	// Copies: a reader's strings may share a large buffer with many other
	// rows, which holding them here would keep alive.
	c := *rec
	c.company = !known || now != was
	r.known[h] = now
	r.maybe.add(h)
	if _, ok := r.texts[[2]int64{h, rec.FP}]; !ok {
		c.text = true
		r.texts[[2]int64{h, rec.FP}] = struct{}{}
	}
	c.Key, c.Name, c.Scope = strings.Clone(c.Key), strings.Clone(c.Name), strings.Clone(c.Scope)
	c.Verdict, c.Terms, c.Street = strings.Clone(c.Verdict), strings.Clone(c.Terms), strings.Clone(c.Street)
	r.recs = append(r.recs, c)
	if len(r.recs) >= pendingRecs {
		r.handOff()
	}
}

// takeName adds the record's name to the block of names to compare (a
// record without a name keeps none).
func (r *Run) takeName(h int64, rec *row) {
	if rec.Name == "" || r.names == nil {
		return
	}
	r.names.block.add(h, rec.FP, rec.Key, rec.Name)
	if len(r.names.block.hs) == seenBlock {
		r.names.compare(r.emitNames)
	}
}

func (r *Run) emitNames(b []byte) { r.toSQL <- sqlWork{names: b} }

// handOffNames compares the last block of names and hands the names not
// yet written to the SQLite goroutine.
func (r *Run) handOffNames() {
	if r.names == nil {
		return
	}
	r.names.compare(r.emitNames)
	if len(r.names.out) > 0 {
		r.emitNames(r.names.out)
		r.names.out = nil
	}
}

// handOff sorts the pending records by key and hands them to the SQLite
// goroutine, one record standing for each key's (see settle). Of a key in
// two hand-offs the later stands, as INSERT OR REPLACE makes it.
func (r *Run) handOff() {
	if len(r.recs) == 0 {
		return
	}
	slices.SortStableFunc(r.recs, func(a, b row) int { return strings.Compare(a.Key, b.Key) })
	out := r.recs[:0]
	for i := 0; i < len(r.recs); {
		j := i + 1
		for j < len(r.recs) && r.recs[j].Key == r.recs[i].Key {
			j++
		}
		// settle copies the record out before out's append can overwrite
		// the group (out never runs ahead of i).
		out = append(out, r.settle(r.recs[i:j]))
		i = j
	}
	clear(r.recs[len(out):])
	r.toSQL <- sqlWork{recs: out}
	r.recs = make([]row, 0, pendingRecs)
}

// settle picks the record that stands for one key's records in a hand-off:
// the last with an occurrence, else the last (as the store has always
// kept a company: referred if any of its rows in an export was). It writes
// the company's row if any of them changed it, and its text if one with
// the same fingerprint found it new; the others' new texts are forgotten
// as stored.
func (r *Run) settle(group []row) row {
	s := len(group) - 1
	for k := len(group) - 1; k >= 0; k-- {
		if group[k].HasHits {
			s = k
			break
		}
	}
	c := group[s]
	for k := range group {
		d := &group[k]
		if k == s {
			continue
		}
		c.company = c.company || d.company
		switch {
		case d.text && d.FP == c.FP:
			c.text = true
		case d.text:
			delete(r.texts, [2]int64{keyHash(d.Key), d.FP})
		}
	}
	return c
}

// writeRecs writes settled records: those with an occurrence to records,
// known companies without one to quiet, the text of either to texts if
// new, and the company's row if it changed.
func (r *Run) writeRecs(ctx context.Context, recs []row) error {
	for i := range recs {
		c := &recs[i]
		var err error
		switch {
		case c.HasHits:
			err = r.records.add(ctx, r.ID, c.Key, c.Verdict, c.Terms, c.Street, c.FP)
			if err == nil && c.company {
				err = r.companies.add(ctx, c.Key, r.ID, r.ID, c.Verdict, c.Terms, c.Street, c.FP)
			}
		default:
			err = r.quiet.add(ctx, r.ID, c.Key, c.Street, c.FP)
			if err == nil && c.company {
				err = r.cleared.add(ctx, c.Key, r.ID, verdictClear, "", c.FP)
			}
		}
		if err == nil && c.text {
			err = r.text.add(ctx, c.Key, c.FP, c.Name, c.Scope)
		}
		if err != nil {
			return err
		}
	}
	for _, b := range []*batcher{r.records, r.quiet, r.text, r.companies, r.cleared} {
		if err := b.flush(ctx); err != nil {
			return err
		}
	}
	return nil
}

// Commit stores the run's seen set and marks the run complete, in the
// run's transaction (the companies were brought up to date as the
// records were written).
func (r *Run) Commit(ctx context.Context, inputs []record.Input, c Counts, finished time.Time) (err error) {
	defer r.s.named(&err)
	if r.done {
		return fmt.Errorf("存储运行 %d 已结束，不能再提交", r.ID)
	}
	if err := r.commit(ctx, inputs, c, finished); err != nil {
		return r.fail(err)
	}
	r.done = true
	r.s.stamp = true
	return nil
}

func (r *Run) commit(ctx context.Context, inputs []record.Input, c Counts, finished time.Time) error {
	if err := r.stop(); err != nil {
		return err
	}
	// A company listed first without an occurrence and later with one, in
	// another hand-off: the occurrence stands.
	if _, err := r.tx.ExecContext(ctx, `DELETE FROM quiet WHERE run = ?1 AND key IN (SELECT key FROM records WHERE run = ?1)`,
		r.ID); err != nil {
		return fmt.Errorf("写入存储: %w", err)
	}
	if len(r.seen) > 0 {
		r.sortBlock(r.seen[len(r.seen)-1])
	}
	seen := sortedBlocks(r.seen)
	r.seen, r.tmp = nil, nil
	companies, err := writeSeenBlocks(ctx, r.tx, r.ID, seen)
	if err != nil {
		return fmt.Errorf("写入存储: %w", err)
	}
	r.Duplicates = r.taken - companies
	if err := saveState(ctx, r.tx, r.ID, r.known, r.texts); err != nil {
		return fmt.Errorf("写入存储: %w", err)
	}
	in, _ := json.Marshal(inputs)
	if _, err := r.tx.ExecContext(ctx, `UPDATE runs SET status = 'complete', names = 1, finished = ?, inputs = ?, n_read = ?, n_refer = ?,
		n_review = ?, n_clear = ?, n_exempt = ?, n_rejected = ? WHERE id = ?`,
		storedTime(finished), string(in), c.Read, c.Refer, c.Review, c.Clear, c.Exempt, c.Rejected, r.ID); err != nil {
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
	r.s.stamp = false // the next writer checks the store
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
		storedTime(time.Now()), msg, r.ID)
	return fmt.Errorf("存储运行 %d 失败，已回滚: %w", r.ID, cause)
}

// Excluded returns the companies the consultation marked 排除, with the
// fingerprint they had then: while it is unchanged they are not re-referred.
func (s *Store) Excluded(ctx context.Context) (_ map[string]int64, err error) {
	defer s.named(&err)
	rows, err := s.db.QueryContext(ctx, `SELECT key, status_fp FROM companies WHERE status = ?`, record.StatusExcluded)
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
	ID                                          int64
	Started, Finished                           string
	Status, DictVersion, Command, Inputs, Error string
	Counts
}

// Runs lists the runs, newest first.
func (s *Store) Runs(ctx context.Context) (_ []RunInfo, err error) {
	defer s.named(&err)
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
