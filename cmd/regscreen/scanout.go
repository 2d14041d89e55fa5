package main

import (
	"context"
	"io"
	"os"
	"strings"

	"github.com/regscreen/regscreen/input"
	"github.com/regscreen/regscreen/internal/version"
	"github.com/regscreen/regscreen/output"
	"github.com/regscreen/regscreen/report"
	"github.com/regscreen/regscreen/run"
	"github.com/regscreen/regscreen/screen"
	"github.com/regscreen/regscreen/searcher"
)

// plan is the run scan's flags ask for: its writers make files through
// files, so they appear only when the run commits. The store, once
// opened, is in the plan even with an error, for the caller to close.
func (o *ScanOptions) plan(ctx context.Context, scr *screen.Screener, files *output.Files, tmp string) (run.Plan, error) {
	p := run.Plan{Screener: scr, Search: o.searchOptions(), Workbook: o.Format == "xlsx", Files: files,
		Command: commandLine(), MaxRejects: o.MaxRejects, AllowShrink: o.AllowShrink, Now: o.IO.now,
		Explain: func(err error) string { return userMessage(err, "regscreen scan") }}
	var err error
	if o.Exempt != "" {
		if p.Search.Exempt, err = input.LoadExempt(o.Exempt); err != nil {
			return p, err
		}
	}
	if p.Results, err = o.newWriter(scr, files, tmp); err != nil {
		return p, err
	}
	if o.Rejects != "" {
		f, err := files.Create(o.Rejects)
		if err != nil {
			return p, fileError("创建拒收文件", o.Rejects, err)
		}
		out, _, _ := output.Encoded(f, "utf-8", false)
		if p.Rejects, err = output.NewRejectWriter(out, !o.RawCSV); err != nil {
			return p, err
		}
	}
	if o.DB != "" {
		p.Store, err = openStore(ctx, o.DB, o.IO)
	}
	return p, err
}

// newWriter makes the writer for -o (or stdout), --format and --split-by.
func (o *ScanOptions) newWriter(scr *screen.Screener, files *output.Files, tmp string) (output.Writer, error) {
	create := func(path string) (io.Writer, error) {
		f, err := files.Create(path)
		if err != nil {
			return nil, fileError("创建输出文件", path, err)
		}
		return f, nil
	}
	out := run.Output{Format: o.Format, To: o.IO.Out, All: o.All,
		Meta: report.Meta{Tool: "regscreen " + version.Line(), CommandLine: commandLine(), Start: o.IO.now(), TmpDir: tmp,
			Source: report.SourceNames(o.Inputs), District: report.District()}}
	switch {
	case o.SplitBy != "":
		out.SplitDir, out.Create = o.Output, create
	case o.Output != "":
		var err error
		if out.To, err = create(o.Output); err != nil {
			return nil, err
		}
		out.SafeCSV, out.Encoding, out.NoBOM = !o.RawCSV, o.OutEncoding, o.NoBOM
	}
	return run.NewWriter(out, scr)
}

func (o *ScanOptions) searchOptions() searcher.Options {
	delim, _ := parseDelimiter(o.Delimiter) // checked in resolve
	inputs := make([]searcher.Input, len(o.Inputs))
	for i, name := range o.Inputs {
		inputs[i] = searcher.File(name)
		if name == "-" {
			inputs[i] = searcher.Stream(searcher.StdinName, o.IO.In)
		}
	}
	return searcher.Options{Inputs: inputs, Workers: o.Workers, Columns: o.Columns,
		Input: input.Options{Format: o.InputFormat, Encoding: o.Encoding, Delimiter: delim, Sheet: o.Sheet, NoHeader: o.Columns.NoHeader}}
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
