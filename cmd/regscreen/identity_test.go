package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

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
		if !strings.Contains(r.err, "其中 2 条记录的"+record.ExcelMangledNote) {
			t.Errorf("night %d: the summary should name the cause: %q", i+1, r.err)
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

// writeCompanies writes an export of n companies, all with a hit (理财),
// numbered from 1, and returns its path.
func writeCompanies(t *testing.T, dir, name string, n int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("统一社会信用代码,企业名称,经营范围\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, ",宁波江北第%d理财咨询有限公司,理财咨询\n", i)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// An export with far fewer rows than the last complete run (a download
// cut at a line break) is refused unless the clerk confirms the shrink.
func TestShrunkExportIsRefusedUnlessConfirmed(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "s.db")
	if r := runCLI(t, "", "scan", "-q", "--db", db, writeCompanies(t, dir, "n1.csv", 10)); r.code != exitFlagged {
		t.Fatalf("night 1: exit %d %q", r.code, r.err)
	}
	before := tableCounts(t, db)
	short := writeCompanies(t, dir, "n2.csv", 4)
	r := runCLI(t, "", "scan", "--db", db, "-o", filepath.Join(dir, "w.xlsx"), short)
	if r.code != exitError || !strings.Contains(r.err, "本次读取 4 行") || !strings.Contains(r.err, "读取 10 行") ||
		!strings.Contains(r.err, "--allow-shrink") {
		t.Fatalf("shrunk night: exit %d %q", r.code, r.err)
	}
	after := tableCounts(t, db)
	delete(after, "last:failed")
	delete(before, "last:complete")
	if fmt.Sprint(before) != fmt.Sprint(after) {
		t.Errorf("store changed: %v → %v", before, after)
	}
	if _, err := os.Stat(filepath.Join(dir, "w.xlsx")); err == nil {
		t.Error("a refused run wrote its workbook")
	}
	if r := runCLI(t, "", "scan", "-q", "--db", db, "--allow-shrink", short); r.code != exitFlagged {
		t.Fatalf("confirmed: exit %d %q", r.code, r.err)
	}
	if gone := changesOf(t, db)[store.Gone]; len(gone) != 6 {
		t.Errorf("gone: %v, want the 6 missing companies", gone)
	}
	// The next night compares with the confirmed run: no flag needed.
	if r := runCLI(t, "", "scan", "-q", "--db", db, writeCompanies(t, dir, "n4.csv", 4)); r.code != exitFlagged {
		t.Errorf("same size: exit %d %q", r.code, r.err)
	}
}

// history finds a company by part of a name, listing every match.
func TestHistoryByPartOfAName(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "s.db")
	in := filepath.Join(dir, "e.csv")
	data := "统一社会信用代码,企业名称,经营范围\n,宁波江北甲理财咨询有限公司,理财咨询\n,宁波江北乙理财咨询有限公司,理财咨询\n"
	if err := os.WriteFile(in, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := runCLI(t, "", "scan", "-q", "--db", db, in); r.code != exitFlagged {
		t.Fatalf("scan: exit %d %q", r.code, r.err)
	}
	if r := runCLI(t, "", "history", "--db", db, "乙理财"); r.code != exitClean || !strings.Contains(r.out, "宁波江北乙理财咨询有限公司") {
		t.Errorf("one match: exit %d out %q err %q", r.code, r.out, r.err)
	}
	r := runCLI(t, "", "history", "--db", db, "理财咨询")
	if r.code != exitClean || !strings.Contains(r.err, "对应 2 家企业") || !strings.Contains(r.err, "甲理财") || !strings.Contains(r.err, "乙理财") {
		t.Errorf("two matches: exit %d err %q", r.code, r.err)
	}
}

// db prune --keep 0d deletes every run but the last: it asks for --yes,
// and --dry-run says what would go without deleting.
func TestPruneDryRunAndConfirmation(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "s.db")
	in := writeCompanies(t, dir, "e.csv", 3)
	for range 3 {
		if r := runCLI(t, "", "scan", "-q", "--db", db, in); r.code != exitFlagged {
			t.Fatalf("scan: exit %d %q", r.code, r.err)
		}
	}
	time.Sleep(1100 * time.Millisecond) // the store keeps times to the second
	runs := func() int {
		r := runCLI(t, "", "db", "runs", "--db", db)
		return strings.Count(strings.TrimSpace(r.out), "\n")
	}
	if r := runCLI(t, "", "db", "prune", "--db", db, "--keep", "0d"); r.code != exitError || !strings.Contains(r.err, "--yes") || runs() != 3 {
		t.Errorf("unconfirmed 0d: exit %d %q, %d runs", r.code, r.err, runs())
	}
	if r := runCLI(t, "", "db", "prune", "--db", db, "--keep", "0d", "--dry-run"); r.code != exitClean || !strings.Contains(r.err, "将删除 2 次") || runs() != 3 {
		t.Errorf("dry run: exit %d %q, %d runs", r.code, r.err, runs())
	}
	if r := runCLI(t, "", "db", "prune", "--db", db, "--keep", "0d", "--yes"); r.code != exitClean || !strings.Contains(r.err, "删除了 2 次") || runs() != 1 {
		t.Errorf("confirmed: exit %d %q, %d runs", r.code, r.err, runs())
	}
}

// The shrink check's edge: 9 of 10 rows (90%) is stored, 8 of 9 (89%)
// is refused.
func TestShrinkCheckAtNinetyPercent(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "s.db")
	for _, tc := range []struct {
		n    int
		code int
	}{{10, exitFlagged}, {9, exitFlagged}, {8, exitError}} {
		r := runCLI(t, "", "scan", "-q", "--db", db, writeCompanies(t, dir, fmt.Sprintf("n%d.csv", tc.n), tc.n))
		if r.code != tc.code {
			t.Errorf("%d rows: exit %d, want %d (%q)", tc.n, r.code, tc.code, r.err)
		}
	}
}

