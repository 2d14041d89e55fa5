package output

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"github.com/regscreen/regscreen/input"
)

// RejectWriter keeps each rejected row with its place and reason, as a CSV
// a person opens (--rejects).
type RejectWriter struct {
	w    *csv.Writer
	safe bool
}

// NewRejectWriter writes the header to w; safe neutralises cells a
// spreadsheet would run as formulas (SafeCell).
func NewRejectWriter(w io.Writer, safe bool) (*RejectWriter, error) {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"文件", "行", "列", "原因", "原始内容"}); err != nil {
		return nil, err
	}
	return &RejectWriter{w: cw, safe: safe}, nil
}

// Write adds one rejected row.
func (r *RejectWriter) Write(e *input.RowError) error {
	// A NUL (a row rejected for holding one, or a JSON key quoted in a
	// reason) is shown, never written: it would cut the cell short in the
	// programs that open the file.
	noNUL := func(s string) string { return strings.ReplaceAll(s, "\x00", `\x00`) }
	raw := noNUL(e.Raw)
	if r.safe {
		raw = SafeCell(raw)
	}
	return r.w.Write([]string{noNUL(e.File), strconv.Itoa(e.Line), strconv.Itoa(e.Column), noNUL(e.Reason), raw})
}

// Finish flushes what is buffered.
func (r *RejectWriter) Finish() error {
	r.w.Flush()
	return r.w.Error()
}
