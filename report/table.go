package report

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/regscreen/regscreen/output"
)

// Table is a small table of a report (changes, the monthly return, each
// breakdown of a workbook's summary): a header and rows whose numbers
// stay numbers, so that a workbook can add them up.
type Table struct {
	Sheet   string // the sheet it is written to on its own
	Title   string // the line above it where it shares a sheet (汇总)
	Header  []string
	Rows    [][]any // string, int or int64 cells
	Records []any   // what JSON Lines writes, one per row; nil: not offered
	// Paper is how the workbook prints it; nil: a plain table.
	Paper *Paper
	// Text writes the table for reading in a terminal (--format text);
	// nil: tab-separated.
	Text func(io.Writer) error
}

// Paper is a report's printed form (the workbook only): the title and
// what the report is based on above the table, the companies behind the
// counts and a signature line below it.
type Paper struct {
	Title string   // 2026年12月 注册登记会商变动情况
	Lines []string // under the title: the office, the runs compared
	// Printed is the number of leading columns that print (0: all); the
	// rest stay on screen.
	Printed int
	// Marked holds the cells, by row and column of Rows, to highlight: the
	// field that changed.
	Marked map[[2]int]bool
	// Excerpt maps a long-text column to the column of the terms in it:
	// a cell too long for the page prints the text around the terms, and
	// the whole text goes to a screen-only column after the others.
	Excerpt  map[int]int
	Sections []Section // after the table
	// Widths are the columns' widths, where the sections need others than
	// the table's headers give (nil: by header).
	Widths []float64
	Sign   string // the closing line
}

// Section is a titled table under a report's main one.
type Section struct {
	Title  string
	Header []string
	Rows   [][]any
}

// TableFormats are the formats WriteTable takes.
var TableFormats = []string{"csv", "jsonl", "xlsx", "text"}

