// Package report writes the consultation workbook: the referred companies
// (送会商) and those needing a look (待复核) with every term highlighted and
// empty columns for the consultation, a summary with charts, and the run's
// own facts. Rows are streamed (excelize StreamWriter), so a whole
// register's results fit in bounded memory.
package report

import (
	"cmp"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/regscreen/regscreen/dict"
	"github.com/regscreen/regscreen/output"
	"github.com/regscreen/regscreen/record"
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

// SheetExcluded lists the companies the consultation ruled 排除, which are
// not referred again until their name or scope changes: named with the
// one word the change report uses too (会商排除). Workbooks written before
// named it SheetExcludedOld, which db import-status still reads.
const (
	SheetExcluded    = "会商排除"
	SheetExcludedOld = "会商已排除"
)

// The case sheets (送会商, 待复核) put first what the meeting works with on
// paper, the printed columns (the scope only around its hits), and after
// them, on screen only: the full scope, the reasons, the details of each
// hit and the five assessment items.
var (
	casePrinted = []string{ColSeq, ColName, ColID, ColHits, ColRegulator, ColStatus, ColOpinion, ColHandler, ColDate}
	caseRest    = []string{ColTerms, ColScope, ColStreet, ColReason, ColGroup, ColWhere, ColEvasions, ColSource}
	allColumns  = []string{ColSeq, ColID, ColName, ColScope, ColStreet, ColVerdict, ColTerms, ColNote, ColSource}
	allPrinted  = 8
	exclColumns = []string{ColSeq, ColName, ColID, ColTerms, ColStatus, ColOpinion, ColHandler, ColDate, ColRuling, ColScope, ColStreet}
	exclPrinted = 9
)

// excludedTitle heads 会商排除: why these companies are not referred and
// when they will be again.
const excludedTitle = "以下企业经注册登记会商排除，本次不列入送会商；名称或经营范围一旦变更，将重新列入送会商。"

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
	// Source names the export(s) screened, for the printed title line.
	Source string
	// District is the office's name (REGSCREEN_DISTRICT), heading the
	// printed lists; "" leaves it out.
	District string
}

// Workbook is one consultation workbook being written; it is an
// output.Writer.
type Workbook struct {
	meta     Meta
	out      io.Writer
	f        *excelize.File
	styles   styles
	refer    *stream
	review   *stream
	all      *stream
	excluded *stream // 会商排除, started at the first such company
	rejected *stream // 拒收, started at the first rejected row
	licensed *stream // 持牌机构豁免, started at the first such company
	stats    stats
	cut      int // cells cut at the Excel limit
}

type styles struct {
	header, wrap, date, dateCol, title, seq, sign int
	used, denied, look, terms                     *excelize.Font
}

type stats struct {
	byTerm, byGroup, byRegulator map[string]int
	byStreet                     map[string][2]int // refer, review
	byVerdict                    map[screen.Verdict]int
	byExemption                  map[screen.ExemptionKind]int
	carried, stale               int // decisions pre-filled; decisions that no longer hold
}

