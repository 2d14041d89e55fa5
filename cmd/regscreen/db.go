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
	"github.com/regscreen/regscreen/store"
)

// DBOptions are the db subcommands' flags.
type DBOptions struct {
	IO     *IOStreams
	DB     string
	File   string
	Keep   string
	Vacuum bool
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
		Long: `读取会商工作簿（送会商、待复核、会商已排除工作表）中填写的“处理状态”“会商意见”“经办人”“日期”，
按企业记入存储并保留历史。每家企业以日期最晚的结论为准（同一天以后导入的为准）；日期留空按导入当天，
写成文字也可以（2026-12-05、2026/12/5、2026年12月5日），“昨天”这样排不出先后的日期不导入并说明是哪一行。
同一工作簿重复导入、预填的结论原样退回，都不会重复记录。在“会商已排除”表上改处理状态同样会导入。
此后的会商工作簿预填已有的结论；月报显示列入重点监管的企业；标为“排除”的企业不再送会商，
列在“会商已排除”表上，除非其名称或经营范围有变更。

退出状态：0 = 全部导入；1 = 有的行在存储中找不到或处理状态无效（逐行说明，已跳过，其余照常导入）；
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
		fmt.Fprintf(opts.IO.Out, "%d\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%s\t%s\n", r.ID, store.StatusLabel(r.Status), zhtime.Local(r.Started),
			r.Read, r.Refer, r.Review, r.Clear, r.Exempt, r.Rejected, r.DictVersion, r.Error)
	}
	return nil
}

func runImportStatus(opts *DBOptions) error {
	ctx := context.Background()
	if st, err := os.Stat(opts.File); err != nil {
		return fileError("打开工作簿", opts.File, err)
	} else if st.IsDir() {
		return fmt.Errorf("%s 是目录，不是工作簿文件", opts.File)
	}
	res, err := report.ReadImport(opts.File, filepath.Base(opts.File), opts.IO.now())
	if err != nil {
		return err
	}
	db, err := openExistingStore(ctx, opts.DB, opts.IO)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := res.Store(ctx, db); err != nil {
		return err
	}
	for _, p := range res.Problems {
		fmt.Fprintf(opts.IO.ErrOut, "%s!%d: %s，已跳过\n", p.Sheet, p.Row, p.Reason)
	}
	for _, key := range res.Unknown {
		fmt.Fprintf(opts.IO.ErrOut, "%s: 存储中没有 %s，已跳过\n", res.Where[key], key)
	}
	fmt.Fprintf(opts.IO.ErrOut, "导入会商结论 %d 条（其中 %d 条为该企业最新的结论）；与已有结论相同 %d 条；存储中找不到 %d 条；状态无效或读不出跳过 %d 条\n",
		res.Stored, res.InForce, res.Duplicates, len(res.Unknown), len(res.Problems))
	if len(res.Unknown)+len(res.Problems) > 0 {
		return exitCode(exitFlagged)
	}
	return nil
}

func runPrune(opts *DBOptions) error {
	days, err := strconv.Atoi(strings.TrimSuffix(opts.Keep, "d"))
	if err != nil || !strings.HasSuffix(opts.Keep, "d") || days < 0 {
		return fmt.Errorf("--keep 应为天数加 d，如 90d")
	}
	ctx := context.Background()
	st, err := openExistingStore(ctx, opts.DB, opts.IO)
	if err != nil {
		return err
	}
	defer st.Close()
	n, err := st.Prune(ctx, time.Now().AddDate(0, 0, -days))
	if err != nil {
		return err
	}
	if opts.Vacuum {
		if err := st.Vacuum(ctx); err != nil {
			return err
		}
	}
	fmt.Fprintf(opts.IO.ErrOut, "删除了 %d 次早于 %d 天的运行\n", n, days)
	return nil
}
