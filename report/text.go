package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/regscreen/regscreen/internal/zhtime"
	"github.com/regscreen/regscreen/output"
	"github.com/regscreen/regscreen/record"
	"github.com/regscreen/regscreen/screen"
	"github.com/regscreen/regscreen/store"
)

// WriteHistory writes a company's runs and decisions for a person to
// read (history): its decision in force, every decision, and each run
// with its verdict and whether the name or scope changed.
func WriteHistory(w io.Writer, key string, entries []store.HistoryEntry, company *store.Change, decisions []record.Decision) {
	fmt.Fprintf(w, "%s", key)
	if company != nil && company.Status != "" {
		fmt.Fprintf(w, "  处理状态：%s", company.Status)
		if company.Opinion != "" {
			fmt.Fprintf(w, "（%s）", company.Opinion)
		}
	}
	fmt.Fprintln(w)
	// Every name it had (a rename into a restricted name: issue 21).
	var names []string
	last := ""
	for _, e := range entries {
		if e.Name != "" && e.Name != last {
			names = append(names, fmt.Sprintf("%s（运行 %d 起）", e.Name, e.Run))
			last = e.Name
		}
	}
	if len(names) > 1 {
		fmt.Fprintf(w, "历次名称：%s\n", strings.Join(names, " → "))
	}
	for _, d := range decisions {
		fmt.Fprintf(w, "会商结论 %s  %s  经办人 %s  %s  来自 %s\n", d.Date, d.Status, d.Handler, d.Opinion, d.Source)
	}
	for _, e := range entries {
		fmt.Fprintf(w, "运行 %d  %s  ", e.Run, zhtime.Local(e.Started))
		switch {
		case !e.Present:
			fmt.Fprintln(w, "不在导出中")
			continue
		case e.Record == nil:
			// No occurrence at all: the verdict every other output words so.
			fmt.Fprint(w, screen.Clear.Label())
			if e.Name != "" {
				fmt.Fprintf(w, "  %s", e.Name)
			} else {
				fmt.Fprint(w, "  （名称未记录：导出中没有名称，或存储升级前没有命中的企业只记指纹）")
			}
		default:
			fmt.Fprintf(w, "%s  %s  命中：%s", VerdictLabel(e.Record.Verdict), e.Record.Name, e.Record.Terms)
		}
		if e.Changed {
			fmt.Fprint(w, "  （名称或经营范围有变更）")
		}
		fmt.Fprintln(w)
	}
}

// WriteMatches lists the companies a part of a name matched (history),
// each with its latest name where the store has it.
func WriteMatches(w io.Writer, arg string, keys []string, names map[string]string) {
	var list []string
	for _, k := range keys[:min(len(keys), maxListedMatches)] {
		if n := names[k]; n != "" && !strings.HasSuffix(k, ":"+n) {
			k += " " + n
		}
		list = append(list, k)
	}
	more := ""
	if len(keys) > maxListedMatches {
		more = fmt.Sprintf("等 %d 家", len(keys))
	}
	fmt.Fprintf(w, "%s 对应 %d 家企业（%s%s），以下是第一家；请用统一社会信用代码或完整名称查询\n", arg, len(keys),
		output.Visible(strings.Join(list, "、")), more)
}

// maxListedMatches bounds the companies WriteMatches names.
const maxListedMatches = 20

// ChangesSummary counts the changes of each kind, in one line.
func ChangesSummary(cs []store.Change) string {
	n := map[string]int{}
	for _, c := range cs {
		n[c.Kind]++
	}
	s := fmt.Sprintf("%s %d，%s %d，%s %d，%s %d，%s %d，%s %d", store.NewlyReferred, n[store.NewlyReferred],
		store.NewWithHits, n[store.NewWithHits], store.Changed, n[store.Changed],
		store.NoLongerReferred, n[store.NoLongerReferred], store.ConsultExcluded, n[store.ConsultExcluded], store.Gone, n[store.Gone])
	if d := n[store.DictChanged]; d > 0 {
		s += fmt.Sprintf("；另有%s %d（名称和经营范围未变）", store.DictChanged, d)
	}
	return s
}
