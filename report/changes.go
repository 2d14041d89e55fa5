package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/regscreen/regscreen/internal/zhtime"
	"github.com/regscreen/regscreen/output"
	"github.com/regscreen/regscreen/screen"
	"github.com/regscreen/regscreen/store"
)

// ChangesHeader is the header of the changes table.
var ChangesHeader = []string{"变动", "统一社会信用代码/标识", "街道（镇）", "变动前名称", "变动后名称", "变动前结论", "变动后结论",
	"变动前命中词", "变动后命中词", "变动前经营范围", "变动后经营范围", "处理状态", "会商意见"}

// Changes is the table of changes between two runs.
func Changes(cs []store.Change) *Table {
	t := &Table{Sheet: "变动", Header: ChangesHeader, Records: make([]any, len(cs)),
		Paper: &Paper{Title: "注册登记会商企业变动情况", Printed: changesPrinted, Marked: map[[2]int]bool{},
			Excerpt: map[int]int{9: 7, 10: 8}, Sign: SignatureLine}}
	for i, c := range cs {
		t.Records[i] = c
		b, a := c.Before, c.After
		if b == nil {
			b = &store.Snapshot{}
		}
		if a == nil {
			a = &store.Snapshot{}
		}
		t.Rows = append(t.Rows, []any{c.Kind, c.Key, c.Street(), b.Name, a.Name, VerdictLabel(b.Verdict), VerdictLabel(a.Verdict),
			b.Terms, a.Terms, b.Scope, a.Scope, c.Status, c.Opinion})
		if c.Before != nil && c.After != nil {
			// The field that changed, before and after, highlighted.
			for _, f := range [][3]any{{b.Name, a.Name, 3}, {b.Verdict, a.Verdict, 5}, {b.Terms, a.Terms, 7}, {b.Scope, a.Scope, 9}} {
				if f[0] != f[1] {
					col := f[2].(int)
					t.Paper.Marked[[2]int{i, col}], t.Paper.Marked[[2]int{i, col + 1}] = true, true
				}
			}
		}
	}
	t.Text = func(w io.Writer) error { return changesText(w, cs) }
	return t
}

// changesText writes the changes for reading in a terminal, as scan
// --format text does records: a line a company, then what changed, the
// scopes around their terms.
func changesText(out io.Writer, cs []store.Change) error {
	bw := bufio.NewWriter(out)
	// For a terminal: control characters in a name or scope shown, not
	// obeyed; above the buffer, which may cut a character in two.
	w := output.VisibleWriter(bw)
	for _, c := range cs {
		b, a := c.Before, c.After
		now := a
		if now == nil {
			now = b
		}
		fmt.Fprintf(w, "%s：%s（%s）", c.Kind, now.Name, c.Key)
		if st := c.Street(); st != "" {
			fmt.Fprintf(w, "，%s", st)
		}
		fmt.Fprintln(w)
		side := func(label string, s *store.Snapshot) {
			fmt.Fprintf(w, "  %s：%s", label, VerdictLabel(s.Verdict))
			if s.Terms != "" {
				fmt.Fprintf(w, "，命中词 %s", s.Terms)
			}
			fmt.Fprintln(w)
		}
		switch {
		case b != nil && a != nil:
			if b.Name != a.Name {
				fmt.Fprintf(w, "  名称：%s → %s\n", b.Name, a.Name)
			}
			if b.Verdict != a.Verdict {
				fmt.Fprintf(w, "  结论：%s → %s\n", VerdictLabel(b.Verdict), VerdictLabel(a.Verdict))
			}
			if b.Terms != a.Terms {
				fmt.Fprintf(w, "  命中词：%s → %s\n", orNone(b.Terms), orNone(a.Terms))
			}
			if b.Scope != a.Scope && b.Scope != "" {
				fmt.Fprintf(w, "  经营范围（变动前）：%s\n", scopeAround(b))
			}
			if a.Scope != "" && (b.Scope != a.Scope || a.Terms != "") {
				fmt.Fprintf(w, "  经营范围（变动后）：%s\n", scopeAround(a))
			}
		case a != nil:
			side("现在", a)
			if a.Scope != "" {
				fmt.Fprintf(w, "  经营范围：%s\n", scopeAround(a))
			}
		case b != nil:
			side("此前", b)
		}
		if c.Status != "" || c.Opinion != "" {
			fmt.Fprintf(w, "  会商：%s", c.Status)
			if c.Opinion != "" {
				fmt.Fprintf(w, "，%s", c.Opinion)
			}
			fmt.Fprintln(w)
		}
		fmt.Fprintln(w)
	}
	return bw.Flush()
}

// scopeAround is a scope as a terminal line shows it: whole when short,
// else around its terms.
func scopeAround(s *store.Snapshot) string {
	text, _ := excerpt(s.Scope, termMarks(s.Scope, s.Terms), 120, 3)
	return strings.TrimSuffix(text, fullTextNote)
}

func orNone(s string) string {
	if s == "" {
		return "（无）"
	}
	return s
}

// changesPrinted is the number of columns 变动 prints: up to the scopes;
// 处理状态 and 会商意见 stay on screen.
const changesPrinted = 11

// VerdictLabel is a stored verdict as a clerk reads it ("" stays "").
func VerdictLabel(v string) string {
	if v == "" {
		return ""
	}
	return screen.Verdict(v).Label()
}

// RunsCompared says which runs a report compares, with their start times
// on the local clock (from is 0 when there was no earlier run), and
// whether they used different dictionary versions.
func RunsCompared(runs []store.RunInfo, from, to int64) string {
	when := map[int64]string{}
	for _, r := range runs {
		when[r.ID] = zhtime.Local(r.Started)
	}
	if from == 0 {
		return fmt.Sprintf("运行 %d（%s），此前无运行", to, when[to])
	}
	return fmt.Sprintf("比较运行 %d（%s）与运行 %d（%s）", from, when[from], to, when[to]) + DictDiffers(runs, from, to)
}

// DictDiffers says, when runs from and to used different dictionary
// versions, that they did and that the changes it caused are listed
// apart; "" when they used the same one.
func DictDiffers(runs []store.RunInfo, from, to int64) string {
	dict := map[int64]string{}
	for _, r := range runs {
		dict[r.ID] = r.DictVersion
	}
	if from == 0 || dict[from] == dict[to] {
		return ""
	}
	return fmt.Sprintf("；注意：两次运行使用的词典版本不同（%s → %s），名称和经营范围未变而结论或命中词变了的企业单独列为“%s”",
		dict[from], dict[to], store.DictChanged)
}
