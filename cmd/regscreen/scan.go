package main

import (
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/regscreen/regscreen/input"
	"github.com/regscreen/regscreen/output"
	"github.com/regscreen/regscreen/report"
	"github.com/regscreen/regscreen/screen"
	"github.com/regscreen/regscreen/store"
)

// ScanOptions are scan's flags.
type ScanOptions struct {
	IO          *IOStreams
	Dict        *DictOptions
	Inputs      []string
	Format      string // csv | jsonl
	Output      string // file; "" = stdout
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
	FormatSet   bool // --format given; otherwise -o's extension may choose xlsx
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
默认只输出“送会商”和“待复核”的记录；--all 输出全部记录。文件名为 - 或不给文件时读标准输入。
结果写到标准输出（或 -o 指定的文件），汇总写到标准错误。

退出状态：0 = 无命中；1 = 有送会商或待复核；2 = 出错，或拒收行数超过 --max-rejects。`,
		Example: `  regscreen scan 登记导出.csv -o 会商名单.xlsx
  regscreen scan --all --split-by street -o 分街道/ 登记导出.xlsx
  regscreen scan 登记导出.csv > 命中.csv
  regscreen scan --all --format jsonl 登记导出.csv
  cat 登记导出.csv | regscreen scan - | wc -l
  regscreen scan --name-col 3 --scope-col 经营范围（中文） 导出.csv`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Inputs = args
			opts.FormatSet = cmd.Flags().Changed("format")
			if len(opts.Inputs) == 0 {
				opts.Inputs = []string{"-"}
			}
			if runF != nil {
				return runF(opts)
			}
			code, err := runScan(opts)
			if err != nil {
				return err
			}
			if code != exitClean {
				return exitCode(code)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Format, "format", "csv", "输出格式：csv、jsonl、xlsx（会商工作簿），或便于阅读的 text；-o 的扩展名为 .xlsx 时默认 xlsx")
	f.StringVarP(&opts.Output, "output", "o", "", "输出文件（默认标准输出）；文件整体写成后才出现。与 --split-by 同用时为目录")
	f.StringVar(&opts.DB, "db", "", "把本次运行记入存储（SQLite 文件），供 changes、report monthly、history 使用；--db auto 表示 $REGSCREEN_DB 或 ./regscreen.db")
	f.StringVar(&opts.SplitBy, "split-by", "", "按区域分文件：street = 每个街道（镇）一个工作簿，写到 -o 指定的目录")
	f.BoolVar(&opts.All, "all", false, "输出全部记录（含无需处理的）")
	f.StringVar(&opts.Columns.Name, "name-col", "", "企业名称列：表头文字或从 1 起的列号")
	f.StringVar(&opts.Columns.Scope, "scope-col", "", "经营范围列：表头文字或从 1 起的列号")
	f.StringVar(&opts.Columns.ID, "id-col", "", "统一社会信用代码/注册号列：表头文字或列号")
	f.StringArrayVar(&opts.Columns.Texts, "text-col", nil, "另需筛查的文本列（可多次指定）")
	f.BoolVar(&opts.Columns.NoHeader, "no-header", false, "文件没有表头（须用列号指定各列）")
	f.StringVar(&opts.Encoding, "encoding", "", "输入编码：utf-8、gb18030、gbk、utf-16le、utf-16be（默认自动识别）")
	f.StringVar(&opts.InputFormat, "input-format", "", "输入格式：csv、tsv、xlsx、jsonl（默认按扩展名和内容识别）")
	f.StringVar(&opts.Sheet, "sheet", "", "XLSX 工作表：名称或从 1 起的序号（默认第一个有可识别表头的工作表）")
	f.StringVar(&opts.Exempt, "exempt", "", "豁免名单（监管部门提供的持牌机构）：CSV 或一行一个，统一社会信用代码和/或企业全称")
	f.StringVar(&opts.Delimiter, "delimiter", "", "分隔符：, 或 tab 或 ; 或 |（默认自动识别）")
	f.StringVar(&opts.Rejects, "rejects", "", "把拒收的行（原文和原因）写到此 CSV 文件")
	f.IntVar(&opts.MaxRejects, "max-rejects", 0, "允许的拒收行数；超过则退出状态为 2")
	f.BoolVarP(&opts.Quiet, "quiet", "q", false, "不显示进度和汇总")
	f.IntVar(&opts.Workers, "workers", runtime.GOMAXPROCS(0), "并行筛查的线程数")
	f.StringVar(&opts.CPUProfile, "cpuprofile", "", "把 CPU 剖析写到此文件（供开发者用 go tool pprof 查看）")
	f.MarkHidden("cpuprofile")
	f.StringVar(&opts.MemProfile, "memprofile", "", "结束时把内存分配剖析写到此文件（供开发者用）")
	f.MarkHidden("memprofile")
	return cmd
}

// Counts add up: Read = Refer + Review + Clear + Exempt + Rejected.
type Counts struct {
	Read, Refer, Review, Clear, Exempt, Rejected int
	TitleRows                                    int
	BadIDs                                       int // records with a data-quality note on their id
	EncodingWarnings                             int // rows read with bytes invalid in a forced encoding
}

func (c *Counts) add(v screen.Verdict) {
	c.Read++
	switch v {
	case screen.Refer:
		c.Refer++
	case screen.Review:
		c.Review++
	case screen.Clear:
		c.Clear++
	case screen.Exempt:
		c.Exempt++
	}
}

func runScan(opts *ScanOptions) (int, error) {
	start := time.Now()
	if !opts.FormatSet && strings.EqualFold(filepath.Ext(opts.Output), ".xlsx") {
		opts.Format = "xlsx"
	}
	if opts.SplitBy != "" {
		if opts.SplitBy != "street" {
			return exitError, fmt.Errorf("--split-by 只支持 street（按街道/镇分文件）")
		}
		if opts.Output == "" {
			return exitError, fmt.Errorf("--split-by street 须用 -o 指定输出目录")
		}
		opts.Format = "xlsx"
	}
	switch opts.Format {
	case "csv", "jsonl", "text", "xlsx":
	default:
		return exitError, fmt.Errorf("不支持的输出格式 %q（可用：csv、jsonl、text、xlsx）", opts.Format)
	}
	delim, err := parseDelimiter(opts.Delimiter)
	if err != nil {
		return exitError, err
	}
	scr, err := opts.Dict.load()
	if err != nil {
		return exitError, err
	}
	// Records are short-lived and the heap stays small; collecting less
	// often saves a fifth of the CPU on a large export; the soft limit keeps
	// the peak RSS flat all the same.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	memLimit := int64(64 << 20)
	if opts.Format == "xlsx" {
		memLimit = 160 << 20 // excelize builds the zip in memory at the end
	}
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(memLimit))
	if opts.CPUProfile != "" {
		pf, err := os.Create(opts.CPUProfile)
		if err != nil {
			return exitError, err
		}
		defer pf.Close()
		if err := pprof.StartCPUProfile(pf); err != nil {
			return exitError, err
		}
		defer pprof.StopCPUProfile()
	}
	if opts.MemProfile != "" {
		defer writeHeapProfile(opts.MemProfile, opts.IO.ErrOut)
	}

	var w resultWriter
	meta := report.Meta{Tool: "regscreen " + version, Dict: scr.Dictionary(), CommandLine: commandLine(), Start: start, All: opts.All}
	switch {
	case opts.SplitBy != "":
		w, err = newSplitWriter(opts.Output, meta)
	case opts.Format == "xlsx":
		w, err = newWorkbookWriter(meta, opts.Output, opts.IO.Out)
	default:
		w, err = newTextWriter(opts.Format, opts.Output, opts.IO.Out, opts.All, scr.DictVersion())
	}
	if err != nil {
		return exitError, err
	}
	finished := false
	defer func() {
		if !finished {
			w.Abort()
		}
	}()
	ctx := opts.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	var run *store.Run
	var excluded map[string]int64
	if opts.DB != "" {
		st, err := openStore(ctx, opts.DB)
		if err != nil {
			return exitError, err
		}
		defer st.Close()
		if excluded, err = st.Excluded(ctx); err != nil {
			return exitError, err
		}
		if run, err = st.BeginRun(ctx, store.RunStart{Started: start, DictVersion: scr.DictVersion(), Command: commandLine()}); err != nil {
			return exitError, err
		}
		defer func() { run.Fail(fmt.Errorf("运行未完成")) }() // no-op once committed
	}
	var rejects *rejectWriter
	if opts.Rejects != "" {
		if rejects, err = newRejectWriter(opts.Rejects); err != nil {
			return exitError, err
		}
		defer rejects.abort()
	}

	var counts Counts
	var prog *progress
	if opts.IO.ErrTTY && !opts.Quiet {
		prog = startProgress(opts.IO.ErrOut, totalSize(opts.Inputs))
	}
	sink := func(it *item) error {
		if prog != nil {
			prog.rows.Add(1)
		}
		switch {
		case it.reject != nil:
			counts.Read++
			counts.Rejected++
			if !opts.Quiet {
				fmt.Fprintf(opts.IO.ErrOut, "拒收 %s\n", it.reject.Error())
			}
			if rejects != nil {
				return rejects.write(it.reject)
			}
			return nil
		default:
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("运行被取消: %w", err)
			}
			counts.add(it.rec.Result.Verdict)
			if it.row.Warning != "" {
				counts.EncodingWarnings++
				if !opts.Quiet {
					fmt.Fprintf(opts.IO.ErrOut, "警告 %s:%d: %s\n", it.row.File, it.row.Line, it.row.Warning)
				}
			}
			if it.badID {
				counts.BadIDs++
			}
			if run != nil {
				if err := run.Add(ctx, storeRecord(scr, &it.rec)); err != nil {
					return err
				}
			}
			if opts.afterRecord != nil {
				opts.afterRecord(counts.Read)
			}
			return w.Write(&it.rec)
		}
	}
	src := &sources{opts: opts, delim: delim, counts: &counts, prog: prog}
	var exempt *input.ExemptList
	if opts.Exempt != "" {
		if exempt, err = input.LoadExempt(opts.Exempt); err != nil {
			return exitError, err
		}
	}
	err = pipeline(src.each, scr, screening{exempt: exempt, excluded: excluded}, opts.Workers, sink)
	prog.finish()
	if err != nil {
		if run != nil {
			run.Fail(err)
		}
		return exitError, err
	}
	info := report.RunInfo{Inputs: inputFiles(src.infos, opts.Inputs), Read: counts.Read, Refer: counts.Refer,
		Review: counts.Review, Clear: counts.Clear, Exempt: counts.Exempt, Rejected: counts.Rejected, Finish: time.Now()}
	if err := w.Finish(info); err != nil {
		if run != nil {
			run.Fail(err)
		}
		return exitError, err
	}
	finished = true
	if run != nil {
		if err := run.Commit(ctx, src.storeInputs(), store.Counts{Read: counts.Read, Refer: counts.Refer, Review: counts.Review,
			Clear: counts.Clear, Exempt: counts.Exempt, Rejected: counts.Rejected}, time.Now()); err != nil {
			return exitError, err
		}
		if !opts.Quiet {
			fmt.Fprintf(opts.IO.ErrOut, "已记入存储 %s（运行 %d）\n", dbPath(opts.DB), run.ID)
		}
	}
	if rejects != nil {
		if err := rejects.commit(); err != nil {
			return exitError, err
		}
	}
	if !opts.Quiet {
		printSummary(opts.IO.ErrOut, &counts, src.infos, scr.DictVersion())
	}
	switch {
	case counts.Rejected > opts.MaxRejects:
		fmt.Fprintf(opts.IO.ErrOut, "regscreen: 拒收 %d 行，超过 --max-rejects %d\n", counts.Rejected, opts.MaxRejects)
		return exitError, nil
	case counts.Refer+counts.Review > 0:
		return exitFlagged, nil
	}
	return exitClean, nil
}

func printSummary(w io.Writer, c *Counts, infos []fileInfo, version string) {
	for _, f := range infos {
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
		c.Read, c.Refer, c.Review, c.Clear, c.Exempt, c.Rejected, version)
	if c.EncodingWarnings > 0 {
		fmt.Fprintf(w, "其中 %d 行含强制编码下不合法的字节，已照常筛查并在“数据问题”列注明\n", c.EncodingWarnings)
	}
	if c.BadIDs > 0 {
		fmt.Fprintf(w, "其中 %d 条记录的信用代码/注册号有问题（见“数据问题”列）\n", c.BadIDs)
	}
	if c.TitleRows > 0 {
		fmt.Fprintf(w, "（表头上方的标题行 %d 行未计入）\n", c.TitleRows)
	}
}

func parseDelimiter(s string) (rune, error) {
	switch s {
	case "":
		return 0, nil
	case ",", ";", "|":
		return rune(s[0]), nil
	case "tab", "\\t", "\t":
		return '\t', nil
	}
	return 0, fmt.Errorf("不支持的分隔符 %q（可用：, tab ; |）", s)
}

// sources opens each input in turn and yields its rows as items.
type sources struct {
	opts   *ScanOptions
	delim  rune
	counts *Counts
	infos  []fileInfo
	prog   *progress
	hashes []hash.Hash // per input, when the run is stored
}

type fileInfo struct {
	Name string
	input.Info
}

func (s *sources) each(emit func(item) error) error {
	for _, name := range s.opts.Inputs {
		if err := s.one(name, emit); err != nil {
			return err
		}
	}
	return nil
}

func (s *sources) one(name string, emit func(item) error) error {
	var r io.Reader
	display := name
	if name == "-" {
		r, display = s.opts.IO.In, "<标准输入>"
	} else {
		f, err := os.Open(name)
		if err != nil {
			return fmt.Errorf("打开输入文件: %w", err)
		}
		defer f.Close()
		r = f
	}
	if s.prog != nil {
		r = countingReader{r, &s.prog.bytes}
	}
	if s.opts.DB != "" {
		h := sha256.New()
		s.hashes = append(s.hashes, h)
		r = io.TeeReader(r, h)
	}
	src, err := input.Open(name, r, display, input.Options{Format: s.opts.InputFormat, Encoding: s.opts.Encoding,
		Delimiter: s.delim, Sheet: s.opts.Sheet, NoHeader: s.opts.Columns.NoHeader, DeferChecks: true})
	if err != nil {
		return err
	}
	defer src.Close()
	s.infos = append(s.infos, fileInfo{display, src.Info})
	s.counts.TitleRows += src.Info.TitleRows
	cols, err := input.MapColumns(src.Header(), s.opts.Columns)
	if err != nil {
		return fmt.Errorf("%s 第 %d 行（表头）: %w", display, src.HeaderLine(), err)
	}
	header := src.Header()
	if header == nil {
		header = make([]string, 0)
	}
	// The checker is one method value for the whole file, not one a row.
	var check func(*input.Row) *input.RowError
	if rc, ok := src.Source.(input.RowChecker); ok {
		check = rc.CheckRow
	}
	for {
		row, err := src.Next()
		if err == io.EOF {
			return nil
		}
		if re, ok := input.IsRowError(err); ok {
			if err := emit(item{reject: re}); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return err
		}
		if s.opts.Columns.NoHeader && len(header) == 0 {
			header = make([]string, len(row.Cells))
			for i := range header {
				header[i] = fmt.Sprintf("第%d列", i+1)
			}
		}
		it := item{row: row, cols: &cols, header: header, check: check}
		if err := emit(it); err != nil {
			return err
		}
	}
}

// fields appends the texts to screen from a row to fs.
func fields(fs []screen.Field, row *input.Row, cols *input.Columns, header []string) []screen.Field {
	if cols.Name >= 0 {
		fs = append(fs, screen.Field{Name: "name", Text: row.Cell(cols.Name)})
	}
	for i, c := range cols.Scopes {
		name := "scope"
		if i > 0 && c < len(header) {
			name = header[c]
		}
		fs = append(fs, screen.Field{Name: name, Text: row.Cell(c)})
	}
	for _, c := range cols.Texts {
		name := fmt.Sprintf("第%d列", c+1)
		if c < len(header) && header[c] != "" {
			name = header[c]
		}
		fs = append(fs, screen.Field{Name: name, Text: row.Cell(c)})
	}
	return fs
}

// rejectWriter keeps each rejected row with its place and reason.
type rejectWriter struct {
	f *output.AtomicFile
	w *csv.Writer
}

func newRejectWriter(path string) (*rejectWriter, error) {
	f, err := output.CreateAtomic(path)
	if err != nil {
		return nil, err
	}
	w := csv.NewWriter(f)
	if err := w.Write([]string{"文件", "行", "列", "原因", "原始内容"}); err != nil {
		f.Abort()
		return nil, err
	}
	return &rejectWriter{f: f, w: w}, nil
}

func (r *rejectWriter) write(e *input.RowError) error {
	return r.w.Write([]string{e.File, fmt.Sprint(e.Line), fmt.Sprint(e.Column), e.Reason, e.Raw})
}

func (r *rejectWriter) commit() error {
	r.w.Flush()
	if err := r.w.Error(); err != nil {
		return err
	}
	return r.f.Commit()
}

func (r *rejectWriter) abort() { r.f.Abort() }

// commandLine is the exact command, quoted where needed, for 运行信息.
func commandLine() string {
	parts := make([]string, len(os.Args))
	for i, a := range os.Args {
		if a == "" || strings.ContainsAny(a, " \t\"'$`\\") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		parts[i] = a
	}
	return strings.Join(parts, " ")
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

// storeInputs describes the inputs for the store: name, size, SHA-256.
func (s *sources) storeInputs() []store.InputInfo {
	var out []store.InputInfo
	for i, f := range s.infos {
		in := store.InputInfo{Name: f.Name, Format: f.Format}
		if i < len(s.opts.Inputs) && s.opts.Inputs[i] != "-" {
			if st, err := os.Stat(s.opts.Inputs[i]); err == nil {
				in.Size = st.Size()
			}
		}
		if i < len(s.hashes) {
			in.SHA256 = hex.EncodeToString(s.hashes[i].Sum(nil))
		}
		out = append(out, in)
	}
	return out
}

// writeHeapProfile writes the allocation profile for --memprofile; a failure
// only warns, since the scan itself succeeded.
func writeHeapProfile(path string, errOut io.Writer) {
	f, err := os.Create(path)
	if err == nil {
		err = pprof.Lookup("allocs").WriteTo(f, 0)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		fmt.Fprintf(errOut, "regscreen: 写内存剖析 %s 失败: %v\n", path, err)
	}
}
