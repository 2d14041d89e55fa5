package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/regscreen/regscreen/record"
)

// Kinds of change between two runs.
const (
	NewlyReferred    = "新增送会商"
	NoLongerReferred = "不再送会商"
	Gone             = "已不在名录"
	NewWithHits      = "新登记且有命中"
	Changed          = "内容变更"
	// DictChanged is a change of verdict or terms of a company whose name
	// and scope are as they were, between two runs that used different
	// dictionary versions: the dictionary changed, not the company.
	DictChanged = "词典变更导致的变动"
	// ConsultExcluded is a company referred or to review before that the
	// consultation has since ruled 排除: the same word whatever it was.
	ConsultExcluded = "会商排除"
)

// Snapshot is a company as one run saw it.
type Snapshot struct {
	Name    string `json:"name"`
	Scope   string `json:"scope"`
	Verdict string `json:"verdict"`
	Terms   string `json:"terms"`
	Street  string `json:"street"`
	// untexted: the store kept no text of the company for this run (its
	// name is then filled in from the names kept, see fillNames); a name
	// kept blank is the export's blank.
	untexted bool
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
func (s *Store) LatestRuns(ctx context.Context) (from, to int64, err error) {
	defer s.named(&err)
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
		return 0, 0, fmt.Errorf("存储中还没有完成的运行；先运行一次 scan --db")
	case 1:
		return 0, ids[0], nil
	}
	return ids[1], ids[0], nil
}

// RunBefore returns the newest complete run started before t, 0 if none
// (a month with nothing before it: report monthly compares with nothing).
func (s *Store) RunBefore(ctx context.Context, t time.Time) (_ int64, err error) {
	defer s.named(&err)
	var id sql.NullInt64
	err = s.db.QueryRowContext(ctx, `SELECT MAX(id) FROM runs WHERE status = 'complete' AND started < ?`, storedTime(t)).Scan(&id)
	if err != nil {
		return 0, err
	}
	return id.Int64, nil
}

// EarlierRun is RunBefore for changes --since: with no complete run
// before t it fails with an error wrapping ErrNoEarlierRun that names the
// earliest run there is, rather than compare with nothing.
func (s *Store) EarlierRun(ctx context.Context, t time.Time) (_ int64, err error) {
	defer s.named(&err)
	id, err := s.RunBefore(ctx, t)
	if err != nil || id != 0 {
		return id, err
	}
	var first sql.NullString
	if err := s.db.QueryRowContext(ctx, `SELECT MIN(started) FROM runs WHERE status = 'complete'`).Scan(&first); err != nil {
		return 0, err
	}
	if !first.Valid {
		return 0, &Error{Kind: NoEarlierRun, Path: s.path, Msg: " 中还没有完成的运行，无从比较"}
	}
	earliest := first.String
	if at, err := time.Parse(timeFmt, first.String); err == nil {
		earliest = at.Local().Format(time.DateTime)
	}
	return 0, &Error{Kind: NoEarlierRun, Msg: fmt.Sprintf("%s 之前没有完成的运行（最早的一次开始于 %s），无从比较", t.Format(time.DateOnly), earliest),
		Hint: "请换一个更晚的 --since 日期"}
}

// CheckRun makes sure a run exists and is complete.
func (s *Store) CheckRun(ctx context.Context, id int64) (err error) {
	defer s.named(&err)
	var status string
	err = s.db.QueryRowContext(ctx, `SELECT status FROM runs WHERE id = ?`, id).Scan(&status)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("没有编号为 %d 的运行（regscreen db runs 列出全部）", id)
	}
	if err != nil {
		return err
	}
	if status != "complete" {
		return fmt.Errorf("运行 %d 没有完成（%s），不能用于比较；用 regscreen db runs 查看已完成的运行", id, StatusLabel(status))
	}
	return nil
}

// StatusLabel is a run's status (as the store keeps it) as a clerk reads it.
func StatusLabel(status string) string {
	switch status {
	case "complete":
		return "完成"
	case "failed":
		return "失败"
	case "running":
		return "进行中"
	}
	return status
}

