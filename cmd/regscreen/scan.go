package main

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync/atomic"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/regscreen/regscreen/input"
	"github.com/regscreen/regscreen/internal/profile"
	"github.com/regscreen/regscreen/internal/progress"
	"github.com/regscreen/regscreen/output"
	"github.com/regscreen/regscreen/run"
)

// ScanOptions are scan's flags.
type ScanOptions struct {
	IO          *IOStreams
	Dict        *DictOptions
	Inputs      []string
	Format      string // csv | jsonl | text | xlsx; "" = from -o's extension, else csv
	Output      string // file (a directory with --split-by); "" = stdout
	OutEncoding string // utf-8 | gb18030, for -o *.csv
	NoBOM       bool
	RawCSV      bool // leave cells a spreadsheet would run as formulas as they are
	All         bool
	Columns     input.ColumnSpec
	Encoding    string
	InputFormat string
	Sheet       string
	Exempt      string
	Delimiter   string
	Rejects     string
	MaxRejects  int
	AllowShrink bool
	Quiet       bool
	Workers     int
	CPUProfile  string
	MemProfile  string
	SplitBy     string
	DB          string

	// ctx and afterRecord let tests cancel a run at a chosen row.
	ctx         context.Context
	afterRecord func(n int)
}

func newScanCmd(ios *IOStreams, dictOpts *DictOptions, runF func(*ScanOptions) error) *cobra.Command {
	opts := &ScanOptions{IO: ios, Dict: dictOpts}
	cmd := &cobra.Command{
		Use:   "scan [文件…|-]",
		Short: "筛查登记导出文件，输出送会商和待复核的记录",
		Long: `筛查登记导出文件（CSV、TSV、XLSX、JSON Lines；UTF-8、GB18030/GBK、UTF-16 自动识别），
按表头自动找出企业名称、经营范围、统一社会信用代码列（表头上方可以有标题行）。
默认只输出“送会商”和“待复核”的记录；--all 输出全部记录。文件名为 - 时读标准输入。
结果写到标准输出（或 -o 指定的文件，格式按扩展名：.csv .jsonl .txt .xlsx），汇总写到标准错误。
无法筛查的行（拒收）逐行说明原因，计入“拒收”，可用 --rejects 另存。

退出状态：0 = 运行完成，无送会商、待复核或拒收；1 = 运行完成，有送会商、待复核或拒收的行；
2 = 运行失败（或拒收行数超过 --max-rejects）：不写出任何结果文件，存储也不改动，可以放心重跑。`,
		Example: `  regscreen scan 登记导出.csv -o 会商名单.xlsx
  regscreen scan --all --split-by street -o 分街道 登记导出.xlsx
  regscreen scan 登记导出.csv > 命中.csv
  regscreen scan --all -o 结果.jsonl 登记导出.csv
  cat 登记导出.csv | regscreen scan - | wc -l
  regscreen scan --name-col 3 --scope-col 经营范围（中文） 导出.csv`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Inputs = args
			if runF != nil {
				return runF(opts)
			}
			return exitWith(runScan(opts))
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Format, "format", "", "输出`格式`：csv、jsonl、text（便于阅读）或 xlsx（会商工作簿）；默认按 -o 的扩展名，否则 csv")
	f.StringVarP(&opts.Output, "output", "o", "", "输出`文件`（默认标准输出）；文件整体写成后才出现。与 --split-by 同用时为目录")
	f.StringVar(&opts.OutEncoding, "out-encoding", "utf-8", "-o 写 CSV 时的`编码`：utf-8（带 BOM，Excel 可直接打开）或 gb18030（供只认 GBK 的系统）")
	f.BoolVar(&opts.NoBOM, "no-bom", false, "-o 写 UTF-8 CSV 时不加 BOM")
	f.BoolVar(&opts.RawCSV, "raw-csv", false, "-o 写 CSV 时不处理以 = + - @ 开头的单元格（默认在前面加 ' 以防被 Excel 当作公式）")
	addDBFlag(f, &opts.DB, true)
	f.StringVar(&opts.SplitBy, "split-by", "", "按区域分文件（`方式`）：street = 每个街道（镇）一个工作簿，写到 -o 指定的目录")
	f.BoolVar(&opts.All, "all", false, "输出全部记录（含无需处理的）")
	opts.addInputFlags(f)
	f.StringVar(&opts.Exempt, "exempt", "", "豁免名单`文件`（监管部门提供的持牌机构）：CSV 或一行一个，统一社会信用代码和/或企业全称")
	f.StringVar(&opts.Delimiter, "delimiter", "", "`分隔符`：, 或 tab 或 ; 或 |（默认自动识别）")
	f.StringVar(&opts.Rejects, "rejects", "", "把拒收的行（原文和原因）写到此 CSV `文件`")
	f.IntVar(&opts.MaxRejects, "max-rejects", -1, "允许的拒收行数，超过则整次运行失败（退出状态 2，不写结果、不改存储）；-1 = 不限")
	f.BoolVar(&opts.AllowShrink, "allow-shrink", false, "确认名录确实变小：--db 运行读取的行数不足上次完整运行的 90% 时，默认视为导出不完整而作废")
	f.BoolVarP(&opts.Quiet, "quiet", "q", false, "不显示进度和汇总")
	f.IntVar(&opts.Workers, "workers", runtime.GOMAXPROCS(0), "并行筛查的线程数（至少 1）")
	f.StringVar(&opts.CPUProfile, "cpuprofile", "", "把 CPU 剖析写到此文件（供开发者用 go tool pprof 查看）")
	f.StringVar(&opts.MemProfile, "memprofile", "", "结束时把内存分配剖析写到此文件（供开发者用）")
	f.MarkHidden("cpuprofile")
	f.MarkHidden("memprofile")
	completeValues(cmd, "format", "csv", "jsonl", "text", "xlsx")
	completeValues(cmd, "out-encoding", "utf-8", "gb18030")
	completeValues(cmd, "encoding", "utf-8", "gb18030", "utf-16le", "utf-16be")
	completeValues(cmd, "input-format", "csv", "tsv", "xlsx", "xls", "jsonl")
	completeValues(cmd, "split-by", "street")
	return cmd
}

