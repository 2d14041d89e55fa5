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

// Imported is what db import-status did with a returned workbook.
type Imported struct {
	store.ImportResult
	Problems int      // rows that cannot be imported: invalid status or date, unreadable
	Skipped  []string // sheets not read (Excel's copy 送会商 (2))
}

// Refused counts what was not imported for a reason the clerk must see.
func (im Imported) Refused() int { return im.NotFound + im.OtherName + im.Problems + len(im.Skipped) }

// ImportDecisions streams a returned workbook's decisions into the store
// in one transaction (nothing is written if any fails), telling errOut of
// each row left out, the first report.MaxProblems of them, and of each
// sheet not read; the rest are counted. source names the workbook in the
// decisions' history; now is the day of the import (a later date is
// refused).
func ImportDecisions(ctx context.Context, st *store.Store, book *report.DecisionBook, source string, now time.Time,
	errOut io.Writer) (Imported, error) {
	var res Imported
	im, err := st.BeginImport(ctx)
	if err != nil {
		return res, err
	}
	defer im.Rollback()
	told := 0
	skip := func(where, why string) {
		if told++; told <= report.MaxProblems {
			fmt.Fprintf(errOut, "%s: %s，已跳过\n", where, output.Visible(why)) // record text: no raw escapes
		}
	}
	ds, err := book.Scan(now, func(d record.Decision) error {
		d.Source, d.Imported = source, now
		switch out, stored, err := im.Add(ctx, d); {
		case err != nil:
			return err
		case out == store.NotKnown:
			skip(d.Where, "存储中没有 "+d.Key)
		case out == store.NameDiffers:
			skip(d.Where, fmt.Sprintf("企业名称“%s”与存储中信用代码 %s 的企业“%s”不符（可能排序时行错位），请核对后重填", d.Name, d.Key, stored))
		}
		return nil
	})
	if err != nil {
		return res, err
	}
	for _, p := range ds.Problems {
		skip(fmt.Sprintf("%s!%d", p.Sheet, p.Row), p.Reason)
	}
	told += ds.Problem - len(ds.Problems) // those the reader did not keep
	for _, sheet := range ds.Skipped {
		fmt.Fprintf(errOut, "工作表“%s”不是 regscreen 写出的（可能是 Excel 复制的工作表），未读取\n", output.Visible(sheet))
	}
	if res.ImportResult, err = im.Commit(ctx); err != nil {
		return res, err
	}
	if told > report.MaxProblems {
		fmt.Fprintf(errOut, "……另有 %d 行跳过，未逐行列出\n", told-report.MaxProblems)
	}
	res.Problems, res.Skipped = ds.Problem, ds.Skipped
	return res, nil
}