// Changes compares run from with run to (from 0: everything in to is
// new). Both runs' seen sets are read whole (16 bytes a record) with the
// companies with an occurrence in either, and compared in memory (see
// classify).
func (s *Store) Changes(ctx context.Context, from, to int64) (_ []Change, err error) {
	defer s.named(&err)
	wrap := func(err error) error { return fmt.Errorf("比较运行 %d 与 %d: %w", from, to, err) }
	a, err := s.loadRunView(ctx, from)
	if err != nil {
		return nil, wrap(err)
	}
	b, err := s.loadRunView(ctx, to)
	if err != nil {
		return nil, wrap(err)
	}
	status, err := s.statuses(ctx)
	if err != nil {
		return nil, wrap(err)
	}
	cs := classify(a, b, status)
	if err := fillNames(ctx, s.db, cs, from, to); err != nil {
		return nil, wrap(err)
	}
	return cs, nil
}

// runView is what a comparison needs of one run: its fingerprint kind,
// its seen set, its records with an occurrence, and the known companies
// it saw without one (quiet), by key.
type runView struct {
	kind        int
	dict        string // the run's dictionary version
	seen        seenSet
	recs, quiet map[string]*Snapshot
}

func (s *Store) loadRunView(ctx context.Context, run int64) (v runView, err error) {
	if v.kind, err = runKind(ctx, s.db, run); err != nil {
		return v, err
	}
	if run != 0 {
		if err = s.db.QueryRowContext(ctx, `SELECT COALESCE(dict_version, '') FROM runs WHERE id = ?`, run).Scan(&v.dict); err != nil {
			return v, err
		}
	}
	if v.seen, err = readSeen(ctx, s.db, run); err != nil {
		return v, err
	}
	if v.recs, err = s.runSnapshots(ctx, run, false); err != nil {
		return v, err
	}
	v.quiet, err = s.runSnapshots(ctx, run, true)
	return v, err
}

// text is the company's name and scope as the run saw it, if the store
// kept them.
func (v *runView) text(key string) *Snapshot {
	if r := v.recs[key]; r != nil {
		return r
	}
	return v.quiet[key]
}

// side shows the company as the run saw it: with its occurrence, or as
// the store kept it without one (see quiet), else as a blank 无需处理 if
// the run saw it at all.
func (v *runView) side(key string) *Snapshot {
	if r := v.text(key); r != nil {
		return r
	}
	if _, ok := v.seen.lookup(keyHash(key)); ok {
		return &Snapshot{Verdict: verdictClear, untexted: true}
	}
	return nil
}

func (v *runView) verdict(key string) string {
	if r := v.recs[key]; r != nil {
		return r.Verdict
	}
	return verdictClear
}

func (v *runView) terms(key string) string {
	if r := v.recs[key]; r != nil {
		return r.Terms
	}
	return ""
}

// changeOrder is the order of the kinds in the list.
var changeOrder = map[string]int{NewlyReferred: 0, NewWithHits: 1, Changed: 2, NoLongerReferred: 3, ConsultExcluded: 4, Gone: 5,
	DictChanged: 6}

