package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/regscreen/regscreen/internal/fixture"
)

// A row rejected for a stray quote is still screened: the summary says it
// names a restricted term, and the workbook lists it on 拒收, while the
// counts stay as they were.
func TestRejectedRowsAreScreenedToo(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "e.csv")
	data := "统一社会信用代码,企业名称,经营范围\n" +
		"91330205AY4CL12THT,宁波江北甲理财咨询有限公司,理财咨询\n" +
		",宁波江北众联Ｐ２Ｐ网络科技有限公司 \"众联\",网络技术\n" +
		",宁波江北乙贸易有限公司 \"乙\",五金\n" +
		",宁波江北丙贸易有限公司,五金\n"
	if err := os.WriteFile(in, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	book := filepath.Join(dir, "w.xlsx")
	r := runCLI(t, "", "scan", "-o", book, in)
	if r.code != exitFlagged || !strings.Contains(r.err, "读取 4 行：送会商 1，待复核 0，无需处理 1，豁免 0，拒收 2") {
		t.Fatalf("exit %d %q", r.code, r.err)
	}
	if !strings.Contains(r.err, "拒收的行中有 1 行含限制词") || !strings.Contains(r.err, "e.csv:3: P2P") {
		t.Errorf("the summary should name the rejected P2P row: %q", r.err)
	}
	f, err := excelize.OpenFile(book)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("拒收")
	if err != nil {
		t.Fatal(err)
	}
	// A title line, the header, then the two rejected rows in input order.
	if len(rows) != 4 || strings.Join(rows[1], "|") != "序号|文件和行号|拒收原因|原始内容|命中词" {
		t.Fatalf("拒收 sheet: %q", rows)
	}
	if p2p := rows[2]; !strings.Contains(p2p[1], "第3行") || !strings.Contains(p2p[3], "众联Ｐ２Ｐ") || len(p2p) < 5 || p2p[4] != "P2P" {
		t.Errorf("P2P row: %q", p2p)
	}
	if plain := rows[3]; !strings.Contains(plain[1], "第4行") || !strings.Contains(plain[2], "引号") || len(plain) > 4 && plain[4] != "" {
		t.Errorf("plain row: %q", plain)
	}
}

// Companies on the licence list (--exempt) have their own sheet naming the
// list, and their reason says why they are not referred.
func TestLicensedCompaniesHaveTheirOwnSheet(t *testing.T) {
	book := filepath.Join(t.TempDir(), "w.xlsx")
	r := runCLI(t, "", "scan", "-o", book, "--exempt", fixture.Path("exports/exempt.csv"), fixture.Path("sample.csv"))
	if !strings.Contains(r.err, "豁免 2") {
		t.Fatalf("exit %d %q", r.code, r.err)
	}
	f, err := excelize.OpenFile(book)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("持牌机构豁免")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 {
		t.Fatalf("持牌机构豁免: %q", rows)
	}
	list, reason := indexOf(rows[1], "豁免名单"), indexOf(rows[1], "理由")
	for _, row := range rows[2:] {
		if row[list] != "exempt.csv" || !strings.Contains(row[reason], "不送会商") || strings.Contains(row[reason], "需提交注册登记会商") {
			t.Errorf("row %q", row)
		}
	}
	r = runCLI(t, "", "scan", "--all", "--format", "jsonl", "--exempt", fixture.Path("exports/exempt.csv"), fixture.Path("sample.csv"))
	for _, line := range strings.Split(r.out, "\n") {
		if strings.Contains(line, `"verdict":"exempt"`) && strings.Contains(line, "需提交注册登记会商") {
			t.Errorf("an exempt record asks for a consultation: %s", line)
		}
	}
}

// The CSV's header has the same shape on a night with no hit as on one
// with hits: the input's columns, then the verdict's.
func TestCSVHeaderSameShapeWithoutHits(t *testing.T) {
	head := "统一社会信用代码,企业名称,经营范围\n"
	hit := runCLI(t, head+",宁波江北丙理财有限公司,理财咨询\n", "scan", "-")
	none := runCLI(t, head+",宁波江北丙贸易有限公司,五金\n", "scan", "-")
	first := func(s string) string { return strings.SplitN(s, "\n", 2)[0] }
	if first(hit.out) != first(none.out) || !strings.HasPrefix(none.out, "统一社会信用代码,企业名称,经营范围,") {
		t.Errorf("headers differ:\n%s\n%s", first(hit.out), first(none.out))
	}
}

// scan a.csv a.csv warns that an input repeats and, with a store, how
// many rows named a company already listed.
func TestDuplicateInputsAndKeysWarn(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "a.csv")
	data := "统一社会信用代码,企业名称,经营范围\n91330205AY4CL12THT,宁波江北甲理财咨询有限公司,理财咨询\n,宁波江北乙贸易有限公司,五金\n"
	if err := os.WriteFile(in, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, "", "scan", "--db", filepath.Join(dir, "s.db"), in, in)
	if r.code != exitFlagged || !strings.Contains(r.err, "警告：输入 "+in+" 与前面的一个输入相同") ||
		!strings.Contains(r.err, "有 2 行与前面的行是同一家企业") {
		t.Errorf("exit %d %q", r.code, r.err)
	}
	if r := runCLI(t, "", "scan", in); strings.Contains(r.err, "警告") {
		t.Errorf("one input warns: %q", r.err)
	}
}
