package report

import (
	"archive/zip"
	"bytes"
	"github.com/regscreen/regscreen/record"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/regscreen/regscreen/dict"
	"github.com/regscreen/regscreen/output"
	"github.com/regscreen/regscreen/screen"
)

// night2 is a second night's workbook: one company with a decision that
// carries forward, one whose scope changed since its decision, one the
// consultation excluded, one on the licence list, one cleared.
func night2(t *testing.T) ([]byte, *excelize.File) {
	t.Helper()
	d := dict.Default()
	s, _ := screen.New(d)
	w, err := New(Meta{Tool: "t", Dict: d, Start: time.Now(), All: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	carried := screened(t, s, "宁波江北汇金投资管理有限公司", "投资管理；实业投资。", "")
	carried.ID = "91330205JC171HU490"
	carried.Decision = &record.Decision{Status: "列入重点监管", Opinion: "股东背景复杂，季度回访", Handler: "李强",
		Date: "2026-11-02", Source: "会商名单.xlsx", Run: 3}
	stale := screened(t, s, "宁波江北金盛基金销售有限公司", "基金销售；资产管理。", "")
	stale.ID = "91330205QAEJXEB974"
	stale.Decision = &record.Decision{Status: "排除", Opinion: "仅代销", Handler: "王芳", Date: "2026-11-01", Source: "会商名单.xlsx", Stale: true}
	review := screened(t, s, "宁波江北新城二手车交易中心有限公司", "二手车交易服务。", "")
	excluded := screened(t, s, "宁波江北甬信理财咨询有限公司", "理财咨询；企业管理咨询。", "")
	excluded.ID = "91330205AY4CL12THT"
	excluded.Decision = &record.Decision{Status: "排除", Opinion: "不从事理财业务，经会商排除", Handler: "王芳", Date: "2026-11-02", Source: "会商名单.xlsx", Run: 3}
	excluded.Result.Verdict = screen.Exempt
	excluded.Result.Exemption = &screen.Exemption{Kind: screen.ExemptConsultation, Source: "会商名单.xlsx", Date: "2026-11-02", By: "王芳"}
	licensed := screened(t, s, "宁波银行股份有限公司理财分部", "理财业务。", "")
	licensed.Result.Verdict = screen.Exempt
	licensed.Result.Exemption = &screen.Exemption{Kind: screen.ExemptLicensed, Source: "持牌名单.csv"}
	clear := screened(t, s, "宁波江北恒达五金贸易有限公司", "五金交电批发、零售。", "")
	var c screen.Counts
	for _, r := range []*record.Record{carried, stale, review, excluded, licensed, clear} {
		c.Add(r.Result.Verdict)
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := w.save(&buf, output.RunInfo{Counts: c, Finish: time.Now()}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return buf.Bytes(), f
}

// rowOf finds the row naming company on sheet, with the header's columns.
func rowOf(t *testing.T, f *excelize.File, sheet, company string) (map[string]string, int) {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	head := -1
	for i, r := range rows {
		if indexOf(r, ColName) >= 0 {
			head = i
			break
		}
	}
	if head < 0 {
		t.Fatalf("%s has no header row", sheet)
	}
	for i, r := range rows[head+1:] {
		if n := indexOf(rows[head], ColName); n < len(r) && r[n] == company {
			m := map[string]string{}
			for j, h := range rows[head] {
				if j < len(r) {
					m[h] = r[j]
				}
			}
			return m, head + i + 2
		}
	}
	return nil, 0
}

func TestDecisionsAreCarriedIntoTheNextWorkbook(t *testing.T) {
	raw, f := night2(t)
	row, n := rowOf(t, f, SheetRefer, "宁波江北汇金投资管理有限公司")
	if row == nil {
		t.Fatal("the referred company is missing from 送会商")
	}
	if row[ColStatus] != "列入重点监管" || row[ColOpinion] != "股东背景复杂，季度回访" || row[ColHandler] != "李强" || row[ColDate] != "2026-11-02" {
		t.Errorf("decision not carried: %v", row)
	}
	if !strings.Contains(row[ColReason], "沿用 2026-11-02 会商结论，来自 会商名单.xlsx，运行 3") {
		t.Errorf("理由 should say where the decision comes from: %q", row[ColReason])
	}
	// The date is a date cell (a serial number with a date format), as if typed.
	dateCol := indexOf(caseHeader(SheetRefer), ColDate)
	cell, _ := excelize.CoordinatesToCellName(dateCol+1, n)
	if v, _ := f.GetCellValue(SheetRefer, cell, excelize.Options{RawCellValue: true}); v != "46328" {
		t.Errorf("日期 stored as %q, want the serial number of 2026-11-02", v)
	}

	stale, _ := rowOf(t, f, SheetRefer, "宁波江北金盛基金销售有限公司")
	if stale == nil || stale[ColStatus] != "" || stale[ColOpinion] != "" {
		t.Errorf("a decision on a changed name or scope must not be pre-filled: %v", stale)
	}
	if !strings.Contains(stale[ColReason], "已变更，须重新会商") || !strings.Contains(stale[ColReason], "原结论“排除”") {
		t.Errorf("理由 should say the decision no longer holds: %q", stale[ColReason])
	}

	// What the office gets back reads as it was written.
	back := filepath.Join(t.TempDir(), "会商名单.xlsx")
	if err := os.WriteFile(back, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	ds, err := ReadDecisions(back)
	if err != nil {
		t.Fatal(err)
	}
	// 送会商, 待复核 and 会商排除 (where a clerk may change a ruling).
	if len(ds.Rows) != 2 || ds.Sheets != 3 {
		t.Fatalf("read back %+v", ds)
	}
	if d := ds.Rows[0]; d.Status != "列入重点监管" || d.Handler != "李强" || d.Date != "2026-11-02" || d.Opinion != "股东背景复杂，季度回访" {
		t.Errorf("read back %+v", d)
	}
	if d := ds.Rows[1]; !strings.HasPrefix(d.Where, SheetExcluded+"!") || d.Status != "排除" || d.Key != "91330205AY4CL12THT" || d.Date != "2026-11-02" {
		t.Errorf("read back from 会商排除 %+v", d)
	}

	// A workbook written before the sheet was renamed (会商已排除) reads
	// back the same.
	old, err := excelize.OpenFile(back)
	if err != nil {
		t.Fatal(err)
	}
	if err := old.SetSheetName(SheetExcluded, SheetExcludedOld); err != nil {
		t.Fatal(err)
	}
	oldBack := filepath.Join(t.TempDir(), "旧版会商名单.xlsx")
	if err := old.SaveAs(oldBack); err != nil {
		t.Fatal(err)
	}
	old.Close()
	ds, err = ReadDecisions(oldBack)
	if err != nil || len(ds.Rows) != 2 || ds.Sheets != 3 || len(ds.Skipped) != 0 {
		t.Fatalf("old workbook read back %+v %v", ds, err)
	}
	if d := ds.Rows[1]; !strings.HasPrefix(d.Where, SheetExcludedOld+"!") || d.Status != "排除" || d.Key != "91330205AY4CL12THT" {
		t.Errorf("read back from 会商已排除 %+v", d)
	}
}

// A 日期 typed as text is read as a date where it is one, and refused
// (the row not imported, with the reason) where it cannot be ordered.
func TestDecisionDatesTypedAsText(t *testing.T) {
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", SheetRefer)
	rows := [][]any{
		{ColID, ColName, ColStatus, ColDate},
		{"A", "甲", "排除", "2026/12/06"},
		{"B", "乙", "排除", "2026年12月7日"},
		{"C", "丙", "排除", "昨天"},
		{"D", "丁", "排除", "12月7日"},
		{"E", "戊", "排除", ""},
		{"F", "己", "排除", "2026.1.5"},
		{"", "", "排除", ""}, // a status on a row of no company
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		f.SetSheetRow(SheetRefer, cell, &r)
	}
	path := filepath.Join(t.TempDir(), "日期.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	ds, err := ReadDecisions(path)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, d := range ds.Rows {
		got[d.Key] = d.Date
	}
	// The ids are no valid codes, so the names are the keys.
	want := map[string]string{"名称:甲": "2026-12-06", "名称:乙": "2026-12-07", "名称:戊": "", "名称:己": "2026-01-05"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("dates %v, want %v", got, want)
	}
	if len(ds.Problems) != 3 || ds.Problems[0].Row != 4 || !strings.Contains(ds.Problems[0].Reason, "日期“昨天”无法识别") || ds.Problems[1].Row != 5 ||
		ds.Problems[2].Row != 8 || !strings.Contains(ds.Problems[2].Reason, "没有企业名称和统一社会信用代码") {
		t.Errorf("problems %+v", ds.Problems)
	}
}

func TestExcludedCompaniesHaveTheirOwnSheet(t *testing.T) {
	_, f := night2(t)
	if got := strings.Join(f.GetSheetList(), ","); got != "送会商,待复核,会商排除,持牌机构豁免,全部记录,汇总,运行信息" {
		t.Fatalf("sheets %s", got)
	}
	title, _ := f.GetCellValue(SheetExcluded, "A1")
	if !strings.Contains(title, "名称或经营范围一旦变更，将重新列入送会商") {
		t.Errorf("会商排除 title: %q", title)
	}
	row, _ := rowOf(t, f, SheetExcluded, "宁波江北甬信理财咨询有限公司")
	if row == nil || row[ColStatus] != "排除" || row[ColHandler] != "王芳" || row[ColDate] != "2026-11-02" ||
		row[ColOpinion] != "不从事理财业务，经会商排除" || !strings.Contains(row[ColRuling], "会商名单.xlsx") || row[ColTerms] != "理财" {
		t.Errorf("excluded row: %v", row)
	}
	if r, _ := rowOf(t, f, SheetExcluded, "宁波银行股份有限公司理财分部"); r != nil {
		t.Errorf("a licensed institution is not a consultation's exclusion: %v", r)
	}
	if r, _ := rowOf(t, f, SheetLicensed, "宁波银行股份有限公司理财分部"); r == nil || r[ColList] == "" || !strings.Contains(r[ColReason], "豁免名单") {
		t.Errorf("the licensed institution's row: %v", r)
	}
	if r, _ := rowOf(t, f, SheetRefer, "宁波江北甬信理财咨询有限公司"); r != nil {
		t.Errorf("the excluded company is not referred again: %v", r)
	}
	info, _ := f.GetRows(SheetRun)
	flat := flatten(info)
	for _, want := range []string{"豁免|2", "其中：持牌机构豁免名单|1", "其中：会商排除|1", "沿用会商结论|1", "变更后须重新会商|1"} {
		if !strings.Contains(flat, want) {
			t.Errorf("运行信息 lacks %q:\n%s", want, flat)
		}
	}
}

func TestWorkbookPrintSettings(t *testing.T) {
	raw, f := night2(t)
	names := map[string]string{}
	for _, dn := range f.GetDefinedName() {
		names[dn.Scope+"|"+dn.Name] = dn.RefersTo
	}
	// The lists print at 100 %: never shrunk to fit.
	for _, sheet := range []string{SheetRefer, SheetReview, SheetExcluded} {
		p, err := f.GetPageLayout(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if *p.Size != paperA4 || *p.Orientation != "landscape" || p.AdjustTo == nil || *p.AdjustTo != 100 {
			t.Errorf("%s: paper %d %s, scale %v; want A4 landscape at 100 %%", sheet, *p.Size, *p.Orientation, p.AdjustTo)
		}
		if props, _ := f.GetSheetProps(sheet); props.FitToPage != nil && *props.FitToPage {
			t.Errorf("%s: fit to page is on: it shrinks the text", sheet)
		}
	}
	for _, sheet := range []string{SheetAll, SheetSummary} {
		p, err := f.GetPageLayout(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if *p.Size != paperA4 || *p.Orientation != "landscape" || *p.FitToWidth != 1 || *p.FitToHeight != 0 {
			t.Errorf("%s: paper %d %s, fit %d×%d; want A4 landscape one page wide", sheet, *p.Size, *p.Orientation, *p.FitToWidth, *p.FitToHeight)
		}
		if props, _ := f.GetSheetProps(sheet); props.FitToPage == nil || !*props.FitToPage {
			t.Errorf("%s: fit to page is off, so the fit is ignored", sheet)
		}
	}
	// Title and header rows on every page (the names are scoped by sheet
	// position, so a wrong position shows as a wrong scope here), and a
	// print area of the columns the meeting works with and the signature.
	for sheet, want := range map[string]string{SheetRefer: "'送会商'!$1:$2", SheetReview: "'待复核'!$1:$2",
		SheetExcluded: "'会商排除'!$1:$2", SheetAll: "'全部记录'!$1:$1"} {
		if got := names[sheet+"|_xlnm.Print_Titles"]; got != want {
			t.Errorf("%s print titles %q, want %q", sheet, got, want)
		}
	}
	if got := names[SheetRefer+"|_xlnm.Print_Area"]; got != "'送会商'!$A$1:$I$6" {
		t.Errorf("送会商 print area %q: the first 9 columns; title, header, 2 rows, a blank row and the signature", got)
	}
	title, _ := f.GetCellValue(SheetRefer, "A1")
	for _, want := range []string{"注册登记会商名单", "运行时间：", "词典版本：" + dict.Default().Version()} {
		if !strings.Contains(title, want) {
			t.Errorf("送会商 title %q lacks %q", title, want)
		}
	}
	if sign, _ := f.GetCellValue(SheetRefer, "A6"); sign != SignatureLine {
		t.Errorf("送会商 A6 = %q, want the signature line", sign)
	}
	// The printed columns fit A4 landscape inside the margins at 100 %
	// (LibreOffice with Carlito gives a unit 5.6 pt, padding included),
	// and 会商意见 has a third of it.
	printed := 0.0
	for _, h := range casePrinted {
		printed += 5.6 * columnWidth(h)
	}
	if printed > 842-2*0.3*72 {
		t.Errorf("the printed columns are %.0f pt wide: wider than A4 landscape inside the margins", printed)
	}
	if op := 5.6 * columnWidth(ColOpinion); op < (842-2*0.3*72)/3 {
		t.Errorf("会商意见 is %.0f pt wide, less than a third of the page", op)
	}
	h := caseHeader(SheetRefer)
	for _, col := range []string{ColSeq, ColName, ColID, ColHits, ColRegulator, ColStatus, ColOpinion, ColHandler, ColDate} {
		if i := indexOf(h, col); i < 0 || i >= len(casePrinted) {
			t.Errorf("%s is not printed: %v", col, h)
		}
	}
	for _, col := range []string{ColScope, ColReason, ColStreet} {
		if i := indexOf(h, col); i < len(casePrinted) {
			t.Errorf("%s is printed; it belongs to the screen", col)
		}
	}
	// Every printed cell has a box, the empty write-in ones too.
	for c := 1; c <= len(casePrinted); c++ {
		style, _ := f.GetCellStyle(SheetRefer, cell(c, 3))
		if s, _ := f.GetStyle(style); s == nil || len(s.Border) != 4 {
			t.Errorf("送会商 %s has no border", cell(c, 3))
		}
	}
	// 理由 names no regulator: 牵头监管部门 does.
	if row, _ := rowOf(t, f, SheetRefer, "宁波江北汇金投资管理有限公司"); strings.Contains(row[ColReason], "牵头") ||
		!strings.Contains(row[ColRegulator], "一行三局〔现为") {
		t.Errorf("理由 %q repeats the regulator, or 牵头 %q lacks today's body", row[ColReason], row[ColRegulator])
	}
	// 运行信息: one portrait page, counts as numbers, values left-aligned.
	p, _ := f.GetPageLayout(SheetRun)
	if *p.Size != paperA4 || *p.Orientation != "portrait" || *p.FitToWidth != 1 || *p.FitToHeight != 1 {
		t.Errorf("运行信息: %d %s fit %d×%d, want A4 portrait on one page", *p.Size, *p.Orientation, *p.FitToWidth, *p.FitToHeight)
	}
	rows, _ := f.GetRows(SheetRun)
	for i, r := range rows {
		if r[0] == "读取行数" {
			cell, _ := excelize.CoordinatesToCellName(2, i+1)
			if typ, _ := f.GetCellType(SheetRun, cell); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
				t.Errorf("读取行数 stored as type %v, want a number", typ)
			}
			style, _ := f.GetCellStyle(SheetRun, cell)
			if s, _ := f.GetStyle(style); s.Alignment == nil || s.Alignment.Horizontal != "left" {
				t.Errorf("运行信息 values should be left-aligned")
			}
		}
	}
	// 汇总's charts: integer ticks, dark axis labels.
	charts := 0
	zr, _ := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	for _, zf := range zr.File {
		if !strings.HasPrefix(zf.Name, "xl/charts/chart") {
			continue
		}
		charts++
		rc, _ := zf.Open()
		x, _ := io.ReadAll(rc)
		rc.Close()
		for _, want := range []string{`<majorUnit val="1"`, `formatCode="0"`, `262626`} {
			if !bytes.Contains(x, []byte(want)) {
				t.Errorf("%s lacks %s", zf.Name, want)
			}
		}
	}
	if charts == 0 {
		t.Error("no charts")
	}
}

func TestTablesPrintAndKeepNumbers(t *testing.T) {
	tab := &Table{Sheet: "2026-11月报", Header: MonthlyHeader, Rows: [][]any{
		{"白沙街道", 417, 3, 1, 2, 5, ""}, {"合计", 417, 3, 1, 2, 5, MonthlyBasis(0, 3)}}}
	var buf bytes.Buffer
	if err := WriteTable(&buf, "xlsx", tab, false); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p, _ := f.GetPageLayout(tab.Sheet)
	if *p.Size != paperA4 || *p.Orientation != "landscape" || p.AdjustTo == nil || *p.AdjustTo != 100 {
		t.Errorf("monthly: %d %s scale %v, want A4 landscape at 100 %%", *p.Size, *p.Orientation, p.AdjustTo)
	}
	found := false
	for _, dn := range f.GetDefinedName() {
		found = found || dn.Name == "_xlnm.Print_Titles" && dn.Scope == tab.Sheet && strings.HasSuffix(dn.RefersTo, "!$1:$1")
	}
	if !found {
		t.Errorf("monthly: no header row repeated on each page: %+v", f.GetDefinedName())
	}
	for _, c := range []string{"B2", "C2", "F3"} {
		if typ, _ := f.GetCellType(tab.Sheet, c); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
			t.Errorf("%s stored as type %v, want a number", c, typ)
		}
	}
	// SUM adds them: a formula over the column gives the total.
	f.SetCellFormula(tab.Sheet, "B9", "SUM(B2:B2)")
	if v, err := f.CalcCellValue(tab.Sheet, "B9"); err != nil || v != "417" {
		t.Errorf("SUM over the counts = %q (%v)", v, err)
	}
	if ht, _ := f.GetRowHeight(tab.Sheet, 1); ht < 2*lineHeight {
		t.Errorf("the header wraps (月末送会商企业数 in a narrow column) but is %.1f points high", ht)
	}
}

func TestLinesFromTextWidth(t *testing.T) {
	cjk := strings.Repeat("理财", 20) // 40 characters, 80 units
	for _, c := range []struct {
		text  string
		width float64
		want  int
	}{
		{"", 10, 1},
		{cjk, 21, 5},                             // 20 units a line: 9 characters of 2.1
		{strings.Repeat("a", 40), 21, 2},         // ASCII is half as wide
		{"理财\n咨询\n服务", 40, 3},                    // line breaks count
		{strings.Repeat(cjk, 100), 21, maxLines}, // capped
	} {
		if got := lines(c.text, c.width); got != c.want {
			t.Errorf("lines(%d chars, %.0f) = %d, want %d", len([]rune(c.text)), c.width, got, c.want)
		}
	}
	if h := rowHeight([]any{"短", excelize.Cell{Value: []excelize.RichTextRun{{Text: cjk}}}}, []float64{10, 21}); h != 5*lineHeight+rowPadding {
		t.Errorf("row height %.1f: the tallest cell (rich text, 5 lines) decides", h)
	}
}

func TestTickSteps(t *testing.T) {
	for most, want := range map[int]int{0: 1, 2: 1, 10: 1, 14: 2, 45: 5, 417: 50, 3000: 500} {
		if got := tickStep(most); got != want {
			t.Errorf("tickStep(%d) = %d, want %d", most, got, want)
		}
	}
}

// The README lists the 送会商 columns in the workbook's order, printed ones
// first: a clerk reading one finds the other.
func TestReadmeListsTheColumnsInOrder(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var row string
	for _, line := range strings.Split(string(readme), "\n") {
		if strings.HasPrefix(line, "| "+SheetRefer+" |") {
			row = line
		}
	}
	if row == "" {
		t.Fatal("README has no 送会商 row")
	}
	pos := 0
	for _, col := range caseHeader(SheetRefer) {
		name := col
		if col == ColScope {
			name = "经营范围（全文）"
		}
		i := strings.Index(row[pos:], "、"+name)
		if j := strings.Index(row[pos:], "："+name); j >= 0 && (i < 0 || j < i) {
			i = j
		}
		if i < 0 {
			t.Errorf("README's 送会商 row lacks %s after position %d (or lists it out of order)", name, pos)
			continue
		}
		pos += i + 1
	}
}

// A scope too long for its printed cell prints the text around every hit,
// never without one, within the lines it is given.
func TestExcerptKeepsEveryHit(t *testing.T) {
	filler := strings.Repeat("五金交电、建材、日用品批发、零售；", 60)
	scope := "理财咨询；" + filler[:900] + "网络借贷信息中介；" + filler[:900] + "第三方支付服务。"
	var marks []mark
	runes := []rune(scope)
	for _, term := range []string{"理财", "网络借贷", "支付"} {
		i := strings.Index(scope, term)
		start := len([]rune(scope[:i]))
		marks = append(marks, mark{start, start + len([]rune(term)), nil})
	}
	const w, budget = 20, 12
	text, moved := excerpt(scope, marks, w, budget)
	if lines(text, w) > budget || !strings.HasSuffix(text, fullTextNote) {
		t.Errorf("excerpt of %d lines, or without %s: %q", lines(text, w), fullTextNote, text)
	}
	got := []rune(text)
	for i, m := range moved {
		want := string(runes[marks[i].start:marks[i].end])
		if string(got[m.start:m.end]) != want {
			t.Errorf("mark %d is %q in the excerpt, want %q", i, string(got[m.start:m.end]), want)
		}
	}
	if len(moved) != len(marks) {
		t.Errorf("%d of %d hits in the excerpt", len(moved), len(marks))
	}
	// A short scope prints whole, marks where they were.
	if text, moved := excerpt("理财咨询。", marks[:1], w, budget); text != "理财咨询。" || moved[0] != marks[0] {
		t.Errorf("a short scope is cut: %q", text)
	}
	// Too many hits for the lines: one of each word, and the rest counted.
	many := strings.Repeat("理财咨询；支付结算；", 200)
	var ms []mark
	for i := 0; i < 200; i++ {
		ms = append(ms, mark{10 * i, 10*i + 2, nil}, mark{10*i + 5, 10*i + 7, nil})
	}
	text, moved = excerpt(many, ms, w, budget)
	if len(moved) != 2 || !strings.Contains(text, "理财") || !strings.Contains(text, "支付") || !strings.Contains(text, "另有 398 处") {
		t.Errorf("many hits: %d kept, %q", len(moved), text)
	}
}
