//go:build unix

package input

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/regscreen/regscreen/internal/fixture"
)

// A workbook given as a FIFO (or /dev/stdin on a pipe) is read from the
// stream, as "-" is: reopening the path read a stream already begun.
func TestXLSXThroughFIFO(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(fixture.Path("damage"), "xlsx-split-sheets.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "book.xlsx")
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Skip(err)
	}
	go func() {
		w, err := os.OpenFile(p, os.O_WRONLY, 0)
		if err == nil {
			w.Write(data)
			w.Close()
		}
	}()
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	src, err := Open(p, f, "book.xlsx", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	n := countRows(t, src)
	if n != 1000 {
		t.Errorf("%d rows", n)
	}
}
