package report

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/regscreen/regscreen/input"
	"github.com/regscreen/regscreen/record"
	"github.com/regscreen/regscreen/store"
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

// Decisions is what a returned workbook holds.
type Decisions struct {
	Rows     []record.Decision // Key, the decision, and Where it was read (no Source: the caller names the workbook)
	Problems []DecisionProblem
	Sheets   int // case sheets found (送会商, 待复核, 会商已排除 and their continuations)
}

// ReadDecisions reads the 处理状态 and the columns beside it from the case
// sheets of a workbook the tool wrote and an office filled in, through the
// same streaming reader and limits as the input path. A row with no status
// is skipped; an invalid status or date, or an unreadable row, is a
// problem, not an error. 会商已排除 is read too: a clerk who changes a
// ruling there expects it to count.
func ReadDecisions(path string) (*Decisions, error) {
	wb, err := input.OpenWorkbook(path)
	if err != nil {
		return nil, err
	}
	defer wb.Close()
	valid := map[string]bool{}
	for _, s := range record.StatusChoices {
		valid[s] = true
	}
	out := &Decisions{}
	for _, sheet := range wb.Sheets() {
		if !strings.HasPrefix(sheet, SheetRefer) && !strings.HasPrefix(sheet, SheetReview) && !strings.HasPrefix(sheet, SheetExcluded) {
			continue
		}
		out.Sheets++
		if err := readDecisionSheet(wb, sheet, valid, out); err != nil {
			return nil, err
		}
	}
	if out.Sheets == 0 {
		return nil, fmt.Errorf("没有“%s”或“%s”工作表，不是 regscreen 写出的会商工作簿", SheetRefer, SheetReview)
	}
	return out, nil
}

func readDecisionSheet(wb *input.Workbook, sheet string, valid map[string]bool, out *Decisions) error {
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
	for {
		row, err := src.Next()
		if err == io.EOF {
			return nil
		}
		if re, ok := input.IsRowError(err); ok {
			out.Problems = append(out.Problems, DecisionProblem{sheet, re.Line, re.Reason})
			continue
		}
		if err != nil {
			return fmt.Errorf("工作表 %s: %w", sheet, err)
		}
		if re := src.CheckRow(&row); re != nil {
			out.Problems = append(out.Problems, DecisionProblem{sheet, re.Line, re.Reason})
			continue
		}
		get := func(name string) string { return strings.TrimSpace(row.Cell(col[name])) }
		d := record.Decision{Key: record.Key(get(ColID), get(ColName)), Where: fmt.Sprintf("%s!%d", sheet, row.Line),
			Status: get(ColStatus), Opinion: get(ColOpinion), Handler: get(ColHandler)}
		date, dateOK := parseDate(get(ColDate))
		switch {
		case d.Status == "":
			continue
		case !valid[d.Status]:
			out.Problems = append(out.Problems, DecisionProblem{sheet, row.Line, fmt.Sprintf("处理状态 %q 不在 %s 之中", d.Status, strings.Join(record.StatusChoices, "、"))})
		case !dateOK:
			// The latest decision is the one in force: a date that cannot be
			// ordered must not be guessed at.
			out.Problems = append(out.Problems, DecisionProblem{sheet, row.Line,
				fmt.Sprintf("日期“%s”无法识别，请写成 2026-12-05 这样的日期，或留空（按导入当天）", get(ColDate))})
		default:
			d.Date = date
			out.Rows = append(out.Rows, d)
		}
	}
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

// Imported is what importing a returned workbook did.
type Imported struct {
	*Decisions
	store.ImportResult
	Where map[string]string // each decision's key → where it was read (sheet!row)
}

// ReadImport reads the decisions in the workbook at path, named source
// and imported at now, for Store: db import-status and the server's upload
// share it. The workbook is read before the store is opened, so that a
// wrong file is named as such whatever the store.
func ReadImport(path, source string, now time.Time) (*Imported, error) {
	ds, err := ReadDecisions(path)
	if err != nil {
		return nil, err // names the file already
	}
	out := &Imported{Decisions: ds, Where: map[string]string{}}
	for i := range ds.Rows {
		d := &ds.Rows[i]
		out.Where[d.Key] = d.Where
		d.Source, d.Imported = source, now
	}
	return out, nil
}

// Store records the decisions in st.
func (im *Imported) Store(ctx context.Context, st *store.Store) (err error) {
	im.ImportResult, err = st.ImportDecisions(ctx, im.Rows)
	return err
}
