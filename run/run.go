// Package run owns one screening run from its start to its commit. A
// Plan names the run's parts — the writers, the rejected rows' writer, the
// files to put in place, the store — and Execute screens the inputs
// (searcher), hands every result to the store and the writers in input
// order, and then commits in the order the README promises:
//
//  1. the counts must add up, and the rejected rows stay within MaxRejects;
//  2. every writer finishes (a workbook is written out whole);
//  3. the store commits the run (one transaction);
//  4. the output files are renamed into place.
//
// A failure at any step, or a cancelled context, aborts: the writers are
// abandoned, the files removed, the store's run rolled back and listed as
// failed with the reason. The plan takes readers, writers and a context,
// not paths and flags, so that the CLI's scan and a server that streams an
// upload in and a workbook out drive the same run.
package run

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/regscreen/regscreen/input"
	"github.com/regscreen/regscreen/output"
	"github.com/regscreen/regscreen/record"
	"github.com/regscreen/regscreen/screen"
	"github.com/regscreen/regscreen/searcher"
	"github.com/regscreen/regscreen/store"
)

// Plan is what one run reads, applies and writes.
type Plan struct {
	Screener *screen.Screener
	// Search says what to read (inputs, columns, workers, the exempt
	// list). The run fills in what follows from the plan: the store's
	// decisions, keys and hashes when there is a store, streets when the
	// store or a workbook needs them.
	Search searcher.Options
	// Results takes every screened record (see NewWriter).
	Results output.Writer
	// Workbook says Results is a workbook: streets are looked up for
	// every record, not only for those with an occurrence.
	Workbook bool
	// Rejects, if set, takes every rejected row.
	Rejects *output.RejectWriter
	// Files are put in place at the commit's last step and removed on an
	// abort; nil when the writers write to streams that are not files.
	Files Files
	// Store, if set, records the run; the caller opens and closes it.
	Store *store.Store
	// Command is the command line, as the store records it.
	Command string
	// MaxRejects fails the run when more rows are rejected; < 0: no limit.
	MaxRejects int
	// ListedRejects is how many rejected rows the rejects file and the
	// 拒收 sheet list (0: RejectFileLines); the rest are counted.
	ListedRejects int
	// AllowShrink lets a store run read fewer rows than ShrinkShare of the
	// last complete run's: the clerk confirmed that the register shrank.
	AllowShrink bool
	// Now is the clock (nil: time.Now).
	Now func() time.Time
	// Log, if set, gets a line for each of the first ShownLines rows read
	// with a warning and each of the first ShownLines rejected rows; the
	// outcome counts the rest (a million-row run rejecting 905 rows filled
	// the screen and the log).
	Log func(line string)
	// Phase, if set, is told what the run does after the last row (writing
	// the results, recording the store), which can take seconds.
	Phase func(what string)
	// OnRow, if set, is called with the number of rows handed on so far,
	// after each (a progress line; a test cancelling at a chosen row).
	OnRow func(n int)
	// Explain, if set, words an error as the store records a failed
	// run's reason (nil: its Error()).
	Explain func(error) string
}

// Files are output files that appear whole only when the run commits
// (output.Files).
type Files interface {
	Commit() error
	Abort()
}

// Outcome is what a run found out and where it was recorded.
type Outcome struct {
	*searcher.Summary
	// RunID is the store's run (0 without a store); Stored says the store
	// committed it, so that an error after that is not reported as a run
	// that left the store unchanged.
	RunID  int64
	Stored bool
	// HiddenRejects and HiddenWarnings are the lines not given to Log.
	HiddenRejects, HiddenWarnings int
	// RejectsWithHits counts the rejected rows whose raw text uses a
	// restricted term (a stray quote must not hide a P2P company);
	// RejectHits says where and which terms, for the first ShownLines.
	RejectsWithHits int
	RejectHits      []string
	// DuplicateKeys counts the records of a store run that named a company
	// an earlier record named too (the store keeps it once).
	DuplicateKeys int
}

// RejectLister is a results writer that also lists the rejected rows,
// with what screening their raw text found (a workbook's 拒收 sheet).
type RejectLister interface {
	WriteReject(e *input.RowError, res *screen.Result) error
}

// ShownLines is how many rejects, and how many warnings, a run logs one
// by one.
const ShownLines = 20

// Flagged reports whether a clerk has something to act on: a row
// referred, to review or rejected.
func (o *Outcome) Flagged() bool { return o.Refer+o.Review+o.Rejected > 0 }

// RejectLimitError fails a run with more rejected rows than MaxRejects.
type RejectLimitError struct{ Rejected, Max int }

