package output

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

func TestAKilledRunsTemporaryFilesAreRemoved(t *testing.T) {
	dir := t.TempDir()
	dead := filepath.Join(dir, ".x.csv.tmp-99999999-123")                       // no such process
	live := filepath.Join(dir, ".x.csv.tmp-"+strconv.Itoa(os.Getppid())+"-456") // a running process's
	other := filepath.Join(dir, ".y.csv.tmp-99999999-789")                      // another target's
	for _, p := range []string{dead, live, other} {
		os.WriteFile(p, []byte("half a file"), 0o644)
	}
	f, err := CreateAtomic(filepath.Join(dir, "x.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Abort()
	if _, err := os.Stat(dead); !os.IsNotExist(err) {
		t.Errorf("a dead run's temporary file must go: %v", err)
	}
	for _, p := range []string{live, other} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s must stay: %v", filepath.Base(p), err)
		}
	}
}
