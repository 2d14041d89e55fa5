package searcher

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A file that grows while it is read (an export still being written when
// the nightly job starts) is refused at its end, as tar does; one left
// alone is read.
func TestFileChangedWhileRead(t *testing.T) {
	for _, grow := range []bool{false, true} {
		p := filepath.Join(t.TempDir(), "e.csv")
		if err := os.WriteFile(p, []byte("企业名称,经营范围\n甲公司,五金\n乙公司,理财\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		s := &sources{opts: &Options{Inputs: []Input{{Path: p}}}, sum: &Summary{}}
		n := 0
		err := s.each(func(it item) error {
			if n++; n == 1 && grow {
				f, err := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
				if err != nil {
					return err
				}
				f.WriteString("丙公司,支付\n")
				return f.Close()
			}
			return nil
		})
		if grow && (err == nil || !strings.Contains(err.Error(), "在读取过程中被改动")) {
			t.Errorf("grown file: %v", err)
		}
		if !grow && (err != nil || n != 2) {
			t.Errorf("unchanged file: %v, %d rows", err, n)
		}
	}
}

// Opening errors the OS words in English are said in Chinese.
func TestOpenErrorsInChinese(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.csv"), filepath.Join(dir, "b.csv")
	if err := os.Symlink(b, a); err != nil {
		t.Skip(err)
	}
	os.Symlink(a, b)
	for path, want := range map[string]string{a: "符号链接层数过多", filepath.Join(dir, strings.Repeat("长", 100)+".csv"): "文件名过长"} {
		s := &sources{opts: &Options{Inputs: []Input{{Path: path}}}, sum: &Summary{}}
		err := s.each(func(item) error { return nil })
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%v, want %q", err, want)
		}
	}
}