// addInputFlags defines the flags that say how to read the inputs.
func (opts *ScanOptions) addInputFlags(f *pflag.FlagSet) {
	f.StringVar(&opts.Columns.Name, "name-col", "", "企业名称`列`：表头文字或从 1 起的列号")
	f.StringVar(&opts.Columns.Scope, "scope-col", "", "经营范围`列`：表头文字或从 1 起的列号")
	f.StringVar(&opts.Columns.ID, "id-col", "", "统一社会信用代码/注册号`列`：表头文字或列号")
	f.StringArrayVar(&opts.Columns.Texts, "text-col", nil, "另需筛查的文本`列`（可多次指定）")
	f.BoolVar(&opts.Columns.NoHeader, "no-header", false, "文件没有表头（须用列号指定各列）")
	f.StringVar(&opts.Encoding, "encoding", "", "输入`编码`："+input.EncodingHelp+"（默认自动识别）")
	f.StringVar(&opts.InputFormat, "input-format", "", "输入`格式`：csv、tsv、xlsx、xls、jsonl（默认按扩展名和内容识别）")
	f.StringVar(&opts.Sheet, "sheet", "", "XLSX `工作表`：名称或从 1 起的序号（默认读第一个有可识别表头的可见工作表，及其后表头相同的可见工作表）")
}

// runScan screens the inputs and writes the results; it returns the exit
// status. Nothing is written and the store is unchanged unless it
// returns 0 or 1.
func runScan(opts *ScanOptions) (int, error) {
	ctx := opts.ctx
	if ctx == nil {
		ctx = opts.IO.context()
	}
	out, err := scan(ctx, opts)
	switch {
	case err != nil && ctx.Err() != nil && (out == nil || !out.Stored):
		// Whatever step the interrupt broke, the outcome is the same.
		return exitError, interrupted(opts)
	case err != nil:
		return exitError, err
	case out.Flagged():
		return exitFlagged, nil
	}
	return exitClean, nil
}

