package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"
	"github.com/xuri/excelize/v2"

	"github.com/regscreen/regscreen/output"
	"github.com/regscreen/regscreen/screen"
	"github.com/regscreen/regscreen/store"
)

// ChangesOptions are changes' flags.
type ChangesOptions struct {
	IO       *IOStreams
	DB       string
	Since    string
	From, To int64
	Format   string
	Output   string
}

func newChangesCmd(ios *IOStreams) *cobra.Command {
	opts := &ChangesOptions{IO: ios}
	cmd := &cobra.Command{
		Use:   "changes",
		Short: "比较两次运行：新增送会商、不再送会商、已不在名录、新登记且有命中、内容变更",
		Long: `比较存储中的两次运行（默认最近两次完成的运行），列出企业的变动：
新增送会商、不再送会商、已不在名录（上次有命中、这次不在导出中）、新登记且有命中、
内容变更（名称、经营范围、命中词或结论的前后对照）。`,
		Example: `  regscreen changes --db 全区.db
  regscreen changes --db 全区.db --since 2026-11-01 -o 变动.xlsx
  regscreen changes --db 全区.db --from 12 --to 15 --format jsonl`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runChanges(opts) },
	}
	f := cmd.Flags()
	addDBFlag(f, &opts.DB)
	f.StringVar(&opts.Since, "since", "", "与该日期（YYYY-MM-DD）之前的最后一次运行比较")
	f.Int64Var(&opts.From, "from", 0, "起始运行编号")
	f.Int64Var(&opts.To, "to", 0, "终止运行编号")
	f.StringVar(&opts.Format, "format", "", "输出格式：csv、jsonl、xlsx（默认 csv；-o 以 .xlsx 结尾时为 xlsx）")
	f.StringVarP(&opts.Output, "output", "o", "", "输出文件（默认标准输出）")
	return cmd
}

func runChanges(opts *ChangesOptions) error {
	ctx := context.Background()
	st, err := openStore(ctx, opts.DB)
	if err != nil {
		return err
	}
	defer st.Close()
	from, to, err := resolveRuns(ctx, st, opts.Since, opts.From, opts.To)
	if err != nil {
		return err
	}
	changes, err := st.Changes(ctx, from, to)
	if err != nil {
		return err
	}
	fmt.Fprintf(opts.IO.ErrOut, "运行 %d → %d：%s\n", from, to, summarize(changes))
	records := make([]any, len(changes))
	for i := range changes {
		records[i] = changes[i]
	}
	return writeTable(opts.IO.Out, opts.Output, opts.Format, "变动", changesHeader, changeRows(changes), records)
}

func resolveRuns(ctx context.Context, st *store.Store, since string, from, to int64) (int64, int64, error) {
	switch {
	case since != "":
		t, err := time.ParseInLocation("2006-01-02", since, time.Local)
		if err != nil {
			return 0, 0, fmt.Errorf("--since 应为 YYYY-MM-DD：%w", err)
		}
		if from, err = st.RunBefore(ctx, t); err != nil {
			return 0, 0, err
		}
		_, latest, err := st.LatestRuns(ctx)
		return from, latest, err
	case from != 0 || to != 0:
		if from == 0 || to == 0 {
			return 0, 0, fmt.Errorf("--from 和 --to 须同时给出")
		}
		for _, id := range []int64{from, to} {
			if err := st.CheckRun(ctx, id); err != nil {
				return 0, 0, err
			}
		}
		return from, to, nil
	}
	return st.LatestRuns(ctx)
}

func summarize(cs []store.Change) string {
	n := map[string]int{}
	for _, c := range cs {
		n[c.Kind]++
	}
	return fmt.Sprintf("%s %d，%s %d，%s %d，%s %d，%s %d", store.NewlyReferred, n[store.NewlyReferred],
		store.NewWithHits, n[store.NewWithHits], store.Changed, n[store.Changed],
		store.NoLongerReferred, n[store.NoLongerReferred], store.Gone, n[store.Gone])
}

var changesHeader = []string{"变动", "统一社会信用代码/标识", "街道（镇）", "变动前名称", "变动后名称", "变动前结论", "变动后结论",
	"变动前命中词", "变动后命中词", "变动前经营范围", "变动后经营范围", "处理状态", "会商意见"}

func changeRows(cs []store.Change) [][]string {
	var rows [][]string
	for _, c := range cs {
		b, a := c.Before, c.After
		if b == nil {
			b = &store.Snapshot{}
		}
		if a == nil {
			a = &store.Snapshot{}
		}
		rows = append(rows, []string{c.Kind, c.Key, c.Street(), b.Name, a.Name, verdictLabel(b.Verdict), verdictLabel(a.Verdict),
			b.Terms, a.Terms, b.Scope, a.Scope, c.Status, c.Opinion})
	}
	return rows
}

func verdictLabel(v string) string {
	if v == "" {
		return ""
	}
	return screen.Verdict(v).Label()
}

// writeTable writes rows as CSV, JSON Lines (one line per record) or a
// one-sheet workbook, to stdout or a file written whole.
func writeTable(stdout io.Writer, path, format, sheet string, header []string, rows [][]string, records []any) error {
	if format == "" {
		format = "csv"
		if len(path) > 5 && path[len(path)-5:] == ".xlsx" {
			format = "xlsx"
		}
	}
	out := stdout
	var file *output.AtomicFile
	if path != "" {
		f, err := output.CreateAtomic(path)
		if err != nil {
			return err
		}
		defer f.Abort()
		file, out = f, f
	}
	switch format {
	case "csv":
		w := csv.NewWriter(out)
		w.Write(header)
		w.WriteAll(rows)
		if err := w.Error(); err != nil {
			return err
		}
	case "jsonl":
		enc := json.NewEncoder(out)
		enc.SetEscapeHTML(false)
		for _, rec := range records {
			if err := enc.Encode(rec); err != nil {
				return err
			}
		}
	case "xlsx":
		if err := writeSheet(out, sheet, header, rows); err != nil {
			return err
		}
	default:
		return fmt.Errorf("不支持的输出格式 %q（可用：csv、jsonl、xlsx）", format)
	}
	if file != nil {
		return file.Commit()
	}
	return nil
}

// writeSheet writes a small table as a workbook with a frozen header and a
// filter; these reports are far below the sizes that need streaming.
func writeSheet(out io.Writer, sheet string, header []string, rows [][]string) error {
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", sheet)
	style, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "FFFFFF"},
		Fill: excelize.Fill{Type: "pattern", Color: []string{"305496"}, Pattern: 1}})
	wrap, _ := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	for i, h := range header {
		f.SetCellValue(sheet, cell(i+1, 1), h)
		width := 14.0
		if len(h) > 12 {
			width = 30
		}
		col, _ := excelize.ColumnNumberToName(i + 1)
		f.SetColWidth(sheet, col, col, width)
	}
	f.SetCellStyle(sheet, "A1", cell(len(header), 1), style)
	for r, row := range rows {
		for c, v := range row {
			f.SetCellValue(sheet, cell(c+1, r+2), v)
		}
	}
	if len(rows) > 0 {
		f.SetCellStyle(sheet, "A2", cell(len(header), len(rows)+1), wrap)
	}
	f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	f.AutoFilter(sheet, "A1:"+cell(len(header), max(len(rows)+1, 2)), nil)
	_, err := f.WriteTo(out)
	return err
}

func cell(col, row int) string {
	c, _ := excelize.CoordinatesToCellName(col, row)
	return c
}
