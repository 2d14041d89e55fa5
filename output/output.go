// Package output writes screening results as CSV (the input columns plus the
// verdict columns), JSON Lines (one object per record) or readable text, and
// holds what every writer shares: the run's facts, the Writer interface,
// files that appear whole (Files) and the rejected rows' CSV.
package output

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/regscreen/regscreen/record"
	"github.com/regscreen/regscreen/screen"
)

// RunInfo is what a run knows about itself when it ends.
type RunInfo struct {
	Inputs []record.Input
	Header []string // the first input's header (a CSV with no record still has it)
	screen.Counts
	Finish time.Time
}

// Writer takes every screened record in input order and, at the end, what
// the run knows about itself. Finish completes the output; Abort gives up
// and leaves nothing of it behind. A writer writes to an io.Writer; making a
// file appear whole is Files' job.
type Writer interface {
	Write(*record.Record) error
	Finish(RunInfo) error
	Abort()
}

// Filtered passes on only referred and review records unless all is set;
// the text formats write what the clerk acts on by default.
func Filtered(w Writer, all bool) Writer {
	if all {
		return w
	}
	return filtered{w}
}

type filtered struct{ Writer }

func (f filtered) Write(r *record.Record) error {
	if r.Flagged() {
		return f.Writer.Write(r)
	}
	return nil
}

// FormatOf is the output format a file name's extension asks for: csv,
// jsonl, text or xlsx; false for another extension.
func FormatOf(path string) (string, bool) {
	f, ok := formatByExt[strings.ToLower(filepath.Ext(path))]
	return f, ok
}

var formatByExt = map[string]string{".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".txt": "text", ".xlsx": "xlsx"}

// VerdictColumns are appended to the input columns in CSV output.
var VerdictColumns = []string{"结论", "命中词", "命中位置", "说明", "数据问题", "词典版本"}

// CSVWriter passes the input columns through and adds the verdict columns.
type CSVWriter struct {
	w       *csv.Writer
	version string
	safe    bool
	header  []string
	started bool
}

// NewCSV writes CSV to w; dictVersion goes into every row. safe
// neutralises cells a spreadsheet would run as formulas (SafeCell), for a
// file a person opens.
func NewCSV(w io.Writer, dictVersion string, safe bool) *CSVWriter {
	return &CSVWriter{w: csv.NewWriter(w), version: dictVersion, safe: safe}
}

func (c *CSVWriter) start(header []string) error {
	c.header = header
	c.started = true
	row := append(append([]string{}, header...), VerdictColumns...)
	if c.safe { // the header is the input's text too
		for i := range row {
			row[i] = SafeCell(row[i])
		}
	}
	return c.w.Write(row)
}

func (c *CSVWriter) Write(r *record.Record) error {
	if !c.started {
		if err := c.start(r.Header); err != nil {
			return err
		}
	} else if !sameHeader(c.header, r.Header) {
		return fmt.Errorf("%s 的表头与前一个输入文件不同，CSV 输出无法合并；请分别处理，或用 --format jsonl", r.File)
	}
	cells := make([]string, 0, len(c.header)+len(VerdictColumns))
	cells = append(cells, r.Cells...)
	for len(cells) < len(c.header) {
		cells = append(cells, "")
	}
	if c.safe {
		for i := range cells {
			cells[i] = SafeCell(cells[i])
		}
	}
	cells = append(cells, r.Result.Verdict.Label(), strings.Join(r.Result.Terms(), "；"),
		Positions(&r.Result), r.Result.Reasons(), strings.Join(r.Notes, "；"), c.version)
	return c.w.Write(cells)
}

func sameHeader(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Finish writes the header if no record came, and flushes.
func (c *CSVWriter) Finish(info RunInfo) error {
	if !c.started {
		if err := c.start(info.Header); err != nil {
			return err
		}
	}
	c.w.Flush()
	return c.w.Error()
}

// Abort does nothing: the bytes already written belong to the destination.
func (c *CSVWriter) Abort() {}

// Positions writes where each hit stands, 1-based and inclusive as a clerk
// counts characters: 名称5-6“理財”.
func Positions(r *screen.Result) string {
	parts := make([]string, 0, len(r.Hits))
	for _, h := range r.Hits {
		state := ""
		if !h.Used() {
			state = "(" + h.State() + ")"
		}
		parts = append(parts, fmt.Sprintf("%s%d-%d“%s”%s", screen.FieldLabel(h.Field), h.Start+1, h.End, h.Text, state))
	}
	return strings.Join(parts, "；")
}

// JSONLWriter writes one JSON object per record.
type JSONLWriter struct {
	w       *bufio.Writer
	enc     *json.Encoder
	version string
}

// NewJSONL writes JSON Lines to w.
func NewJSONL(w io.Writer, dictVersion string) *JSONLWriter {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	return &JSONLWriter{w: bw, enc: enc, version: dictVersion}
}

// JSONRecord is the JSON Lines shape of a record.
type JSONRecord struct {
	File      string            `json:"file"`
	Line      int               `json:"line"`
	ID        string            `json:"id"`
	Name      string            `json:"name"`
	Verdict   screen.Verdict    `json:"verdict"`
	Exemption *screen.Exemption `json:"exemption,omitempty"`
	Hits      []screen.Hit      `json:"hits"`
	Notes     []string          `json:"notes,omitempty"`
	Dict      string            `json:"dict"`
}

func (j *JSONLWriter) Write(r *record.Record) error {
	hits := r.Result.Hits
	if hits == nil {
		hits = []screen.Hit{}
	}
	return j.enc.Encode(JSONRecord{File: r.File, Line: r.Line, ID: r.ID, Name: r.Name,
		Verdict: r.Result.Verdict, Exemption: r.Result.Exemption, Hits: hits, Notes: r.Notes, Dict: j.version})
}

// Finish flushes what is buffered.
func (j *JSONLWriter) Finish(RunInfo) error { return j.Flush() }

// Abort does nothing: the bytes already written belong to the destination.
func (j *JSONLWriter) Abort() {}

// Flush writes out what is buffered; the writer stays usable.
func (j *JSONLWriter) Flush() error { return j.w.Flush() }
