package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync/atomic"

	"github.com/spf13/cobra"

	"github.com/regscreen/regscreen/input"
	"github.com/regscreen/regscreen/output"
	"github.com/regscreen/regscreen/screen"
	"github.com/regscreen/regscreen/searcher"
	"github.com/regscreen/regscreen/store"
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
	Quiet       bool
	Workers     int
	CPUProfile  string
	MemProfile  string
	SplitBy     string
	DB          string

	// ctx and afterRecord let tests cancel a run at a chosen row.
	ctx         context.Context
	afterRecord func(n int)
	// stored: the run was committed to the store (an error after it, an
	// interrupt or not, must not say the store is unchanged).
	stored bool
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
	f.StringVar(&opts.Columns.Name, "name-col", "", "企业名称`列`：表头文字或从 1 起的列号")
	f.StringVar(&opts.Columns.Scope, "scope-col", "", "经营范围`列`：表头文字或从 1 起的列号")
	f.StringVar(&opts.Columns.ID, "id-col", "", "统一社会信用代码/注册号`列`：表头文字或列号")
	f.StringArrayVar(&opts.Columns.Texts, "text-col", nil, "另需筛查的文本`列`（可多次指定）")
	f.BoolVar(&opts.Columns.NoHeader, "no-header", false, "文件没有表头（须用列号指定各列）")
	f.StringVar(&opts.Encoding, "encoding", "", "输入`编码`："+input.EncodingHelp+"（默认自动识别）")
	f.StringVar(&opts.InputFormat, "input-format", "", "输入`格式`：csv、tsv、xlsx、jsonl（默认按扩展名和内容识别）")
	f.StringVar(&opts.Sheet, "sheet", "", "XLSX `工作表`：名称或从 1 起的序号（默认第一个有可识别表头的工作表）")
	f.StringVar(&opts.Exempt, "exempt", "", "豁免名单`文件`（监管部门提供的持牌机构）：CSV 或一行一个，统一社会信用代码和/或企业全称")
	f.StringVar(&opts.Delimiter, "delimiter", "", "`分隔符`：, 或 tab 或 ; 或 |（默认自动识别）")
	f.StringVar(&opts.Rejects, "rejects", "", "把拒收的行（原文和原因）写到此 CSV `文件`")
	f.IntVar(&opts.MaxRejects, "max-rejects", -1, "允许的拒收行数，超过则整次运行失败（退出状态 2，不写结果、不改存储）；-1 = 不限")
	f.BoolVarP(&opts.Quiet, "quiet", "q", false, "不显示进度和汇总")
	f.IntVar(&opts.Workers, "workers", runtime.GOMAXPROCS(0), "并行筛查的线程数（至少 1）")
	f.StringVar(&opts.CPUProfile, "cpuprofile", "", "把 CPU 剖析写到此文件（供开发者用 go tool pprof 查看）")
	f.MarkHidden("cpuprofile")
	f.StringVar(&opts.MemProfile, "memprofile", "", "结束时把内存分配剖析写到此文件（供开发者用）")
	f.MarkHidden("memprofile")
	completeValues(cmd, "format", "csv", "jsonl", "text", "xlsx")
	completeValues(cmd, "out-encoding", "utf-8", "gb18030")
	completeValues(cmd, "encoding", "utf-8", "gb18030", "utf-16le", "utf-16be")
	completeValues(cmd, "input-format", "csv", "tsv", "xlsx", "jsonl")
	completeValues(cmd, "split-by", "street")
	return cmd
}

// runScan screens the inputs and writes the results; it returns the exit
// status. Nothing is written and the store is unchanged unless it
// returns 0 or 1.
func runScan(opts *ScanOptions) (int, error) {
	ctx := opts.ctx
	if ctx == nil {
		ctx = opts.IO.context()
	}
	code, err := scan(ctx, opts)
	if err != nil && ctx.Err() != nil && !opts.stored {
		// Whatever step the interrupt broke, the outcome is the same.
		return exitError, interrupted(opts)
	}
	return code, err
}

// interrupted is the error of a run the user interrupted.
func interrupted(opts *ScanOptions) error {
	if opts.DB != "" {
		return errors.New("已中断：未写出任何结果，存储未改动")
	}
	return errors.New("已中断：未写出任何结果")
}

// failCause is what the store records as the reason a run failed;
// screened is how many rows had been screened. The store keeps no counts
// for a failed run (Fail takes none), so an interrupt says it in words:
// 读取 0 in db runs would read as if nothing had been done.
func failCause(ctx context.Context, err error, screened int) error {
	switch {
	case ctx.Err() != nil && screened > 0:
		return fmt.Errorf("运行被中断（此前已筛查 %d 行，均未记入）", screened)
	case ctx.Err() != nil:
		return errors.New("运行被中断")
	case err != nil:
		return errors.New(userMessage(err, "regscreen scan"))
	}
	return errors.New("运行未完成")
}

