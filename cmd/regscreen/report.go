package main

import (
	"cmp"
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/regscreen/regscreen/dict"
	"github.com/regscreen/regscreen/report"
)

// MonthlyOptions are `report monthly`'s flags.
type MonthlyOptions struct {
	IO     *IOStreams
	Dict   *DictOptions // for the order of the streets
	DB     string
	Month  string
	Format string
	Output string
}

func newReportCmd(ios *IOStreams, dictOpts *DictOptions) *cobra.Command {
	cmd := &cobra.Command{Use: "report", Short: "报表：按月报送的变动情况"}
	opts := &MonthlyOptions{IO: ios, Dict: dictOpts}
	monthly := &cobra.Command{
		Use:   "monthly",
		Short: "月报：按街道（镇）列出月末送会商数、本月新增、移出、变更、列入重点监管",
		Long: `按实施方案七.1“每月 3 日前报送上月变动情况”的要求，比较上月末与本月末的运行，按街道（镇）汇总：
月末送会商企业数、本月新增、本月移出、本月变更、其中列入重点监管的企业数。`,
		Example: `  regscreen report monthly --db 全区.db --month 2026-10 -o 2026年10月变动月报.xlsx`,
		Args:    cobra.NoArgs,
		RunE:    func(cmd *cobra.Command, args []string) error { return runMonthly(opts) },
	}
	f := monthly.Flags()
	addDBFlag(f, &opts.DB, false)
	f.StringVar(&opts.Month, "month", "", "月份 YYYY-MM（默认上个月）")
	f.StringVar(&opts.Format, "format", "", "输出格式：csv 或 xlsx（默认 csv；-o 以 .xlsx 结尾时为 xlsx）")
	f.StringVarP(&opts.Output, "output", "o", "", "输出文件（默认标准输出）")
	completeValues(monthly, "format", "csv", "text", "xlsx")
	cmd.AddCommand(monthly)
	return cmd
}

func runMonthly(opts *MonthlyOptions) error {
	ctx := context.Background()
	format, err := report.TableFormat(opts.Output, opts.Format, false)
	if err != nil {
		return err
	}
	month := opts.Month
	now := opts.IO.now()
	thisMonth := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.Local)
	if month == "" {
		// From the first of the month: on 31 March, a month back is 3 March.
		month = thisMonth.AddDate(0, -1, 0).Format("2006-01")
	}
	start, err := time.ParseInLocation("2006-01", month, time.Local)
	if err != nil {
		return fmt.Errorf("--month 应为 年-月，如 2026-10（收到 %q）", month)
	}
	st, err := openStoreForReading(ctx, opts.DB, opts.IO)
	if err != nil {
		return err
	}
	defer st.Close()
	from, to, err := st.MonthRuns(ctx, start)
	if err != nil {
		return err
	}
	if to == 0 {
		if opts.Month == "" {
			return fmt.Errorf("上个月（%s）月末之前存储中没有完成的运行；本月的月报请用 --month %s", month, thisMonth.Format("2006-01"))
		}
		return fmt.Errorf("%s 月末之前存储中没有完成的运行；请用 --month 指定有运行的月份（运行列表见 db runs）", month)
	}
	changes, err := st.Changes(ctx, from, to)
	if err != nil {
		return err
	}
	referred, err := st.Referred(ctx, to)
	if err != nil {
		return err
	}
	runs, err := st.Runs(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(opts.IO.ErrOut, "%s 月报：%s%s\n", month, report.MonthlyBasis(from, to), report.DictDiffers(runs, from, to))
	d, err := dict.Load(opts.Dict.Files, opts.Dict.NoDefault)
	if err != nil {
		return err
	}
	t := report.Monthly(month, from, to, referred, changes, d.Streets)
	t.Paper.Lines = []string{"报送单位：" + cmp.Or(report.District(), "＿＿＿＿＿＿＿＿＿＿") + "　　　" + report.RunsCompared(runs, from, to)}
	return writeReport(opts.IO, opts.Output, format, t)
}
