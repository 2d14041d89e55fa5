package main

import (
	"archive/zip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/regscreen/regscreen/internal/fixture"
)

func openBook(t *testing.T, path string) *excelize.File {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func rowsOf(t *testing.T, f *excelize.File, sheet string) [][]string {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatalf("sheet %s: %v", sheet, err)
	}
	return rows
}

func find(rows [][]string, key string) []string {
	for _, r := range rows {
		if len(r) > 0 && r[0] == key {
			return r
		}
	}
	return nil
}

func TestConsultationWorkbook(t *testing.T) {
	path := filepath.Join(t.TempDir(), "会商名单.xlsx")
	r := runCLI(t, "", "scan", "--all", "-o", path, fixture.Path("sample.csv"))
	if r.code != exitFlagged || r.out != "" {
		t.Fatalf("exit %d out %q err %q", r.code, r.out, r.err)
	}
	f := openBook(t, path)
	if got := strings.Join(f.GetSheetList(), ","); got != "送会商,待复核,全部记录,汇总,运行信息" {
		t.Fatalf("sheets %s", got)
	}
	// A title line, the header, the companies, a blank row and the signature line.
	refer := rowsOf(t, f, "送会商")
	head := strings.Join(refer[1], ",")
	for _, want := range []string{"统一社会信用代码", "企业名称", "经营范围", "命中词", "牵头监管部门", "股东背景", "信用状况", "经营团队", "运营方案", "风控措施", "会商意见", "处理状态", "经办人", "日期"} {
		if !strings.Contains(head, want) {
			t.Errorf("送会商 header lacks %s: %s", want, head)
		}
	}
	if len(refer)-4 != 12 || len(rowsOf(t, f, "待复核"))-4 != 5 || len(rowsOf(t, f, "全部记录"))-1 != 30 {
		t.Errorf("rows: 送会商 %d, 待复核 %d, 全部记录 %d", len(refer)-4, len(rowsOf(t, f, "待复核"))-4, len(rowsOf(t, f, "全部记录"))-1)
	}
	// The first referred company is 甬信理财咨询: 理财 red and bold inside its name.
	runs, err := f.GetCellRichText("送会商", "B3")
	if err != nil {
		t.Fatal(err)
	}
	var red string
	for _, run := range runs {
		if run.Font != nil && run.Font.Bold && strings.EqualFold(run.Font.Color, "FF0000") {
			red += run.Text
		}
	}
	if red != "理财" {
		t.Errorf("highlighted run in B3 = %q (runs %+v)", red, runs)
	}
	// A denied occurrence is grey in the printed scope of 汇金投资管理 (row 4).
	runs, _ = f.GetCellRichText("送会商", "D4")
	grey := 0
	for _, run := range runs {
		if run.Font != nil && strings.EqualFold(run.Font.Color, "A6A6A6") {
			grey++
		}
	}
	if grey != 3 {
		t.Errorf("want 3 grey denied runs in D4, got %d", grey)
	}
	dvs, err := f.GetDataValidations("送会商")
	if err != nil || len(dvs) != 1 || !strings.Contains(dvs[0].Formula1, "列入重点监管") {
		t.Errorf("处理状态 dropdown: %+v %v", dvs, err)
	}
	sum := rowsOf(t, f, "汇总")
	if r := find(sum, "送会商"); r == nil || r[1] != "12" {
		t.Errorf("汇总 by verdict: %v", r)
	}
	if r := find(sum, "理财"); r == nil || r[1] != "2" {
		t.Errorf("汇总 by term 理财: %v", r)
	}
	if r := find(sum, "白沙街道"); r == nil {
		t.Errorf("汇总 lacks the street table")
	}
	run := rowsOf(t, f, "运行信息")
	if r := find(run, "读取行数"); r == nil || r[1] != "30" {
		t.Errorf("运行信息 读取行数: %v", r)
	}
	if r := find(run, "核对"); r == nil || !strings.Contains(r[1], "读取 30 = 送会商 12 + 待复核 5 + 无需处理 13") {
		t.Errorf("运行信息 核对: %v", r)
	}
	if r := find(run, "词典版本"); r == nil || len(r[1]) != 12 {
		t.Errorf("运行信息 词典版本: %v", r)
	}
	if r := find(run, "输入文件 1"); r == nil || !strings.Contains(r[1], "utf-8") || !strings.Contains(r[1], "字节") {
		t.Errorf("运行信息 input: %v", r)
	}
	panes, err := f.GetPanes("送会商")
	if err != nil || !panes.Freeze || panes.YSplit != 2 {
		t.Errorf("header row should be frozen: %+v", panes)
	}
	tables, _ := f.GetTables("送会商")
	if len(tables) != 1 || tables[0].Range != "A2:V14" {
		t.Errorf("送会商 table (autofilter): %+v", tables)
	}
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	charts := 0
	for _, zf := range zr.File {
		if strings.HasPrefix(zf.Name, "xl/charts/chart") {
			charts++
		}
	}
	if charts != 5 {
		t.Errorf("汇总 should hold 5 charts, found %d", charts)
	}
}

func TestSplitByStreet(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "分街道")
	r := runCLI(t, "", "scan", "-q", "--split-by", "street", "-o", dir, fixture.Path("sample.csv"))
	if r.code != exitFlagged {
		t.Fatalf("exit %d err %q", r.code, r.err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 8 {
		t.Fatalf("want one workbook per street (8), got %d", len(entries))
	}
	total := 0
	for _, e := range entries {
		f := openBook(t, filepath.Join(dir, e.Name()))
		street := strings.TrimSuffix(strings.TrimPrefix(e.Name(), "会商名单-"), ".xlsx")
		rows := rowsOf(t, f, "送会商") // a title line, the header, the companies, a blank row, the signature
		col := indexOf(rows[1], "街道（镇）")
		for _, row := range rows[2 : len(rows)-2] {
			if row[col] != street {
				t.Errorf("%s holds a record of %s", e.Name(), row[col])
			}
		}
		total += len(rows) - 4
	}
	if total != 12 {
		t.Errorf("referred rows across the split files: %d, want 12", total)
	}
	// Records whose address names no street get their own workbook.
	in := "企业名称,住所\n宁波某某理财有限公司,宁波市人民路1号\n"
	r = runCLI(t, in, "scan", "-q", "--split-by", "street", "-o", dir, "-")
	if _, err := os.Stat(filepath.Join(dir, "会商名单-未识别街道.xlsx")); err != nil {
		t.Errorf("no workbook for records without a street: %v", err)
	}
}
