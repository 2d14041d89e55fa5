// Package report writes the consultation workbook: the referred companies
// (送会商) and those needing a look (待复核) with every term highlighted and
// empty columns for the consultation, a summary with charts, and the run's
// own facts. Rows are streamed (excelize StreamWriter), so a whole
// register's results fit in bounded memory.
package report

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/regscreen/regscreen/dict"
	"github.com/regscreen/regscreen/output"
	"github.com/regscreen/regscreen/screen"
)

// Sheet names, as the finance office reads them.
const (
	SheetRefer   = "送会商"
	SheetReview  = "待复核"
	SheetAll     = "全部记录"
	SheetSummary = "汇总"
	SheetRun     = "运行信息"
)

// StatusChoices fill the 处理状态 dropdown.
var StatusChoices = []string{"待会商", "会商中", "列入重点监管", "排除"}

// ConsultColumns are left empty for the clerk: the five assessment items of
// 三(一), the outcome, and who handled it when.
var ConsultColumns = []string{"股东背景", "信用状况", "经营团队", "运营方案", "风控措施", "会商意见", "处理状态", "经办人", "日期"}

var caseColumns = []string{"序号", "统一社会信用代码", "企业名称", "经营范围", "街道（镇）", "命中词", "类别", "出现位置", "牵头监管部门", "理由", "变形写法", "来源"}

var allColumns = []string{"序号", "统一社会信用代码", "企业名称", "经营范围", "街道（镇）", "结论", "命中词", "说明", "来源"}

// maxDataRows is Excel's row limit less the header row.
var maxDataRows = excelize.TotalRows - 1

// MaxCellChars is Excel's limit on a cell's length.
const MaxCellChars = excelize.TotalCellChars

const truncMark = "…【超出 Excel 单元格长度，已截断】"

// Meta is what is known when the run starts.
type Meta struct {
	Tool        string
	Dict        *dict.Dictionary
	CommandLine string
	Start       time.Time
	All         bool // add the 全部记录 sheet
	// TmpDir holds the workbook library's temporary files ("" = the
	// system's), so a run can remove them however it ends.
	TmpDir string
}

// Workbook is one consultation workbook being written; it is an
// output.Writer.
type Workbook struct {
	meta   Meta
	out    io.Writer
	f      *excelize.File
	styles styles
	refer  *stream
	review *stream
	all    *stream
	stats  stats
	cut    int // cells cut at the Excel limit
}

type styles struct {
	header, wrap, date int
	used, denied, look *excelize.Font
}

type stats struct {
	byTerm, byGroup, byRegulator map[string]int
	byStreet                     map[string][2]int // refer, review
	byVerdict                    map[screen.Verdict]int
}

// New starts a workbook that Finish writes to out.
func New(meta Meta, out io.Writer) (*Workbook, error) {
	f := excelize.NewFile(excelize.Options{TmpDir: meta.TmpDir})
	w := &Workbook{meta: meta, out: out, f: f, stats: stats{
		byTerm: map[string]int{}, byGroup: map[string]int{}, byRegulator: map[string]int{},
		byStreet: map[string][2]int{}, byVerdict: map[screen.Verdict]int{},
	}}
	var err error
	if w.styles.header, err = f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true, Color: "FFFFFF"},
		Fill:      excelize.Fill{Type: "pattern", Color: []string{"305496"}, Pattern: 1},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
	}); err != nil {
		return nil, err
	}
	if w.styles.wrap, err = f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}); err != nil {
		return nil, err
	}
	dateFmt := "yyyy-mm-dd"
	if w.styles.date, err = f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt, Alignment: &excelize.Alignment{Vertical: "top"}}); err != nil {
		return nil, err
	}
	w.styles.used = &excelize.Font{Bold: true, Color: "FF0000"}
	w.styles.denied = &excelize.Font{Color: "A6A6A6"}
	w.styles.look = &excelize.Font{Bold: true, Color: "C65911"}
	if w.refer, err = w.newStream(SheetRefer, caseHeader(SheetRefer)); err != nil {
		return nil, err
	}
	if w.review, err = w.newStream(SheetReview, caseHeader(SheetReview)); err != nil {
		return nil, err
	}
	if meta.All {
		if w.all, err = w.newStream(SheetAll, allColumns); err != nil {
			return nil, err
		}
	}
	f.DeleteSheet("Sheet1")
	return w, nil
}

