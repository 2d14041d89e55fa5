package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/regscreen/regscreen/dict"
	"github.com/regscreen/regscreen/output"
	"github.com/regscreen/regscreen/report"
)

// resultWriter takes every screened record and, at the end, what the run
// knows about itself; Abort leaves no file behind.
type resultWriter interface {
	Write(*output.Record) error
	Finish(report.RunInfo) error
	Abort()
}

// textWriter writes CSV, JSON Lines or text to stdout or a file.
type textWriter struct {
	w    output.Writer
	file *output.AtomicFile
}

func newTextWriter(format, path string, stdout io.Writer, all bool, version string) (*textWriter, error) {
	t := &textWriter{}
	out := stdout
	if path != "" {
		f, err := output.CreateAtomic(path)
		if err != nil {
			return nil, err
		}
		t.file, out = f, f
	}
	switch format {
	case "jsonl":
		t.w = output.NewJSONL(out, version)
	case "text":
		t.w = output.NewText(out)
	default:
		t.w = output.NewCSV(out, version)
	}
	t.w = output.Filtered(t.w, all)
	return t, nil
}

func (t *textWriter) Write(r *output.Record) error { return t.w.Write(r) }

func (t *textWriter) Finish(report.RunInfo) error {
	if err := t.w.Close(); err != nil {
		return fmt.Errorf("写出结果: %w", err)
	}
	if t.file != nil {
		return t.file.Commit()
	}
	return nil
}

func (t *textWriter) Abort() {
	if t.file != nil {
		t.file.Abort()
	}
}

// workbookWriter writes one consultation workbook.
type workbookWriter struct {
	wb     *report.Workbook
	path   string // "" = stdout
	stdout io.Writer
}

func newWorkbookWriter(meta report.Meta, path string, stdout io.Writer) (*workbookWriter, error) {
	wb, err := report.New(meta)
	if err != nil {
		return nil, fmt.Errorf("创建工作簿: %w", err)
	}
	return &workbookWriter{wb: wb, path: path, stdout: stdout}, nil
}

func (w *workbookWriter) Write(r *output.Record) error { return w.wb.Write(r) }

func (w *workbookWriter) Finish(info report.RunInfo) error {
	if w.path == "" {
		return w.wb.Save(w.stdout, info)
	}
	f, err := output.CreateAtomic(w.path)
	if err != nil {
		return err
	}
	if err := w.wb.Save(f, info); err != nil {
		f.Abort()
		return fmt.Errorf("写入 %s: %w", w.path, err)
	}
	return f.Commit()
}

func (w *workbookWriter) Abort() { w.wb.Close() }

// splitWriter writes one workbook per street/town into a directory, plus
// one for records whose address names none.
type splitWriter struct {
	dir   string
	meta  report.Meta
	dict  *dict.Dictionary
	books map[string]*workbookWriter
	order []string
	infos map[string]*report.RunInfo
}

// NoStreet names the workbook of records whose address names no street.
const NoStreet = "未识别街道"

func newSplitWriter(dir string, meta report.Meta) (*splitWriter, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("创建输出目录: %w", err)
	}
	return &splitWriter{dir: dir, meta: meta, dict: meta.Dict, books: map[string]*workbookWriter{}, infos: map[string]*report.RunInfo{}}, nil
}

func (s *splitWriter) Write(r *output.Record) error {
	street := s.dict.StreetOf(r.Address)
	if street == "" {
		street = NoStreet
	}
	b, ok := s.books[street]
	if !ok {
		name := "会商名单-" + strings.NewReplacer("/", "_", "\\", "_").Replace(street) + ".xlsx"
		var err error
		if b, err = newWorkbookWriter(s.meta, filepath.Join(s.dir, name), nil); err != nil {
			return err
		}
		s.books[street] = b
		s.order = append(s.order, street)
		s.infos[street] = &report.RunInfo{}
	}
	info := s.infos[street]
	info.Read++
	switch r.Result.Verdict.Label() {
	case "送会商":
		info.Refer++
	case "待复核":
		info.Review++
	case "无需处理":
		info.Clear++
	case "豁免":
		info.Exempt++
	}
	return b.Write(r)
}

// Finish saves every workbook; each one's 运行信息 counts its own records,
// and the rejected rows (which have no address) are noted in every one.
func (s *splitWriter) Finish(info report.RunInfo) error {
	for _, street := range s.order {
		own := *s.infos[street]
		own.Inputs, own.Finish = info.Inputs, info.Finish
		if err := s.books[street].Finish(own); err != nil {
			return err
		}
	}
	return nil
}

func (s *splitWriter) Abort() {
	for _, b := range s.books {
		b.Abort()
	}
}

// inputFiles describes the inputs for 运行信息.
func inputFiles(infos []fileInfo, names []string) []report.InputFile {
	var out []report.InputFile
	for i, f := range infos {
		var size int64
		if i < len(names) && names[i] != "-" {
			if st, err := os.Stat(names[i]); err == nil {
				size = st.Size()
			}
		}
		out = append(out, report.InputFile{Name: f.Name, Format: f.Format, Encoding: f.Encoding, Sheet: f.Sheet, Size: size})
	}
	return out
}
