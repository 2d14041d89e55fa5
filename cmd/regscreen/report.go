package main

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/regscreen/regscreen/store"
)

// MonthlyOptions are `report monthly`'s flags.
type MonthlyOptions struct {
	IO     *IOStreams
	DB     string
	Month  string
	Format string
	Output string
}

func newReportCmd(ios *IOStreams) *cobra.Command {
	cmd := &cobra.Command{Use: "report", Short: "报表：按月报送的变动情况"}
	opts := &MonthlyOptions{IO: ios}
	monthly := &cobra.Command{
		Use:   "monthly",
		Short: "月报：按街道（镇）列出月末送会商数、本月新增、移出、变更、列入重点监管",
		Long: `按七.1 每月 3 日前报送的要求，比较上月末与本月末的运行，按街道（镇）汇总：
月末送会商企业数、本月新增、本月移出、本月变更、其中列入重点监管的企业数。`,
		Example: `  regscreen report monthly --db 全区.db --month 2026-10 -o 2026年10月变动月报.xlsx`,
		Args:    cobra.NoArgs,
		RunE:    func(cmd *cobra.Command, args []string) error { return runMonthly(opts) },
	}
	f := monthly.Flags()
	addDBFlag(f, &opts.DB)
	f.StringVar(&opts.Month, "month", "", "月份 YYYY-MM（默认上个月）")
	f.StringVar(&opts.Format, "format", "", "输出格式：csv 或 xlsx（默认 csv；-o 以 .xlsx 结尾时为 xlsx）")
	f.StringVarP(&opts.Output, "output", "o", "", "输出文件（默认标准输出）")
	cmd.AddCommand(monthly)
	return cmd
}

// streetRow is one line of the monthly return.
type streetRow struct {
	referred, added, removed, changed, supervised int
	notes                                         []string
}

func runMonthly(opts *MonthlyOptions) error {
	ctx := context.Background()
	if opts.Format != "" && opts.Format != "csv" && opts.Format != "xlsx" {
		return fmt.Errorf("月报的输出格式为 csv 或 xlsx，不支持 %q", opts.Format)
	}
	month := opts.Month
	if month == "" {
		month = time.Now().AddDate(0, -1, 0).Format("2006-01")
	}
	start, err := time.ParseInLocation("2006-01", month, time.Local)
	if err != nil {
		return fmt.Errorf("--month 应为 YYYY-MM：%w", err)
	}
	end := start.AddDate(0, 1, 0)
	st, err := openStore(ctx, opts.DB)
	if err != nil {
		return err
	}
	defer st.Close()
	to, err := st.RunBefore(ctx, end)
	if err != nil {
		return err
	}
	if to == 0 {
		return fmt.Errorf("%s 月末之前存储中没有完成的运行", month)
	}
	from, err := st.RunBefore(ctx, start)
	if err != nil {
		return err
	}
	changes, err := st.Changes(ctx, from, to)
	if err != nil {
		return err
	}
	referred, err := st.Referred(ctx, to)
	if err != nil {
		return err
	}
	rows := map[string]*streetRow{}
	get := func(street string) *streetRow {
		if street == "" {
			street = "（未识别街道）"
		}
		if rows[street] == nil {
			rows[street] = &streetRow{}
		}
		return rows[street]
	}
	for _, c := range referred {
		r := get(c.Street())
		r.referred++
		if c.Status == "列入重点监管" {
			r.supervised++
		}
	}
	for _, c := range changes {
		r := get(c.Street())
		switch {
		case c.Kind == store.NewlyReferred, c.Kind == store.NewWithHits && c.After != nil && c.After.Verdict == "refer":
			r.added++
		case c.Kind == store.NoLongerReferred, c.Kind == store.Gone && c.Before != nil && c.Before.Verdict == "refer":
			r.removed++
			if c.Kind == store.Gone {
				r.notes = append(r.notes, c.Before.Name+" 已不在名录")
			}
		case c.Kind == store.Changed:
			r.changed++
		}
	}
	var streets []string
	for s := range rows {
		streets = append(streets, s)
	}
	sort.Strings(streets)
	header := []string{"街道（镇）", "月末送会商企业数", "本月新增", "本月移出", "本月变更", "其中列入重点监管", "备注"}
	var table [][]string
	var total streetRow
	for _, s := range streets {
		r := rows[s]
		table = append(table, []string{s, strconv.Itoa(r.referred), strconv.Itoa(r.added), strconv.Itoa(r.removed),
			strconv.Itoa(r.changed), strconv.Itoa(r.supervised), joinNotes(r.notes)})
		total.referred += r.referred
		total.added += r.added
		total.removed += r.removed
		total.changed += r.changed
		total.supervised += r.supervised
	}
	basis := fmt.Sprintf("比较运行 %d（上月末）与运行 %d（本月末）", from, to)
	if from == 0 {
		basis = fmt.Sprintf("本月末运行 %d；此前无运行，全部计为新增", to)
	}
	table = append(table, []string{"合计", strconv.Itoa(total.referred), strconv.Itoa(total.added), strconv.Itoa(total.removed),
		strconv.Itoa(total.changed), strconv.Itoa(total.supervised), basis})
	fmt.Fprintf(opts.IO.ErrOut, "%s 月报：%s\n", month, basis)
	return writeTable(opts.IO.Out, opts.Output, opts.Format, month+"月报", header, table, nil)
}

func joinNotes(n []string) string {
	if len(n) > 5 {
		return fmt.Sprintf("%s 等 %d 家", strings.Join(n[:5], "；"), len(n))
	}
	return strings.Join(n, "；")
}
