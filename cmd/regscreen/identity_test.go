package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/regscreen/regscreen/record"
	"github.com/regscreen/regscreen/store"
)

// Two bank branches whose codes a spreadsheet turned into the same number
// stay two companies over two nights: a mangled code is never a key, and
// the cause is said in the 数据问题 column.
func TestExcelMangledCodesNeverMergeCompanies(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "s.db")
	a := "9.1532900918673E+17,甲银行股份有限公司大理分行,吸收公众存款；发放贷款；办理结算\n"
	b := "9.1532900918673E+17,甲银行股份有限公司祥云支行,吸收公众存款；发放短期贷款；代理收付款项\n"
	head := "统一社会信用代码,企业名称,经营范围\n"
	for i, body := range []string{a + b, b + a} {
		in := filepath.Join(dir, "night.csv")
		if err := os.WriteFile(in, []byte(head+body), 0o644); err != nil {
			t.Fatal(err)
		}
		r := runCLI(t, "", "scan", "--db", db, "--all", in)
		if r.code == exitError {
			t.Fatalf("night %d: exit %d %q", i+1, r.code, r.err)
		}
		if strings.Count(r.out, record.ExcelMangledNote) != 2 {
			t.Errorf("night %d: the note should name the cause on both rows:\n%s", i+1, r.out)
		}
	}
	got := changesOf(t, db)
	if len(got[store.Changed])+len(got[store.Gone])+len(got[store.NewlyReferred]) != 0 {
		t.Errorf("the same two companies read as changes: %v", got)
	}
	for _, name := range []string{"甲银行股份有限公司大理分行", "甲银行股份有限公司祥云支行"} {
		if r := runCLI(t, "", "history", "--db", db, name); r.code != exitClean || !strings.Contains(r.out, name) {
			t.Errorf("history %s: exit %d out %q err %q", name, r.code, r.out, r.err)
		}
	}
}
