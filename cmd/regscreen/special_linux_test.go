//go:build linux

package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/regscreen/regscreen/internal/fixture"
)

// -o and --rejects pointed at a special file write into it and leave it
// what it was: a character device made here (never the system's
// /dev/null, which a failing test would destroy), a FIFO with a reader,
// and a symbolic link, whose target is replaced and the link kept.
func TestOutputsLeaveSpecialFilesAsTheyWere(t *testing.T) {
	input := fixture.Path("damage/ragged.csv") // has rejected rows, so --rejects writes some
	t.Run("character device", func(t *testing.T) {
		dir := t.TempDir()
		dev := filepath.Join(dir, "null")
		// 1,3 is the null device: what is written is discarded.
		if err := syscall.Mknod(dev, syscall.S_IFCHR|0o666, 1<<8|3); err != nil {
			t.Skipf("cannot make a device node here (needs root): %v", err)
		}
		if f, err := os.OpenFile(dev, os.O_WRONLY, 0); err != nil {
			t.Skipf("device nodes cannot be opened here (nodev?): %v", err)
		} else {
			f.Close()
		}
		for _, args := range [][]string{{"-o", dev, "--format", "jsonl"}, {"--rejects", dev}, {"-o", dev, "--format", "xlsx"}} {
			r := runCLI(t, "", append(append([]string{"scan", "-q"}, args...), input)...)
			if r.code != exitFlagged {
				t.Errorf("%v: exit %d: %s", args, r.code, r.err)
			}
			if fi, err := os.Lstat(dev); err != nil || fi.Mode()&os.ModeCharDevice == 0 {
				t.Fatalf("%v: the device became %v (%v)", args, fi.Mode(), err)
			}
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 1 {
			t.Errorf("left beside the device: %v", entries)
		}
	})
	t.Run("FIFO", func(t *testing.T) {
		dir := t.TempDir()
		for _, flag := range []string{"-o", "--rejects"} {
			fifo := filepath.Join(dir, "pipe.csv")
			os.Remove(fifo)
			got := fixture.FIFO(t, fifo)
			args := []string{"scan", "-q", "--all", flag, fifo, input}
			if flag == "--rejects" {
				args = append(args, "-o", filepath.Join(dir, "out.csv"))
			}
			r := runCLI(t, "", args...)
			if r.code != exitFlagged {
				t.Errorf("%s: exit %d: %s", flag, r.code, r.err)
			}
			// Should the run not have opened the FIFO, the reader is let go.
			if w, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
				w.Close()
			}
			if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
				t.Fatalf("%s: the FIFO became %v (%v)", flag, fi.Mode(), err)
			}
			s := <-got
			if want := map[string]string{"-o": "企业名称", "--rejects": "字段数"}[flag]; !strings.Contains(s, want) {
				t.Errorf("%s: the reader got %q", flag, s)
			}
		}
	})
	t.Run("symbolic link", func(t *testing.T) {
		dir := t.TempDir()
		for _, flag := range []string{"-o", "--rejects"} {
			target := filepath.Join(dir, "real-"+flag[2:]+".csv")
			link := filepath.Join(dir, "link-"+flag[2:]+".csv")
			os.WriteFile(target, []byte("old"), 0o644)
			if err := os.Symlink(filepath.Base(target), link); err != nil {
				t.Skip(err)
			}
			r := runCLI(t, "", "scan", "-q", flag, link, input)
			if r.code != exitFlagged {
				t.Errorf("%s: exit %d: %s", flag, r.code, r.err)
			}
			if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
				t.Fatalf("%s: the link became %v (%v)", flag, fi.Mode(), err)
			}
			if b, _ := os.ReadFile(target); !strings.HasPrefix(string(b), "\uFEFF") {
				t.Errorf("%s: the link's target was not replaced: %q", flag, b)
			}
		}
	})
}

// A TMPDIR that cannot hold the run's temporary files is named in the
// message, with what to do; it is not created.
func TestAnUnusableTMPDIRIsNamed(t *testing.T) {
	dir := t.TempDir()
	notADir := filepath.Join(dir, "file")
	os.WriteFile(notADir, nil, 0o644)
	for _, tmp := range []string{notADir, filepath.Join(dir, "missing")} {
		t.Setenv("TMPDIR", tmp)
		r := runCLI(t, "", "scan", "-q", fixture.Path("sample.csv"))
		if r.code != exitError || !strings.Contains(r.err, tmp) || !strings.Contains(r.err, "TMPDIR") || strings.Count(r.err, "\n") != 1 {
			t.Errorf("TMPDIR=%s: exit %d: %q", tmp, r.code, r.err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "missing")); err == nil {
		t.Error("a missing TMPDIR was created")
	}
}