func (e *RejectLimitError) Error() string {
	return fmt.Sprintf("拒收 %d 行，超过 --max-rejects %d；本次运行作废，未写出结果，存储未改动", e.Rejected, e.Max)
}

// ShrinkShare is the share, in percent, of the last complete run's rows
// that a store run must read: an export cut at a line break reads as a
// short but whole file, and storing it would list every company after
// the cut as gone from the register. A register does not lose a tenth of
// its companies overnight.
const ShrinkShare = 90

// ShrinkError fails a store run that read under ShrinkShare percent of
// the rows of the last complete run (LastRun), unless AllowShrink.
type ShrinkError struct {
	Read, LastRead int
	LastRun        int64
}

func (e *ShrinkError) Error() string {
	return fmt.Sprintf("本次读取 %d 行，上次完整运行（运行 %d）读取 %d 行，少了一成以上，导出文件可能不完整；"+
		"本次运行作废，未写出结果，存储未改动。如确认名录确实变小，请加 --allow-shrink 重新运行", e.Read, e.LastRun, e.LastRead)
}

// Execute runs the plan from start to commit. On an error nothing is put
// in place and the store is as it was (unless Outcome.Stored: the files
// could not be renamed after the store committed). The outcome has the
// summary once the inputs were read whole (with a RejectLimitError too),
// not after a failed search.
func Execute(ctx context.Context, p Plan) (*Outcome, error) {
	r, err := Begin(ctx, p)
	if err != nil {
		return nil, err
	}
	sum, err := r.Search(ctx)
	if err != nil {
		r.Abort(ctx, err)
		return r.outcome(nil), err
	}
	out, err := r.Commit(ctx, sum)
	if err != nil {
		r.Abort(ctx, err)
	}
	return out, err
}

// Run is a run under way: Begin, Search, then Commit or Abort.
type Run struct {
	p         Plan
	run       *store.Run
	decisions map[string]record.Decision
	n         int // rows handed on
	// rejects and warnings count the lines for Log, shown or not.
	rejects, warnings int
	stored            bool // the store committed the run
	committed         bool // and the files are in place
	// last is the store's last complete run, for the shrink check (zero
	// without one, or with AllowShrink).
	last store.RunInfo
	// rejectsWithHits and rejectHits: see Outcome.
	rejectsWithHits int
	rejectHits      []string
	// rejectLines are the rejects listed in the rejects file and on the
	// 拒收 sheet, rejectsUnlisted those past Plan.ListedRejects, only counted.
	rejectLines, rejectsUnlisted int
}

// Begin reads the consultation's decisions from the store and starts the
// store's run. On an error the plan's writers and files are abandoned.
func Begin(ctx context.Context, p Plan) (*Run, error) {
	if p.Now == nil {
		p.Now = time.Now
	}
	if p.ListedRejects <= 0 {
		p.ListedRejects = RejectFileLines
	}
	r := &Run{p: p}
	if p.Store != nil {
		var err error
		if r.decisions, err = p.Store.Decisions(ctx); err != nil {
			err = storeError(p.Store, err)
			r.Abort(ctx, err)
			return nil, err
		}
		if r.last, err = lastComplete(ctx, p); err != nil {
			err = storeError(p.Store, err)
			r.Abort(ctx, err)
			return nil, err
		}
		start := store.RunStart{Started: p.Now(), DictVersion: p.Screener.DictVersion(), Command: p.Command}
		if r.run, err = p.Store.BeginRun(ctx, start); err != nil {
			err = storeError(p.Store, err)
			r.Abort(ctx, err)
			return nil, err
		}
	}
	return r, nil
}

// lastComplete is the store's last complete run, unless the plan allows
// a shrink.
func lastComplete(ctx context.Context, p Plan) (store.RunInfo, error) {
	if p.AllowShrink {
		return store.RunInfo{}, nil
	}
	runs, err := p.Store.Runs(ctx)
	for _, ri := range runs {
		if ri.Status == "complete" {
			return ri, err
		}
	}
	return store.RunInfo{}, err
}

// Search screens the inputs and hands each result on, and returns the
// summary (not to be read after an error; see searcher.Run).
func (r *Run) Search(ctx context.Context) (*searcher.Summary, error) {
	o := r.p.Search
	o.Decisions, o.Identify, o.Hash = r.decisions, r.run != nil, r.run != nil
	if r.p.Workbook || r.run != nil {
		o.Street = r.p.Screener.Dictionary().StreetOf
		o.StreetForAll = r.p.Workbook
	}
	return searcher.Run(ctx, r.p.Screener, o, r)
}