func caseHeader(sheet string) []string {
	h := append([]string{}, caseColumns...)
	if sheet == SheetReview {
		h[9] = "复核原因"
	}
	return append(h, ConsultColumns...)
}

// stream is one sheet being streamed; past Excel's row limit it continues
// on 送会商(2), 送会商(3)…
type stream struct {
	w      *Workbook
	base   string
	header []string
	part   int
	name   string
	sw     *excelize.StreamWriter
	rows   int // data rows in the current part
	parts  []string
}

func (w *Workbook) newStream(base string, header []string) (*stream, error) {
	s := &stream{w: w, base: base, header: header}
	return s, s.open()
}

func (s *stream) open() error {
	s.part++
	s.name = s.base
	if s.part > 1 {
		s.name = fmt.Sprintf("%s(%d)", s.base, s.part)
	}
	s.parts = append(s.parts, s.name)
	f := s.w.f
	if _, err := f.NewSheet(s.name); err != nil {
		return err
	}
	// Validation must be in place before streaming starts; it covers the
	// whole column since the row count is not known yet.
	if col := indexOf(s.header, "处理状态"); col >= 0 {
		c, _ := excelize.ColumnNumberToName(col + 1)
		dv := excelize.NewDataValidation(true)
		dv.Sqref = fmt.Sprintf("%s2:%s%d", c, c, excelize.TotalRows)
		if err := dv.SetDropList(StatusChoices); err != nil {
			return err
		}
		dv.SetError(excelize.DataValidationErrorStyleStop, "处理状态", "请从下拉列表中选择："+strings.Join(StatusChoices, "、"))
		if err := f.AddDataValidation(s.name, dv); err != nil {
			return err
		}
	}
	// Printed landscape, one page wide: the office prints these lists.
	if err := printWide(f, s.name); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(s.name)
	if err != nil {
		return err
	}
	s.sw = sw
	s.rows = 0
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	// Widths right to left: StreamWriter prepends each call.
	for i := len(s.header) - 1; i >= 0; i-- {
		if err := sw.SetColWidth(i+1, i+1, columnWidth(s.header[i])); err != nil {
			return err
		}
	}
	if col := indexOf(s.header, "日期"); col >= 0 {
		if err := sw.SetColStyle(col+1, col+1, s.w.styles.date); err != nil {
			return err
		}
	}
	head := make([]any, len(s.header))
	for i, h := range s.header {
		head[i] = excelize.Cell{StyleID: s.w.styles.header, Value: h}
	}
	return sw.SetRow("A1", head, excelize.RowOpts{Height: 22})
}

func columnWidth(h string) float64 {
	switch h {
	case "经营范围", "说明", "理由", "复核原因":
		return 60
	case "企业名称":
		return 32
	case "统一社会信用代码", "出现位置", "牵头监管部门", "来源":
		return 22
	case "序号":
		return 7
	case "股东背景", "信用状况", "经营团队", "运营方案", "风控措施", "会商意见":
		return 18
	}
	return 12
}

func (s *stream) add(values []any) error {
	if s.rows == maxDataRows {
		if err := s.close(); err != nil {
			return err
		}
		if err := s.open(); err != nil {
			return err
		}
	}
	s.rows++
	cell, _ := excelize.CoordinatesToCellName(1, s.rows+1)
	return s.sw.SetRow(cell, values)
}

