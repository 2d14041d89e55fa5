package store

import (
	"context"
	"database/sql"
	"errors"
	"github.com/regscreen/regscreen/record"
	"github.com/regscreen/regscreen/screen"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

func newStore(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "t.db"), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func storeRun(t *testing.T, s *Store, recs ...record.Record) int64 {
	t.Helper()
	ctx := context.Background()
	r, err := s.BeginRun(ctx, RunStart{Started: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	for i := range recs {
		if err := r.Add(ctx, &recs[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Commit(ctx, nil, Counts{Read: len(recs)}, time.Now()); err != nil {
		t.Fatal(err)
	}
	return r.ID
}

func rec(key, name, scope, verdict string) record.Record {
	r := record.Record{Key: key, FP: record.Fingerprint(name, scope), Name: name, Scope: scope}
	if verdict != "" {
		// An occurrence of 理财: used unless the record is clear (denied).
		r.Result = screen.Result{Verdict: screen.Verdict(verdict), Hits: []screen.Hit{{Term: "理财", Denied: verdict == verdictClear}}}
	}
	return r
}

func kinds(cs []Change) map[string]string {
	out := map[string]string{}
	for _, c := range cs {
		out[c.Key] += c.Kind + ";"
	}
	return out
}

func TestChangesBetweenTwoNights(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	a := storeRun(t, s, rec("A", "甲理财", "", "refer"), rec("B", "乙", "x", ""), rec("C", "丙理财", "", "refer"),
		rec("D", "丁", "", "review"), rec("E", "戊理财", "", "clear"))
	b := storeRun(t, s, rec("A", "甲理财", "", "refer"), rec("B", "乙理财", "x", "refer"), rec("D", "丁", "", ""),
		rec("E", "戊理财", "", "clear"), rec("F", "己理财", "", "refer"), rec("G", "庚", "", "clear"))
	cs, err := s.Changes(ctx, a, b)
	if err != nil {
		t.Fatal(err)
	}
	// One row a company: B, newly referred because its name changed, is
	// not listed again as changed.
	want := map[string]string{
		"B": NewlyReferred + ";",
		"C": Gone + ";",
		"D": Changed + ";",
		"F": NewWithHits + ";",
	}
	if got := kinds(cs); !reflect.DeepEqual(got, want) {
		t.Errorf("changes %v, want %v", got, want)
	}
	for _, c := range cs {
		switch c.Key {
		case "B": // clear before, and never known: the before side is a blank 无需处理
			if c.Before == nil || c.Before.Verdict != "clear" || c.After == nil || c.After.Name != "乙理财" {
				t.Errorf("B: before %+v after %+v", c.Before, c.After)
			}
		case "D": // known (review before), seen without an occurrence now: both sides shown
			if c.Before == nil || c.Before.Verdict != "review" || c.After == nil || c.After.Name != "丁" || c.After.Verdict != "clear" {
				t.Errorf("D: before %+v after %+v", c.Before, c.After)
			}
		case "C":
			if c.After != nil {
				t.Errorf("C is gone but has an after side %+v", c.After)
			}
		}
	}
}

// A referred company whose scope no longer has a term is listed once, as
// 不再送会商, with the scope it has now.
func TestNoLongerReferredShowsTheScopeNow(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	a := storeRun(t, s, rec("A", "甲", "理财咨询", "refer"), rec("B", "乙", "五金", ""))
	b := storeRun(t, s, rec("A", "甲", "企业管理咨询", ""), rec("B", "乙", "五金", ""))
	cs, err := s.Changes(ctx, a, b)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 1 || cs[0].Kind != NoLongerReferred || cs[0].After == nil || cs[0].After.Scope != "企业管理咨询" ||
		cs[0].Before == nil || cs[0].Before.Scope != "理财咨询" {
		t.Fatalf("changes %+v", cs)
	}
	// The company's latest state follows the scope too.
	var scope, verdict string
	if err := s.db.QueryRowContext(ctx, `SELECT t.scope, c.verdict FROM companies c JOIN texts t ON t.key = c.key AND t.fp = c.fp
		WHERE c.key = 'A'`).Scan(&scope, &verdict); err != nil ||
		scope != "企业管理咨询" || verdict != "clear" {
		t.Errorf("company A: %q %q %v", scope, verdict, err)
	}
}

// With nothing to compare with, every record with a standing hit is new;
// a record whose every occurrence was denied (clear) is not a hit.
func TestChangesFromNothingNeverListsAClearedRecord(t *testing.T) {
	s := newStore(t)
	to := storeRun(t, s, rec("A", "甲理财", "", "refer"), rec("E", "戊理财", "", "clear"), rec("B", "乙", "", ""))
	cs, err := s.Changes(context.Background(), 0, to)
	if err != nil {
		t.Fatal(err)
	}
	if got := kinds(cs); !reflect.DeepEqual(got, map[string]string{"A": NewWithHits + ";"}) {
		t.Errorf("changes from nothing: %v", got)
	}
	// Nor, gone from the register, as a company that had a hit.
	next := storeRun(t, s, rec("B", "乙", "", ""))
	if cs, err = s.Changes(context.Background(), to, next); err != nil || !reflect.DeepEqual(kinds(cs), map[string]string{"A": Gone + ";"}) {
		t.Errorf("gone: %v %v", kinds(cs), err)
	}
}

func TestEarlierRunSaysWhenThereIsNone(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	if _, err := s.EarlierRun(ctx, time.Now()); !errors.Is(err, ErrNoEarlierRun) {
		t.Errorf("empty store: %v", err)
	}
	id := storeRun(t, s, rec("A", "甲", "", ""))
	_, err := s.EarlierRun(ctx, time.Now().AddDate(0, 0, -30))
	if !errors.Is(err, ErrNoEarlierRun) || !strings.Contains(err.Error(), "最早") {
		t.Errorf("date before every run: %v", err)
	}
	if got, err := s.EarlierRun(ctx, time.Now().Add(time.Hour)); err != nil || got != id {
		t.Errorf("EarlierRun = %d, %v; want %d", got, err, id)
	}
}

// Re-running the same input, after a complete run or after a failed one,
// changes nothing but the run list.
func TestRerunningTheSameInputIsHarmless(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	night := []record.Record{rec("A", "甲理财", "", "refer"), rec("B", "乙", "", ""), rec("C", "丙理财", "", "review")}
	first := storeRun(t, s, night...)
	companies := func() string {
		var out strings.Builder
		rows, err := s.db.Query(`SELECT c.key, t.name, t.scope, verdict, terms, c.fp, COALESCE(status, '') FROM companies c
			LEFT JOIN texts t ON t.key = c.key AND t.fp = c.fp ORDER BY c.key`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var v [7]sql.NullString
			rows.Scan(&v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6])
			for _, x := range v {
				out.WriteString(x.String + "|")
			}
		}
		return out.String()
	}
	before := companies()
	r, err := s.BeginRun(ctx, RunStart{Started: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	r.Add(ctx, &night[0])
	r.Fail(errors.New("磁盘已满"))
	second := storeRun(t, s, night...)
	if got := companies(); got != before {
		t.Errorf("companies changed by a rerun:\n%s\n%s", before, got)
	}
	cs, err := s.Changes(ctx, first, second)
	if err != nil || len(cs) != 0 {
		t.Errorf("changes between two runs of the same input: %v %v", cs, err)
	}
	runs, _ := s.Runs(ctx)
	if len(runs) != 3 || runs[1].Status != "failed" {
		t.Errorf("runs: %+v", runs)
	}
	// The second night stored no text again: one text per company.
	var texts int
	if err := s.db.QueryRow(`SELECT COUNT(*) FROM texts`).Scan(&texts); err != nil || texts != 2 {
		t.Errorf("%d texts after two runs of two companies with a hit (%v)", texts, err)
	}
}

func TestFindKeysByCodeNameOrPartOfAName(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	storeRun(t, s, rec("91330205MA2FHUFR52", "宁波某某理财咨询有限公司", "", "refer"), rec("91330205MA2TKLXT0C", "宁波某某五金有限公司", "", ""),
		rec(record.Key("", "无代码理财店"), "无代码理财店", "", "review"))
	for arg, want := range map[string][]string{
		"91330205ma2fhufr52": {"91330205MA2FHUFR52"},
		"宁波某某理财咨询有限公司":       {"91330205MA2FHUFR52"},
		" 宁波某某理财咨询有限公司 ":     {"91330205MA2FHUFR52"},
		"91330205MA2TKLXT0C": {"91330205MA2TKLXT0C"}, // clean: found by code
		"无代码理财店":             {"名称:无代码理财店"},
		"宁波某某理财":             {"91330205MA2FHUFR52"},              // part of a name (issue 21)
		"理财":                 {"91330205MA2FHUFR52", "名称:无代码理财店"}, // every match, for the clerk to choose
		"理":                  nil,                                 // one character matches too much
		"宁波某某五金有限公司":         {"91330205MA2TKLXT0C"},              // clean: every company's name is kept (issue 21)
		"某某五金":               {"91330205MA2TKLXT0C"},
	} {
		got, err := s.FindKeys(ctx, arg)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("FindKeys(%q) = %v, %v; want %v", arg, got, err, want)
		}
	}
	entries, _, err := s.History(ctx, "91330205MA2TKLXT0C")
	if err != nil || len(entries) != 1 || !entries[0].Present || entries[0].Record != nil {
		t.Errorf("history of a clean company: %+v %v", entries, err)
	}
}

// A v1 store (one seen row per record) migrates forward: the same
// changes, history and decisions as before.
func TestVersion1StoreMigratesForward(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v1.db")
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	tx, _ := db.Begin()
	for _, q := range []string{`CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT)`, `INSERT INTO meta VALUES('schema_version', '1')`} {
		if _, err := tx.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	if err := migrations[0](ctx, tx); err != nil {
		t.Fatal(err)
	}
	// Stores then made their fingerprints with FNV.
	fpA1, fpA2 := fingerprintOf(fpKindFNV, "甲理财", ""), fingerprintOf(fpKindFNV, "甲理财", "新范围")
	for _, q := range []string{
		// Run 2 as a machine on China time stored it.
		`INSERT INTO runs(id, started, status) VALUES(1, '2026-10-01T01:00:00Z', 'complete'), (2, '2026-10-02T09:00:00+08:00', 'complete')`,
		`INSERT INTO records(run, key, name, scope, verdict, terms, street) VALUES
			(1, 'A', '甲理财', '', 'refer', '理财', '洪塘街道'), (2, 'A', '甲理财', '新范围', 'refer', '理财', '洪塘街道'),
			(1, 'C', '丙理财', '', 'review', '理财', '')`,
		`INSERT INTO companies(key, first_seen, last_seen, name, scope, verdict, terms, street, fp, status, opinion, status_fp, status_at) VALUES
			('A', 1, 2, '甲理财', '新范围', 'refer', '理财', '洪塘街道', ` + itoa(fpA2) + `, '排除', '持牌机构', ` + itoa(fpA1) + `, '2026-10-01T09:00:00Z'),
			('C', 1, 1, '丙理财', '', 'review', '理财', '', 7, NULL, NULL, NULL, NULL)`,
		`INSERT INTO seen(run, key, fp) VALUES (1, 'A', ` + itoa(fpA1) + `), (1, 'B', 5), (1, 'C', 7), (2, 'A', ` + itoa(fpA2) + `), (2, 'B', 6)`,
	} {
		if _, err := tx.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	tx.Commit()
	db.Close()

	if _, err := OpenReadOnly(ctx, path, OpenOptions{}); !errors.Is(err, ErrOldSchema) {
		t.Errorf("read-only open of a v1 store: %v", err)
	}
	s, err := Open(ctx, path, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := count(t, s, `SELECT CAST(value AS INT) FROM meta WHERE key = 'schema_version'`); got != SchemaVersion {
		t.Errorf("schema version %d", got)
	}
	if got := count(t, s, `SELECT COUNT(*) FROM runs WHERE id = 2 AND started = '2026-10-02T01:00:00Z'`); got != 1 {
		t.Errorf("run 2's start not in UTC after the migration")
	}
	cs, err := s.Changes(ctx, 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := kinds(cs), map[string]string{"A": Changed + ";", "C": Gone + ";"}; !reflect.DeepEqual(got, want) {
		t.Errorf("changes after migration %v, want %v", got, want)
	}
	if cs[0].Status != "排除" || cs[0].Opinion != "持牌机构" {
		t.Errorf("decision lost: %+v", cs[0])
	}
	h, _, err := s.History(ctx, "B")
	if err != nil || len(h) != 2 || !h[0].Present || !h[1].Present || h[0].Changed || !h[1].Changed {
		t.Errorf("history of B: %+v %v", h, err)
	}
	// The decision's fingerprint is remade from the text it was made of.
	ds, err := s.Decisions(ctx)
	if err != nil || ds["A"].Status != "排除" || ds["A"].FP != record.Fingerprint("甲理财", "") || ds["A"].Date != "2026-10-01" {
		t.Errorf("decisions after migration: %+v %v", ds, err)
	}
	if got := count(t, s, `SELECT COUNT(*) FROM records WHERE fp IS NULL`); got != 0 {
		t.Errorf("%d records without a fingerprint", got)
	}
	// A workbook of run 2, returned after the upgrade: its decision's
	// fingerprint is A's in run 2, made the new way.
	if _, err := s.ImportDecisions(ctx, []record.Decision{{Key: "A", Status: "排除", Date: "2026-10-03", Source: "会商名单.xlsx",
		Run: 2, Imported: time.Now()}}); err != nil {
		t.Fatal(err)
	}
	if ds, err := s.Decisions(ctx); err != nil || ds["A"].FP != record.Fingerprint("甲理财", "新范围") {
		t.Errorf("decision from a run before the upgrade: %+v %v", ds["A"], err)
	}
	// And it takes a new night, its fingerprints made the new way: A,
	// unchanged, is not listed as changed, nor marked so in its history.
	// The names of the companies with a hit came over from their texts,
	// each from the first run that had it; B was only hashed: no name.
	for key, want := range map[string][]NameAt{"A": {{1, "甲理财"}}, "C": {{1, "丙理财"}}, "B": nil} {
		if got, err := s.Names(ctx, key); err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("names of %s after migration: %+v %v, want %+v", key, got, err, want)
		}
	}
	third := storeRun(t, s, rec("A", "甲理财", "新范围", "refer"), rec("B", "乙", "", ""))
	if got, err := s.Names(ctx, "B"); err != nil || !reflect.DeepEqual(got, []NameAt{{third, "乙"}}) {
		t.Errorf("names of B after a night: %+v %v", got, err)
	}
	if got, err := s.Names(ctx, "A"); err != nil || len(got) != 1 {
		t.Errorf("names of A, unchanged, after a night: %+v %v", got, err)
	}
	if cs, err := s.Changes(ctx, 2, third); err != nil || len(cs) != 0 {
		t.Errorf("changes across the change of fingerprint: %+v %v", cs, err)
	}
	if h, _, err := s.History(ctx, "A"); err != nil || len(h) != 3 || h[2].Changed || !h[1].Changed {
		t.Errorf("history of A across the change of fingerprint: %+v %v", h, err)
	}
	// A change across it is still seen, from the text either side kept.
	fourth := storeRun(t, s, rec("A", "甲理财", "更新的范围", "refer"))
	if cs, err := s.Changes(ctx, 2, fourth); err != nil || kinds(cs)["A"] != Changed+";" {
		t.Errorf("a change across the change of fingerprint: %+v %v", cs, err)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// The companies' rows follow the records: a company whose scope changed is
// brought up to date even when the export lists it twice (the second
// listing compared with the first is unchanged), one that lost its hit is
// clear, and an unchanged one is left as it was.
func TestCompaniesFollowTheLatestRecord(t *testing.T) {
	s := newStore(t)
	storeRun(t, s, rec("A", "甲", "理财咨询", "refer"), rec("B", "乙", "理财", "refer"), rec("C", "丙", "理财", "review"))
	storeRun(t, s, rec("A", "甲", "理财咨询；投资咨询", "refer"), rec("A", "甲", "理财咨询；投资咨询", "refer"),
		rec("B", "乙", "五金", ""), rec("C", "丙", "理财", "review"), rec("D", "丁", "理财一", "refer"), rec("D", "丁", "理财二", "refer"))
	// D comes back with the scope of its first, overridden listing, and
	// is listed three times in one run.
	storeRun(t, s, rec("D", "丁", "理财一", "refer"), rec("E", "戊", "理财三", "refer"), rec("E", "戊", "理财四", "refer"),
		rec("E", "戊", "理财三", "refer"))
	got := map[string]string{}
	rows, err := s.db.Query(`SELECT c.key, t.scope, verdict, changed_in FROM companies c JOIN texts t ON t.key = c.key AND t.fp = c.fp`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var k, scope, verdict string
		var in int
		rows.Scan(&k, &scope, &verdict, &in)
		got[k] = scope + "|" + verdict + "|" + strconv.Itoa(in)
	}
	want := map[string]string{"A": "理财咨询；投资咨询|refer|2", "B": "五金|clear|2", "C": "理财|review|1", "D": "理财一|refer|3", "E": "理财三|refer|3"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("companies %v, want %v", got, want)
	}
	// Every record points to a stored text, a company listed twice included.
	var missing int
	if err := s.db.QueryRow(`SELECT COUNT(*) FROM records r LEFT JOIN texts t ON t.key = r.key AND t.fp = r.fp
		WHERE t.key IS NULL`).Scan(&missing); err != nil || missing != 0 {
		t.Errorf("%d records without their text (%v)", missing, err)
	}
}

// The state a run leaves in one blob is what the next run would read from
// the tables, and prune, which drops texts, drops it.
func TestStateBlobMatchesTheTables(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	storeRun(t, s, rec("A", "甲", "理财咨询", "refer"), rec("B", "乙", "理财", "refer"), rec("C", "丙", "五金", ""))
	storeRun(t, s, rec("A", "甲", "理财咨询；投资咨询", "refer"), rec("A", "甲", "理财咨询", "refer"),
		rec("B", "乙", "五金", ""), rec("D", "丁", "理财", "review"), rec("D", "丁", "支付", "refer"))
	known, texts, ok, err := loadState(ctx, s.db)
	if err != nil || !ok {
		t.Fatalf("no state blob after a run: %v", err)
	}
	wantKnown, wantTexts, err := stateFromTables(ctx, s.db)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(known, wantKnown) || !reflect.DeepEqual(texts, wantTexts) {
		t.Errorf("state blob\n%v %v\ntables\n%v %v", known, texts, wantKnown, wantTexts)
	}
	if _, err := s.Prune(ctx, Pruning{Before: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if _, _, ok, err := loadState(ctx, s.db); ok || err != nil {
		t.Errorf("state blob kept after prune (%v)", err)
	}
}

// A credit code listed twice in one export (two companies under one code,
// a data error): the listing with an occurrence stands, wherever the two
// fall in the run, and the same export twice changes nothing.
func TestAKeyListedTwiceKeepsItsOccurrence(t *testing.T) {
	ctx := context.Background()
	filler := func() []record.Record {
		// More records with an occurrence than one hand-off holds, so that
		// the two listings of K go to SQLite separately.
		out := make([]record.Record, pendingRecs+100)
		for i := range out {
			out[i] = rec("F"+strconv.Itoa(i), "某理财"+strconv.Itoa(i), "", "refer")
		}
		return out
	}
	for _, hitFirst := range []bool{true, false} {
		s := newStore(t)
		night := []record.Record{rec("K", "甲理财", "理财", "refer")}
		night = append(night, filler()...)
		night = append(night, rec("K", "乙", "五金", ""))
		if !hitFirst {
			night[0], night[len(night)-1] = night[len(night)-1], night[0]
		}
		storeRun(t, s, rec("K", "甲理财", "理财", "refer"))
		a := storeRun(t, s, night...)
		b := storeRun(t, s, night...)
		cs, err := s.Changes(ctx, a, b)
		if err != nil || kinds(cs)["K"] != "" {
			t.Errorf("hit first %v: K changed between two runs of the same export: %v %v", hitFirst, kinds(cs)["K"], err)
		}
		var verdict string
		var quiet int
		s.db.QueryRow(`SELECT verdict FROM companies WHERE key = 'K'`).Scan(&verdict)
		s.db.QueryRow(`SELECT COUNT(*) FROM quiet WHERE key = 'K'`).Scan(&quiet)
		if verdict != "refer" || quiet != 0 {
			t.Errorf("hit first %v: K is %q with %d quiet rows; want refer, none", hitFirst, verdict, quiet)
		}
	}
}

// Found in review: prune kept "a company's latest text" by the highest
// rowid, which is an old one when a company goes back to an earlier text;
// the text of the company's current fingerprint stays.
func TestPruneKeepsTheCompanysCurrentText(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	storeRun(t, s, rec("K", "甲理财", "", "refer"))
	storeRun(t, s, rec("K", "乙理财", "", "refer"))
	storeRun(t, s, rec("K", "甲理财", "", "refer"))
	storeRun(t, s, rec("Z", "丙理财", "", "refer"))
	if _, err := s.Prune(ctx, Pruning{Before: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if keys, err := s.FindKeys(ctx, "甲理财"); err != nil || len(keys) != 1 || keys[0] != "K" {
		t.Errorf("K by its current name after prune: %v %v", keys, err)
	}
}

// Found in review: a key listed with an occurrence and then without in one
// export keeps the listing with the occurrence in the seen set too, so the
// company whose standing listing is unchanged has not changed.
func TestAKeyListedTwiceKeepsTheFingerprintThatStands(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	a := storeRun(t, s, rec("K", "甲理财", "理财", "refer"))
	b := storeRun(t, s, rec("K", "甲理财", "理财", "refer"), rec("K", "乙", "五金", ""))
	if cs, err := s.Changes(ctx, a, b); err != nil || len(cs) != 0 {
		t.Errorf("changes when the listing that stands is unchanged: %+v %v", cs, err)
	}
	if h, _, err := s.History(ctx, "K"); err != nil || len(h) != 2 || h[1].Changed {
		t.Errorf("history: %+v %v", h, err)
	}
}

// Found in review: across runs of different fingerprint kinds, history
// compares by the text a run kept of a company without an occurrence too.
func TestHistoryAcrossFingerprintKindsUsesQuietText(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	storeRun(t, s, rec("K", "甲理财", "理财", "refer"))
	storeRun(t, s, rec("K", "甲", "五金", ""))
	storeRun(t, s, rec("K", "甲", "五金；百货", ""))
	// Runs 1 and 2 as an older build made them: FNV fingerprints.
	for run, c := range map[int64][2]string{1: {"甲理财", "理财"}, 2: {"甲", "五金"}} {
		if _, err := s.db.Exec(`UPDATE runs SET fp_kind = ? WHERE id = ?`, fpKindFNV, run); err != nil {
			t.Fatal(err)
		}
		if _, err := s.db.Exec(`DELETE FROM seen WHERE run = ?`, run); err != nil {
			t.Fatal(err)
		}
		if err := writeSeen(ctx, s.db, run, seenSet{{keyHash("K"), fingerprintOf(fpKindFNV, c[0], c[1])}}); err != nil {
			t.Fatal(err)
		}
	}
	h, _, err := s.History(ctx, "K")
	if err != nil || len(h) != 3 || !h[1].Changed || !h[2].Changed {
		t.Errorf("history across the change of fingerprint: %+v %v", h, err)
	}
}

// Found in a clerk's trial: month and --since boundaries are local days,
// and the runs' times, stored in UTC, are compared as times: a run at
// 07:59 on 1 December Beijing time (23:59 UTC the day before) is not
// before 1 December.
func TestRunBeforeALocalDay(t *testing.T) {
	ctx := context.Background()
	china := time.FixedZone("CST", 8*3600)
	defer func(l *time.Location) { time.Local = l }(time.Local)
	time.Local = china
	s := newStore(t)
	// Started as a scan on a machine on UTC gives it (a cron job, say).
	r, err := s.BeginRun(ctx, RunStart{Started: time.Date(2026, 11, 30, 23, 59, 46, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Commit(ctx, nil, Counts{}, time.Now()); err != nil {
		t.Fatal(err)
	}
	dec1 := time.Date(2026, 12, 1, 0, 0, 0, 0, china)
	if id, err := s.RunBefore(ctx, dec1); err != nil || id != 0 {
		t.Errorf("run before 1 December: %d %v", id, err)
	}
	if id, err := s.RunBefore(ctx, dec1.AddDate(0, 0, 1)); err != nil || id != r.ID {
		t.Errorf("run before 2 December: %d %v", id, err)
	}
	if _, err := s.EarlierRun(ctx, dec1); err == nil || !strings.Contains(err.Error(), "最早的一次开始于 2026-12-01 07:59:46") {
		t.Errorf("EarlierRun: %v", err)
	}
}
