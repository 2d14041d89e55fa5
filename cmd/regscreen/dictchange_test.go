package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/regscreen/regscreen/internal/fixture"
	"github.com/regscreen/regscreen/store"
)

// A dictionary added between nights: the company it newly refers is listed
// apart as 词典变更导致的变动, the real change stays a change, and the
// comparison says the runs used different dictionaries. A standing
// dictionary (REGSCREEN_DICT) is used without --dict.
func TestDictionaryChangeIsListedApart(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "s.db")
	head := "统一社会信用代码,企业名称,经营范围\n"
	trust := ",宁波江北甲信托咨询有限公司,商务信息咨询\n"
	steady := ",宁波江北丙理财咨询有限公司,理财咨询\n"
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(head+body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	n1 := write("n1.csv", trust+",宁波江北乙贸易有限公司,五金批发\n"+steady)
	n2 := write("n2.csv", trust+",宁波江北乙贸易有限公司,五金批发；理财咨询\n"+steady)
	custom := fixture.Path("custom.dict")
	if r := runCLI(t, "", "scan", "-q", "--db", db, n1); r.code != exitFlagged {
		t.Fatalf("night 1: exit %d %q", r.code, r.err)
	}
	if r := runCLI(t, "", "scan", "-q", "--db", db, "--dict", custom, n2); r.code != exitFlagged {
		t.Fatalf("night 2: exit %d %q", r.code, r.err)
	}
	got := changesOf(t, db)
	if k := got[store.DictChanged]; len(k) != 1 || k[0] != "名称:宁波江北甲信托咨询有限公司" {
		t.Errorf("词典变更导致的变动: %v (all %v)", k, got)
	}
	if k := got[store.NewlyReferred]; len(k) != 1 || k[0] != "名称:宁波江北乙贸易有限公司" {
		t.Errorf("新增送会商: %v (all %v)", k, got)
	}
	r := runCLI(t, "", "changes", "--db", db)
	if !strings.Contains(r.err, "两次运行使用的词典版本不同") || !strings.Contains(r.err, "词典变更导致的变动 1") {
		t.Errorf("changes should say the dictionaries differ: %q", r.err)
	}
	t.Setenv("REGSCREEN_DICT", custom)
	if r := runCLI(t, "", "scan", "-q", "--db", db, n2); r.code != exitFlagged {
		t.Fatalf("night 3: exit %d %q", r.code, r.err)
	}
	if got := changesOf(t, db); len(got) != 0 {
		t.Errorf("the standing dictionary is the one night 2 used: %v", got)
	}
	t.Setenv("REGSCREEN_DICT", filepath.Join(dir, "不存在.dict"))
	if r := runCLI(t, "", "scan", "-q", "--db", db, n2); r.code != exitError || !strings.Contains(r.err, "REGSCREEN_DICT") {
		t.Errorf("a missing standing dictionary: exit %d %q", r.code, r.err)
	}
}
