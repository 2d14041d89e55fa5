package report

import (
	"fmt"
	"sort"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/regscreen/regscreen/output"
	"github.com/regscreen/regscreen/screen"
)

// defaultRowPts is the summary's row height; summaryPagePts is what an A4
// landscape page holds at the summary's fit-to-width scale (about 80-90 %).
const defaultRowPts, summaryPagePts = 15.0, 560.0

// writeSummary lays out one table per breakdown down column A, each with a
// bar chart beside it.
func (w *Workbook) writeSummary() error {
	f := w.f
	sh := SheetSummary
	if _, err := f.NewSheet(sh); err != nil {
		return err
	}
	tables := []Table{
		counted("按限制词（送会商企业数）", "限制词", w.stats.byTerm, w.termOrder()),
		counted("按类别（送会商企业数）", "类别", w.stats.byGroup, nil),
		counted("按牵头监管部门（送会商企业数）", "牵头监管部门", w.stats.byRegulator, nil),
		w.verdictTable(),
		w.streetTable(),
	}
	if err := setPage(f, sh, page{}); err != nil {
		return err
	}
	f.SetColWidth(sh, "A", "A", 34)
	f.SetColWidth(sh, "B", "C", 12)
	row, onPage := 1, 0.0
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 12}})
	for ti, t := range tables {
		f.SetCellValue(sh, cell(1, row), t.Title)
		f.SetCellStyle(sh, cell(1, row), cell(1, row), bold)
		head := row + 1
		for i, h := range t.Header {
			f.SetCellValue(sh, cell(i+1, head), h)
		}
		f.SetCellStyle(sh, cell(1, head), cell(len(t.Header), head), w.styles.header)
		for i, r := range t.Rows {
			for j, v := range r {
				f.SetCellValue(sh, cell(j+1, head+1+i), v)
			}
		}
		last := head + len(t.Rows)
		if len(t.Rows) == 0 {
			f.SetCellValue(sh, cell(1, head+1), "（无）")
			last = head + 1
		}
		// A table a breakdown: each gets its own autofilter (a sheet may
		// hold several tables but only one plain autofilter).
		if err := f.AddTable(sh, &excelize.Table{Range: cell(1, head) + ":" + cell(len(t.Header), last),
			Name: fmt.Sprintf("Summary%d", ti+1), StyleName: "TableStyleLight9"}); err != nil {
			return err
		}
		chartHeight := max(240, 22*len(t.Rows)+90) // pixels: a bar a row
		if len(t.Rows) > 0 {
			var series []excelize.ChartSeries
			for c := 2; c <= len(t.Header); c++ {
				col, _ := excelize.ColumnNumberToName(c)
				series = append(series, excelize.ChartSeries{
					Name:       fmt.Sprintf("'%s'!$%s$%d", sh, col, head),
					Categories: fmt.Sprintf("'%s'!$A$%d:$A$%d", sh, head+1, last),
					Values:     fmt.Sprintf("'%s'!$%s$%d:$%s$%d", sh, col, head+1, col, last),
				})
			}
			if err := f.AddChart(sh, cell(5, row), &excelize.Chart{
				Type:       excelize.Bar,
				Series:     series,
				Title:      excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: t.Title}}},
				Legend:     legend(len(series)),
				XAxis:      excelize.ChartAxis{Font: axisFont},
				YAxis:      countAxis(t.Rows),
				VaryColors: boolPtr(false),
				Format:     excelize.GraphicOptions{ScaleX: 1.1, ScaleY: 1.0},
				Dimension:  excelize.ChartDimension{Width: 560, Height: uint(chartHeight)},
			}); err != nil {
				return err
			}
		}
		rowsUsed := max(len(t.Rows)+3, 14, chartHeight*11/10/20+2) // rows of 20 pixels; charts draw a little taller
		// A breakdown and its chart on one page: break before a block that
		// would run over the page's foot.
		if pts := float64(rowsUsed) * defaultRowPts; onPage > 0 && onPage+pts > summaryPagePts {
			if err := f.InsertPageBreak(sh, cell(1, row)); err != nil {
				return err
			}
			onPage = 0
		}
		onPage += float64(rowsUsed) * defaultRowPts
		// Rows as high in every spreadsheet program (LibreOffice's default
		// is lower than Excel's), so the charts, placed in pixels, keep to
		// their blocks of rows.
		for r := row; r < row+rowsUsed; r++ {
			if err := f.SetRowHeight(sh, r, defaultRowPts); err != nil {
				return err
			}
		}
		row += rowsUsed
	}
	return setUsedRange(f, sh)
}

