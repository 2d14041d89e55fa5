//go:build unix

package output

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/regscreen/regscreen/internal/fixture"
)

// A FIFO is written into, never replaced by a file, and an aborted run
// leaves it where it was.
func TestAFIFOIsWrittenDirectly(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe")
	got := fixture.FIFO(t, fifo)
	f, err := CreateAtomic(fifo)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("through the pipe")
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	if s := <-got; s != "through the pipe" {
		t.Errorf("reader got %q", s)
	}
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the FIFO became %v (%v)", fi.Mode(), err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("left beside it: %v", entries)
	}
}
