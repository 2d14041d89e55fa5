package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/regscreen/regscreen/record"
)

// SchemaVersion is the schema this build writes; older stores migrate
// forward when a writer opens them, all steps in one transaction.
const SchemaVersion = 9

// migrations[i] brings the schema from version i to i+1.
var migrations = []func(context.Context, *sql.Tx) error{
	execAll(`CREATE TABLE runs(
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
		status TEXT, opinion TEXT, status_fp INT, status_at TEXT) WITHOUT ROWID;`),
	migrateSeenToChunks,
	execAll(`-- every consultation decision ever imported; the latest per company
	-- (by date, then import time) is the one in force, mirrored in companies
	CREATE TABLE decisions(id INTEGER PRIMARY KEY, key TEXT NOT NULL, status TEXT NOT NULL, opinion TEXT NOT NULL DEFAULT '',
		handler TEXT NOT NULL DEFAULT '', decided TEXT NOT NULL, fp INT, source TEXT NOT NULL DEFAULT '',
		source_run INT NOT NULL DEFAULT 0, imported TEXT NOT NULL);
	CREATE INDEX decisions_key ON decisions(key, decided, imported);
	INSERT INTO decisions(key, status, opinion, decided, fp, source, imported)
		SELECT key, status, COALESCE(opinion, ''), substr(COALESCE(status_at, ''), 1, 10), status_fp, '旧版存储', COALESCE(status_at, '')
		FROM companies WHERE COALESCE(status, '') != '';`),
	execAll(`-- every name and scope a company has had while known, once per
	-- fingerprint: a run's records (and quiet) point here, so a night on
	-- which little changed writes little text
	CREATE TABLE texts(key TEXT NOT NULL, fp INT NOT NULL, name TEXT, scope TEXT);
	INSERT INTO texts(key, fp, name, scope)
		SELECT key, COALESCE(fp, 0), name, scope FROM records GROUP BY key, COALESCE(fp, 0) ORDER BY key;
	CREATE UNIQUE INDEX texts_key_fp ON texts(key, fp);
	CREATE TABLE records_v4(run INT NOT NULL, key TEXT NOT NULL, verdict TEXT, terms TEXT, street TEXT, fp INT NOT NULL);
	INSERT INTO records_v4(run, key, verdict, terms, street, fp)
		SELECT run, key, verdict, terms, street, COALESCE(fp, 0) FROM records ORDER BY run, key;
	DROP TABLE records;
	ALTER TABLE records_v4 RENAME TO records;
	CREATE UNIQUE INDEX records_run_key ON records(run, key);
	-- a known company (one that had an occurrence once) seen in a run
	-- without one, so that a change report can show both sides of a
	-- company that stopped being referred
	CREATE TABLE quiet(run INT NOT NULL, key TEXT NOT NULL, street TEXT, fp INT NOT NULL);
	CREATE UNIQUE INDEX quiet_run_key ON quiet(run, key);
	-- a company's row is rewritten only when it changed (when it was last
	-- seen is in the runs' seen sets; history reads it from there)
	ALTER TABLE companies RENAME COLUMN last_seen TO changed_in;
	-- what a run compares each company with, read without the rows' text
	CREATE INDEX companies_state ON companies(key, fp, verdict, terms, street);`),
	migrateFingerprints,
	migrateCompanyText,
	execAll(`-- the companies' state and the stored texts' fingerprints as the
	-- last complete run left them (see state.go)
	CREATE TABLE state(id INTEGER PRIMARY KEY CHECK (id = 1), run INT NOT NULL, data BLOB NOT NULL);`),
	migrateTimesToUTC,
	migrateNames,
}

func execAll(q string) func(context.Context, *sql.Tx) error {
	return func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, q)
		return err
	}
}

