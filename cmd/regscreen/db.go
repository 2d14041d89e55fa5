package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/regscreen/regscreen/internal/cobrazh"
	"github.com/regscreen/regscreen/internal/zhtime"
	"github.com/regscreen/regscreen/report"
	"github.com/regscreen/regscreen/run"
	"github.com/regscreen/regscreen/store"
)

// DBOptions are the db subcommands' flags.
type DBOptions struct {
	IO                  *IOStreams
	DB                  string
	File                string
	Keep                string
	Vacuum, DryRun, Yes bool
}

func newDBCmd(ios *IOStreams) *cobra.Command {
	opts := &DBOptions{IO: ios}
	cmd := &cobra.Command{Use: "db", Short: "管理存储：运行列表、导入会商结论、清理旧运行"}
	addDBFlag(cmd.PersistentFlags(), &opts.DB, false)
	runs := &cobra.Command{
		Use: "runs", Short: "列出存储中的运行", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runDBRuns(opts) },
	}
	imp := &cobra.Command{
		Use:   "import-status 会商名单.xlsx",
		Short: "把退回的会商工作簿中的处理状态、会商意见、经办人和日期导入存储",
		Long: `读取会商工作簿（送会商、待复核、会商排除工作表；旧版写的“会商已排除”表也读取）中填写的“处理状态”“会商意见”“经办人”“日期”，
按企业记入存储并保留历史。每家企业以日期最晚的结论为准（同一天以后导入的为准）；日期留空按导入当天，
写成文字也可以（2026-12-05、2026/12/5、2026年12月5日），“昨天”这样排不出先后的日期不导入并说明是哪一行。
同一工作簿重复导入、预填的结论原样退回，都不会重复记录。在“会商排除”表上改处理状态同样会导入。
企业名称与存储中该信用代码的企业不符的行（排序时行错位）、日期晚于今天的行不导入并说明；
Excel 复制出的工作表（如“送会商 (2)”）不读取。
此后的会商工作簿预填已有的结论；月报显示列入重点监管的企业；标为“排除”的企业不再送会商，
列在“会商排除”表上，除非其名称或经营范围有变更。

退出状态：0 = 全部导入；1 = 有的行在存储中找不到、名称不符、处理状态或日期无效，或有工作表未读取（逐行说明，已跳过，其余照常导入）；
2 = 出错（不是 regscreen 的会商工作簿、存储打不开等），存储未改动。`,
		Example: `  regscreen db import-status --db 全区.db 会商名单-已会商.xlsx`,
		Args:    cobrazh.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.File = args[0]
			return runImportStatus(opts)
		},
	}
	prune := &cobra.Command{
		Use:     "prune",
		Short:   "删除早于保留期的运行（最近一次完成的运行总是保留）",
		Example: `  regscreen db prune --db 全区.db --keep 90d --vacuum`,
		Args:    cobra.NoArgs,
		RunE:    func(cmd *cobra.Command, args []string) error { return runPrune(opts) },
	}
	prune.Flags().StringVar(&opts.Keep, "keep", "90d", "保留期：天数加 d，如 90d")
	prune.Flags().BoolVar(&opts.Vacuum, "vacuum", false, "清理后压缩文件，归还磁盘空间")
	prune.Flags().BoolVar(&opts.DryRun, "dry-run", false, "只列出将删除多少次运行，不删除")
	prune.Flags().BoolVar(&opts.Yes, "yes", false, "确认 --keep 0d（删除最近一次完成的运行以外的全部运行）")
	cmd.AddCommand(runs, imp, prune)
	return cmd
}

func runDBRuns(opts *DBOptions) error {
	ctx := context.Background()
	st, err := openStoreForReading(ctx, opts.DB, opts.IO)
	if err != nil {
		return err
	}
	defer st.Close()
	runs, err := st.Runs(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(opts.IO.Out, "运行\t状态\t开始\t读取\t送会商\t待复核\t无需处理\t豁免\t拒收\t词典版本\t说明")
	for _, r := range runs {
		fmt.Fprintf(opts.IO.Out, "%d\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%s\t%s\n", r.ID, st.RunStatusLabel(r.Status), zhtime.Local(r.Started),
			r.Read, r.Refer, r.Review, r.Clear, r.Exempt, r.Rejected, r.DictVersion, r.Error)
	}
	return nil
}

func runImportStatus(opts *DBOptions) error {
	ctx := context.Background()
	book, err := openDecisionBook(opts.File)
	if err != nil {
		return err
	}
	defer book.Close()
	db, err := openExistingStore(ctx, opts.DB, opts.IO)
	if err != nil {
		return err
	}
	defer db.Close()
	res, err := run.ImportDecisions(ctx, db, book, filepath.Base(opts.File), opts.IO.now(), run.PrintSkips(opts.IO.ErrOut))
	if err != nil {
		return err
	}
	fmt.Fprintln(opts.IO.ErrOut, res.Summary())
	if res.Refused() > 0 {
		return exitCode(exitFlagged)
	}
	return nil
}

// openDecisionBook opens a returned workbook, refusing a file that is
// none before the store is opened.
func openDecisionBook(path string) (*report.DecisionBook, error) {
	if st, err := os.Stat(path); err != nil {
		return nil, fileError("打开工作簿", path, err)
	} else if st.IsDir() {
		return nil, fmt.Errorf("%s 是目录，不是工作簿文件", path)
	}
	return report.OpenDecisions(path) // names the file in its errors
}

func runPrune(opts *DBOptions) error {
	days, err := strconv.Atoi(strings.TrimSuffix(opts.Keep, "d"))
	switch {
	case err != nil || !strings.HasSuffix(opts.Keep, "d") || days < 0:
		return fmt.Errorf("--keep 应为天数加 d，如 90d")
	case days == 0 && !opts.Yes && !opts.DryRun:
		return fmt.Errorf("--keep 0d 会删除最近一次完成的运行以外的全部运行；请先用 --dry-run 查看，确认后加 --yes")
	}
	ctx := context.Background()
	st, err := openExistingStore(ctx, opts.DB, opts.IO)
	if err != nil {
		return err
	}
	defer st.Close()
	n, err := st.Prune(ctx, store.Pruning{Before: time.Now().AddDate(0, 0, -days), DryRun: opts.DryRun, Vacuum: opts.Vacuum})
	if err != nil {
		return err
	}
	fmt.Fprintf(opts.IO.ErrOut, "%s %d 次早于 %d 天的运行\n", map[bool]string{false: "删除了", true: "（--dry-run，未删除）将删除"}[opts.DryRun], n, days)
	return nil
}
