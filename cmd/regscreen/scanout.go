package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/regscreen/regscreen/input"
	"github.com/regscreen/regscreen/output"
	"github.com/regscreen/regscreen/report"
	"github.com/regscreen/regscreen/searcher"
	"github.com/regscreen/regscreen/store"
)

// timeNow is the clock, a variable so tests can fix it.
var timeNow = time.Now

// newWriter makes the writer scan's flags ask for; files it writes go
// through s.files, so they appear only when the run commits.
func (s *scanRun) newWriter() (output.Writer, error) {
	o := s.opts
	meta := report.Meta{Tool: "regscreen " + version, Dict: s.scr.Dictionary(), CommandLine: commandLine(), Start: timeNow(), All: o.All, TmpDir: s.tmp}
	if o.SplitBy != "" {
		return report.NewSplitWriter(meta, o.Output, s.createFile)
	}
	out, closeOut, err := s.destination()
	if err != nil {
		return nil, err
	}
	var w output.Writer
	switch o.Format {
	case "xlsx":
		return report.New(meta, out)
	case "jsonl":
		w = output.NewJSONL(out, s.scr.DictVersion())
	case "text":
		w = output.NewText(out)
	default:
		w = output.NewCSV(out, s.scr.DictVersion(), o.Output != "" && !o.RawCSV)
	}
	return closing{output.Filtered(w, o.All), closeOut}, nil
}

// destination is stdout or the -o file; a CSV file gets a BOM or the
// GB18030 encoding a person's Excel needs.
func (s *scanRun) destination() (io.Writer, func() error, error) {
	o := s.opts
	if o.Output == "" {
		return o.IO.Out, func() error { return nil }, nil
	}
	f, err := s.createFile(o.Output)
	if err != nil {
		return nil, nil, err
	}
	if o.Format != "csv" {
		return f, func() error { return nil }, nil
	}
	return output.Encoded(f, o.OutEncoding, o.NoBOM)
}

func (s *scanRun) createFile(path string) (io.Writer, error) {
	f, err := s.files.Create(path)
	if err != nil {
		return nil, fileError("创建输出文件", path, err)
	}
	return f, nil
}

// closing flushes an encoder after the writer finishes.
type closing struct {
	output.Writer
	close func() error
}

func (c closing) Finish(info output.RunInfo) error {
	if err := c.Writer.Finish(info); err != nil {
		return err
	}
	return c.close()
}

// beginRun opens the store, reads the consultation's decisions and
// starts recording this run.
func (s *scanRun) beginRun(ctx context.Context) error {
	st, err := openStore(ctx, s.opts.DB, s.opts.IO.ErrOut)
	if err != nil {
		return err
	}
	s.st = st
	if s.decisions, err = loadDecisions(ctx, st); err != nil {
		return storeError(st.Path(), err)
	}
	s.run, err = st.BeginRun(ctx, store.RunStart{Started: timeNow(), DictVersion: s.scr.DictVersion(), Command: commandLine()})
	return storeError(st.Path(), err)
}

func (s *scanRun) commitRun(ctx context.Context, sum *searcher.Summary) error {
	var inputs []store.InputInfo
	for _, in := range sum.Inputs {
		inputs = append(inputs, store.InputInfo{Name: in.Name, Format: in.Format, Size: in.Size, Hash: in.Hash})
	}
	if err := s.run.Commit(ctx, inputs, sum.Counts, timeNow()); err != nil {
		return storeError(s.st.Path(), err)
	}
	s.opts.stored = true
	return nil
}

// loadDecisions reads the consultation's decisions in force, which carry
// forward into this run's workbook (and exempt a company ruled 排除).
func loadDecisions(ctx context.Context, st *store.Store) (map[string]searcher.Decision, error) {
	ds, err := st.Decisions(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]searcher.Decision, len(ds))
	for key, d := range ds {
		out[key] = searcher.Decision{FP: d.FP, Decision: output.Decision{Status: d.Status, Opinion: d.Opinion,
			Handler: d.Handler, Date: d.Date, Source: d.Source, Run: d.SourceRun}}
	}
	return out, nil
}

// rejectWriter keeps each rejected row with its place and reason.
type rejectWriter struct {
	w    *csv.Writer
	safe bool
}

func newRejectWriter(files *output.Files, path string, safe bool) (*rejectWriter, error) {
	f, err := files.Create(path)
	if err != nil {
		return nil, fileError("创建拒收文件", path, err)
	}
	out, _, _ := output.Encoded(f, "utf-8", false)
	w := csv.NewWriter(out)
	if err := w.Write([]string{"文件", "行", "列", "原因", "原始内容"}); err != nil {
		return nil, err
	}
	return &rejectWriter{w: w, safe: safe}, nil
}

func (r *rejectWriter) write(e *input.RowError) error {
	// A NUL (a row rejected for holding one, or a JSON key quoted in a
	// reason) is shown, never written: it would cut the cell short in the
	// programs that open the file.
	noNUL := func(s string) string { return strings.ReplaceAll(s, "\x00", `\x00`) }
	raw := noNUL(e.Raw)
	if r.safe {
		raw = output.SafeCell(raw)
	}
	return r.w.Write([]string{noNUL(e.File), fmt.Sprint(e.Line), fmt.Sprint(e.Column), noNUL(e.Reason), raw})
}

func (r *rejectWriter) finish() error {
	r.w.Flush()
	return r.w.Error()
}

// tuneMemory sets the collector for a scan and returns the undo.
// Records are short-lived and the heap stays small; collecting less often
// saves a fifth of the CPU on a large export, and the soft limit keeps the
// peak RSS flat all the same.
func tuneMemory(workbook, store bool) func() {
	gc := debug.SetGCPercent(400)
	limit := int64(64 << 20)
	if store {
		// The store's seen set (16 bytes a record) and the known companies
		// live for the whole run: at 64 MB the collector ran 84 times over
		// a 1M-row register, at 128 MB 19 times, 0.4 s of CPU less.
		limit = 128 << 20
	}
	if workbook {
		limit = 160 << 20 // excelize builds the zip in memory at the end
	}
	old := debug.SetMemoryLimit(limit)
	return func() { debug.SetGCPercent(gc); debug.SetMemoryLimit(old) }
}

// startProfiles starts the hidden developer profiles; the returned stop
// writes them.
func startProfiles(cpu, mem string, errOut io.Writer) (func(), error) {
	stop := func() {}
	if cpu != "" {
		pf, err := os.Create(cpu)
		if err != nil {
			return nil, fileError("创建剖析文件", cpu, err)
		}
		if err := pprof.StartCPUProfile(pf); err != nil {
			pf.Close()
			return nil, err
		}
		stop = func() { pprof.StopCPUProfile(); pf.Close() }
	}
	if mem == "" {
		return stop, nil
	}
	return func() { stop(); writeHeapProfile(mem, errOut) }, nil
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