func scan(ctx context.Context, opts *ScanOptions) (code int, err error) {
	if err := opts.resolve(); err != nil {
		return exitError, err
	}
	scr, err := opts.Dict.load()
	if err != nil {
		return exitError, err
	}
	defer tuneMemory(opts.Format == "xlsx", opts.DB != "")()
	stopProfile, err := startProfiles(opts.CPUProfile, opts.MemProfile, opts.IO.ErrOut)
	if err != nil {
		return exitError, err
	}
	defer stopProfile()
	tmp, removeTmp, err := output.RunTempDir()
	if tde := (*output.TempDirError)(nil); errors.As(err, &tde) {
		return exitError, fmt.Errorf("无法在临时目录 %s 中建立文件：%s；请把环境变量 TMPDIR 设为一个可写的目录", tde.Dir, osReason(tde.Err))
	} else if err != nil {
		return exitError, err
	}
	defer removeTmp()
	s := &scanRun{opts: opts, scr: scr, files: &output.Files{}, tmp: tmp}
	defer func() { s.abort(failCause(ctx, err, s.n)) }()
	if err := s.open(ctx); err != nil {
		return exitError, err
	}
	var read atomic.Int64
	s.startProgress(&read)
	sum, err := searcher.Run(ctx, scr, s.searchOptions(&read), s)
	s.prog.finish()
	if err != nil {
		return exitError, err
	}
	return s.finish(ctx, sum)
}

// scanRun is one scan's outputs: it takes the searcher's results in order.
type scanRun struct {
	opts      *ScanOptions
	scr       *screen.Screener
	files     *output.Files
	tmp       string // this run's temporary directory
	w         output.Writer
	rejects   *rejectWriter
	st        *store.Store
	run       *store.Run
	decisions map[string]searcher.Decision
	exempt    *input.ExemptList
	prog      *progress
	n         int
}

// open creates the outputs and opens the store and the reference lists.
func (s *scanRun) open(ctx context.Context) error {
	var err error
	if s.opts.Exempt != "" {
		if s.exempt, err = input.LoadExempt(s.opts.Exempt); err != nil {
			return err
		}
	}
	if s.w, err = s.newWriter(); err != nil {
		return err
	}
	if s.opts.Rejects != "" {
		if s.rejects, err = newRejectWriter(s.files, s.opts.Rejects, !s.opts.RawCSV); err != nil {
			return err
		}
	}
	if s.opts.DB != "" {
		return s.beginRun(ctx)
	}
	return nil
}

func (s *scanRun) searchOptions(read *atomic.Int64) searcher.Options {
	o := s.opts
	delim, _ := parseDelimiter(o.Delimiter) // checked in resolve
	so := searcher.Options{Inputs: o.Inputs, Stdin: o.IO.In, Workers: o.Workers, Columns: o.Columns,
		Input:  input.Options{Format: o.InputFormat, Encoding: o.Encoding, Delimiter: delim, Sheet: o.Sheet, NoHeader: o.Columns.NoHeader},
		Exempt: s.exempt, Decisions: s.decisions, Identify: s.run != nil, Hash: s.run != nil, ReadBytes: read}
	if o.Format == "xlsx" || s.run != nil {
		so.Street = s.scr.Dictionary().StreetOf
		so.StreetForAll = o.Format == "xlsx"
	}
	return so
}

// Record takes one screened record: the store, then the writer.
func (s *scanRun) Record(rec *output.Record) error {
	s.n++
	if s.prog != nil {
		s.prog.rows.Add(1)
	}
	if rec.Warning != "" && !s.opts.Quiet {
		fmt.Fprintf(s.opts.IO.ErrOut, "警告 %s:%d: %s\n", rec.File, rec.Line, output.Visible(rec.Warning))
	}
	if s.run != nil {
		// A value, not a pointer: Add copies it, and a million records
		// allocated one by one kept the collector busy.
		sr := storeRecord(rec)
		if err := s.run.Add(context.Background(), &sr); err != nil {
			return storeError(s.st.Path(), err)
		}
	}
	if s.opts.afterRecord != nil {
		s.opts.afterRecord(s.n)
	}
	return s.w.Write(rec)
}

