package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestReadOnlyOpenOfAMissingPathIsAnErrorAndCreatesNothing(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "不存在.db")
	_, err := OpenReadOnly(context.Background(), path, OpenOptions{})
	if !errors.Is(err, ErrNotExist) || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "不存在") {
		t.Fatalf("err = %v", err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("a failed read-only open left %v behind", ents)
	}
}

func TestReadOnlyStoreReadsAndRefusesWrites(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "r.db")
	s, err := Open(ctx, path, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	addRun(t, s, "A", "B")
	s.Close()
	if err := os.Chmod(path, 0o444); err != nil {
		t.Fatal(err)
	}
	before := fileHash(t, path)
	r, err := OpenReadOnly(ctx, path, OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	runs, err := r.Runs(ctx)
	if err != nil || len(runs) != 1 {
		t.Fatalf("runs %v err %v", runs, err)
	}
	if _, err := r.BeginRun(ctx, RunStart{Started: time.Now()}); err == nil || !strings.Contains(err.Error(), "只读") {
		t.Errorf("BeginRun on a read-only store: %v", err)
	}
	if _, err := r.Prune(ctx, Pruning{Before: time.Now()}); err == nil {
		t.Error("Prune on a read-only store succeeded")
	}
	if fileHash(t, path) != before {
		t.Error("a read-only open changed the store")
	}
}

func TestReadersShareTheLockAndWaitForAWriter(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "s.db")
	w, err := Open(ctx, path, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	addRun(t, w, "A")
	var msg bytes.Buffer
	if _, err := OpenReadOnly(ctx, path, OpenOptions{Wait: 2 * lockPoll, Waiting: &msg}); err == nil {
		t.Fatal("a reader opened beside a writer")
	}
	if !strings.Contains(msg.String(), "等待") {
		t.Errorf("the reader did not say it was waiting: %q", msg.String())
	}
	w.Close()
	r1, err := OpenReadOnly(ctx, path, OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer r1.Close()
	r2, err := OpenReadOnly(ctx, path, OpenOptions{})
	if err != nil {
		t.Fatalf("second reader: %v", err)
	}
	defer r2.Close()
	if _, err := Open(ctx, path, 0); err == nil {
		t.Error("a writer opened beside readers")
	}
}

func setSchemaVersion(t *testing.T, path, v string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`UPDATE meta SET value = ? WHERE key = 'schema_version'`, v); err != nil {
		t.Fatal(err)
	}
}

func TestBadSchemaVersionsAreRefusedClearly(t *testing.T) {
	ctx := context.Background()
	for _, v := range []string{"-5", "abc", "0", "99", ""} {
		path := filepath.Join(t.TempDir(), "v.db")
		s, err := Open(ctx, path, time.Second)
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
		setSchemaVersion(t, path, v)
		for name, open := range map[string]func() (*Store, error){
			"writer": func() (*Store, error) { return Open(ctx, path, time.Second) },
			"reader": func() (*Store, error) { return OpenReadOnly(ctx, path, OpenOptions{}) },
		} {
			s, err := open()
			if err == nil {
				s.Close()
				t.Errorf("schema_version %q: %s opened the store", v, name)
				continue
			}
			if !strings.Contains(err.Error(), "结构版本") || !strings.Contains(err.Error(), path) {
				t.Errorf("schema_version %q: %s: %v", v, name, err)
			}
		}
	}
}

func fileHash(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// A store with a damaged page in the middle is refused before anything
// is written to it (the run's bookkeeping included).
func TestDamagedStoreIsNotWrittenTo(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "d.db")
	s, err := Open(ctx, path, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	keys := make([]string, 3000)
	for i := range keys {
		keys[i] = strings.Repeat("K", 40) + time.Duration(i).String()
	}
	addRun(t, s, keys...)
	addRun(t, s, keys...)
	s.Close()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const page = 4096
	if len(b) < 6*page {
		t.Fatalf("store of %d bytes is too small to damage mid-file", len(b))
	}
	mid := len(b) / page / 2 * page
	for i := 0; i < page; i++ {
		b[mid+i] = byte(i * 7)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	before := fileHash(t, path)
	_, err = Open(ctx, path, time.Second)
	if err == nil || !strings.Contains(err.Error(), "已损坏") || !strings.Contains(err.Error(), path) {
		t.Fatalf("damaged store: %v", err)
	}
	if fileHash(t, path) != before {
		t.Error("the damaged store was written to")
	}
	// Refusing it did not stamp it as left cleanly: refused again.
	if _, err = Open(ctx, path, time.Second); err == nil || !strings.Contains(err.Error(), "已损坏") {
		t.Fatalf("damaged store, second open: %v", err)
	}
}

func TestNotAStoreIsRefused(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	text := filepath.Join(dir, "notes.db")
	os.WriteFile(text, []byte(strings.Repeat("这不是数据库\n", 1000)), 0o644)
	var se *Error
	if _, err := Open(ctx, text, time.Second); !errors.As(err, &se) || se.Kind != Damaged || se.Path != text ||
		!strings.Contains(err.Error(), "不是 regscreen 存储或已损坏") {
		t.Errorf("text file: %v", err)
	}
	other := filepath.Join(dir, "other.db")
	db, _ := sql.Open("sqlite", "file:"+other)
	db.Exec(`CREATE TABLE t(x)`)
	db.Close()
	if _, err := Open(ctx, other, time.Second); err == nil || !strings.Contains(err.Error(), "不是 regscreen 的存储") {
		t.Errorf("another program's database: %v", err)
	}
	if _, err := Open(ctx, dir, time.Second); err == nil || !strings.Contains(err.Error(), "目录") {
		t.Errorf("a directory: %v", err)
	}
}

// A writer checks the whole store only when it was not left cleanly by
// the last writer: after a clean close the check is skipped; a failed run,
// a changed file or a damaged store (also when refused) make the next
// writer check it.
func TestStoreIsCheckedUnlessLeftCleanly(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "c.db")
	open := func() (*Store, int64) {
		t.Helper()
		before := checks.Load()
		s, err := Open(ctx, path, time.Second)
		if err != nil {
			t.Fatal(err)
		}
		return s, checks.Load() - before
	}
	s, _ := open()
	addRun(t, s, "A")
	s.Close()
	s, n := open()
	if n != 0 {
		t.Errorf("store left cleanly was checked %d times", n)
	}
	r, err := s.BeginRun(ctx, RunStart{Started: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	r.Fail(errors.New("中断"))
	s.Close()
	s, n = open()
	if n != 1 {
		t.Errorf("store after a failed run checked %d times, want 1", n)
	}
	s.Close()
	// Another program touches the file: same size, another time.
	later := time.Now().Add(time.Minute)
	if err := os.Chtimes(path, later, later); err != nil {
		t.Fatal(err)
	}
	s, n = open()
	if n != 1 {
		t.Errorf("store changed since checked %d times, want 1", n)
	}
	s.Close()
}

// A store an older build was interrupted making (an empty meta table, no
// schema version) is made anew, not refused as damaged.
func TestHalfMadeStoreIsMadeAnew(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "half.db")
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s, err := Open(ctx, path, time.Second)
	if err != nil {
		t.Fatalf("half-made store: %v", err)
	}
	defer s.Close()
	addRun(t, s, "A")
}

// Found in review: a writer that wrote nothing, or whose last write
// failed (a damaged page found by a read, say), does not stamp the store
// as left cleanly; a successful write does.
func TestOnlyASuccessfulWriteStampsTheStore(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "w.db")
	opens := func() int64 {
		t.Helper()
		before := checks.Load()
		s, err := Open(ctx, path, time.Second)
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
		return checks.Load() - before
	}
	s, err := Open(ctx, path, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	addRun(t, s, "A")
	if _, err := s.Prune(ctx, Pruning{Before: time.Now().Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if n := opens(); n != 0 { // stamped by the prune; this open writes nothing
		t.Errorf("store left by a prune checked %d times", n)
	}
	if n := opens(); n != 1 { // the open before wrote nothing: no stamp
		t.Errorf("store left by a writer that wrote nothing checked %d times, want 1", n)
	}
}

// Bit rot that keeps the store's size and modification time (a disk going
// bad) does not pass for a clean close: the next writer checks the store.
func TestBitRotUnderTheSameSizeAndTimeIsChecked(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "rot.db")
	s, err := Open(ctx, path, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	addRun(t, s, "A")
	s.Close()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 1)
	at := fi.Size() - 100 // inside the last page
	f.ReadAt(b, at)
	b[0] ^= 0x40
	if _, err := f.WriteAt(b, at); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if err := os.Chtimes(path, fi.ModTime(), fi.ModTime()); err != nil {
		t.Fatal(err)
	}
	before := checks.Load()
	if s, err := Open(ctx, path, time.Second); err == nil {
		s.Close()
	}
	if n := checks.Load() - before; n != 1 {
		t.Errorf("a store rotted under the same size and time was checked %d times, want 1", n)
	}
}

func BenchmarkFileSum(b *testing.B) {
	path := filepath.Join(b.TempDir(), "big")
	if err := os.WriteFile(path, make([]byte, sumWhole), 0o644); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(sumWhole)
	for b.Loop() {
		if _, err := fileSum(path, sumWhole); err != nil {
			b.Fatal(err)
		}
	}
}
