package run

import (
	"io"

	"github.com/regscreen/regscreen/output"
	"github.com/regscreen/regscreen/report"
	"github.com/regscreen/regscreen/screen"
)

// Output says what results to write, in which format and where to.
type Output struct {
	Format string    // csv, jsonl, text or xlsx
	To     io.Writer // where the results go (a file, standard output, an HTTP response)
	// All writes every record; otherwise csv, jsonl and text write only
	// the referred and review ones (a workbook adds its 全部记录 sheet).
	All bool
	// For a CSV a person opens: SafeCSV neutralises cells a spreadsheet
	// would run as formulas; Encoding (utf-8 or gb18030, "" for none) adds
	// a BOM (unless NoBOM) or converts.
	SafeCSV  bool
	Encoding string
	NoBOM    bool
	// Meta describes the run in a workbook (its Dict and All are filled
	// in here).
	Meta report.Meta
	// SplitDir, if set, asks for one workbook per street/town in that
	// directory, each made through Create (To is not used).
	SplitDir string
	Create   func(path string) (io.Writer, error)
}

// NewWriter makes the writer o asks for, screening with scr.
func NewWriter(o Output, scr *screen.Screener) (output.Writer, error) {
	meta := o.Meta
	meta.Dict, meta.All = scr.Dictionary(), o.All
	if o.SplitDir != "" {
		return report.NewSplitWriter(meta, o.SplitDir, o.Create)
	}
	if o.Format == "xlsx" {
		return report.New(meta, o.To)
	}
	out, flush := o.To, func() error { return nil }
	if o.Format == "csv" && o.Encoding != "" {
		var err error
		if out, flush, err = output.Encoded(o.To, o.Encoding, o.NoBOM); err != nil {
			return nil, err
		}
	}
	var w output.Writer
	switch o.Format {
	case "jsonl":
		w = output.NewJSONL(out, scr.DictVersion())
	case "text":
		w = output.NewText(out)
	default:
		w = output.NewCSV(out, scr.DictVersion(), o.SafeCSV)
	}
	return flushing{output.Filtered(w, o.All), flush}, nil
}

// flushing flushes an encoder after the writer finishes.
type flushing struct {
	output.Writer
	flush func() error
}

func (f flushing) Finish(info output.RunInfo) error {
	if err := f.Writer.Finish(info); err != nil {
		return err
	}
	return f.flush()
}
