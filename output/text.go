package output

import (
	"bufio"
	"fmt"
	"io"

	"github.com/regscreen/regscreen/record"
	"github.com/regscreen/regscreen/screen"
)

// WriteResult writes one result for a person at a terminal: the title, the
// verdict, and each hit with its place, state and reason.
func WriteResult(w io.Writer, title string, res *screen.Result) {
	fmt.Fprintf(w, "%s\n  结论：%s\n", title, res.Verdict.Label())
	if len(res.Hits) == 0 {
		fmt.Fprintln(w, "  未发现限制性用语")
	}
	for _, h := range res.Hits {
		fmt.Fprintf(w, "  · %s【%s】%s第 %d–%d 字“%s”，%s类", h.Term, h.State(), screen.FieldLabel(h.Field), h.Start+1, h.End, h.Text, h.Group)
		if h.Regulator != "" && !h.Denied {
			fmt.Fprintf(w, "，牵头：%s", h.Regulator)
		}
		fmt.Fprintf(w, "\n    %s\n", h.Reason)
	}
}

// TextWriter writes records readably (scan --format text).
type TextWriter struct{ w *bufio.Writer }

// NewText writes readable text to w.
func NewText(w io.Writer) *TextWriter { return &TextWriter{w: bufio.NewWriter(w)} }

func (t *TextWriter) Write(r *record.Record) error {
	title := fmt.Sprintf("%s 第 %d 行：%s", r.File, r.Line, r.Name)
	if r.ID != "" {
		title += "（" + r.ID + "）"
	}
	WriteResult(t.w, title, &r.Result)
	for _, n := range r.Notes {
		fmt.Fprintf(t.w, "  ! %s\n", n)
	}
	_, err := t.w.WriteString("\n")
	return err
}

// Finish flushes what is buffered.
func (t *TextWriter) Finish(RunInfo) error { return t.w.Flush() }

// Abort does nothing: the bytes already written belong to the destination.
func (t *TextWriter) Abort() {}
