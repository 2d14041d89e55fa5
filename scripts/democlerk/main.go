// Command democlerk fills in a consultation workbook the way the office
// returns it, for the screenshots demo (scripts/screenshots.sh): the
// first referred company ruled 排除, the second put under key supervision,
// the first for review ruled 排除. Not part of the tool.
//
//	go run ./scripts/democlerk 会商名单.xlsx
package main

import (
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/regscreen/regscreen/record"
	"github.com/regscreen/regscreen/report"
)

type decision struct {
	sheet           string
	row             int
	status, opinion string
	handler         string
	date            time.Time
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "用法：democlerk 会商工作簿.xlsx")
		os.Exit(2)
	}
	if err := fill(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "democlerk:", err)
		os.Exit(2)
	}
}

func fill(path string) error {
	f, err := excelize.OpenFile(path)
	if err != nil {
		return err
	}
	defer f.Close()
	day := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	for _, d := range []decision{
		{report.SheetRefer, 2, record.StatusExcluded, "系企业管理咨询，不从事理财业务，经会商排除", "王芳", day},
		{report.SheetRefer, 3, record.StatusSupervised, "股东背景复杂，列入重点监管，季度回访", "李强", day.AddDate(0, 0, 1)},
		{report.SheetReview, 2, record.StatusExcluded, "二手车交易市场，非交易场所", "王芳", day},
	} {
		rows, err := f.GetRows(d.sheet)
		head := 0 // the header row, under the title
		for err == nil && head < len(rows) && !slices.Contains(rows[head], report.ColName) {
			head++
		}
		if err != nil || len(rows) < head+d.row+1 {
			continue // the demo input has fewer rows than the demo decisions
		}
		for name, v := range map[string]any{report.ColStatus: d.status, report.ColOpinion: d.opinion,
			report.ColHandler: d.handler, report.ColDate: d.date} {
			for i, h := range rows[head] {
				if h == name {
					c, _ := excelize.CoordinatesToCellName(i+1, head+d.row)
					if err := f.SetCellValue(d.sheet, c, v); err != nil {
						return err
					}
				}
			}
		}
	}
	return f.Save()
}
