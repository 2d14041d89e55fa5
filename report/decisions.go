package report

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/regscreen/regscreen/input"
	"github.com/regscreen/regscreen/record"
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

// DecisionProblem is a filled-in row that cannot be imported.
type DecisionProblem struct {
	Sheet  string
	Row    int
	Reason string
}

// MaxProblems bounds the problems a read keeps to show: a 300 KB workbook
// can hold a million bad rows (the count is kept whole).
const MaxProblems = 1000

// Decisions is what a read of a returned workbook found.
type Decisions struct {
	Rows     []record.Decision // ReadDecisions only: Key, Name, the decision, and Where it was read (no Source: the caller names the workbook)
	Problems []DecisionProblem // the first MaxProblems
	Problem  int               // rows that cannot be imported, kept or not
	Read     int               // decisions passed on
	Sheets   int               // case sheets read (送会商, 待复核, 会商排除 and their continuations)
	// Skipped are sheets named like a case sheet that the tool never
	// writes, such as Excel's copy 送会商 (2): a copy kept for reference
	// must not override the ruling on the sheet itself.
	Skipped []string
}

func (d *Decisions) problem(sheet string, row int, reason string) {
	d.Problem++
	if len(d.Problems) < MaxProblems {
		d.Problems = append(d.Problems, DecisionProblem{sheet, row, reason})
	}
}

// caseSheet matches the case sheets' names as the tool writes them, or
// wrote them (SheetExcludedOld): the sheet, or a continuation past Excel's
// row limit, 送会商(2).
var caseSheet = regexp.MustCompile(`^(` + SheetRefer + `|` + SheetReview + `|` + SheetExcluded + `|` + SheetExcludedOld +
	`)(\((?:[2-9]|[1-9]\d+)\))?$`)

// ReadDecisions reads a whole returned workbook into Rows, as of today:
// for small workbooks (tests); db import-status streams with ScanDecisions.
func ReadDecisions(path string) (*Decisions, error) {
	var rows []record.Decision
	ds, err := ScanDecisions(path, time.Now(), func(d record.Decision) error {
		rows = append(rows, d)
		return nil
	})
	if ds != nil {
		ds.Rows = rows
	}
	return ds, err
}

// DecisionBook is a returned workbook opened and found to hold case
// sheets, so that a file that is none is refused before the store is
// opened.
type DecisionBook struct {
	wb      *input.Workbook
	sheets  []string // the case sheets, as the tool names them
	skipped []string // named like one, but not as the tool names them
}

// OpenDecisions opens a returned workbook (see ScanDecisions).
func OpenDecisions(path string) (*DecisionBook, error) {
	wb, err := input.OpenWorkbook(path)
	if err != nil {
		return nil, err
	}
	b := &DecisionBook{wb: wb}
	for _, sheet := range wb.Sheets() {
		name := strings.TrimSpace(sheet)
		switch {
		case caseSheet.MatchString(sheet):
			b.sheets = append(b.sheets, sheet)
		case strings.HasPrefix(name, SheetRefer) || strings.HasPrefix(name, SheetReview) || strings.HasPrefix(name, SheetExcluded) ||
			strings.HasPrefix(name, SheetExcludedOld):
			b.skipped = append(b.skipped, sheet)
		}
	}
	if len(b.sheets) == 0 {
		wb.Close()
		return nil, fmt.Errorf("没有“%s”或“%s”工作表，不是 regscreen 写出的会商工作簿", SheetRefer, SheetReview)
	}
	return b, nil
}

// Close closes the workbook.
func (b *DecisionBook) Close() error { return b.wb.Close() }

// ScanDecisions reads the 处理状态 and the columns beside it from the case
// sheets of a workbook the tool wrote and an office filled in, through the
// same streaming reader and limits as the input path, and hands each
// decision to each as it is read, so that memory stays bounded whatever
// the workbook. A row with no status is skipped; an invalid status, a
// date that cannot be read or is after today, or an unreadable row, is a
// problem, not an error. 会商排除 is read too (会商已排除 in workbooks
// written before): a clerk who changes a ruling there expects it to count. Only sheets named as the tool names
// them are read (the others like them are listed in Skipped).
func ScanDecisions(path string, today time.Time, each func(record.Decision) error) (*Decisions, error) {
	b, err := OpenDecisions(path)
	if err != nil {
		return nil, err
	}
	defer b.Close()
	return b.Scan(today, each)
}