// classify lists what changed from run a to run b; status holds each
// decided company's 处理状态 and 会商意见. Each company is listed once,
// under the first kind that applies in the order 新增送会商, 新登记且有命中,
// 不再送会商, 已不在名录, 内容变更: its row shows before and after whatever
// the kind, so a company newly referred because its scope changed is not
// listed a second time as changed. When the runs used different
// dictionaries, a company in both whose name and scope are unchanged is
// listed as 词典变更导致的变动 instead (see DictChanged). It reads nothing.
func classify(a, b runView, status map[string][2]string) []Change {
	listed := map[string]bool{}
	var out []Change
	add := func(kind, key string) {
		if listed[key] {
			return
		}
		listed[key] = true
		if dictCaused(a, b, kind, key) {
			kind = DictChanged
		}
		c := Change{Kind: kind, Key: key, Before: a.side(key), After: b.side(key)}
		if st, ok := status[key]; ok {
			c.Status, c.Opinion = st[0], st[1]
		}
		out = append(out, c)
	}
	// A consultation's exclusion is one kind, whether the company was
	// referred or to review before.
	for _, key := range sortedKeys(b.recs) {
		was := a.verdict(key)
		if b.recs[key].Verdict == verdictExempt && status[key][0] == record.StatusExcluded && (was == verdictRefer || was == verdictReview) {
			add(ConsultExcluded, key)
		}
	}
	// Only a record with a hit that stands counts as one: a record whose
	// every occurrence was denied is clear (无需处理), new or gone.
	for _, key := range sortedKeys(b.recs) {
		_, inA := a.seen.lookup(keyHash(key))
		switch v := b.recs[key].Verdict; {
		case inA && v == verdictRefer && a.verdict(key) != verdictRefer:
			add(NewlyReferred, key)
		case !inA && v != verdictClear:
			add(NewWithHits, key)
		}
	}
	for _, key := range sortedKeys(a.recs) {
		_, inB := b.seen.lookup(keyHash(key))
		switch v := a.recs[key].Verdict; {
		case inB && v == verdictRefer && b.verdict(key) != verdictRefer:
			add(NoLongerReferred, key)
		case !inB && v != verdictClear:
			add(Gone, key)
		}
	}
	for _, key := range append(sortedKeys(a.recs), sortedKeys(b.recs)...) {
		h := keyHash(key)
		fa, inA := a.seen.lookup(h)
		fb, inB := b.seen.lookup(h)
		if inA && inB && (!sameContent(a.kind, fa, a.text(key), b.kind, fb, b.text(key)) ||
			a.verdict(key) != b.verdict(key) || a.terms(key) != b.terms(key)) {
			add(Changed, key)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if changeOrder[out[i].Kind] != changeOrder[out[j].Kind] {
			return changeOrder[out[i].Kind] < changeOrder[out[j].Kind]
		}
		return out[i].Key < out[j].Key
	})
	return out
}

// dictCaused reports whether a change of kind to the company key is the
// dictionary's doing: the runs used different dictionaries and the
// company's name and scope are as they were.
func dictCaused(a, b runView, kind, key string) bool {
	if a.dict == b.dict || a.dict == "" || kind != NewlyReferred && kind != NoLongerReferred && kind != Changed {
		return false
	}
	h := keyHash(key)
	fa, _ := a.seen.lookup(h)
	fb, _ := b.seen.lookup(h)
	return sameContent(a.kind, fa, a.text(key), b.kind, fb, b.text(key))
}

func sortedKeys(m map[string]*Snapshot) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// runSnapshots loads a run's records with an occurrence by key, or with
// quiet the known companies it saw without one.
func (s *Store) runSnapshots(ctx context.Context, run int64, quiet bool) (map[string]*Snapshot, error) {
	out := map[string]*Snapshot{}
	if run == 0 {
		return out, nil
	}
	q := `SELECT r.key, t.name, t.scope, r.verdict, r.terms, r.street FROM records r
		LEFT JOIN texts t ON t.key = r.key AND t.fp = r.fp WHERE r.run = ?`
	if quiet {
		q = `SELECT q.key, t.name, t.scope, '` + verdictClear + `', '', q.street FROM quiet q
			LEFT JOIN texts t ON t.key = q.key AND t.fp = q.fp WHERE q.run = ?`
	}
	rows, err := s.db.QueryContext(ctx, q, run)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var v [5]sql.NullString
		if err := rows.Scan(&k, &v[0], &v[1], &v[2], &v[3], &v[4]); err != nil {
			return nil, err
		}
		out[k] = snapshot(v)
	}
	return out, rows.Err()
}

