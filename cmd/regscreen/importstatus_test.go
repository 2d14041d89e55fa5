package main

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/regscreen/regscreen/internal/fixture"
	"github.com/regscreen/regscreen/report"
)

// caseRows returns the 送会商 sheet's header row index (0-based) and the
// data rows' credit codes in sheet order, with the column numbers (1-based).
func caseRows(t *testing.T, f *excelize.File, sheet string) (head int, ids []string, col map[string]int) {
	t.Helper()
	rows := rowsOf(t, f, sheet)
	for head < len(rows) && indexOf(rows[head], report.ColName) < 0 {
		head++
	}
	col = map[string]int{}
	for i, h := range rows[head] {
		col[h] = i + 1
	}
	for _, row := range rows[head+1:] {
		if len(row) >= col[report.ColID] && row[col[report.ColName]-1] != "" {
			ids = append(ids, row[col[report.ColID]-1])
		}
	}
	return head, ids, col
}

func setCell(t *testing.T, f *excelize.File, sheet string, col, row int, v string) {
	t.Helper()
	cell, _ := excelize.CoordinatesToCellName(col, row)
	if err := f.SetCellValue(sheet, cell, v); err != nil {
		t.Fatal(err)
	}
}

// TestImportChecksNameDateAndSheet: a returned workbook whose codes were
// sorted apart from their names, with a typo'd year, and with Excel's
// copy of the 送会商 sheet rules nobody by mistake: each such row or sheet
// is named and left out, the rest imported (exit 1).
func TestImportChecksNameDateAndSheet(t *testing.T) {
	dir := t.TempDir()
	db, book, next := filepath.Join(dir, "s.db"), filepath.Join(dir, "w.xlsx"), filepath.Join(dir, "w2.xlsx")
	if r := runCLI(t, "", "scan", "-q", "--db", db, "-o", book, fixture.Path("exports/header-words.csv")); r.code != exitFlagged {
		t.Fatalf("scan: exit %d %q", r.code, r.err)
	}
	f, err := excelize.OpenFile(book)
	if err != nil {
		t.Fatal(err)
	}
	head, ids, col := caseRows(t, f, report.SheetRefer)
	if len(ids) < 4 {
		t.Fatalf("need 4 referred companies, have %d", len(ids))
	}
	names := sheetByID(t, book, report.SheetRefer)
	row := func(i int) int { return head + 2 + i } // sheet row of data row i
	// Rows 0 and 1: the codes swapped (a sort of one column), both 排除.
	setCell(t, f, report.SheetRefer, col[report.ColID], row(0), ids[1])
	setCell(t, f, report.SheetRefer, col[report.ColID], row(1), ids[0])
	setCell(t, f, report.SheetRefer, col[report.ColStatus], row(0), "排除")
	setCell(t, f, report.SheetRefer, col[report.ColStatus], row(1), "排除")
	// Row 2: a date in 2062.
	setCell(t, f, report.SheetRefer, col[report.ColStatus], row(2), "排除")
	setCell(t, f, report.SheetRefer, col[report.ColDate], row(2), "2062-11-02")
	// Row 3: a good decision.
	setCell(t, f, report.SheetRefer, col[report.ColStatus], row(3), "列入重点监管")
	setCell(t, f, report.SheetRefer, col[report.ColDate], row(3), "2026-11-02")
	// Excel's copy of the sheet, every row ruled 排除.
	idx, err := f.NewSheet("送会商 (2)")
	if err != nil {
		t.Fatal(err)
	}
	from, _ := f.GetSheetIndex(report.SheetRefer)
	if err := f.CopySheet(from, idx); err != nil {
		t.Fatal(err)
	}
	for i := range ids {
		setCell(t, f, "送会商 (2)", col[report.ColStatus], row(i), "排除")
		setCell(t, f, "送会商 (2)", col[report.ColID], row(i), ids[i])
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	f.Close()

	r := runCLI(t, "", "db", "import-status", "--db", db, book)
	if r.code != exitFlagged || !strings.Contains(r.err, "导入会商结论 1 条") || !strings.Contains(r.err, "企业名称不符 2 条") {
		t.Fatalf("import: exit %d %q", r.code, r.err)
	}
	for _, want := range []string{
		fmt.Sprintf("%s!%d: 企业名称“%s”与存储中信用代码 %s 的企业“%s”不符", report.SheetRefer, row(0), names[ids[0]][report.ColName], ids[1], names[ids[1]][report.ColName]),
		fmt.Sprintf("%s!%d: 日期 2062-11-02 晚于今天", report.SheetRefer, row(2)),
		"工作表“送会商 (2)”不是 regscreen 写出的",
	} {
		if !strings.Contains(r.err, want) {
			t.Errorf("import says %q:\n%s", want, r.err)
		}
	}
	if r := runCLI(t, "", "scan", "-q", "--db", db, "-o", next, fixture.Path("exports/header-words.csv")); r.code != exitFlagged {
		t.Fatalf("second scan: exit %d %q", r.code, r.err)
	}
	refer := sheetByID(t, next, report.SheetRefer)
	var got []string
	for _, id := range ids {
		got = append(got, id+"="+refer[id][report.ColStatus])
	}
	want := []string{ids[0] + "=", ids[1] + "=", ids[2] + "=", ids[3] + "=列入重点监管"}
	for _, id := range ids[4:] {
		want = append(want, id+"=")
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("after the import, the next workbook has\n%v\nwant\n%v", got, want)
	}
}

// TestImportKeepsABoundedListOfProblems: a returned workbook of many bad
// rows (each a long status) lists the first report.MaxProblems, each
// quoting at most a few dozen characters, and counts the rest.
func TestImportKeepsABoundedListOfProblems(t *testing.T) {
	dir := t.TempDir()
	db, book := filepath.Join(dir, "s.db"), filepath.Join(dir, "w.xlsx")
	if r := runCLI(t, "", "scan", "-q", "--db", db, "-o", book, night("1")); r.code != exitFlagged {
		t.Fatalf("scan: exit %d %q", r.code, r.err)
	}
	f, err := excelize.OpenFile(book)
	if err != nil {
		t.Fatal(err)
	}
	head, _, col := caseRows(t, f, report.SheetRefer)
	const rows = report.MaxProblems + 500
	long := strings.Repeat("不予处理", 1000)
	for i := 0; i < rows; i++ {
		setCell(t, f, report.SheetRefer, col[report.ColName], head+2+i, fmt.Sprintf("某某%d公司", i))
		setCell(t, f, report.SheetRefer, col[report.ColStatus], head+2+i, long)
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	r := runCLI(t, "", "db", "import-status", "--db", db, book)
	lines := strings.Split(strings.TrimSpace(r.err), "\n")
	var problems int
	fmt.Sscanf(lines[len(lines)-1][strings.LastIndex(lines[len(lines)-1], "跳过 "):], "跳过 %d 条", &problems)
	// The sheet's signature line, under the table, is not a company row.
	if r.code != exitFlagged || problems < rows-1 || len(lines) != report.MaxProblems+1 ||
		!strings.Contains(r.err, fmt.Sprintf("另有 %d 行未逐行列出", problems-report.MaxProblems)) {
		t.Fatalf("import: exit %d, %d problems, %d lines, ends %q", r.code, problems, len(lines), lines[len(lines)-2:])
	}
	sort.Slice(lines, func(i, j int) bool { return len(lines[i]) > len(lines[j]) })
	if len(lines[0]) > 400 {
		t.Errorf("a problem line quotes the whole cell (%d bytes)", len(lines[0]))
	}
}

// TestImportReadsBackOddNames: the name check holds the workbook's names
// to the store's; names the workbook writes differently from the export
// (control characters, leading = or full-width ＝) still match.
func TestImportReadsBackOddNames(t *testing.T) {
	for _, name := range []string{"formula-leaders.csv", "terminal-escapes.csv", "xlsx-control-char.xlsx"} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			db, book := filepath.Join(dir, "s.db"), filepath.Join(dir, "w.xlsx")
			if r := runCLI(t, "", "scan", "-q", "--db", db, "-o", book, fixture.Path("damage/"+name)); r.code == exitError {
				t.Fatalf("scan: exit %d %q", r.code, r.err)
			}
			decisions := map[string][4]string{}
			for _, sheet := range []string{report.SheetRefer, report.SheetReview} {
				for id := range sheetByID(t, book, sheet) {
					decisions[id] = [4]string{"列入重点监管", "", "王芳", ""}
				}
			}
			if len(decisions) == 0 {
				t.Skip("nothing referred")
			}
			fillIn(t, book, decisions)
			r := runCLI(t, "", "db", "import-status", "--db", db, book)
			if r.code != exitClean || !strings.Contains(r.err, "存储中找不到 0 条；企业名称不符 0 条；状态无效或读不出跳过 0 条") {
				t.Errorf("import: exit %d %q", r.code, r.err)
			}
		})
	}
}