// WriteTable writes t to out as CSV, JSON Lines, tab-separated text or a
// one-sheet workbook. safeCSV neutralises cells a spreadsheet would run as
// formulas (for a file a person opens).
func WriteTable(out io.Writer, format string, t *Table, safeCSV bool) error {
	if format == "text" && t.Text != nil {
		return t.Text(out)
	}
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

// TableFormat is the format a report table is written in: format, else
// path's extension, else csv. jsonl says the table offers JSON Lines; an
// unknown format is refused (before anything is read).
func TableFormat(path, format string, jsonl bool) (string, error) {
	if format == "" {
		var ok bool
		if format, ok = output.FormatOf(path); !ok {
			format = "csv"
		}
	}
	switch format {
	case "csv", "xlsx", "text":
		return format, nil
	case "jsonl":
		if jsonl {
			return format, nil
		}
		return "", fmt.Errorf("此报表的输出格式为 csv、text 或 xlsx，不支持 %q", format)
	}
	return "", fmt.Errorf("不支持的输出格式 %q（可用：csv、jsonl、text、xlsx）", format)
}

// SaveTable writes t to the file path in format, which appears whole or
// not at all; a CSV is for a person: a BOM, and formula cells
// neutralised.
func SaveTable(path, format string, t *Table) error {
	var files output.Files
	defer files.Abort()
	f, err := files.Create(path)
	if err != nil {
		return err
	}
	if format != "csv" {
		err = WriteTable(f, format, t, false)
	} else if enc, flush, err2 := output.Encoded(f, "utf-8", false); err2 != nil {
		err = err2
	} else if err = WriteTable(enc, format, t, true); err == nil {
		err = flush()
	}
	if err != nil {
		return err
	}
	return files.Commit()
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
// filter, laid out to print: A4 landscape at 100 % with the printed
// columns chosen to fit, boxed, the title and header on every page, rows
// as high as their wrapped text. These reports are far below the sizes
// that need streaming.
func writeSheet(out io.Writer, t *Table) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := t.Sheet
	f.SetSheetName("Sheet1", sheet)
	p := t.Paper
	if p == nil {
		p = &Paper{}
	}
	head, _ := f.NewStyle(headerStyle())
	wrap, _ := f.NewStyle(&excelize.Style{Border: thinBorders, Font: bodyFont(), Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	marked, _ := f.NewStyle(&excelize.Style{Border: thinBorders, Font: font(func(f *excelize.Font) { f.Bold = true }),
		Fill: excelize.Fill{Type: "pattern", Color: []string{"FFE699"}, Pattern: 1}, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	titleStyle, _ := f.NewStyle(&excelize.Style{Font: font(func(f *excelize.Font) { f.Bold, f.Size = true, titleSize }),
		Alignment: &excelize.Alignment{Vertical: "center"}})
	lineStyle, _ := f.NewStyle(&excelize.Style{Font: bodyFont(), Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}})
	sectionStyle, _ := f.NewStyle(&excelize.Style{Font: font(func(f *excelize.Font) { f.Bold = true }), Alignment: &excelize.Alignment{Vertical: "bottom"}})

	header := append([]string{}, t.Header...)
	rows := make([][]any, len(t.Rows))
	for i, r := range t.Rows {
		rows[i] = append([]any{}, r...)
	}
	widths := make([]float64, len(header))
	for i, h := range header {
		widths[i] = columnWidth(h)
		if i < len(p.Widths) {
			widths[i] = p.Widths[i]
		}
	}
	printed := len(header)
	if p.Printed > 0 {
		printed = min(p.Printed, printed)
	}
	// Long text prints around its terms; the whole of it goes on screen.
	for _, col := range sortedKeys(p.Excerpt) {
		full := false
		for _, r := range rows {
			text := cellText(r[col])
			short, _ := excerpt(text, termMarks(text, cellText(r[p.Excerpt[col]])), widths[col], printLines)
			if short != text {
				r[col], full = short, true
			}
		}
		if full {
			header = append(header, header[col]+"（全文）")
			widths = append(widths, columnWidth(header[col]))
			for i, r := range rows {
				rows[i] = append(r, t.Rows[i][col])
			}
		}
	}
	// A column beyond the printed ones is empty where a row is short.
	for i := range rows {
		for len(rows[i]) < len(header) {
			rows[i] = append(rows[i], "")
		}
	}
	for i, w := range widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		f.SetColWidth(sheet, col, col, w)
	}
	pageWidth := sum(widths[:printed])
	row := 1
	line := func(text string, style int, height float64) {
		f.SetCellValue(sheet, cell(1, row), text)
		f.MergeCell(sheet, cell(1, row), cell(printed, row))
		f.SetCellStyle(sheet, cell(1, row), cell(printed, row), style)
		f.SetRowHeight(sheet, row, height)
		row++
	}
	if p.Title != "" {
		line(p.Title, titleStyle, 26)
	}
	for _, l := range p.Lines {
		line(l, lineStyle, float64(lines(l, pageWidth))*lineHeight+4)
	}
	headRow := row
	table := func(header []string, rows [][]any, marks map[[2]int]bool) {
		hs := make([]any, len(header))
		for i, h := range header {
			f.SetCellValue(sheet, cell(i+1, row), h)
			hs[i] = h
		}
		f.SetCellStyle(sheet, cell(1, row), cell(len(header), row), head)
		f.SetRowHeight(sheet, row, max(22, rowHeight(hs, widths)))
		row++
		for r, values := range rows {
			for c, v := range values {
				f.SetCellValue(sheet, cell(c+1, row), v)
				style := wrap
				if marks[[2]int{r, c}] {
					style = marked
				}
				f.SetCellStyle(sheet, cell(c+1, row), cell(c+1, row), style)
			}
			f.SetRowHeight(sheet, row, rowHeight(values[:min(printed, len(values))], widths[:min(printed, len(values))]))
			row++
		}
	}
	table(header, rows, p.Marked)
	lastRow := row - 1
	for _, sec := range p.Sections {
		row++
		line(sec.Title, sectionStyle, 24)
		if len(sec.Rows) == 0 {
			line("（无）", lineStyle, lineHeight+4)
			continue
		}
		table(sec.Header, sec.Rows, nil)
	}
	if p.Sign != "" {
		row++
		line(p.Sign, lineStyle, 36)
	}
	f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: headRow, TopLeftCell: cell(1, headRow+1), ActivePane: "bottomLeft"})
	f.AutoFilter(sheet, cell(1, headRow)+":"+cell(len(header), max(lastRow, headRow+1)), nil)
	// The title and header on every page; with sections under the table,
	// the title only (the header is the first table's).
	pg := page{titles: headRow, cols: printed, actual: true}
	if len(p.Sections) > 0 {
		pg.titles = headRow - 1
	}
	if err := setPage(f, sheet, pg); err != nil {
		return err
	}
	if err := setPrintNames(f, sheet, pg, len(header), row-1); err != nil {
		return err
	}
	if err := setUsedRange(f, sheet); err != nil {
		return err
	}
	_, err := f.WriteTo(out)
	return err
}

// termMarks marks each occurrence in text of the terms listed in terms
// (、-separated), for an excerpt around them.
func termMarks(text, terms string) []mark {
	runes := []rune(text)
	var marks []mark
	for _, term := range strings.Split(terms, "、") {
		tr := []rune(term)
		if len(tr) == 0 {
			continue
		}
		for i := 0; i+len(tr) <= len(runes); i++ {
			if string(runes[i:i+len(tr)]) == term {
				marks = append(marks, mark{i, i + len(tr), nil})
			}
		}
	}
	return marks
}

func sortedKeys(m map[int]int) []int {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	return keys
}