func cell(col, row int) string {
	c, _ := excelize.CoordinatesToCellName(col, row)
	return c
}

// termOrder lists the dictionary's terms in its own order.
func (w *Workbook) termOrder() []string {
	var out []string
	for _, t := range w.meta.Dict.Terms {
		out = append(out, t.Text)
	}
	return out
}

// counted makes a two-column table, in the given order or by count.
func counted(title, key string, m map[string]int, order []string) Table {
	t := Table{Title: title, Header: []string{key, "企业数"}}
	if order == nil {
		for k := range m {
			order = append(order, k)
		}
		sort.Slice(order, func(i, j int) bool {
			if m[order[i]] != m[order[j]] {
				return m[order[i]] > m[order[j]]
			}
			return order[i] < order[j]
		})
	}
	for _, k := range order {
		if m[k] > 0 {
			t.Rows = append(t.Rows, []any{k, m[k]})
		}
	}
	return t
}

func (w *Workbook) verdictTable() Table {
	t := Table{Title: "按结论（记录数）", Header: []string{"结论", "记录数"}}
	for _, v := range []screen.Verdict{screen.Refer, screen.Review, screen.Clear, screen.Exempt} {
		t.Rows = append(t.Rows, []any{v.Label(), w.stats.byVerdict[v]})
	}
	return t
}

func (w *Workbook) streetTable() Table {
	t := Table{Title: "按街道（镇）（企业数）", Header: []string{"街道（镇）", "送会商", "待复核"}}
	var keys []string
	for k := range w.stats.byStreet {
		keys = append(keys, k)
	}
	// The dictionary's streets first, in its order, then others by name.
	rank := map[string]int{}
	for i, s := range w.meta.Dict.Streets {
		rank[s] = i + 1
	}
	sort.Slice(keys, func(i, j int) bool {
		ri, rj := rank[keys[i]], rank[keys[j]]
		switch {
		case ri > 0 && rj > 0:
			return ri < rj
		case ri > 0 || rj > 0:
			return ri > 0
		}
		return keys[i] < keys[j]
	})
	for _, k := range keys {
		c := w.stats.byStreet[k]
		t.Rows = append(t.Rows, []any{k, c[0], c[1]})
	}
	return t
}