// migrateSeenToChunks (1→2) turns one seen row per record and run into
// each run's sorted chunks (see seen.go), and gives records the
// fingerprint the companies update used to join seen for.
func migrateSeenToChunks(ctx context.Context, tx *sql.Tx) error {
	for _, q := range []string{
		`ALTER TABLE seen RENAME TO seen_v1`,
		`CREATE TABLE seen(run INT NOT NULL, lo INT NOT NULL, data BLOB NOT NULL)`,
		`CREATE UNIQUE INDEX seen_run_lo ON seen(run, lo)`,
		// records becomes a rowid table: its rows (~600 bytes) are appended
		// in rowid order, only the small (run, key) index takes random
		// inserts; a WITHOUT ROWID table split and moved the whole rows.
		`CREATE TABLE records_v2(run INT NOT NULL, key TEXT NOT NULL, name TEXT, scope TEXT, verdict TEXT,
			terms TEXT, street TEXT, fp INT)`,
		`INSERT INTO records_v2(run, key, name, scope, verdict, terms, street, fp)
			SELECT r.run, r.key, r.name, r.scope, r.verdict, r.terms, r.street, s.fp
			FROM records r LEFT JOIN seen_v1 s ON s.run = r.run AND s.key = r.key ORDER BY r.run, r.key`,
		`DROP TABLE records`,
		`ALTER TABLE records_v2 RENAME TO records`,
		`CREATE UNIQUE INDEX records_run_key ON records(run, key)`,
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	var runs []int64
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT run FROM seen_v1 ORDER BY run`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var r int64
		if err := rows.Scan(&r); err != nil {
			rows.Close()
			return err
		}
		runs = append(runs, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, run := range runs {
		var es []entry
		rows, err := tx.QueryContext(ctx, `SELECT key, fp FROM seen_v1 WHERE run = ?`, run)
		if err != nil {
			return err
		}
		for rows.Next() {
			var k string
			var fp int64
			if err := rows.Scan(&k, &fp); err != nil {
				rows.Close()
				return err
			}
			es = append(es, entry{keyHash(k), fp})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if err := writeSeen(ctx, tx, run, sortDedupe(es)); err != nil {
			return err
		}
	}
	_, err = tx.ExecContext(ctx, `DROP TABLE seen_v1`)
	return err
}

// migrateFingerprints (4→5): fingerprints are made with xxHash64 from now
// on (see fingerprint.go). The runs so far keep theirs, marked as FNV; a
// decision's fingerprint, and a company's, are remade from the text they
// were made of where the store has it, so that a company ruled 排除 and
// unchanged is not referred again because the hash changed. One that
// matches no known text is left: it then differs from every new
// fingerprint, which re-refers the company (the safe way to be wrong).
func migrateFingerprints(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, `ALTER TABLE runs ADD COLUMN fp_kind INT NOT NULL DEFAULT 1`); err != nil {
		return err
	}
	// Every text each company is known by: those of its records, and its own.
	texts := map[string][][2]string{}
	rows, err := tx.QueryContext(ctx, `SELECT key, COALESCE(name, ''), COALESCE(scope, '') FROM texts
		UNION SELECT key, COALESCE(name, ''), COALESCE(scope, '') FROM companies`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var k, name, scope string
		if err := rows.Scan(&k, &name, &scope); err != nil {
			rows.Close()
			return err
		}
		texts[k] = append(texts[k], [2]string{name, scope})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	remake := func(key string, fp int64) (int64, bool) {
		for _, t := range texts[key] {
			if fingerprintOf(fpKindFNV, t[0], t[1]) == fp {
				return record.Fingerprint(t[0], t[1]), true
			}
		}
		return 0, false
	}
	for _, q := range []struct{ sel, upd string }{
		{`SELECT id, key, fp FROM decisions WHERE fp IS NOT NULL`, `UPDATE decisions SET fp = ? WHERE id = ?`},
		{`SELECT key, key, status_fp FROM companies WHERE status_fp IS NOT NULL`, `UPDATE companies SET status_fp = ? WHERE key = ?`},
		{`SELECT key, key, fp FROM companies WHERE fp IS NOT NULL`, `UPDATE companies SET fp = ? WHERE key = ?`},
	} {
		if err := remakeColumn(ctx, tx, q.sel, q.upd, remake); err != nil {
			return err
		}
	}
	return nil
}

func remakeColumn(ctx context.Context, tx *sql.Tx, sel, upd string, remake func(string, int64) (int64, bool)) error {
	rows, err := tx.QueryContext(ctx, sel)
	if err != nil {
		return err
	}
	type change struct {
		id any // a decision's id, a company's key
		fp int64
	}
	var changes []change
	for rows.Next() {
		var id any
		var fp int64
		var key string
		if err := rows.Scan(&id, &key, &fp); err != nil {
			rows.Close()
			return err
		}
		if nfp, ok := remake(key, fp); ok {
			changes = append(changes, change{id, nfp})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, c := range changes {
		if _, err := tx.ExecContext(ctx, upd, c.fp, c.id); err != nil {
			return err
		}
	}
	return nil
}

// migrateCompanyText (5→6): a company's name and scope are no longer
// copied into companies (on the first night of a 1M-row register that
// copy cost 0.3 s): they are the text of its fingerprint in texts. Each
// company's text is kept in texts first, under its own fingerprint (a
// company cleared by an earlier version kept the text of its last hit
// with the fingerprint of what it was then, which must not be paired).
func migrateCompanyText(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT key, COALESCE(name, ''), COALESCE(scope, '') FROM companies`)
	if err != nil {
		return err
	}
	var texts [][3]string
	for rows.Next() {
		var t [3]string
		if err := rows.Scan(&t[0], &t[1], &t[2]); err != nil {
			rows.Close()
			return err
		}
		texts = append(texts, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, t := range texts {
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO texts(key, fp, name, scope) VALUES(?, ?, ?, ?)`,
			t[0], record.Fingerprint(t[1], t[2]), t[1], t[2]); err != nil {
			return err
		}
	}
	for _, q := range []string{`ALTER TABLE companies DROP COLUMN name`, `ALTER TABLE companies DROP COLUMN scope`} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// migrateTimesToUTC (7→8): times were stored in the writer's zone
// (2026-12-01T07:56:00+08:00 on a machine on China time), and compared as
// text they put runs in the wrong month; now they are all UTC.
func migrateTimesToUTC(ctx context.Context, tx *sql.Tx) error {
	for _, c := range []struct{ table, id, col string }{
		{"runs", "id", "started"}, {"runs", "id", "finished"}, {"decisions", "id", "imported"},
	} {
		rows, err := tx.QueryContext(ctx, `SELECT `+c.id+`, `+c.col+` FROM `+c.table+` WHERE `+c.col+` NOT LIKE '%Z'`)
		if err != nil {
			return err
		}
		type fix struct {
			id int64
			at string
		}
		var fixes []fix
		for rows.Next() {
			var id int64
			var at sql.NullString
			if err := rows.Scan(&id, &at); err != nil {
				rows.Close()
				return err
			}
			if t, err := time.Parse(timeFmt, at.String); err == nil {
				fixes = append(fixes, fix{id, storedTime(t)})
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, f := range fixes {
			if _, err := tx.ExecContext(ctx, `UPDATE `+c.table+` SET `+c.col+` = ? WHERE `+c.id+` = ?`, f.at, f.id); err != nil {
				return err
			}
		}
	}
	return nil
}

// migrateNames (8→9): every company's name is kept from now on (see
// names.go). The store kept the names of the companies that had a hit
// (texts), each from the first run that saw it; the others' names were
// never kept, and stay unknown for the runs before the upgrade. The next
// run keeps every company's name (the runs before kept none: no baseline).
func migrateNames(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, `CREATE TABLE names(run INT NOT NULL, data BLOB NOT NULL);
		-- whether the run kept its names (see names.go)
		ALTER TABLE runs ADD COLUMN names INT NOT NULL DEFAULT 0`); err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT t.key, t.name, COALESCE(MIN(f.run), 0) AS first FROM texts t
		LEFT JOIN (SELECT key, fp, MIN(run) AS run FROM records GROUP BY key, fp
			UNION ALL SELECT key, fp, MIN(run) FROM quiet GROUP BY key, fp) f ON f.key = t.key AND f.fp = t.fp
		WHERE COALESCE(t.name, '') != '' GROUP BY t.key, t.name ORDER BY t.key, first`)
	if err != nil {
		return err
	}
	chunks := map[int64][]byte{}
	var runs []int64
	var last, lastName string
	for rows.Next() {
		var key, name string
		var run int64
		if err := rows.Scan(&key, &name, &run); err != nil {
			rows.Close()
			return err
		}
		if key == last && name == lastName {
			continue
		}
		last, lastName = key, name
		if _, ok := chunks[run]; !ok {
			runs = append(runs, run)
		}
		chunks[run] = appendName(chunks[run], key, name)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, run := range runs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO names(run, data) VALUES(?, ?)`, run, packNames(nil, chunks[run])); err != nil {
			return err
		}
	}
	return nil
}