// statuses returns each decided company's 处理状态 and 会商意见.
func (s *Store) statuses(ctx context.Context) (map[string][2]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT key, COALESCE(status, ''), COALESCE(opinion, '') FROM companies
		WHERE COALESCE(status, '') != '' OR COALESCE(opinion, '') != ''`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][2]string{}
	for rows.Next() {
		var k, st, op string
		if err := rows.Scan(&k, &st, &op); err != nil {
			return nil, err
		}
		out[k] = [2]string{st, op}
	}
	return out, rows.Err()
}

func snapshot(v [5]sql.NullString) *Snapshot {
	if !v[2].Valid {
		return nil
	}
	return &Snapshot{Name: v[0].String, Scope: v[1].String, Verdict: v[2].String, Terms: v[3].String, Street: v[4].String,
		untexted: !v[0].Valid}
}

// Referred returns the companies referred in a run with their street and
// consultation status.
func (s *Store) Referred(ctx context.Context, run int64) (_ []Change, err error) {
	defer s.named(&err)
	rows, err := s.db.QueryContext(ctx, `SELECT r.key, COALESCE(t.name, ''), r.street, COALESCE(c.status, '') FROM records r
		LEFT JOIN texts t ON t.key = r.key AND t.fp = r.fp
		LEFT JOIN companies c ON c.key = r.key WHERE r.run = ? AND r.verdict = ? ORDER BY r.key`, run, verdictRefer)
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
	// Text: for a run without an occurrence, the name and scope the store
	// kept (a company that had a hit before), if any.
	Text *Snapshot `json:"text,omitempty"`
	// Name is the company's name in the run, wherever the store kept it
	// (a store upgraded from schema 8 did not for a company without a hit).
	Name string `json:"name,omitempty"`
}

// FindKeys resolves what a user typed to look a company up (history):
// a credit code or registration number in any case, or a 企业名称 the
// company has had. It returns every key the store knows for it, a code
// first, then companies that have had that name, then a company known by
// its name only; when none is known, the companies that have had a name
// containing it (at least two characters), for the clerk to choose from.
// Every name a company has had is kept since schema 9 (see names.go);
// before, only the names of companies with an occurrence, so a company
// renamed before the upgrade without one is found by its code or its
// later names only.
func (s *Store) FindKeys(ctx context.Context, arg string) (_ []string, err error) {
	defer s.named(&err)
	arg = strings.TrimSpace(arg)
	if arg == "" {
		return nil, nil
	}
	// The code as typed, valid or not: stores written before invalid codes
	// stopped being keys still hold them.
	cands := []string{strings.ToUpper(arg)}
	runs, err := s.completeRuns(ctx)
	if err != nil {
		return nil, err
	}
	// A code the store knows is the company (no name is a code): the
	// names, all of them read to find one, are not searched.
	if out, err := s.knownOf(ctx, cands, runs); len(out) > 0 || err != nil {
		return out, err
	}
	named, err := keysNamed(ctx, s.db, arg, false)
	if err != nil {
		return nil, err
	}
	cands = append(cands, named[:min(len(named), maxNameMatches)]...)
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT key FROM texts WHERE name = ? ORDER BY key`, arg)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			rows.Close()
			return nil, err
		}
		cands = append(cands, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	cands = append(cands, record.Key("", arg))
	out, err := s.knownOf(ctx, cands, runs)
	if len(out) > 0 || err != nil || utf8.RuneCountInString(arg) < 2 {
		return out, err
	}
	// Part of a name: every company that has had a name containing it.
	if cands, err = s.keysNamedLike(ctx, arg); err != nil {
		return nil, err
	}
	return s.knownOf(ctx, cands, runs)
}

// keysNamedLike returns the keys of the companies that have had a name
// containing part, at most maxNameMatches of them.
func (s *Store) keysNamedLike(ctx context.Context, part string) ([]string, error) {
	out, err := keysNamed(ctx, s.db, part, true)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT key FROM texts WHERE instr(name, ?) > 0 ORDER BY key`, part)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	slices.Sort(out)
	out = slices.Compact(out)
	return out[:min(len(out), maxNameMatches)], rows.Err()
}

// maxNameMatches bounds the companies a part of a name lists.
const maxNameMatches = 50

// knownOf returns the candidates, once each, that a complete run saw.
func (s *Store) knownOf(ctx context.Context, cands []string, runs []int64) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, k := range cands {
		if seen[k] {
			continue
		}
		seen[k] = true
		known, err := s.known(ctx, k, runs)
		if err != nil {
			return nil, err
		}
		if known {
			out = append(out, k)
		}
	}
	return out, nil
}

func (s *Store) completeRuns(ctx context.Context) ([]int64, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM runs WHERE status = 'complete' ORDER BY id DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// known reports whether a key is a company or was seen in any of runs.
func (s *Store) known(ctx context.Context, key string, runs []int64) (bool, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM companies WHERE key = ?`, key).Scan(&n); err != nil || n > 0 {
		return n > 0, err
	}
	for _, r := range runs {
		_, ok, err := seenFP(ctx, s.db, r, key)
		if err != nil || ok {
			return ok, err
		}
	}
	return false, nil
}

