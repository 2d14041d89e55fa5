package run

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/regscreen/regscreen/output"
	"github.com/regscreen/regscreen/record"
	"github.com/regscreen/regscreen/report"
	"github.com/regscreen/regscreen/store"
)

// Imported is what importing a returned workbook did.
type Imported struct {
	store.ImportResult
	Problems int      // rows that cannot be imported: invalid status or date, unreadable
	Skipped  []string // sheets not read (Excel's copy 送会商 (2))
	Untold   int      // rows left out past report.MaxProblems, counted, not told
}

// Skip is a row, or a whole sheet, that an import left out, and why.
type Skip struct {
	Where string // sheet!row, or the sheet's name
	Why   string
	Key   string // the company's key, when the store has no such company
	Sheet bool   // a sheet not read
}

// Summary is the line db import-status ends with: what was imported and
// what was left out, and how many of those were not told one by one.
func (im Imported) Summary() string {
	line := fmt.Sprintf("导入会商结论 %d 条（其中 %d 条为该企业最新的结论）；与已有结论相同 %d 条；存储中找不到 %d 条；企业名称不符 %d 条；状态无效或读不出跳过 %d 条",
		im.Stored, im.InForce, im.Duplicates, im.NotFound, im.OtherName, im.Problems)
	if im.Untold > 0 {
		line += fmt.Sprintf("（跳过的行中另有 %d 行未逐行列出）", im.Untold)
	}
	return line
}

// PrintSkips tells w of each skip, one line each, as db import-status
// does; record text is shown, its control characters never obeyed.
func PrintSkips(w io.Writer) func(Skip) {
	return func(s Skip) {
		if s.Sheet {
			fmt.Fprintf(w, "工作表“%s”%s\n", output.Visible(s.Where), s.Why)
		} else {
			fmt.Fprintf(w, "%s: %s，已跳过\n", s.Where, output.Visible(s.Why))
		}
	}
}

// Refused counts what was not imported for a reason the clerk must see.
func (im Imported) Refused() int { return im.NotFound + im.OtherName + im.Problems + len(im.Skipped) }

// ImportDecisions streams a returned workbook's decisions into the store
// in one transaction (nothing is written if any fails), telling tell of
// each row left out, the first report.MaxProblems of them, and of each
// sheet not read; the rest are counted (db import-status prints them, the
// server returns them). source names the workbook in the
// decisions' history; now is the day of the import (a later date is
// refused).
func ImportDecisions(ctx context.Context, st *store.Store, book *report.DecisionBook, source string, now time.Time,
	tell func(Skip)) (Imported, error) {
	var res Imported
	im, err := st.BeginImport(ctx)
	if err != nil {
		return res, err
	}
	defer im.Rollback()
	told := 0
	skip := func(s Skip) {
		if told++; told <= report.MaxProblems {
			tell(s)
		}
	}
	ds, err := book.Scan(now, func(d record.Decision) error {
		d.Source, d.Imported = source, now
		switch out, stored, err := im.Add(ctx, d); {
		case err != nil:
			return err
		case out == store.NotKnown:
			skip(Skip{Where: d.Where, Why: "存储中没有 " + d.Key, Key: d.Key})
		case out == store.NameDiffers:
			skip(Skip{Where: d.Where, Why: fmt.Sprintf("企业名称“%s”与存储中信用代码 %s 的企业“%s”不符（可能排序时行错位），请核对后重填", d.Name, d.Key, stored)})
		}
		return nil
	})
	if err != nil {
		return res, err
	}
	for _, p := range ds.Problems {
		skip(Skip{Where: fmt.Sprintf("%s!%d", p.Sheet, p.Row), Why: p.Reason})
	}
	told += ds.Problem - len(ds.Problems) // those the reader did not keep
	for _, sheet := range ds.Skipped {
		tell(Skip{Where: sheet, Why: "不是 regscreen 写出的（可能是 Excel 复制的工作表），未读取", Sheet: true})
	}
	if res.ImportResult, err = im.Commit(ctx); err != nil {
		return res, err
	}
	res.Problems, res.Skipped, res.Untold = ds.Problem, ds.Skipped, max(told-report.MaxProblems, 0)
	return res, nil
}