// Scan reads the decisions (see ScanDecisions).
func (b *DecisionBook) Scan(today time.Time, each func(record.Decision) error) (*Decisions, error) {
	valid := map[string]bool{}
	for _, s := range record.StatusChoices {
		valid[s] = true
	}
	out := &Decisions{Skipped: b.skipped}
	r := decisionReader{valid: valid, today: today.Format(time.DateOnly), each: each, out: out}
	for _, sheet := range b.sheets {
		out.Sheets++
		if err := r.sheet(b.wb, sheet); err != nil {
			return out, err
		}
	}
	return out, nil
}

type decisionReader struct {
	valid map[string]bool
	today string // YYYY-MM-DD
	each  func(record.Decision) error
	out   *Decisions
}

func (r *decisionReader) sheet(wb *input.Workbook, sheet string) error {
	src, err := wb.Sheet(sheet, false)
	if errors.Is(err, input.ErrEmpty) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("工作表 %s: %w", sheet, err)
	}
	defer src.Close()
	header := src.Header()
	col := map[string]int{}
	for _, name := range []string{ColID, ColName, ColStatus, ColOpinion, ColHandler, ColDate} {
		col[name] = input.HeaderIndex(header, name)
	}
	if col[ColStatus] < 0 {
		return fmt.Errorf("工作表 %s 没有“%s”列", sheet, ColStatus)
	}
	out := r.out
	for {
		row, err := src.Next()
		if err == io.EOF {
			return nil
		}
		if re, ok := input.IsRowError(err); ok {
			out.problem(sheet, re.Line, re.Reason)
			continue
		}
		if err != nil {
			return fmt.Errorf("工作表 %s: %w", sheet, err)
		}
		if re := src.CheckRow(&row); re != nil {
			out.problem(sheet, re.Line, re.Reason)
			continue
		}
		get := func(name string) string { return strings.TrimSpace(row.Cell(col[name])) }
		d := record.Decision{Key: record.Key(get(ColID), get(ColName)), Name: get(ColName),
			Where: fmt.Sprintf("%s!%d", sheet, row.Line), Status: get(ColStatus), Opinion: get(ColOpinion), Handler: get(ColHandler)}
		date, dateOK := parseDate(get(ColDate))
		switch {
		case d.Status == "":
			continue
		case get(ColID) == "" && d.Name == "":
			// A status typed on the blank row under the table belongs to no
			// company: said, not taken for one the store lacks.
			out.problem(sheet, row.Line, fmt.Sprintf("处理状态“%s”所在的行没有企业名称和统一社会信用代码，对应不到企业：请写在该企业所在的行", clip(d.Status)))
		case !r.valid[d.Status]:
			out.problem(sheet, row.Line, fmt.Sprintf("处理状态“%s”不在 %s 之中", clip(d.Status), strings.Join(record.StatusChoices, "、")))
		case !dateOK:
			// The latest decision is the one in force: a date that cannot be
			// ordered must not be guessed at.
			out.problem(sheet, row.Line, fmt.Sprintf("日期“%s”无法识别，请写成 2026-12-05 这样的日期，或留空（按导入当天）", clip(get(ColDate))))
		case date > r.today:
			// A typo'd year (2062) would keep this ruling in force over
			// every later one for decades.
			out.problem(sheet, row.Line, fmt.Sprintf("日期 %s 晚于今天（%s），请改正日期，或留空（按导入当天）", date, r.today))
		default:
			d.Date = date
			out.Read++
			if err := r.each(d); err != nil {
				return err
			}
		}
	}
}

// clip shortens a cell quoted in a message: a 1 MiB cell shared by a
// million rows must not be copied into each row's message.
func clip(s string) string {
	const most = 40
	n := 0
	for i := range s {
		if n == most {
			return s[:i] + "…"
		}
		n++
	}
	return s
}

// dateForms are the ways a clerk writes a date in a cell typed as text; a
// date cell reaches us as 2006-01-02, with a time when it has one.
var dateForms = []string{"2006-1-2", "2006/1/2", "2006.1.2", "2006年1月2日", "20060102"}

// parseDate reads a 日期 cell as YYYY-MM-DD, so that decisions order by
// date (text such as 昨天 or 12月7日 sorted as text put the wrong one in
// force); "" stays "" (the day of the import).
func parseDate(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", true
	}
	if i := strings.IndexAny(s, " T"); i > 0 { // a date cell's time
		s = s[:i]
	}
	for _, form := range dateForms {
		if t, err := time.Parse(form, s); err == nil && t.Year() >= 1990 && t.Year() < 2200 {
			return t.Format(time.DateOnly), true
		}
	}
	return "", false
}