// New starts a workbook that Finish writes to out.
func New(meta Meta, out io.Writer) (*Workbook, error) {
	f := excelize.NewFile(excelize.Options{TmpDir: meta.TmpDir})
	w := &Workbook{meta: meta, out: out, f: f, stats: stats{
		byTerm: map[string]int{}, byGroup: map[string]int{}, byRegulator: map[string]int{},
		byStreet: map[string][2]int{}, byVerdict: map[screen.Verdict]int{}, byExemption: map[screen.ExemptionKind]int{},
	}}
	var err error
	if w.styles.header, err = f.NewStyle(headerStyle()); err != nil {
		return nil, err
	}
	if w.styles.wrap, err = f.NewStyle(&excelize.Style{Border: thinBorders, Font: bodyFont(),
		Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}); err != nil {
		return nil, err
	}
	dateFmt := "yyyy-mm-dd"
	// The 日期 column's style, for dates typed in any row; its cells in
	// the table are boxed besides.
	if w.styles.dateCol, err = f.NewStyle(&excelize.Style{Font: bodyFont(), CustomNumFmt: &dateFmt,
		Alignment: &excelize.Alignment{Vertical: "top", Horizontal: "left"}}); err != nil {
		return nil, err
	}
	if w.styles.date, err = f.NewStyle(&excelize.Style{Border: thinBorders, Font: bodyFont(), CustomNumFmt: &dateFmt,
		Alignment: &excelize.Alignment{Vertical: "top", Horizontal: "left"}}); err != nil {
		return nil, err
	}
	if w.styles.seq, err = f.NewStyle(&excelize.Style{Border: thinBorders, Font: bodyFont(),
		Alignment: &excelize.Alignment{Vertical: "top", Horizontal: "center"}}); err != nil {
		return nil, err
	}
	if w.styles.sign, err = f.NewStyle(&excelize.Style{Font: bodyFont(), Alignment: &excelize.Alignment{Vertical: "bottom"}}); err != nil {
		return nil, err
	}
	if w.styles.title, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 12},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}}); err != nil {
		return nil, err
	}
	w.styles.used = font(func(f *excelize.Font) { f.Bold, f.Color = true, "FF0000" })
	w.styles.denied = font(func(f *excelize.Font) { f.Color = "A6A6A6" })
	w.styles.look = font(func(f *excelize.Font) { f.Bold, f.Color = true, "C65911" })
	w.styles.terms = font(func(f *excelize.Font) { f.Bold = true })
	if w.refer, err = w.newStream(SheetRefer, caseHeader(SheetRefer), len(casePrinted), w.title("注册登记会商名单（送会商）"), caseList); err != nil {
		return nil, err
	}
	if w.review, err = w.newStream(SheetReview, caseHeader(SheetReview), len(casePrinted), w.title("注册登记会商名单（待复核）"), caseList); err != nil {
		return nil, err
	}
	if meta.All {
		if w.all, err = w.newStream(SheetAll, allColumns, allPrinted, nil, listKind{}); err != nil {
			return nil, err
		}
	}
	f.DeleteSheet("Sheet1")
	return w, nil
}

func caseHeader(sheet string) []string {
	h := append(append(append([]string{}, casePrinted...), caseRest...), AssessColumns...)
	if sheet == SheetReview {
		h[indexOf(h, ColReason)] = ColReviewReason
	}
	return h
}

// stream is one sheet being streamed; past Excel's row limit it continues
// on 送会商(2), 送会商(3)…
type stream struct {
	w      *Workbook
	base   string
	title  []excelize.RichTextRun // a line above the header, if any
	header []string
	// dropdown offers StatusChoices in 处理状态; signed adds the signature
	// line under the table.
	dropdown, signed bool
	widths           []float64
	page             page
	part             int
	name             string
	sw               *excelize.StreamWriter
	rows             int // data rows in the current part
	parts            []string
	sizes            []int // data rows in each part, for the print areas
}

// listKind is how a list sheet prints and what it offers.
type listKind struct {
	actual, dropdown, signed bool
}

var (
	// caseList: 送会商, 待复核, worked on at the meeting.
	caseList = listKind{actual: true, dropdown: true, signed: true}
	// excludedList: 会商排除, printed for the file at the same size.
	excludedList = listKind{actual: true}
)

// newStream starts a sheet whose first printed columns print.
func (w *Workbook) newStream(base string, header []string, printed int, title []excelize.RichTextRun, kind listKind) (*stream, error) {
	s := &stream{w: w, base: base, header: header, title: title, page: page{cols: printed, titles: 1, actual: kind.actual},
		dropdown: kind.dropdown, signed: kind.signed}
	if title != nil {
		s.page.titles = 2
	}
	for _, h := range header {
		s.widths = append(s.widths, columnWidth(h))
	}
	return s, s.open()
}

// headRow is the row of the column headers.
func (s *stream) headRow() int { return s.page.titles }

