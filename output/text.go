package output

import (
	"bufio"
	"fmt"
	"io"

	"github.com/regscreen/regscreen/screen"
)

// WriteResult writes one result for a person at a terminal: the title, the
// verdict, and each hit with its place, state and reason. Record text in
// them shows its control characters (Visible).
func WriteResult(w io.Writer, title string, res *screen.Result) {
	fmt.Fprintf(w, "%s\n  结论：%s\n", Visible(title), res.Verdict.Label())
	if len(res.Hits) == 0 {
		fmt.Fprintln(w, "  未发现限制性用语")
	}
	for _, h := range res.Hits {
		fmt.Fprintf(w, "  · %s【%s】%s第 %d–%d 字“%s”，%s类", h.Term, h.State(), screen.FieldLabel(h.Field), h.Start+1, h.End, Visible(h.Text), h.Group)
		if h.Regulator != "" && !h.Denied {
			fmt.Fprintf(w, "，牵头：%s", h.Regulator)
		}
		fmt.Fprintf(w, "\n    %s\n", h.Reason)
	}
}

// TextWriter writes records readably (scan --format text), their control
// characters shown as escapes.
type TextWriter struct {
	buf *bufio.Writer
	w   io.Writer // buf, through VisibleWriter
}

// NewText writes readable text to w.
func NewText(w io.Writer) *TextWriter {
	buf := bufio.NewWriter(w)
	return &TextWriter{buf: buf, w: VisibleWriter(buf)}
}

func (t *TextWriter) Write(r *Record) error {
	title := fmt.Sprintf("%s 第 %d 行：%s", r.File, r.Line, r.Name)
	if r.ID != "" {
		title += "（" + r.ID + "）"
	}
	WriteResult(t.w, title, &r.Result)
	for _, n := range r.Notes {
		fmt.Fprintf(t.w, "  ! %s\n", n)
	}
	_, err := t.buf.WriteString("\n")
	return err
}

// Finish flushes what is buffered.
func (t *TextWriter) Finish(RunInfo) error { return t.buf.Flush() }

// Abort does nothing: the bytes already written belong to the destination.
func (t *TextWriter) Abort() {}
