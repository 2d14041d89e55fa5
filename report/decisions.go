package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Column names that db import-status reads back from a returned workbook.
const (
	ColID      = "统一社会信用代码"
	ColName    = "企业名称"
	ColStatus  = "处理状态"
	ColOpinion = "会商意见"
	ColHandler = "经办人"
	ColDate    = "日期"
)

// DecisionRow is one decision filled in on a returned workbook.
type DecisionRow struct {
	Sheet   string
	Row     int // 1-based sheet row
	ID      string
	Name    string
	Status  string
	Opinion string
	Handler string
	Date    string
}

// DecisionProblem is a filled-in row that cannot be imported.
type DecisionProblem struct {
	Sheet  string
	Row    int
	Reason string
}

// Decisions is what a returned workbook holds.
type Decisions struct {
	Rows     []DecisionRow
	Problems []DecisionProblem
	Sheets   int // case sheets found (送会商, 待复核 and their continuations)
}

// maxDecisionXML bounds the inflated size of a returned workbook's parts,
// so a small hostile file cannot take the memory.
const maxDecisionXML = 512 << 20

// ReadDecisions reads the 处理状态 and the columns beside it from the case
// sheets of a workbook the tool wrote and an office filled in. A row with
// no status is skipped; an invalid status is a problem, not an error.
func ReadDecisions(r io.ReaderAt, size int64) (*Decisions, error) {
	f, err := excelize.OpenReader(io.NewSectionReader(r, 0, size), excelize.Options{UnzipXMLSizeLimit: maxDecisionXML, UnzipSizeLimit: maxDecisionXML})
	if err != nil {
		return nil, fmt.Errorf("不是可读的 Excel 工作簿（.xlsx），请给出 regscreen 写出、会商后填好的工作簿")
	}
	defer f.Close()
	valid := map[string]bool{}
	for _, s := range StatusChoices {
		valid[s] = true
	}
	out := &Decisions{}
	for _, sheet := range f.GetSheetList() {
		if !strings.HasPrefix(sheet, SheetRefer) && !strings.HasPrefix(sheet, SheetReview) {
			continue
		}
		out.Sheets++
		if err := readDecisionSheet(f, sheet, valid, out); err != nil {
			return nil, err
		}
	}
	if out.Sheets == 0 {
		return nil, fmt.Errorf("没有“%s”或“%s”工作表，不是 regscreen 写出的会商工作簿", SheetRefer, SheetReview)
	}
	return out, nil
}

func readDecisionSheet(f *excelize.File, sheet string, valid map[string]bool, out *Decisions) error {
	rows, err := f.Rows(sheet)
	if err != nil {
		return fmt.Errorf("工作表 %s: %w", sheet, err)
	}
	defer rows.Close()
	col := map[string]int{}
	n := 0
	for rows.Next() {
		n++
		row, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return fmt.Errorf("工作表 %s 第 %d 行: %w", sheet, n, err)
		}
		if n == 1 {
			for i, h := range row {
				col[strings.TrimSpace(h)] = i
			}
			if _, ok := col[ColStatus]; !ok {
				return fmt.Errorf("工作表 %s 没有“%s”列", sheet, ColStatus)
			}
			continue
		}
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(row) {
				return strings.TrimSpace(row[i])
			}
			return ""
		}
		d := DecisionRow{Sheet: sheet, Row: n, ID: get(ColID), Name: get(ColName), Status: get(ColStatus),
			Opinion: get(ColOpinion), Handler: get(ColHandler), Date: dateText(get(ColDate))}
		switch {
		case d.Status == "":
			continue
		case !valid[d.Status]:
			out.Problems = append(out.Problems, DecisionProblem{sheet, n, fmt.Sprintf("处理状态 %q 不在 %s 之中", d.Status, strings.Join(StatusChoices, "、"))})
		default:
			out.Rows = append(out.Rows, d)
		}
	}
	return rows.Error()
}

// dateText turns a date cell's serial number (how Excel stores a date typed
// into a cell) into YYYY-MM-DD; text stays as it was typed.
func dateText(s string) string {
	if v, err := strconv.ParseFloat(s, 64); err == nil && v > 0 && v < 2958466 {
		if t, err := excelize.ExcelDateToTime(v, false); err == nil {
			return t.Format("2006-01-02")
		}
	}
	return s
}