// A company never referred, renamed into a restricted name, keeps both
// names: changes shows the name before, history finds it by either name
// or part of one and lists them, and a part that matches two companies
// lists each with its name.
func TestARenamedCompanyIsFoundByItsOldName(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "s.db")
	const code, old, renamed = "91330205MA2FHUFR52", "福州昌武包装材料有限公司", "福州昌武财富管理有限公司"
	for i, body := range []string{code + "," + old, code + "," + renamed} {
		in := filepath.Join(dir, "night.csv")
		data := "统一社会信用代码,企业名称,经营范围\n" + body + ",包装材料销售\n91330205MA2TKLXT0C,福州昌武五金有限公司,五金销售\n"
		if err := os.WriteFile(in, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		if r := runCLI(t, "", "scan", "-q", "--db", db, in); r.code == exitError {
			t.Fatalf("night %d: exit %d %q", i+1, r.code, r.err)
		}
	}
	if r := runCLI(t, "", "changes", "--db", db); !strings.Contains(r.out, old) || !strings.Contains(r.out, renamed) {
		t.Errorf("changes should show both names: exit %d out %q err %q", r.code, r.out, r.err)
	}
	for _, arg := range []string{old, "昌武包装"} {
		r := runCLI(t, "", "history", "--db", db, arg)
		if r.code != exitClean || !strings.Contains(r.out, code) || !strings.Contains(r.out, "历次名称："+old+"（运行 1 起） → "+renamed+"（运行 2 起）") {
			t.Errorf("history %s: exit %d out %q err %q", arg, r.code, r.out, r.err)
		}
	}
	r := runCLI(t, "", "history", "--db", db, "昌武")
	if !strings.Contains(r.err, "对应 2 家企业") || !strings.Contains(r.err, code+" "+renamed) || !strings.Contains(r.err, "福州昌武五金有限公司") {
		t.Errorf("two matches should be listed with their names: exit %d err %q", r.code, r.err)
	}
}
