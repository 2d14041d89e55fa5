package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/regscreen/regscreen/output"
	"github.com/regscreen/regscreen/report"
	"github.com/regscreen/regscreen/screen"
	"github.com/regscreen/regscreen/store"
)

// HistoryOptions are history's flags.
type HistoryOptions struct {
	IO     *IOStreams
	DB     string
	ID     string
	Format string
}

func newHistoryCmd(ios *IOStreams) *cobra.Command {
	opts := &HistoryOptions{IO: ios}
	cmd := &cobra.Command{
		Use:     "history 统一社会信用代码|注册号|企业名称",
		Short:   "一家企业在历次运行中的记录",
		Example: `  regscreen history --db 全区.db 91330205AY4CL12THT`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.ID = args[0]
			return runHistory(opts)
		},
	}
	addDBFlag(cmd.Flags(), &opts.DB, false)
	cmd.Flags().StringVar(&opts.Format, "format", "text", "输出格式：text 或 jsonl")
	completeValues(cmd, "format", "text", "jsonl")
	return cmd
}

func runHistory(opts *HistoryOptions) error {
	ctx := context.Background()
	st, err := openStoreForReading(ctx, opts.DB, opts.IO.ErrOut)
	if err != nil {
		return err
	}
	defer st.Close()
	// The argument is a credit code or an exact company name.
	keys, err := st.FindKeys(ctx, opts.ID)
	if err != nil {
		return err
	}
	if len(keys) == 0 {
		return fmt.Errorf("存储中没有 %s 的记录（按统一社会信用代码、注册号或完整的企业名称查找）", opts.ID)
	}
	if len(keys) > 1 {
		fmt.Fprintf(opts.IO.ErrOut, "名称 %s 对应 %d 家企业（%s），以下是第一家；请用统一社会信用代码查询\n", opts.ID, len(keys), output.Visible(strings.Join(keys, "、")))
	}
	key := keys[0]
	entries, company, err := st.History(ctx, key)
	if err != nil {
		return err
	}
	decisions, err := st.DecisionHistory(ctx, key)
	if err != nil {
		return err
	}
	if opts.Format == "jsonl" {
		enc := json.NewEncoder(opts.IO.Out)
		enc.SetEscapeHTML(false)
		for _, e := range entries {
			if err := enc.Encode(e); err != nil {
				return err
			}
		}
		return nil
	}
	writeHistory(output.VisibleWriter(opts.IO.Out), key, entries, company, decisions)
	return nil
}

// writeHistory prints a company's runs and decisions for a person.
func writeHistory(w io.Writer, key string, entries []store.HistoryEntry, company *store.Change, decisions []store.Decision) {
	fmt.Fprintf(w, "%s", key)
	if company != nil && company.Status != "" {
		fmt.Fprintf(w, "  处理状态：%s", company.Status)
		if company.Opinion != "" {
			fmt.Fprintf(w, "（%s）", company.Opinion)
		}
	}
	fmt.Fprintln(w)
	for _, d := range decisions {
		fmt.Fprintf(w, "会商结论 %s  %s  经办人 %s  %s  来自 %s\n", d.Date, d.Status, d.Handler, d.Opinion, d.Source)
	}
	for _, e := range entries {
		fmt.Fprintf(w, "运行 %d  %s  ", e.Run, localTime(e.Started))
		switch {
		case !e.Present:
			fmt.Fprintln(w, "不在导出中")
			continue
		case e.Record == nil:
			// No occurrence at all: the verdict every other output words so.
			fmt.Fprint(w, screen.Clear.Label())
			if e.Text != nil {
				fmt.Fprintf(w, "  %s", e.Text.Name)
			}
		default:
			fmt.Fprintf(w, "%s  %s  命中：%s", report.VerdictLabel(e.Record.Verdict), e.Record.Name, e.Record.Terms)
		}
		if e.Changed {
			fmt.Fprint(w, "  （名称或经营范围有变更）")
		}
		fmt.Fprintln(w)
	}
}
