package output

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// A killed run's temporary file is removed by the next run that writes
// into the same directory, whatever the names of the targets; a live
// run's, and files not of our naming, stay.
func TestAKilledRunsTemporaryFilesAreRemoved(t *testing.T) {
	dir := t.TempDir()
	dead := filepath.Join(dir, tempPrefix+"99999999-123")                    // no such process
	other := filepath.Join(dir, tempPrefix+"99999998-789")                   // a dead run's, for another target
	live := filepath.Join(dir, tempPrefix+strconv.Itoa(os.Getppid())+"-456") // a running process's
	foreign := filepath.Join(dir, ".y.csv.tmp-99999999-1")                   // not ours (for another target)
	older := filepath.Join(dir, ".x.csv.tmp-99999999-1")                     // an earlier version's, for this target
	for _, p := range []string{dead, other, live, foreign, older} {
		os.WriteFile(p, []byte("half a file"), 0o644)
	}
	f, err := CreateAtomic(filepath.Join(dir, "x.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Abort()
	for _, p := range []string{dead, other, older} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("a dead run's temporary file %s must go: %v", filepath.Base(p), err)
		}
	}
	for _, p := range []string{live, foreign} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s must stay: %v", filepath.Base(p), err)
		}
	}
}

// The temporary name does not grow with the target's: a target whose name
// is as long as the file system allows less a margin can still be written.
func TestALongTargetNameIsWritten(t *testing.T) {
	dir := t.TempDir()
	name := strings.Repeat("名", 80) + ".csv" // 244 bytes
	if len(name) != 244 {
		t.Fatalf("name is %d bytes", len(name))
	}
	f, err := CreateAtomic(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	if len(filepath.Base(f.Name())) > 64 {
		t.Errorf("temporary name %q is long", filepath.Base(f.Name()))
	}
	f.WriteString("x")
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, name)); err != nil || string(b) != "x" {
		t.Errorf("target: %q, %v", b, err)
	}
}