func (s *stream) open() error {
	s.part++
	s.name = s.base
	if s.part > 1 {
		s.name = fmt.Sprintf("%s(%d)", s.base, s.part)
	}
	s.parts = append(s.parts, s.name)
	s.sizes = append(s.sizes, 0)
	f := s.w.f
	if _, err := f.NewSheet(s.name); err != nil {
		return err
	}
	first := s.headRow() + 1
	// Validation must be in place before streaming starts; it covers the
	// whole column since the row count is not known yet.
	if col := indexOf(s.header, ColStatus); col >= 0 && s.dropdown {
		c, _ := excelize.ColumnNumberToName(col + 1)
		dv := excelize.NewDataValidation(true)
		dv.Sqref = fmt.Sprintf("%s%d:%s%d", c, first, c, excelize.TotalRows)
		if err := dv.SetDropList(record.StatusChoices); err != nil {
			return err
		}
		dv.SetError(excelize.DataValidationErrorStyleStop, ColStatus, "请从下拉列表中选择："+strings.Join(record.StatusChoices, "、"))
		if err := f.AddDataValidation(s.name, dv); err != nil {
			return err
		}
	}
	if err := setPage(f, s.name, s.page); err != nil {
		return err
	}
	// The row count is not known yet, and a <dimension> of A1 makes
	// readers that trust it (openpyxl read-only) see one column: none.
	if err := f.SetSheetDimension(s.name, ""); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(s.name)
	if err != nil {
		return err
	}
	s.sw = sw
	s.rows = 0
	top, _ := excelize.CoordinatesToCellName(1, first)
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: s.headRow(), TopLeftCell: top, ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	// Widths right to left: StreamWriter prepends each call.
	for i := len(s.header) - 1; i >= 0; i-- {
		if err := sw.SetColWidth(i+1, i+1, s.widths[i]); err != nil {
			return err
		}
	}
	if col := indexOf(s.header, ColDate); col >= 0 {
		if err := sw.SetColStyle(col+1, col+1, s.w.styles.dateCol); err != nil {
			return err
		}
	}
	if s.title != nil {
		last, _ := excelize.CoordinatesToCellName(s.printedCols(), 1)
		if err := sw.MergeCell("A1", last); err != nil {
			return err
		}
		h := titleHeight(s.title, sum(s.widths[:s.printedCols()]))
		if err := sw.SetRow("A1", []any{excelize.Cell{StyleID: s.w.styles.title, Value: s.title}}, excelize.RowOpts{Height: h}); err != nil {
			return err
		}
	}
	head := make([]any, len(s.header))
	for i, h := range s.header {
		head[i] = excelize.Cell{StyleID: s.w.styles.header, Value: h}
	}
	cell, _ := excelize.CoordinatesToCellName(1, s.headRow())
	return sw.SetRow(cell, head, excelize.RowOpts{Height: max(22, rowHeight(head, s.widths))})
}

// printedCols is the number of leading columns that print.
func (s *stream) printedCols() int {
	if s.page.cols > 0 {
		return min(len(s.header), s.page.cols)
	}
	return len(s.header)
}

func sum(xs []float64) float64 {
	t := 0.0
	for _, x := range xs {
		t += x
	}
	return t
}

func (s *stream) add(values []any) error {
	if s.rows == s.capacity() {
		if err := s.close(); err != nil {
			return err
		}
		if err := s.open(); err != nil {
			return err
		}
	}
	s.rows++
	s.sizes[len(s.sizes)-1] = s.rows
	// Every cell top-aligned, wrapped and boxed, so a row reads across at
	// one height and a note written in a box belongs to its row; an empty
	// printed cell gets its box too (the date column its date format).
	printed := s.printedCols()
	date := indexOf(s.header, ColDate)
	for i, v := range values {
		switch v.(type) {
		case string:
			values[i] = excelize.Cell{StyleID: s.w.styles.wrap, Value: v}
		case int: // 序号, centred so it does not run into the code beside it
			values[i] = excelize.Cell{StyleID: s.w.styles.seq, Value: v}
		case nil:
			switch {
			case i == date:
				values[i] = excelize.Cell{StyleID: s.w.styles.date}
			case i < printed:
				values[i] = excelize.Cell{StyleID: s.w.styles.wrap}
			}
		}
	}
	// As high as the printed cells need; the screen-only ones (the full
	// scope) show their first lines and keep the rest in the cell.
	cell, _ := excelize.CoordinatesToCellName(1, s.headRow()+s.rows)
	return s.sw.SetRow(cell, values, excelize.RowOpts{Height: rowHeight(values[:printed], s.widths[:printed])})
}

// capacity is the number of data rows a part holds: Excel's rows less the
// title, the header and the signature line.
func (s *stream) capacity() int {
	n := maxDataRows - (s.headRow() - 1)
	if s.signed {
		n -= 2
	}
	return n
}