// writeRunInfo records the run's own facts so nothing is silently lost. It
// prints on one A4 portrait page: labels and values side by side, values
// left-aligned and wrapped, counts stored as numbers.
func (w *Workbook) writeRunInfo(info output.RunInfo) error {
	f := w.f
	sh := SheetRun
	if _, err := f.NewSheet(sh); err != nil {
		return err
	}
	const labelWidth, valueWidth = 22.0, 68.0
	f.SetColWidth(sh, "A", "A", labelWidth)
	f.SetColWidth(sh, "B", "B", valueWidth)
	timeFmt := "yyyy-mm-dd hh:mm:ss"
	ts, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &timeFmt, Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "top"}})
	label, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	value, _ := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "top", WrapText: true}})
	row := 1
	put := func(k string, v any) {
		f.SetCellValue(sh, cell(1, row), k)
		f.SetCellValue(sh, cell(2, row), v)
		f.SetCellStyle(sh, cell(1, row), cell(1, row), label)
		f.SetCellStyle(sh, cell(2, row), cell(2, row), value)
		if h := rowHeight([]any{k, v}, []float64{labelWidth, valueWidth}); h > minHeight {
			f.SetRowHeight(sh, row, h)
		}
		row++
	}
	f.SetCellValue(sh, "A1", "项目")
	f.SetCellValue(sh, "B1", "内容")
	f.SetCellStyle(sh, "A1", "B1", w.styles.header)
	f.SetRowHeight(sh, 1, 22)
	row = 2
	put("程序", w.meta.Tool)
	put("命令行", w.meta.CommandLine)
	startRow := row
	put("开始时间", w.meta.Start)
	put("结束时间", info.Finish)
	f.SetCellStyle(sh, cell(2, startRow), cell(2, startRow+1), ts)
	for i, in := range info.Inputs {
		desc := fmt.Sprintf("%s（%s", in.Name, in.Format)
		if in.Encoding != "" && in.Format != "xlsx" {
			desc += "，" + in.Encoding
		}
		if in.Sheet != "" {
			desc += "，工作表 " + in.Sheet
		}
		desc += fmt.Sprintf("，%d 字节）", in.Size)
		put(fmt.Sprintf("输入文件 %d", i+1), desc)
	}
	put("读取行数", info.Read)
	put("送会商", info.Refer)
	put("待复核", info.Review)
	put("无需处理", info.Clear)
	put("豁免", info.Exempt)
	licensed, consulted := w.stats.byExemption[screen.ExemptLicensed], w.stats.byExemption[screen.ExemptConsultation]
	if licensed+consulted > 0 {
		put("  其中：持牌机构豁免名单", licensed)
		put("  其中：会商排除", consulted)
	}
	put("拒收", info.Rejected)
	put("核对", fmt.Sprintf("读取 %d = 送会商 %d + 待复核 %d + 无需处理 %d + 豁免 %d + 拒收 %d", info.Read,
		info.Refer, info.Review, info.Clear, info.Exempt, info.Rejected))
	if w.stats.carried+w.stats.stale > 0 {
		put("沿用会商结论", w.stats.carried)
		put("变更后须重新会商", w.stats.stale)
	}
	put("超长单元格截断数", w.cut)
	put("词典版本", w.meta.Dict.Version())
	put("词典来源", strings.Join(w.meta.Dict.Sources, "、"))
	for _, t := range w.meta.Dict.Terms {
		reg := t.Regulator
		if reg == "" {
			reg = "（未指定）"
		}
		put("限制词 "+t.Text, fmt.Sprintf("%s；牵头：%s；依据：%s", t.Group, reg, t.Source))
	}
	for _, name := range []string{SheetRefer, SheetReview, SheetExcluded, SheetAll} {
		for _, s := range []*stream{w.refer, w.review, w.excluded, w.all} {
			if s != nil && s.base == name && len(s.parts) > 1 {
				put("分表", fmt.Sprintf("%s 超出 Excel 行数上限，续写于：%s", name, strings.Join(s.parts, "、")))
			}
		}
	}
	// One page: shrunk to fit unless that would make it unreadable (a run
	// over very many input files), then one page wide.
	if err := setPage(f, sh, page{portrait: true, oneTall: row < 70}); err != nil {
		return err
	}
	return setUsedRange(f, sh)
}

// axisFont is dark enough to read on paper (the default is pale grey).
var axisFont = excelize.Font{Color: "262626", Size: 10}

// countAxis is the value axis of a chart of counts: integer ticks from 0
// with a step that gives at most about ten of them.
func countAxis(rows [][]any) excelize.ChartAxis {
	most := 0
	for _, r := range rows {
		for _, v := range r[1:] {
			if n, ok := v.(int); ok {
				most = max(most, n)
			}
		}
	}
	zero := 0.0
	return excelize.ChartAxis{Font: axisFont, MajorGridLines: true, MajorUnit: float64(tickStep(most)), Minimum: &zero,
		NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0"}}
}

// tickStep is 1, 2, 5, 10, 20, 50… whichever keeps the ticks to about ten.
func tickStep(most int) int {
	for step := 1; ; step *= 10 {
		for _, m := range []int{1, 2, 5} {
			if most <= 10*step*m {
				return step * m
			}
		}
	}
}

// legend shows series names only when there is more than one series.
func legend(series int) excelize.ChartLegend {
	if series > 1 {
		return excelize.ChartLegend{Position: "bottom"}
	}
	return excelize.ChartLegend{Position: "none"}
}
