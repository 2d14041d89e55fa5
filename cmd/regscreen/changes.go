package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/regscreen/regscreen/report"
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
	if err := checkTableFormat(opts.Output, opts.Format, true); err != nil {
		return err
	}
	if opts.Since != "" {
		if _, err := parseDate("--since", opts.Since); err != nil {
			return err
		}
	}
	st, err := openStoreForReading(ctx, opts.DB, opts.IO.ErrOut)
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
	t := report.Changes(changes)
	compared, err := runsCompared(ctx, st, from, to)
	if err != nil {
		return err
	}
	t.Paper.Title = district() + t.Paper.Title
	t.Paper.Lines = []string{compared, summarize(changes)}
	return writeReport(opts.IO, opts.Output, opts.Format, t)
}

// runsCompared says which runs a report compares, with their start times.
func runsCompared(ctx context.Context, st *store.Store, from, to int64) (string, error) {
	runs, err := st.Runs(ctx)
	if err != nil {
		return "", err
	}
	when := map[int64]string{}
	for _, r := range runs {
		when[r.ID] = localTime(r.Started)
	}
	if from == 0 {
		return fmt.Sprintf("运行 %d（%s），此前无运行", to, when[to]), nil
	}
	return fmt.Sprintf("比较运行 %d（%s）与运行 %d（%s）", from, when[from], to, when[to]), nil
}

func resolveRuns(ctx context.Context, st *store.Store, since string, from, to int64) (int64, int64, error) {
	switch {
	case since != "":
		t, err := parseDate("--since", since)
		if err != nil {
			return 0, 0, err
		}
		if from, err = st.EarlierRun(ctx, t); err != nil {
			return 0, 0, err
		}
		_, latest, err := st.LatestRuns(ctx)
		return from, latest, err
	case from != 0 || to != 0:
		if from == 0 || to == 0 {
			return 0, 0, fmt.Errorf("--from 和 --to 须同时给出")
		}
		if from >= to {
			return 0, 0, fmt.Errorf("--from %d 须早于 --to %d（运行编号见 db runs）", from, to)
		}
		for _, id := range []int64{from, to} {
			if err := st.CheckRun(ctx, id); err != nil {
				return 0, 0, err
			}
		}
		return from, to, nil
	}
	from, to, err := st.LatestRuns(ctx)
	if err == nil && from == 0 {
		// Compared with nothing, every company with a hit would be listed
		// as new: after a prune, long-standing ones too.
		return 0, 0, fmt.Errorf("存储中只有一次完成的运行（运行 %d），无从比较；下一次 scan --db 之后再看变动（运行列表见 db runs）", to)
	}
	return from, to, err
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