// close adds the table (with its autofilter) over the rows written and
// flushes the sheet.
func (s *stream) close() error {
	if s.rows > 0 {
		first, _ := excelize.CoordinatesToCellName(1, s.headRow())
		last, _ := excelize.CoordinatesToCellName(len(s.header), s.headRow()+s.rows)
		if err := s.sw.AddTable(&excelize.Table{Range: first + ":" + last, Name: tableName(s.name), StyleName: "TableStyleLight9", ShowRowStripes: boolPtr(true)}); err != nil {
			return err
		}
	}
	if s.signed {
		// The signature line under the table, a blank row apart.
		row := s.headRow() + s.rows + 2
		first, _ := excelize.CoordinatesToCellName(1, row)
		last, _ := excelize.CoordinatesToCellName(s.printedCols(), row)
		if err := s.sw.MergeCell(first, last); err != nil {
			return err
		}
		if err := s.sw.SetRow(first, []any{excelize.Cell{StyleID: s.w.styles.sign, Value: SignatureLine}}, excelize.RowOpts{Height: 36}); err != nil {
			return err
		}
	}
	return s.sw.Flush()
}

// SignatureLine closes every printed list: who did it, who checked it, when.
const SignatureLine = "经办人（签字）：＿＿＿＿＿＿＿＿　　　审核人（签字）：＿＿＿＿＿＿＿＿　　　日期：＿＿＿＿年＿＿月＿＿日"

// printNames sets every part's print area and titles.
func (s *stream) printNames() error {
	for i, name := range s.parts {
		rows := s.headRow() + s.sizes[i]
		if s.signed {
			rows += 2
		}
		if err := setPrintNames(s.w.f, name, s.page, len(s.header), rows); err != nil {
			return err
		}
	}
	return nil
}

func boolPtr(b bool) *bool { return &b }

