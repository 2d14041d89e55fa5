package report

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"

	"github.com/regscreen/regscreen/output"
)

// Table is a small report (changes, the monthly return): a header and
// rows whose numbers stay numbers, so that a workbook can add them up.
type Table struct {
	Sheet   string
	Header  []string
	Rows    [][]any // string, int or int64 cells
	Records []any   // what JSON Lines writes, one per row; nil: not offered
}

// TableFormats are the formats WriteTable takes.
var TableFormats = []string{"csv", "jsonl", "xlsx", "text"}

// WriteTable writes t to out as CSV, JSON Lines, tab-separated text or a
// one-sheet workbook. safeCSV neutralises cells a spreadsheet would run as
// formulas (for a file a person opens).
func WriteTable(out io.Writer, format string, t *Table, safeCSV bool) error {
	switch format {
	case "csv", "text":
		w := csv.NewWriter(out)
		if format == "text" {
			w.Comma = '\t'
		}
		// Text is for a terminal: control characters shown (Visible). A
		// file a person opens gets no formulas, the header row included.
		show := func(s string) string {
			if format == "text" {
				return output.Visible(s)
			}
			if safeCSV {
				return output.SafeCell(s)
			}
			return s
		}
		header := make([]string, len(t.Header))
		for i, h := range t.Header {
			header[i] = show(h)
		}
		w.Write(header)
		for _, row := range t.Rows {
			cells := make([]string, len(row))
			for i, v := range row {
				cells[i] = cellText(v)
				if _, text := v.(string); text {
					cells[i] = show(cells[i])
				}
			}
			w.Write(cells)
		}
		w.Flush()
		return w.Error()
	case "jsonl":
		if t.Records == nil {
			return fmt.Errorf("此报表不提供 jsonl 格式（可用：csv、xlsx）")
		}
		enc := json.NewEncoder(out)
		enc.SetEscapeHTML(false)
		for _, rec := range t.Records {
			if err := enc.Encode(rec); err != nil {
				return err
			}
		}
		return nil
	case "xlsx":
		return writeSheet(out, t)
	}
	return fmt.Errorf("不支持的输出格式 %q（可用：csv、jsonl、xlsx、text）", format)
}

func cellText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	}
	return fmt.Sprint(v)
}

// writeSheet writes a small table as a workbook with a frozen header and a
// filter, laid out to print: A4 landscape, one page wide, the header on
// every page, rows as high as their wrapped text. These reports are far
// below the sizes that need streaming.
func writeSheet(out io.Writer, t *Table) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := t.Sheet
	f.SetSheetName("Sheet1", sheet)
	style, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "FFFFFF"},
		Fill:      excelize.Fill{Type: "pattern", Color: []string{"305496"}, Pattern: 1},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}})
	wrap, _ := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	widths := make([]float64, len(t.Header))
	head := make([]any, len(t.Header))
	for i, h := range t.Header {
		f.SetCellValue(sheet, cell(i+1, 1), h)
		widths[i] = columnWidth(h)
		head[i] = h
		col, _ := excelize.ColumnNumberToName(i + 1)
		f.SetColWidth(sheet, col, col, widths[i])
	}
	f.SetCellStyle(sheet, "A1", cell(len(t.Header), 1), style)
	f.SetRowHeight(sheet, 1, max(22, rowHeight(head, widths)))
	for r, row := range t.Rows {
		for c, v := range row {
			f.SetCellValue(sheet, cell(c+1, r+2), v)
		}
		f.SetRowHeight(sheet, r+2, rowHeight(row, widths))
	}
	if len(t.Rows) > 0 {
		f.SetCellStyle(sheet, "A2", cell(len(t.Header), len(t.Rows)+1), wrap)
	}
	f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	f.AutoFilter(sheet, "A1:"+cell(len(t.Header), max(len(t.Rows)+1, 2)), nil)
	p := page{titles: 1}
	if err := setPage(f, sheet, p); err != nil {
		return err
	}
	if err := setPrintNames(f, sheet, p, len(t.Header), len(t.Rows)+1); err != nil {
		return err
	}
	_, err := f.WriteTo(out)
	return err
}
