package store

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// A writer killed while committing leaves a rollback journal: a
// read-only open cannot play it back and says so; a writer's open does,
// and the store is as it was before that commit.
func TestInterruptedCommitIsRecoveredByAWriter(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "h.db")
	s, err := Open(ctx, path, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	addRun(t, s, "A", "B")
	s.Close()
	// Copy the store and its journal in the middle of a transaction: the
	// state a kill -9 during a commit leaves.
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(DELETE)&_pragma=cache_size(-64)")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2000; i++ {
		tx.Exec(`INSERT INTO runs(started, status) VALUES('x', 'complete')`)
		tx.Exec(`UPDATE companies SET name = name || 'x'`)
	}
	killed := filepath.Join(dir, "killed.db")
	for _, suffix := range []string{"", "-journal"} {
		b, err := os.ReadFile(path + suffix)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(killed+suffix, b, 0o644)
	}
	tx.Rollback()
	db.Close()

	if _, err := OpenReadOnly(ctx, killed, OpenOptions{}); !errors.Is(err, ErrNeedsRecovery) {
		t.Fatalf("read-only open of an interrupted store: %v", err)
	}
	if err := Upgrade(ctx, killed, OpenOptions{}); err != nil {
		t.Fatal(err)
	}
	r, err := OpenReadOnly(ctx, killed, OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	runs, err := r.Runs(ctx)
	if err != nil || len(runs) != 1 {
		t.Errorf("after recovery: %d runs, err %v; want the 1 committed", len(runs), err)
	}
}
