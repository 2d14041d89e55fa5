package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/regscreen/regscreen/report"
)

// sheetByID reads a sheet into rows keyed by credit code, each a map from
// header to cell; the header is the first row holding 企业名称.
func sheetByID(t *testing.T, path, sheet string) map[string]map[string]string {
	t.Helper()
	f := openBook(t, path)
	rows := rowsOf(t, f, sheet)
	out := map[string]map[string]string{}
	var header []string
	for _, row := range rows {
		if header == nil {
			if indexOf(row, report.ColName) >= 0 {
				header = row
			}
			continue
		}
		m := map[string]string{}
		for i, h := range header {
			if i < len(row) {
				m[h] = row[i]
			}
		}
		if m[report.ColName] == "" {
			continue // the signature line after a printed table
		}
		out[m[report.ColID]] = m
	}
	return out
}

// fillIn writes decisions into a workbook's case sheets, as an office does.
func fillIn(t *testing.T, path string, decisions map[string][4]string) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, sheet := range []string{report.SheetRefer, report.SheetReview} {
		rows, _ := f.GetRows(sheet)
		head := 0 // the header row, under the title
		for head < len(rows) && indexOf(rows[head], report.ColName) < 0 {
			head++
		}
		col := map[string]int{}
		for i, h := range rows[head] {
			col[h] = i + 1
		}
		for r, row := range rows[head+1:] {
			if len(row) < col[report.ColID] {
				continue
			}
			d, ok := decisions[row[col[report.ColID]-1]]
			if !ok {
				continue
			}
			for i, name := range []string{report.ColStatus, report.ColOpinion, report.ColHandler, report.ColDate} {
				cell, _ := excelize.CoordinatesToCellName(col[name], head+r+2)
				f.SetCellValue(sheet, cell, d[i])
			}
		}
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
}

// TestDecisionsComeBackIntoTheNextWorkbook closes the consultation loop:
// scan, the office fills in the workbook, import, scan again.
func TestDecisionsComeBackIntoTheNextWorkbook(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "全区.db")
	book := func(n string) string { return filepath.Join(dir, "会商名单-"+n+".xlsx") }
	scan := func(n string) {
		t.Helper()
		if r := runCLI(t, "", "scan", "-q", "--db", db, "-o", book(n), night(n)); r.code != exitFlagged {
			t.Fatalf("night %s: exit %d %q", n, r.code, r.err)
		}
	}
	importBook := func(n string) {
		t.Helper()
		if r := runCLI(t, "", "db", "import-status", "--db", db, book(n)); r.code != exitClean {
			t.Fatalf("import night %s: exit %d %q", n, r.code, r.err)
		}
	}
	const yongxin, lvyuan = "91330205AY4CL12THT", "91330205PE9K23GD5E"
	scan("1")
	scan("2")
	fillIn(t, book("2"), map[string][4]string{
		yongxin: {"排除", "字号中的理财指理财咨询，不从事金融业务", "王芳", "2026-11-02"},
		lvyuan:  {"列入重点监管", "金融信息服务须持续跟踪", "李强", "2026-11-02"},
	})
	importBook("2")
	scan("3")

	refer := sheetByID(t, book("3"), report.SheetRefer)
	got := refer[lvyuan]
	if got[report.ColStatus] != "列入重点监管" || got[report.ColHandler] != "李强" || got[report.ColOpinion] != "金融信息服务须持续跟踪" ||
		!strings.HasPrefix(got[report.ColDate], "2026-11-02") || !strings.Contains(got[report.ColReason], "会商名单-2.xlsx") {
		t.Errorf("the decision is carried into the next workbook, saying where from: %v", got)
	}
	if _, ok := refer[yongxin]; ok {
		t.Errorf("a company ruled 排除 and unchanged is not referred again")
	}
	ex := sheetByID(t, book("3"), report.SheetExcluded)[yongxin]
	if ex[report.ColHandler] != "王芳" || !strings.HasPrefix(ex[report.ColDate], "2026-11-02") || ex[report.ColStatus] != "排除" {
		t.Errorf("the excluded company is on its own sheet with who and when: %v", ex)
	}

	// A second person decides on night 3; importing night 2's workbook
	// again does not undo the later decision.
	fillIn(t, book("3"), map[string][4]string{lvyuan: {"排除", "经核实为环保企业的资讯服务", "张伟", "2026-11-20"}})
	importBook("3")
	importBook("2")
	scan("3")
	ex = sheetByID(t, book("3"), report.SheetExcluded)[lvyuan]
	if ex[report.ColHandler] != "张伟" || !strings.HasPrefix(ex[report.ColDate], "2026-11-20") {
		t.Errorf("the latest decision wins, whatever the import order: %v", ex)
	}
	r := runCLI(t, "", "history", "--db", db, lvyuan)
	if !strings.Contains(r.out, "李强") || !strings.Contains(r.out, "张伟") {
		t.Errorf("history keeps both decisions:\n%s", r.out)
	}
}
