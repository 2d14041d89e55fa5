package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/regscreen/regscreen/internal/cobrazh"
	"github.com/regscreen/regscreen/output"
	"github.com/regscreen/regscreen/report"
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
		Args:    cobrazh.ExactArgs(1),
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
	if opts.Format != "text" && opts.Format != "jsonl" {
		return fmt.Errorf("不支持的输出格式 %q（可用：text、jsonl）", opts.Format)
	}
	st, err := openStoreForReading(ctx, opts.DB, opts.IO)
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
		return fmt.Errorf("存储中没有 %s 的记录（按统一社会信用代码、注册号、企业名称或名称中的一段查找）", opts.ID)
	}
	if len(keys) > 1 {
		names, _ := st.LatestNames(ctx, keys) // a help to choose: without them the codes are listed
		report.WriteMatches(opts.IO.ErrOut, opts.ID, keys, names)
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
	report.WriteHistory(output.VisibleWriter(opts.IO.Out), key, entries, company, decisions)
	return nil
}
