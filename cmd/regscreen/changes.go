package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/regscreen/regscreen/report"
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
内容变更（名称、经营范围、命中词或结论的前后对照）。每家企业只列一行。`,
		Example: `  regscreen changes --db 全区.db
  regscreen changes --db 全区.db --since 2026-11-01 -o 变动.xlsx
  regscreen changes --db 全区.db --from 12 --to 15 --format jsonl`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runChanges(opts) },
	}
	f := cmd.Flags()
	addDBFlag(f, &opts.DB, false)
	f.StringVar(&opts.Since, "since", "", "与该日期（YYYY-MM-DD）之前的最后一次运行比较")
	f.Int64Var(&opts.From, "from", 0, "起始运行编号")
	f.Int64Var(&opts.To, "to", 0, "终止运行编号")
	f.StringVar(&opts.Format, "format", "", "输出格式：csv、jsonl、text 或 xlsx（默认按 -o 的扩展名，否则 csv）")
	f.StringVarP(&opts.Output, "output", "o", "", "输出文件（默认标准输出）")
	completeValues(cmd, "format", "csv", "jsonl", "text", "xlsx")
	return cmd
}

func runChanges(opts *ChangesOptions) error {
	ctx := context.Background()
	format, err := report.TableFormat(opts.Output, opts.Format, true)
	if err != nil {
		return err
	}
	var since time.Time
	if opts.Since != "" {
		var err error
		if since, err = parseDate("--since", opts.Since); err != nil {
			return err
		}
	}
	switch from, to := opts.From, opts.To; {
	case (from != 0 || to != 0) && (from == 0 || to == 0):
		return fmt.Errorf("--from 和 --to 须同时给出")
	case from != 0 && from >= to:
		return fmt.Errorf("--from %d 须早于 --to %d（运行编号见 db runs）", from, to)
	}
	st, err := openStoreForReading(ctx, opts.DB, opts.IO)
	if err != nil {
		return err
	}
	defer st.Close()
	from, to, err := st.CompareRuns(ctx, since, opts.From, opts.To)
	if err != nil {
		return err
	}
	changes, err := st.Changes(ctx, from, to)
	if err != nil {
		return err
	}
	runs, err := st.Runs(ctx)
	if err != nil {
		return err
	}
	summary := report.ChangesSummary(changes)
	fmt.Fprintf(opts.IO.ErrOut, "运行 %d → %d：%s%s\n", from, to, summary, report.DictDiffers(runs, from, to))
	t := report.Changes(changes)
	t.Paper.Title = report.District() + t.Paper.Title
	t.Paper.Lines = []string{report.RunsCompared(runs, from, to), summary}
	return writeReport(opts.IO, opts.Output, format, t)
}
