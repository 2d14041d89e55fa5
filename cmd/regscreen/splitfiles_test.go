//go:build linux

package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestSplitHoldsFewFilesOpen: --split-by street with more streets than
// ulimit -n allows open files writes every street's workbook (each one
// closed once written, renamed when the run commits).
func TestSplitHoldsFewFilesOpen(t *testing.T) {
	if testing.Short() {
		t.Skip("runs regscreen as a process")
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	const streets, limit = 100, 64
	dir := t.TempDir()
	var dict, export strings.Builder
	dict.WriteString("[streets]\n")
	export.WriteString("统一社会信用代码,企业名称,经营范围,住所\n")
	for i := 0; i < streets; i++ {
		street := string([]rune{0x4e00 + rune(i/20), 0x5100 + rune(i%20)}) + "街道"
		fmt.Fprintf(&dict, "%s\n", street)
		fmt.Fprintf(&export, "ID%08d,宁波某某%d理财咨询有限公司,理财咨询,浙江省宁波市江北区%s人民路%d号\n", i, i, street, i)
	}
	dictPath, in, out := filepath.Join(dir, "streets.dict"), filepath.Join(dir, "导出.csv"), filepath.Join(dir, "分街道")
	os.WriteFile(dictPath, []byte(dict.String()), 0o644)
	os.WriteFile(in, []byte(export.String()), 0o644)
	cmd := exec.Command("sh", "-c", fmt.Sprintf(`ulimit -n %d && exec "$0" "$@"`, limit), self,
		"scan", "-q", "--dict", dictPath, "--split-by", "street", "-o", out, in)
	cmd.Env = append(os.Environ(), "REGSCREEN_TEST_MAIN=1")
	msg, err := cmd.CombinedOutput()
	if code := exitOf(err); code != exitFlagged {
		t.Fatalf("scan with ulimit -n %d: exit %d %s", limit, code, msg)
	}
	books, _ := filepath.Glob(filepath.Join(out, "*.xlsx"))
	if len(books) != streets {
		t.Errorf("%d workbooks for %d streets", len(books), streets)
	}
}