// Reject takes one row that could not be screened.
func (s *scanRun) Reject(e *input.RowError) error {
	s.n++
	if s.prog != nil {
		s.prog.rows.Add(1)
	}
	if !s.opts.Quiet {
		// A reason may quote the file (a JSON key): shown, not obeyed.
		fmt.Fprintf(s.opts.IO.ErrOut, "拒收 %s\n", output.Visible(e.Error()))
	}
	if s.rejects != nil {
		return s.rejects.write(e)
	}
	return nil
}

// finish completes the outputs, commits the store and only then puts the
// output files in place, so a failure at any step leaves neither.
func (s *scanRun) finish(ctx context.Context, sum *searcher.Summary) (int, error) {
	o := s.opts
	if !sum.Balanced() {
		return exitError, fmt.Errorf("内部错误：计数不平（%+v），未写出结果", sum.Counts)
	}
	if o.MaxRejects >= 0 && sum.Rejected > o.MaxRejects {
		if !o.Quiet {
			printSummary(o.IO.ErrOut, sum, s.scr.DictVersion())
		}
		return exitError, fmt.Errorf("拒收 %d 行，超过 --max-rejects %d；本次运行作废，未写出结果，存储未改动", sum.Rejected, o.MaxRejects)
	}
	info := output.RunInfo{Inputs: sum.Inputs, Counts: sum.Counts, Finish: timeNow()}
	if err := s.w.Finish(info); err != nil {
		return exitError, fmt.Errorf("写出结果: %w", err)
	}
	if s.rejects != nil {
		if err := s.rejects.finish(); err != nil {
			return exitError, err
		}
	}
	if s.run != nil {
		if err := s.commitRun(ctx, sum); err != nil {
			return exitError, err
		}
	}
	if err := s.files.Commit(); err != nil {
		if s.run != nil {
			return exitError, fmt.Errorf("运行已记入存储（运行 %d），但结果文件未能写出，请重新运行以得到结果文件: %w", s.run.ID, err)
		}
		return exitError, err
	}
	if !o.Quiet {
		printSummary(o.IO.ErrOut, sum, s.scr.DictVersion())
		// Said last, where the eye lands: the run is stored, the file is
		// there, whole.
		if s.run != nil {
			fmt.Fprintf(o.IO.ErrOut, "已记入存储 %s（运行 %d）\n", dbPath(o.DB), s.run.ID)
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
	if sum.Refer+sum.Review+sum.Rejected > 0 {
		return exitFlagged, nil
	}
	return exitClean, nil
}

// abort removes whatever was not committed, recording the run as failed
// for cause; a no-op after a commit.
func (s *scanRun) abort(cause error) {
	if s.w != nil {
		s.w.Abort()
	}
	s.files.Abort()
	if s.run != nil {
		s.run.Fail(cause)
	}
	if s.st != nil {
		s.st.Close()
	}
}

func (s *scanRun) startProgress(read *atomic.Int64) {
	if s.opts.IO.ErrTTY && !s.opts.Quiet {
		s.prog = startProgress(s.opts.IO.ErrOut, totalSize(s.opts.Inputs), read)
	}
}

func printSummary(w io.Writer, sum *searcher.Summary, version string) {
	for _, f := range sum.Inputs {
		desc := f.Format
		if f.Encoding != "" && f.Format != "xlsx" {
			desc += "，" + f.Encoding
		}
		if f.Sheet != "" {
			desc += "，工作表 " + f.Sheet
		}
		fmt.Fprintf(w, "输入 %s（%s）\n", f.Name, desc)
	}
	fmt.Fprintf(w, "读取 %d 行：送会商 %d，待复核 %d，无需处理 %d，豁免 %d，拒收 %d；词典版本 %s\n",
		sum.Read, sum.Refer, sum.Review, sum.Clear, sum.Exempt, sum.Rejected, version)
	if sum.Warnings > 0 {
		fmt.Fprintf(w, "其中 %d 行读取时有警告（如强制编码下不合法的字节），已照常筛查，警告见上方和“数据问题”列\n", sum.Warnings)
	}
	if sum.BadIDs > 0 {
		fmt.Fprintf(w, "其中 %d 条记录的信用代码/注册号有问题（见“数据问题”列）\n", sum.BadIDs)
	}
	if sum.TitleRows > 0 {
		fmt.Fprintf(w, "（表头上方的标题行 %d 行未计入）\n", sum.TitleRows)
	}
}

// totalSize sums the input files' sizes (0 if any is stdin or unknown).
func totalSize(names []string) int64 {
	var total int64
	for _, n := range names {
		st, err := os.Stat(n)
		if n == "-" || err != nil {
			return 0
		}
		total += st.Size()
	}
	return total
}