// Record takes one screened record: the store, then the writer.
func (r *Run) Record(rec *record.Record) error {
	r.n++
	if rec.Warning != "" && r.p.Log != nil {
		if r.warnings++; r.warnings <= ShownLines {
			r.p.Log(fmt.Sprintf("警告 %s:%d: %s", rec.File, rec.Line, rec.Warning))
		}
	}
	if r.run != nil {
		if err := r.run.Add(context.Background(), rec); err != nil {
			return storeError(r.p.Store, err)
		}
	}
	if r.p.OnRow != nil {
		r.p.OnRow(r.n)
	}
	return r.p.Results.Write(rec)
}

// Reject takes one row that could not be screened.
func (r *Run) Reject(e *input.RowError) error {
	r.n++
	if r.p.OnRow != nil {
		r.p.OnRow(r.n)
	}
	if r.p.Log != nil {
		if r.rejects++; r.rejects <= ShownLines {
			r.p.Log("拒收 " + e.Error())
		}
	}
	// The raw text is screened too: the row is still rejected (the counts
	// stay as they are), but a clerk is told that it names a term.
	res := r.p.Screener.ScreenText(e.Raw)
	if res.Verdict == screen.Refer || res.Verdict == screen.Review {
		if r.rejectsWithHits++; len(r.rejectHits) < ShownLines {
			r.rejectHits = append(r.rejectHits, fmt.Sprintf("%s:%d: %s", e.File, e.Line, strings.Join(res.Terms(), "、")))
		}
	}
	// The rejects file and the workbook's 拒收 sheet list the same rows,
	// bounded alike; past the bound they are counted only.
	if r.rejectLines >= r.p.ListedRejects {
		r.rejectsUnlisted++
		return nil
	}
	r.rejectLines++
	if l, ok := r.p.Results.(RejectLister); ok {
		if err := l.WriteReject(e, &res); err != nil {
			return err
		}
	}
	if r.p.Rejects != nil {
		return r.p.Rejects.Write(e)
	}
	return nil
}

// RejectFileLines is how many rejected rows the rejects file lists by
// default; the rest are counted, and a last line says how many (a hostile
// sheet once wrote 85 million reject lines, 25 GB).
const RejectFileLines = 1_000_000

// Commit checks the counts, completes the writers, commits the store and
// only then puts the files in place. After an error the caller aborts.
func (r *Run) Commit(ctx context.Context, sum *searcher.Summary) (*Outcome, error) {
	out := r.outcome(sum)
	if !sum.Balanced() {
		return out, fmt.Errorf("内部错误：计数不平（%+v），未写出结果", sum.Counts)
	}
	if r.p.MaxRejects >= 0 && sum.Rejected > r.p.MaxRejects {
		return out, &RejectLimitError{Rejected: sum.Rejected, Max: r.p.MaxRejects}
	}
	if l := r.last; l.ID != 0 && sum.Read*100 < l.Read*ShrinkShare {
		return out, &ShrinkError{Read: sum.Read, LastRead: l.Read, LastRun: l.ID}
	}
	if r.p.Workbook {
		r.phase("正在写出工作簿…")
	} else {
		r.phase("正在写出结果…")
	}
	// The header too: a CSV of a night with no hit has the input's columns.
	info := output.RunInfo{Inputs: sum.Inputs, Header: sum.Header, Counts: sum.Counts, Finish: r.p.Now()}
	if err := r.p.Results.Finish(info); err != nil {
		return out, fmt.Errorf("写出结果: %w", err)
	}
	if r.p.Rejects != nil {
		if r.rejectsUnlisted > 0 {
			if err := r.p.Rejects.Write(&input.RowError{Reason: fmt.Sprintf("其余 %d 行拒收未逐行列出（拒收文件最多列 %d 行），已计入拒收数",
				r.rejectsUnlisted, r.p.ListedRejects)}); err != nil {
				return out, err
			}
		}
		if err := r.p.Rejects.Finish(); err != nil {
			return out, err
		}
	}
	if r.run != nil {
		r.phase("正在记入存储…")
		if err := r.run.Commit(ctx, sum.Inputs, sum.Counts, r.p.Now()); err != nil {
			return out, storeError(r.p.Store, err)
		}
		r.stored, out.Stored, out.DuplicateKeys = true, true, r.run.Duplicates
	}
	if r.p.Files != nil {
		if err := r.p.Files.Commit(); err != nil {
			if r.run != nil {
				return out, fmt.Errorf("运行已记入存储（运行 %d），但结果文件未能写出，请重新运行以得到结果文件: %w", r.run.ID, err)
			}
			return out, err
		}
	}
	r.committed = true
	return out, nil
}

// Abort abandons the writers, removes the files and, unless the store
// committed, rolls its run back and records it as failed for err. It is
// a no-op after a successful Commit.
func (r *Run) Abort(ctx context.Context, err error) {
	if r.committed {
		return
	}
	r.p.Results.Abort()
	if r.p.Files != nil {
		r.p.Files.Abort()
	}
	if r.run != nil && !r.stored {
		r.run.Fail(r.cause(ctx, err))
	}
}