// close adds the table (with its autofilter) over the rows written and
// flushes the sheet.
func (s *stream) close() error {
	if s.rows > 0 {
		last, _ := excelize.CoordinatesToCellName(len(s.header), s.rows+1)
		if err := s.sw.AddTable(&excelize.Table{Range: "A1:" + last, Name: tableName(s.name), StyleName: "TableStyleLight9", ShowRowStripes: boolPtr(true)}); err != nil {
			return err
		}
	}
	return s.sw.Flush()
}

func boolPtr(b bool) *bool { return &b }

func tableName(sheet string) string {
	switch {
	case strings.HasPrefix(sheet, SheetRefer):
		return fmt.Sprintf("Refer%d", len(sheet))
	case strings.HasPrefix(sheet, SheetReview):
		return fmt.Sprintf("Review%d", len(sheet))
	}
	return fmt.Sprintf("All%d", len(sheet))
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

// Write adds a record to the sheets it belongs to.
func (w *Workbook) Write(r *output.Record) error {
	v := r.Result.Verdict
	w.stats.byVerdict[v]++
	if v != screen.Refer && v != screen.Review && w.all == nil {
		return nil // most records: counted, nothing more to write
	}
	street := r.Street
	switch v {
	case screen.Refer:
		w.count(r, street, 0)
		if err := w.refer.add(w.caseRow(w.refer.rows+1, r, street)); err != nil {
			return err
		}
	case screen.Review:
		w.count(r, street, 1)
		if err := w.review.add(w.caseRow(w.review.rows+1, r, street)); err != nil {
			return err
		}
	}
	if w.all != nil {
		return w.all.add(w.allRow(w.all.rows+1, r, street))
	}
	return nil
}

func (w *Workbook) count(r *output.Record, street string, which int) {
	if street == "" {
		street = "（未识别街道）"
	}
	c := w.stats.byStreet[street]
	c[which]++
	w.stats.byStreet[street] = c
	if which != 0 {
		return
	}
	seen := map[string]bool{}
	for _, h := range r.Result.Hits {
		if !h.Used() || seen[h.Term] {
			continue
		}
		seen[h.Term] = true
		w.stats.byTerm[h.Term]++
	}
	groups, regs := map[string]bool{}, map[string]bool{}
	for _, h := range r.Result.Hits {
		if h.Used() {
			groups[h.Group] = true
			reg := h.Regulator
			if reg == "" {
				reg = "（未指定）"
			}
			regs[reg] = true
		}
	}
	for g := range groups {
		w.stats.byGroup[g]++
	}
	for reg := range regs {
		w.stats.byRegulator[reg]++
	}
}

func (w *Workbook) caseRow(n int, r *output.Record, street string) []any {
	res := &r.Result
	name := w.highlight(r.Name, res.Hits, "name")
	scope := w.highlight(r.Scope, res.Hits, "scope")
	terms := res.Terms()
	var groups, wheres, regs, evasions []string
	for _, h := range res.Hits {
		if h.Denied || res.Verdict == screen.Refer && !h.Used() {
			continue
		}
		groups = addUnique(groups, h.Group)
		wheres = addUnique(wheres, screen.FieldLabel(h.Field))
		regs = addUnique(regs, h.Regulator)
		for _, e := range h.Evasions {
			evasions = addUnique(evasions, string(e))
		}
	}
	reasons := res.Reasons()
	if len(r.Notes) > 0 {
		reasons += "；数据问题：" + strings.Join(r.Notes, "；")
	}
	row := []any{n, r.ID, name, scope, street, strings.Join(terms, "、"), strings.Join(groups, "、"),
		strings.Join(wheres, "、"), strings.Join(regs, "；"), w.plain(reasons), strings.Join(evasions, "、"),
		fmt.Sprintf("%s 第%d行", r.File, r.Line)}
	for range ConsultColumns {
		row = append(row, nil)
	}
	return row
}

func (w *Workbook) allRow(n int, r *output.Record, street string) []any {
	res := &r.Result
	return []any{n, r.ID, w.plain(r.Name), w.plain(r.Scope), street, res.Verdict.Label(),
		strings.Join(res.Terms(), "、"), w.plain(res.Reasons()), fmt.Sprintf("%s 第%d行", r.File, r.Line)}
}

func addUnique(list []string, s string) []string {
	if s == "" {
		return list
	}
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// plain returns a cell value, cut with a visible marker at Excel's limit.
func (w *Workbook) plain(s string) any {
	if utf16Len(s) <= MaxCellChars {
		return excelize.Cell{StyleID: w.styles.wrap, Value: s}
	}
	w.cut++
	return excelize.Cell{StyleID: w.styles.wrap, Value: cut(s)}
}

func cut(s string) string {
	limit := MaxCellChars - utf16Len(truncMark)
	n := 0
	for i, r := range s {
		n += utf16Units(r)
		if n > limit {
			return s[:i] + truncMark
		}
	}
	return s
}

func utf16Units(r rune) int {
	if r >= 0x10000 {
		return 2
	}
	return 1
}

func utf16Len(s string) int {
	if len(s) <= MaxCellChars {
		return utf8.RuneCountInString(s) // at most len(s) units; fast path
	}
	n := 0
	for _, r := range s {
		n += utf16Units(r)
	}
	return n
}

// highlight turns a field into rich text: used terms red and bold, terms
// needing a look orange, denied occurrences grey.
func (w *Workbook) highlight(text string, hits []screen.Hit, field string) any {
	if utf16Len(text) > MaxCellChars {
		return w.plain(text)
	}
	var spans []screen.Hit
	for _, h := range hits {
		if h.Field == field {
			spans = append(spans, h)
		}
	}
	if len(spans) == 0 {
		return excelize.Cell{StyleID: w.styles.wrap, Value: text}
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].Start < spans[j].Start })
	runes := []rune(text)
	var runs []excelize.RichTextRun
	pos := 0
	for _, h := range spans {
		if h.Start < pos { // overlapping terms: the earlier run already covers it
			continue
		}
		if h.Start > pos {
			runs = append(runs, excelize.RichTextRun{Text: string(runes[pos:h.Start])})
		}
		font := w.styles.used
		switch {
		case h.Denied:
			font = w.styles.denied
		case !h.Used():
			font = w.styles.look
		}
		runs = append(runs, excelize.RichTextRun{Text: string(runes[h.Start:h.End]), Font: font})
		pos = h.End
	}
	if pos < len(runes) {
		runs = append(runs, excelize.RichTextRun{Text: string(runes[pos:])})
	}
	return excelize.Cell{StyleID: w.styles.wrap, Value: runs}
}

// Finish completes every sheet and writes the workbook out.
func (w *Workbook) Finish(info output.RunInfo) error { return w.save(w.out, info) }

func (w *Workbook) save(out io.Writer, info output.RunInfo) error {
	for _, s := range []*stream{w.refer, w.review, w.all} {
		if s != nil {
			if err := s.close(); err != nil {
				return fmt.Errorf("写入工作表 %s: %w", s.name, err)
			}
		}
	}
	if err := w.writeSummary(); err != nil {
		return fmt.Errorf("写入汇总: %w", err)
	}
	if err := w.writeRunInfo(info); err != nil {
		return fmt.Errorf("写入运行信息: %w", err)
	}
	w.f.SetActiveSheet(0)
	if _, err := w.f.WriteTo(out); err != nil {
		return err
	}
	return w.f.Close()
}

// Abort releases the workbook's temporary files without saving.
func (w *Workbook) Abort() { w.f.Close() }

func printWide(f *excelize.File, sheet string) error {
	landscape, one, zero, fit := "landscape", 1, 0, true
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Orientation: &landscape, FitToWidth: &one, FitToHeight: &zero}); err != nil {
		return err
	}
	return f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit})
}
