package output

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/regscreen/regscreen/dict"
	"github.com/regscreen/regscreen/record"
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
			// The notice's wording, with today's body where it changed,
			// as the workbook says it.
			fmt.Fprintf(w, "，牵头：%s", dict.RegulatorNow(h.Regulator))
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

func (t *TextWriter) Write(r *record.Record) error {
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

// WriteExplained writes a result as check does, then how each hit was
// judged: the normalised text around it, its tokens, the denial cue and its
// reach (or why none applies), and the rule that decided.
func WriteExplained(w io.Writer, text string, res *screen.Result, expl []screen.Explanation) {
	WriteResult(w, text, res)
	for i, e := range expl {
		h := &e.Hit
		fmt.Fprintf(w, "  ▸ 第 %d 处“%s”（%s第 %d–%d 字）判定过程\n", i+1, h.Text, screen.FieldLabel(h.Field), h.Start+1, h.End)
		fmt.Fprintf(w, "    规范化后的上下文：%s\n", e.Window)
		if len(e.Tokens) > 0 {
			fmt.Fprintf(w, "    分词：%s\n", strings.Join(e.Tokens, "|"))
		}
		for _, r := range e.Readings {
			fmt.Fprintf(w, "    %s\n", r)
		}
		if e.Reach != "" {
			fmt.Fprintf(w, "    否定提示词：“%s”，作用范围：“%s”\n", e.Cue, e.Reach)
		} else {
			fmt.Fprintf(w, "    否定提示词：%s\n", e.Cue)
		}
		fmt.Fprintf(w, "    判定：%s → %s\n", e.Rule, h.State())
	}
	fmt.Fprintln(w)
}

// FlushBeforeRead flushes an output before each read of the input that
// may block (a reader reads only when its buffer is used up): a name
// typed at a terminal, or arriving through tail -f, is answered at once.
type FlushBeforeRead struct {
	R        io.Reader
	Flush    func() error
	FlushErr error // the flush that failed, if one did
}

func (f *FlushBeforeRead) Read(p []byte) (int, error) {
	if err := f.Flush(); err != nil {
		f.FlushErr = err
		return 0, err
	}
	return f.R.Read(p)
}