// cause is the reason the store records for a failed run. The store
// keeps no counts for one, so an interrupt says them in words: 读取 0 in
// db runs would read as if nothing had been done.
func (r *Run) cause(ctx context.Context, err error) error {
	switch {
	case ctx.Err() != nil && r.n > 0:
		return fmt.Errorf("运行被中断（此前已筛查 %d 行，均未记入）", r.n)
	case ctx.Err() != nil:
		return errors.New("运行被中断")
	case err != nil && r.p.Explain != nil:
		return errors.New(r.p.Explain(err))
	case err != nil:
		return err
	}
	return errors.New("运行未完成")
}

func (r *Run) phase(what string) {
	if r.p.Phase != nil {
		r.p.Phase(what)
	}
}

func (r *Run) outcome(sum *searcher.Summary) *Outcome {
	out := &Outcome{Summary: sum, Stored: r.stored,
		HiddenRejects: max(r.rejects-ShownLines, 0), HiddenWarnings: max(r.warnings-ShownLines, 0),
		RejectsWithHits: r.rejectsWithHits, RejectHits: r.rejectHits}
	if r.run != nil {
		out.RunID = r.run.ID
	}
	return out
}

// storeError names the store in an error that does not already: SQLite's
// own errors name no file.
func storeError(st *store.Store, err error) error {
	return store.Named(st.Path(), err)
}

// WriteSummary writes for a person what the run read and found, the
// counts adding up, and the dictionary's version.
func (o *Outcome) WriteSummary(w io.Writer, version string) {
	sum := o.Summary
	for _, f := range sum.Inputs {
		desc := f.Format
		if f.Encoding != "" && f.Format != "xlsx" {
			desc += "，" + f.Encoding
		}
		if f.Sheet != "" {
			desc += "，工作表 " + f.Sheet
		}
		fmt.Fprintf(w, "输入 %s（%s）\n", f.Name, desc)
		for _, n := range f.Notes {
			fmt.Fprintf(w, "  注意：%s\n", n)
		}
	}
	fmt.Fprintf(w, "读取 %d 行：送会商 %d，待复核 %d，无需处理 %d，豁免 %d，拒收 %d；词典版本 %s\n",
		sum.Read, sum.Refer, sum.Review, sum.Clear, sum.Exempt, sum.Rejected, version)
	if sum.Warnings > 0 {
		fmt.Fprintf(w, "其中 %d 行读取时有警告（如强制编码下不合法的字节），已照常筛查，警告见上方和“数据问题”列\n", sum.Warnings)
	}
	if sum.BadIDs > 0 {
		fmt.Fprintf(w, "其中 %d 条记录的信用代码/注册号有问题（见“数据问题”列）\n", sum.BadIDs)
	}
	if sum.ExcelIDs > 0 {
		fmt.Fprintf(w, "其中 %d 条记录的%s；这些企业改按企业名称识别\n", sum.ExcelIDs, record.ExcelMangledNote)
	}
	for _, name := range duplicateInputs(sum.Inputs) {
		fmt.Fprintf(w, "警告：输入 %s 与前面的一个输入相同（同名或内容相同），其中的企业重复列出\n", name)
	}
	if o.DuplicateKeys > 0 {
		fmt.Fprintf(w, "警告：有 %d 行与前面的行是同一家企业（信用代码或名称相同），存储中按一家记\n", o.DuplicateKeys)
	}
	if o.RejectsWithHits > 0 {
		fmt.Fprintf(w, "拒收的行中有 %d 行含限制词，请修正这些行后重新筛查：\n", o.RejectsWithHits)
		for _, h := range o.RejectHits {
			fmt.Fprintf(w, "  %s\n", h)
		}
		if n := o.RejectsWithHits - len(o.RejectHits); n > 0 {
			fmt.Fprintf(w, "  （另有 %d 行未列出）\n", n)
		}
	}
	if sum.TitleRows > 0 {
		fmt.Fprintf(w, "（表头上方的标题行 %d 行未计入）\n", sum.TitleRows)
	}
}

// duplicateInputs names the inputs that repeat an earlier one: the same
// name, or the same size and hash (the store's runs hash what they read).
func duplicateInputs(ins []record.Input) []string {
	var out []string
	for i, in := range ins {
		for _, e := range ins[:i] {
			if in.Name == e.Name || in.Hash != "" && in.Hash == e.Hash && in.Size == e.Size {
				out = append(out, in.Name)
				break
			}
		}
	}
	return out
}