// History lists a company across every complete run.
func (s *Store) History(ctx context.Context, key string) (_ []HistoryEntry, _ *Change, err error) {
	defer s.named(&err)
	// The text of a run without an occurrence (quiet) is not shown, but
	// tells a change across runs of different fingerprint kinds.
	rows, err := s.db.QueryContext(ctx, `SELECT ru.id, ru.started, ru.fp_kind, t.name, t.scope, r.verdict, r.terms, r.street,
			tq.name, tq.scope
		FROM runs ru LEFT JOIN records r ON r.run = ru.id AND r.key = ?1 LEFT JOIN texts t ON t.key = r.key AND t.fp = r.fp
		LEFT JOIN quiet q ON q.run = ru.id AND q.key = ?1 LEFT JOIN texts tq ON tq.key = q.key AND tq.fp = q.fp
		WHERE ru.status = 'complete' ORDER BY ru.id`, key)
	if err != nil {
		return nil, nil, err
	}
	var out []HistoryEntry
	var kinds []int
	var texts []*Snapshot
	for rows.Next() {
		var e HistoryEntry
		var kind int
		var v [5]sql.NullString
		var qname, qscope sql.NullString
		if err := rows.Scan(&e.Run, &e.Started, &kind, &v[0], &v[1], &v[2], &v[3], &v[4], &qname, &qscope); err != nil {
			rows.Close()
			return nil, nil, err
		}
		e.Record = snapshot(v)
		text := e.Record
		if text == nil && qname.Valid {
			text = &Snapshot{Name: qname.String, Scope: qscope.String}
			e.Text = text
		}
		out = append(out, e)
		kinds = append(kinds, kind)
		texts = append(texts, text)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	// One chunk of each run's seen set holds the key, if it was there.
	var lastFP int64
	last := -1
	for i := range out {
		fp, ok, err := seenFP(ctx, s.db, out[i].Run, key)
		if err != nil {
			return nil, nil, err
		}
		out[i].Present = ok
		if !ok {
			continue
		}
		if last >= 0 {
			out[i].Changed = !sameContent(kinds[last], lastFP, texts[last], kinds[i], fp, texts[i])
		}
		lastFP, last = fp, i
	}
	if err := s.nameEntries(ctx, key, out, texts); err != nil {
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

// nameEntries gives each run of a company's history the name it had then:
// its record's, else the one kept in names, else its kept text's.
func (s *Store) nameEntries(ctx context.Context, key string, out []HistoryEntry, texts []*Snapshot) error {
	names, err := namesOf(ctx, s.db, map[string]bool{key: true})
	if err != nil {
		return err
	}
	for i := range out {
		switch {
		case out[i].Record != nil:
			out[i].Name = out[i].Record.Name
		case out[i].Present:
			out[i].Name = nameAsOf(names[key], out[i].Run)
		}
		if out[i].Name == "" && texts[i] != nil {
			out[i].Name = texts[i].Name
		}
	}
	return nil
}

// SetStatus records a consultation decision for a company (see
// ImportDecisions, which it calls with one decision dated at). It reports
// false for an unknown company.
func (s *Store) SetStatus(ctx context.Context, key, status, opinion string, at time.Time) (bool, error) {
	res, err := s.ImportDecisions(ctx, []record.Decision{{Key: key, Status: status, Opinion: opinion,
		Date: at.Format(time.DateOnly), Imported: at}})
	if err != nil {
		return false, err
	}
	return len(res.Unknown) == 0, nil
}

// Pruning says which runs Prune deletes and how.
type Pruning struct {
	Before time.Time // runs started before it go
	// DryRun counts the runs that would go and changes nothing.
	DryRun bool
	// Vacuum gives the space back to the file system afterwards.
	Vacuum bool
}

// Prune deletes runs started before p.Before, keeping the newest
// complete run whatever its age, and returns how many runs went (or,
// with DryRun, would go).
func (s *Store) Prune(ctx context.Context, p Pruning) (_ int, err error) {
	defer s.named(&err)
	if s.readOnly && !p.DryRun {
		return 0, errReadOnly(s.path)
	}
	cutoff := p.Before
	keep := `(SELECT COALESCE(MAX(id), 0) FROM runs WHERE status = 'complete')`
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM runs WHERE started < ? AND id != `+keep, storedTime(cutoff)).Scan(&n); err != nil {
		return 0, err
	}
	if p.DryRun {
		return n, nil
	}
	s.stamp = false // until it commits
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	for _, q := range []string{
		`DELETE FROM seen WHERE run IN (SELECT id FROM runs WHERE started < ?1 AND id != ` + keep + `)`,
		`DELETE FROM records WHERE run IN (SELECT id FROM runs WHERE started < ?1 AND id != ` + keep + `)`,
		`DELETE FROM quiet WHERE run IN (SELECT id FROM runs WHERE started < ?1 AND id != ` + keep + `)`,
		`DELETE FROM runs WHERE started < ?1 AND id != ` + keep,
	} {
		if _, err := tx.ExecContext(ctx, q, storedTime(cutoff)); err != nil {
			return 0, err
		}
	}
	// Texts no run points to any more, each found through its index from
	// the rows that point to it (not by scanning records once per text);
	// a company's latest text stays, to be found by its name.
	if _, err := tx.ExecContext(ctx, `DELETE FROM texts WHERE rowid NOT IN (
		SELECT t.rowid FROM records r JOIN texts t ON t.key = r.key AND t.fp = r.fp
		UNION SELECT t.rowid FROM quiet q JOIN texts t ON t.key = q.key AND t.fp = q.fp
		UNION SELECT t.rowid FROM companies c JOIN texts t ON t.key = c.key AND t.fp = c.fp
		UNION SELECT MAX(rowid) FROM texts GROUP BY key)`); err != nil {
		return 0, err
	}
	// The last run's state blob lists texts just dropped: the next run
	// reads the tables.
	if _, err := tx.ExecContext(ctx, `DELETE FROM state`); err != nil {
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, err
	}
	s.stamp = true
	if p.Vacuum {
		return n, s.Vacuum(ctx)
	}
	return n, nil
}

// Vacuum gives the space of pruned runs back to the file system.
func (s *Store) Vacuum(ctx context.Context) (err error) {
	defer s.named(&err)
	if s.readOnly {
		return errReadOnly(s.path)
	}
	s.stamp = false
	if _, err := s.db.ExecContext(ctx, `VACUUM`); err != nil {
		return err
	}
	s.stamp = true
	return nil
}

// runKind is the fingerprint kind of a run's seen set (run 0, nothing:
// this build's).
func runKind(ctx context.Context, db querier, run int64) (int, error) {
	if run == 0 {
		return fpKind, nil
	}
	var kind int
	if err := db.QueryRowContext(ctx, `SELECT fp_kind FROM runs WHERE id = ?`, run).Scan(&kind); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return fpKind, nil
		}
		return 0, err
	}
	return kind, nil
}

// CompareRuns picks the two complete runs `changes` compares: with since,
// the last one started before it and the latest; with from and to, those
// two, each of which must be complete; else the latest two. One complete
// run is not enough: compared with nothing, every company with a hit
// would be listed as new (after a prune, long-standing ones too).
func (s *Store) CompareRuns(ctx context.Context, since time.Time, from, to int64) (_, _ int64, err error) {
	defer s.named(&err)
	switch {
	case !since.IsZero():
		if from, err = s.EarlierRun(ctx, since); err != nil {
			return 0, 0, err
		}
		_, latest, err := s.LatestRuns(ctx)
		return from, latest, err
	case from != 0 || to != 0:
		for _, id := range []int64{from, to} {
			if err := s.CheckRun(ctx, id); err != nil {
				return 0, 0, err
			}
		}
		return from, to, nil
	}
	from, to, err = s.LatestRuns(ctx)
	if err == nil && from == 0 {
		return 0, 0, &Error{Kind: NoEarlierRun, Msg: fmt.Sprintf("存储中只有一次完成的运行（运行 %d），无从比较", to),
			Hint: "下一次 scan --db 之后再看变动（运行列表见 db runs）"}
	}
	return from, to, err
}

// MonthRuns picks the runs a monthly return compares: the last complete
// run started before the month that begins at start ends (to), and the
// last before it begins (from); 0 where there is none.
func (s *Store) MonthRuns(ctx context.Context, start time.Time) (from, to int64, err error) {
	if to, err = s.RunBefore(ctx, start.AddDate(0, 1, 0)); err != nil || to == 0 {
		return 0, to, err
	}
	from, err = s.RunBefore(ctx, start)
	return from, to, err
}