// interrupted is the error of a run the user interrupted.
func interrupted(opts *ScanOptions) error {
	if opts.DB != "" {
		return errors.New("已中断：未写出任何结果，存储未改动")
	}
	return errors.New("已中断：未写出任何结果")
}

// scan sets up the run scan's flags ask for and executes it.
func scan(ctx context.Context, opts *ScanOptions) (*run.Outcome, error) {
	if err := opts.resolve(); err != nil {
		return nil, err
	}
	scr, err := opts.Dict.load()
	if err != nil {
		return nil, err
	}
	defer run.TuneMemory(opts.Format == "xlsx", opts.DB != "")()
	stopProfile, err := profile.Start(opts.CPUProfile, opts.MemProfile, opts.IO.ErrOut)
	if err != nil {
		return nil, err
	}
	defer stopProfile()
	tmp, removeTmp, err := output.RunTempDir()
	if tde := (*output.TempDirError)(nil); errors.As(err, &tde) {
		return nil, fmt.Errorf("无法在临时目录 %s 中建立文件：%s；请把环境变量 TMPDIR 设为一个可写的目录", tde.Dir, osReason(tde.Err))
	} else if err != nil {
		return nil, err
	}
	defer removeTmp()
	files := &output.Files{}
	defer files.Abort()
	plan, err := opts.plan(ctx, scr, files, tmp)
	if plan.Store != nil {
		defer plan.Store.Close()
	}
	if err != nil {
		if plan.Results != nil {
			plan.Results.Abort()
		}
		return nil, err
	}
	prog := opts.watch(&plan)
	out, err := run.Execute(ctx, plan)
	prog.Finish()
	opts.tell(out, err, scr.DictVersion())
	return out, err
}

// watch shows the run's progress on a terminal and lets a test act at a
// chosen row.
func (o *ScanOptions) watch(p *run.Plan) *progress.Line {
	var prog *progress.Line
	if o.IO.ErrTTY && !o.Quiet {
		p.Search.ReadBytes = &atomic.Int64{}
		prog = progress.Start(o.IO.ErrOut, progress.TotalSize(o.Inputs), p.Search.ReadBytes)
	}
	if !o.Quiet {
		p.Log = func(line string) { prog.Println(o.IO.ErrOut, output.Visible(line)) } // a reason may quote the file
		p.Phase = prog.Phase
	}
	p.OnRow = func(n int) {
		prog.Row()
		if o.afterRecord != nil {
			o.afterRecord(n)
		}
	}
	return prog
}

// tell prints the summary and says where the results went: last, where
// the eye lands, once the run is stored and the files are there, whole.
func (o *ScanOptions) tell(out *run.Outcome, err error, dictVersion string) {
	var limit *run.RejectLimitError
	if o.Quiet || err != nil && !errors.As(err, &limit) {
		return
	}
	if out.HiddenRejects > 0 && o.Rejects != "" {
		fmt.Fprintf(o.IO.ErrOut, "…另有 %d 行拒收，见 --rejects 文件 %s\n", out.HiddenRejects, o.Rejects)
	} else if out.HiddenRejects > 0 {
		fmt.Fprintf(o.IO.ErrOut, "…另有 %d 行拒收未显示；用 --rejects 文件 把全部拒收的行及原因写成 CSV\n", out.HiddenRejects)
	}
	if out.HiddenWarnings > 0 {
		fmt.Fprintf(o.IO.ErrOut, "…另有 %d 行警告未显示，见结果的“数据问题”列\n", out.HiddenWarnings)
	}
	out.WriteSummary(o.IO.ErrOut, dictVersion)
	if err != nil {
		return
	}
	if out.RunID != 0 {
		fmt.Fprintf(o.IO.ErrOut, "已记入存储 %s（运行 %d）\n", dbPath(o.DB), out.RunID)
	}
	switch {
	case o.Output != "" && o.SplitBy != "":
		fmt.Fprintf(o.IO.ErrOut, "已写出目录 %s\n", o.Output)
	case o.Output != "":
		fmt.Fprintf(o.IO.ErrOut, "已写出 %s\n", o.Output)
	}
	if o.Rejects != "" {
		fmt.Fprintf(o.IO.ErrOut, "已写出拒收的行 %s\n", o.Rejects)
	}
}
