package output

import (
	"os"
	"path/filepath"
	"testing"
)

// A parked file holds no descriptor and still appears only on Commit; a
// parked file aborted leaves nothing.
func TestParkedFileCommitsAndAborts(t *testing.T) {
	dir := t.TempDir()
	kept, dropped := filepath.Join(dir, "kept.txt"), filepath.Join(dir, "dropped.txt")
	for _, path := range []string{kept, dropped} {
		f, err := CreateAtomic(path)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString("甲")
		if err := f.Park(); err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write([]byte("x")); err == nil {
			t.Errorf("a parked file is still open")
		}
		if _, err := os.Stat(path); err == nil {
			t.Errorf("%s appeared before Commit", path)
		}
		if path == kept {
			if err := f.Commit(); err != nil {
				t.Fatal(err)
			}
		} else {
			f.Abort()
		}
	}
	if b, err := os.ReadFile(kept); err != nil || string(b) != "甲" {
		t.Errorf("committed after Park: %q %v", b, err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("left in the directory: %v", entries)
	}
}