func tableName(sheet string) string {
	switch {
	case strings.HasPrefix(sheet, SheetRefer):
		return fmt.Sprintf("Refer%d", len(sheet))
	case strings.HasPrefix(sheet, SheetReview):
		return fmt.Sprintf("Review%d", len(sheet))
	case strings.HasPrefix(sheet, SheetExcluded):
		return fmt.Sprintf("Excluded%d", len(sheet))
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
func (w *Workbook) Write(r *record.Record) error {
	v := r.Result.Verdict
	w.stats.byVerdict[v]++
	ex := r.Result.Exemption
	if v == screen.Exempt && ex != nil {
		w.stats.byExemption[ex.Kind]++
	}
	street := r.Street
	switch {
	case v == screen.Refer:
		w.count(r, street, 0)
		if err := w.refer.add(w.caseRow(w.refer.rows+1, r, street)); err != nil {
			return err
		}
	case v == screen.Review:
		w.count(r, street, 1)
		if err := w.review.add(w.caseRow(w.review.rows+1, r, street)); err != nil {
			return err
		}
	case v == screen.Exempt && ex != nil && ex.Kind == screen.ExemptConsultation:
		if w.excluded == nil {
			var err error
			title := append(w.title("注册登记会商排除企业"), excelize.RichTextRun{Text: "\n" + excludedTitle, Font: bodyFont()})
			if w.excluded, err = w.newStream(SheetExcluded, exclColumns, exclPrinted, title, excludedList); err != nil {
				return err
			}
		}
		if err := w.excluded.add(w.excludedRow(w.excluded.rows+1, r, street)); err != nil {
			return err
		}
	case v == screen.Exempt && ex != nil && ex.Kind == screen.ExemptLicensed:
		if err := w.writeLicensed(r); err != nil {
			return err
		}
	}
	if w.all != nil {
		return w.all.add(w.allRow(w.all.rows+1, r, street))
	}
	return nil
}

func (w *Workbook) count(r *record.Record, street string, which int) {
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

// title is a printed list's title line: the district and the list's name,
// and under it the export, the run's date and time and the dictionary.
func (w *Workbook) title(list string) []excelize.RichTextRun {
	m := w.meta
	facts := []string{}
	if m.Source != "" {
		facts = append(facts, "导出文件："+m.Source)
	}
	if !m.Start.IsZero() {
		facts = append(facts, "运行时间："+m.Start.Format("2006-01-02 15:04"))
	}
	if m.Dict != nil {
		facts = append(facts, "词典版本："+m.Dict.Version())
	}
	return []excelize.RichTextRun{
		{Text: m.District + list, Font: font(func(f *excelize.Font) { f.Bold, f.Size = true, titleSize })},
		{Text: "\n" + strings.Join(facts, "　　"), Font: bodyFont()},
	}
}

func (w *Workbook) caseRow(n int, r *record.Record, street string) []any {
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
		regs = addUnique(regs, dict.RegulatorNow(h.Regulator))
		for _, e := range h.Evasions {
			evasions = addUnique(evasions, string(e))
		}
	}
	// 牵头监管部门 has its own column: the reasons don't repeat it per hit.
	reasons := res.Reasons()
	for _, h := range res.Hits {
		if h.Regulator != "" {
			reasons = strings.ReplaceAll(reasons, "，牵头："+h.Regulator, "")
		}
	}
	if len(r.Notes) > 0 {
		reasons += "；数据问题：" + strings.Join(r.Notes, "；")
	}
	// Where a pre-filled decision comes from (or why an earlier one no
	// longer holds) goes under the reason: it prints, and it is not read
	// back as part of the decision.
	status, opinion, handler, date, prior := w.carried(r.Decision)
	// On paper, under the scope: why a look is needed (待复核 has no other
	// printed column for it) and the earlier decision.
	var notes []string
	if res.Verdict == screen.Review {
		notes = append(notes, "【复核原因】"+reasons)
	}
	if prior != "" {
		reasons += "\n【既往会商】" + prior
		notes = append(notes, "【既往会商】"+prior)
	}
	row := []any{n, name, r.ID, w.hitCell(r, strings.Join(notes, "\n")), strings.Join(regs, "；"), status, opinion, handler, date,
		strings.Join(terms, "、"), scope, street, w.plain(reasons),
		strings.Join(groups, "、"), strings.Join(wheres, "、"), strings.Join(evasions, "、"),
		fmt.Sprintf("%s 第%d行", r.File, r.Line)}
	for range AssessColumns {
		row = append(row, nil)
	}
	return row
}

// hitCell is the printed column of the terms and the scope around them:
// the whole scope when it fits the column in a few lines, else the text
// around each hit with … and fullTextNote, so the hit is on the page
// whatever the scope's length; the hits highlighted as in 经营范围. The
// note (an earlier decision, why a look is needed) is said under it: the
// meeting reads it on paper.
func (w *Workbook) hitCell(r *record.Record, note string) any {
	res := &r.Result
	terms := strings.Join(res.Terms(), "、")
	var marks []mark
	for _, h := range res.Hits {
		if h.Field != "scope" {
			continue
		}
		marks = append(marks, mark{h.Start, h.End, w.hitFont(h)})
	}
	width := columnWidth(ColHits)
	head := []excelize.RichTextRun{{Text: terms, Font: w.styles.terms}}
	var tail []excelize.RichTextRun
	if note != "" {
		tail = []excelize.RichTextRun{{Text: "\n" + note, Font: font(func(f *excelize.Font) { f.Color = "595959" })}}
	}
	if r.Scope == "" {
		return excelize.Cell{StyleID: w.styles.wrap, Value: append(head, tail...)}
	}
	budget := printLines - lines(terms, width)
	if note != "" {
		budget = max(4, budget-lines(note, width))
	}
	text, moved := excerpt(r.Scope, marks, width, budget)
	if text != r.Scope {
		// Around the hits only: the denied ones need no context.
		var used []mark
		for _, m := range marks {
			if m.font != w.styles.denied {
				used = append(used, m)
			}
		}
		if len(used) == 0 {
			used = marks
		}
		text, moved = excerpt(r.Scope, used, width, budget)
	}
	runs := append(head, excelize.RichTextRun{Text: "\n经营范围：", Font: bodyFont()})
	return excelize.Cell{StyleID: w.styles.wrap, Value: append(append(runs, richText(text, moved)...), tail...)}
}

// carried pre-fills the decision columns from the consultation's last
// decision, and says where it comes from; a decision on a name or scope
// that has changed since is not carried (the company is consulted again),
// only described.
func (w *Workbook) carried(d *record.Decision) (status, opinion, handler, date any, prior string) {
	if d == nil || d.Status == "" && d.Opinion == "" {
		return nil, nil, nil, nil, ""
	}
	if d.Stale {
		w.stats.stale++
		was := "原结论“" + d.Status + "”"
		if who := joinNonEmpty("，", d.Date, d.Handler); who != "" {
			was += "（" + who + "）"
		}
		if d.Opinion != "" {
			was += "，会商意见：" + d.Opinion
		}
		return nil, nil, nil, nil, "名称或经营范围在上次会商后已变更，须重新会商；" + was + from(d)
	}
	w.stats.carried++
	note := "沿用"
	if d.Date != "" {
		note += " " + d.Date + " "
	}
	note += "会商结论" + from(d)
	return nonEmpty(d.Status), w.plainOrNil(d.Opinion), nonEmpty(d.Handler), w.dateCell(d.Date), note
}

// from says which workbook (and run) a decision was imported from.
func from(d *record.Decision) string {
	src := d.Source
	if d.Run > 0 {
		src = joinNonEmpty("，", src, fmt.Sprintf("运行 %d", d.Run))
	}
	if src == "" {
		return ""
	}
	return "，来自 " + src
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

func nonEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (w *Workbook) plainOrNil(s string) any {
	if s == "" {
		return nil
	}
	return w.plain(s)
}

// dateCell makes a date as entered into a date cell when it reads as one,
// so it sorts and filters like the dates a clerk types; otherwise the text.
func (w *Workbook) dateCell(s string) any {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	for _, layout := range []string{"2006-01-02", "2006-1-2", "2006/1/2", "2006.1.2", "2006年1月2日", "20060102"} {
		if t, err := time.Parse(layout, s); err == nil {
			return excelize.Cell{StyleID: w.styles.date, Value: t}
		}
	}
	return excelize.Cell{StyleID: w.styles.date, Value: s}
}

// excludedRow lists a company the consultation ruled 排除: who, when, the
// decision and where it was recorded.
func (w *Workbook) excludedRow(n int, r *record.Record, street string) []any {
	res := &r.Result
	ex := res.Exemption
	status, opinion, handler, date, source := record.StatusExcluded, "", ex.By, ex.Date, ex.Source
	if d := r.Decision; d != nil {
		status = cmp.Or(d.Status, status)
		opinion = d.Opinion
		handler = cmp.Or(d.Handler, handler)
		date = cmp.Or(d.Date, date)
		source = cmp.Or(source, d.Source)
		if d.Run > 0 {
			source = joinNonEmpty("，", source, fmt.Sprintf("运行 %d", d.Run))
		}
	}
	return []any{n, w.highlight(r.Name, res.Hits, "name"), r.ID, strings.Join(res.Terms(), "、"), status, w.plainOrNil(opinion),
		nonEmpty(handler), w.dateCell(date), w.plainOrNil(source), w.highlight(r.Scope, res.Hits, "scope"), street}
}

func (w *Workbook) allRow(n int, r *record.Record, street string) []any {
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
	marks := make([]mark, len(spans))
	for i, h := range spans {
		marks[i] = mark{h.Start, h.End, w.hitFont(h)}
	}
	return excelize.Cell{StyleID: w.styles.wrap, Value: richText(text, marks)}
}

// Finish completes every sheet and writes the workbook out.
func (w *Workbook) Finish(info output.RunInfo) error { return w.save(w.out, info) }

func (w *Workbook) save(out io.Writer, info output.RunInfo) error {
	streams := []*stream{w.refer, w.review, w.excluded, w.licensed, w.all, w.rejected}
	for _, s := range streams {
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
	// 会商排除 and 持牌机构豁免 are started at their first company,
	// after 全部记录; they belong beside the other lists of companies.
	for _, s := range []*stream{w.excluded, w.licensed} {
		if s == nil || w.all == nil {
			continue
		}
		for _, p := range s.parts {
			if err := w.f.MoveSheet(p, w.all.parts[0]); err != nil {
				return err
			}
		}
	}
	// Print names refer to sheets by position: set them in the final order.
	for _, s := range streams {
		if s != nil {
			if err := s.printNames(); err != nil {
				return fmt.Errorf("打印设置 %s: %w", s.name, err)
			}
		}
	}
	w.f.SetActiveSheet(0)
	if _, err := w.f.WriteTo(out); err != nil {
		return err
	}
	return w.f.Close()
}

// Abort releases the workbook's temporary files without saving.
func (w *Workbook) Abort() { w.f.Close() }
