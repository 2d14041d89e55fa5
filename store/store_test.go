package store

import (
	"context"
	"github.com/regscreen/regscreen/record"
	"github.com/regscreen/regscreen/screen"
	"path/filepath"
	"testing"
	"time"
)

func addRun(t *testing.T, s *Store, keys ...string) int64 {
	t.Helper()
	ctx := context.Background()
	r, err := s.BeginRun(ctx, RunStart{Started: time.Now(), DictVersion: "v"})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		if err := r.Add(ctx, &record.Record{Key: k, FP: record.Fingerprint(k, ""), Name: k, Result: screen.Result{Verdict: screen.Refer, Hits: []screen.Hit{{Term: "理财"}}}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Commit(ctx, nil, Counts{Read: len(keys), Refer: len(keys)}, time.Now()); err != nil {
		t.Fatal(err)
	}
	return r.ID
}

func count(t *testing.T, s *Store, q string, args ...any) int {
	t.Helper()
	var n int
	if err := s.db.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestPruneKeepsTheLatestRun(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "p.db"), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	storeRun(t, s, rec("A", "甲旧名", "", "refer"))
	addRun(t, s, "A", "B")
	addRun(t, s, "A", "B", "C")
	last := addRun(t, s, "A")
	n, err := s.Prune(ctx, Pruning{Before: time.Now().Add(time.Hour)})
	if err != nil || n != 3 {
		t.Fatalf("pruned %d runs (err %v), want 3", n, err)
	}
	if got := count(t, s, `SELECT COUNT(*) FROM runs`); got != 1 {
		t.Errorf("%d runs left", got)
	}
	if got := count(t, s, `SELECT COUNT(*) FROM seen WHERE run != ?`, last); got != 0 {
		t.Errorf("%d seen rows of pruned runs left", got)
	}
	if got := count(t, s, `SELECT COUNT(*) FROM companies`); got != 3 {
		t.Errorf("companies are kept: %d", got)
	}
	// Each company's text is stored once (A's, in three runs); A's old
	// name, which only a pruned run pointed to, goes; each company keeps
	// its latest text (B's and C's), to be found by its name.
	if got := count(t, s, `SELECT COUNT(*) FROM texts`); got != 3 {
		t.Errorf("%d texts left, want 3", got)
	}
	if got := count(t, s, `SELECT COUNT(*) FROM texts WHERE name = '甲旧名'`); got != 0 {
		t.Errorf("the old name is kept")
	}
}

func TestKilledRunIsMarkedFailedAndLeavesNoData(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "k.db")
	s, err := Open(ctx, path, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	addRun(t, s, "A")
	r, err := s.BeginRun(ctx, RunStart{Started: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"B", "C", "D"} {
		r.Add(ctx, &record.Record{Key: k, FP: 1})
	}
	r.stop()
	// The process dies: no commit, and its locks go with it (in one process
	// only a rollback lets them go; a real kill, whose journal the next
	// writer rolls back, is TestKilledRunsLeaveNothingBehind in cmd and
	// TestInterruptedCommitIsRecoveredByAWriter here).
	r.tx.Rollback()
	s.Close()
	s, err = Open(ctx, path, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var status string
	s.db.QueryRow(`SELECT status FROM runs WHERE id = ?`, r.ID).Scan(&status)
	if status != "failed" {
		t.Errorf("killed run is %q, want failed", status)
	}
	if got := count(t, s, `SELECT COUNT(*) FROM seen`); got != 1 {
		t.Errorf("seen holds %d rows; only the first run's 1 should remain", got)
	}
	if got := count(t, s, `SELECT CAST(value AS INT) FROM meta WHERE key = 'schema_version'`); got != SchemaVersion {
		t.Errorf("schema version %d", got)
	}
}
