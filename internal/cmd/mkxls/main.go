// Command mkxls writes the XLSX workbooks that scripts/xls-fixtures.sh
// hands to LibreOffice to save as Excel 97–2003 (.xls) and OpenDocument:
// the records of fixtures/sample.csv as a registration system's
// spreadsheet holds them (a title row, dates as dates, capital as
// numbers), and a sheet of codes stored as numbers. LibreOffice no longer
// writes Excel 95, so it writes that one itself (excel95.xls: BIFF5, text
// in GBK, code page 936); LibreOffice reads it for the expected CSV. Run
// from the module root:
//
//	go run ./internal/cmd/mkxls DIR
//
// With -damage it writes the .xls cases of fixtures/damage into DIR. With
// -rows N it writes big.xlsx instead: one sheet of N records (up to
// the 65,536 rows an .xls holds), for comparing readers and measuring.
package main

import (
	"encoding/csv"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"
)

func main() {
	rows := flag.Int("rows", 0, "write big.xlsx with this many records instead")
	dmg := flag.Bool("damage", false, "write the .xls cases of the damage corpus into DIR instead")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: mkxls [-damage | -rows N] DIR")
		os.Exit(2)
	}
	var err error
	switch {
	case *dmg:
		err = damage(flag.Arg(0))
	case *rows > 0:
		err = big(flag.Arg(0), *rows)
	default:
		if err = run(flag.Arg(0)); err == nil {
			err = excel95(flag.Arg(0))
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "mkxls:", err)
		os.Exit(1)
	}
}

const title = "江北区企业登记信息导出（2026年11月）"

func sample() ([][]string, error) {
	f, err := os.Open("fixtures/sample.csv")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return csv.NewReader(f).ReadAll()
}

// typed turns a sample row into cells as a spreadsheet holds them:
// 注册资本 a number, 成立日期 a date.
func typed(header, r []string) []any {
	cells := make([]any, len(r))
	for j, v := range r {
		cells[j] = v
		switch header[j] {
		case "注册资本（万元）":
			if n, err := strconv.ParseFloat(v, 64); err == nil {
				cells[j] = n
			}
		case "成立日期":
			if t, err := time.Parse("2006-01-02", v); err == nil {
				cells[j] = t
			}
		}
	}
	return cells
}

func run(dir string) error {
	rows, err := sample()
	if err != nil {
		return err
	}
	// sample: a notes sheet, then the records under a title row, dates in
	// the Chinese form a registration system uses.
	x := excelize.NewFile()
	defer x.Close()
	x.SetSheetName("Sheet1", "说明")
	x.SetCellValue("说明", "A1", "本工作簿由登记系统导出，数据见“登记信息”表。")
	x.NewSheet("登记信息")
	x.SetCellValue("登记信息", "A1", title)
	dateFmt := `yyyy"年"m"月"d"日"`
	ds, err := x.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	if err != nil {
		return err
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		cells := typed(rows[0], r)
		if i == 0 {
			cells = typed(rows[0], rows[0])
		}
		if err := x.SetSheetRow("登记信息", cell, &cells); err != nil {
			return err
		}
	}
	x.SetColStyle("登记信息", "F", ds)
	if err := x.SaveAs(filepath.Join(dir, "sample.xlsx")); err != nil {
		return err
	}

	// codes: identifiers as a clerk's Excel leaves them once it took them
	// for numbers: 15-digit registration numbers (exact), an all-digit
	// 18-character credit code (its last digits gone), dates in the
	// built-in short date format.
	c := excelize.NewFile()
	defer c.Close()
	sh := "企业"
	c.SetSheetName("Sheet1", sh)
	recs := [][]any{
		{"注册号", "企业名称", "经营范围", "成立日期"},
		{330205000012345.0, "宁波江北甬信理财咨询有限公司", "理财咨询；企业管理咨询。", time.Date(2010, 9, 7, 0, 0, 0, 0, time.UTC)},
		{330205000067890.0, "宁波江北恒达五金贸易有限公司", "五金交电批发、零售。", time.Date(2020, 11, 19, 0, 0, 0, 0, time.UTC)},
		{913302051234567890.0, "宁波江北汇金支付科技有限公司", "支付系统软件开发。", time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC)},
		{"91330205AY4CL12THT", "宁波江北明远信息技术有限公司", "软件开发（不含金融信息服务）。", time.Date(2019, 4, 16, 0, 0, 0, 0, time.UTC)},
	}
	short, err := c.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		return err
	}
	for i, r := range recs {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := c.SetSheetRow(sh, cell, &r); err != nil {
			return err
		}
	}
	c.SetCellStyle(sh, "D2", "D5", short)
	return c.SaveAs(filepath.Join(dir, "codes.xlsx"))
}

// big writes n records cycling through the sample's, a title row and the
// header above them: n = 65,534 fills an .xls sheet to its last row.
func big(dir string, n int) error {
	rows, err := sample()
	if err != nil {
		return err
	}
	x := excelize.NewFile()
	defer x.Close()
	sw, err := x.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	sw.SetRow("A1", []any{title})
	hdr := make([]any, len(rows[0]))
	for j, h := range rows[0] {
		hdr[j] = h
	}
	sw.SetRow("A2", hdr)
	for i := 0; i < n; i++ {
		r := append([]string(nil), rows[1+i%(len(rows)-1)]...)
		r[1] = fmt.Sprintf("%s%d", r[1], i) // names differ, as in a register
		cell, _ := excelize.CoordinatesToCellName(1, i+3)
		if err := sw.SetRow(cell, typed(rows[0], r)); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return x.SaveAs(filepath.Join(dir, "big.xlsx"))
}
