package store

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Locks belong to the open file, so two acquisitions in one process
// conflict exactly as two processes would.
func TestLockExcludesWritersAndSharesReaders(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "l.db")
	w, err := acquireLock(ctx, path, true, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	var msg bytes.Buffer
	if _, err := acquireLock(ctx, path, true, 3*lockPoll, &msg); err == nil || !strings.Contains(err.Error(), "正被另一个 regscreen 使用") {
		t.Fatalf("second writer: %v", err)
	}
	if !strings.Contains(msg.String(), "等待") {
		t.Errorf("second writer did not say it was waiting: %q", msg.String())
	}
	if _, err := acquireLock(ctx, path, false, 0, nil); err == nil {
		t.Fatal("a reader got in beside a writer")
	}
	releaseLock(w)
	r1, err := acquireLock(ctx, path, false, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	r2, err := acquireLock(ctx, path, false, 0, nil)
	if err != nil {
		t.Fatalf("two readers: %v", err)
	}
	if _, err := acquireLock(ctx, path, true, 0, nil); err == nil {
		t.Fatal("a writer got in beside readers")
	}
	releaseLock(r1)
	releaseLock(r2)
	w, err = acquireLock(ctx, path, true, 0, nil)
	if err != nil {
		t.Fatalf("writer after readers left: %v", err)
	}
	releaseLock(w)
}

func TestSecondWriterWaitsThenFails(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "w.db")
	s, err := Open(ctx, path, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := Open(ctx, path, 2*lockPoll); err == nil {
		t.Fatal("second writer opened the store")
	}
	if d := time.Since(start); d < 2*lockPoll {
		t.Errorf("second writer gave up after %s without waiting", d)
	}
	s.Close()
	s, err = Open(ctx, path, 0)
	if err != nil {
		t.Fatalf("after the first closed: %v", err)
	}
	s.Close()
}

// A run a killed writer left marked running reads as 已中断 to a reader
// (which holds the shared lock, so no writer is alive), not 进行中.
func TestKilledRunReadsAsInterrupted(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "k.db")
	s, err := Open(ctx, path, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	addRun(t, s, "A")
	if _, err := s.BeginRun(ctx, RunStart{Started: time.Now()}); err != nil {
		t.Fatal(err)
	}
	s.db.Close() // as kill -9 leaves it: the run's row says running
	releaseLock(s.lock)
	r, err := OpenReadOnly(ctx, path, OpenOptions{Wait: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	runs, err := r.Runs(ctx)
	if err != nil || len(runs) != 2 {
		t.Fatalf("runs %v %v", runs, err)
	}
	if got := r.RunStatusLabel(runs[0].Status); runs[0].Status != "running" || got != "已中断" {
		t.Errorf("the killed run (%s) reads as %s", runs[0].Status, got)
	}
	if got := r.RunStatusLabel(runs[1].Status); got != "完成" {
		t.Errorf("the complete run reads as %s", got)
	}
}
