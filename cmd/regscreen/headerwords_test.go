package main

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/regscreen/regscreen/input"
	"github.com/regscreen/regscreen/internal/fixture"
	"github.com/regscreen/regscreen/record"
	"github.com/regscreen/regscreen/report"
)

// TestOwnWorkbookReadsBackWhateverTheNames: companies whose names, scopes
// and addresses hold every header word (项目, 代码, 地址, 名称, 住所, 范围,
// 注册号, the scope placeholder 一般经营项目, …) go through the whole loop:
// scan → workbook → every record sheet read back row for row (its 出现位置
// cells are exactly 名称 or 经营范围) → every decision filled in and
// imported, exit 0 → the next workbook carries every one of them.
func TestOwnWorkbookReadsBackWhateverTheNames(t *testing.T) {
	export := fixture.Path("exports/header-words.csv")
	names, referred := exportNames(t, export)
	dir := t.TempDir()
	db := filepath.Join(dir, "s.db")
	book1, book2 := filepath.Join(dir, "w1.xlsx"), filepath.Join(dir, "w2.xlsx")
	if r := runCLI(t, "", "scan", "-q", "--all", "--db", db, "-o", book1, export); r.code != exitFlagged {
		t.Fatalf("scan: exit %d %q", r.code, r.err)
	}
	if r := runCLI(t, "", "scan", "-q", "--all", export); r.code != exitFlagged || strings.Contains(r.out, "拒收") {
		t.Fatalf("the export itself: exit %d %q", r.code, r.err)
	}

	// Every sheet that lists companies reads back as rows, none rejected.
	wb, err := input.OpenWorkbook(book1)
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	read := map[string][]string{}
	for _, sheet := range wb.Sheets() {
		src, err := wb.Sheet(sheet, false)
		if errors.Is(err, input.ErrEmpty) {
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", sheet, err)
		}
		nameCol := input.HeaderIndex(src.Header(), report.ColName)
		if nameCol < 0 {
			src.Close()
			continue
		}
		for {
			row, err := src.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Errorf("%s: %v", sheet, err)
				continue
			}
			if row.Cell(nameCol) == "" && strings.HasPrefix(row.Cell(0), "经办人") {
				continue // the printed list's signature line, after the table
			}
			read[sheet] = append(read[sheet], row.Cell(nameCol))
		}
		src.Close()
	}
	if got := read[report.SheetRefer]; strings.Join(got, "|") != strings.Join(referred, "|") {
		t.Errorf("送会商 read back as %q, want %q", got, referred)
	}
	if len(read) < 2 || len(read["全部记录"]) != len(names) {
		t.Errorf("全部记录 read back %d of %d rows (sheets %v)", len(read["全部记录"]), len(names), read)
	}

	// Every row of every case sheet gets a decision (each status in turn),
	// written by a spreadsheet library; all come back, and the next
	// workbook carries every one of them, whichever sheet it is on.
	ids := sheetByID(t, book1, report.SheetRefer)
	if len(ids) != len(referred) {
		t.Fatalf("%d companies on the 送会商 sheet, %d referred", len(ids), len(referred))
	}
	for id, row := range sheetByID(t, book1, report.SheetReview) {
		ids[id] = row
	}
	decisions := map[string][4]string{}
	for i, id := range sortedKeys(ids) {
		decisions[id] = [4]string{record.StatusChoices[i%len(record.StatusChoices)], "持续跟踪", "王芳", "2026-12-01"}
	}
	fillIn(t, book1, decisions)
	r := runCLI(t, "", "db", "import-status", "--db", db, book1)
	if r.code != exitClean || !strings.Contains(r.err, fmt.Sprintf("导入会商结论 %d 条", len(decisions))) {
		t.Fatalf("import: exit %d %q", r.code, r.err)
	}
	if r := runCLI(t, "", "scan", "-q", "--db", db, "-o", book2, export); r.code != exitFlagged {
		t.Fatalf("second scan: exit %d %q", r.code, r.err)
	}
	next := map[string]map[string]string{}
	for _, sheet := range []string{report.SheetRefer, report.SheetReview, report.SheetExcluded} {
		for id, row := range sheetByID(t, book2, sheet) {
			next[id] = row
		}
	}
	for id, d := range decisions {
		if next[id][report.ColStatus] != d[0] {
			t.Errorf("%s (%s) is not carried into the next workbook as %s: %v", id, ids[id][report.ColName], d[0], next[id])
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// exportNames lists an export's company names, and those the fixture
// means to be referred: every one but names without a restricted word,
// which the fixture ends with 五金.
func exportNames(t *testing.T, path string) (all, referred []string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range rows[1:] {
		all = append(all, row[0])
		if !strings.Contains(row[0], "五金") {
			referred = append(referred, row[0])
		}
	}
	return all, referred
}
