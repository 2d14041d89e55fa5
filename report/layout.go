package report

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/regscreen/regscreen/screen"
)

// Column headers. ColID, ColName, ColStatus, ColOpinion, ColHandler and
// ColDate, which a returned workbook is read back by, are in decisions.go.
const (
	ColSeq          = "序号"
	ColScope        = "经营范围"
	ColStreet       = "街道（镇）"
	ColTerms        = "命中词"
	ColGroup        = "类别"
	ColWhere        = "出现位置"
	ColRegulator    = "牵头监管部门"
	ColReason       = "理由"
	ColReviewReason = "复核原因"
	ColEvasions     = "变形写法"
	ColSource       = "来源"
	ColVerdict      = "结论"
	ColNote         = "说明"
	// ColRuling names the workbook (and run) a 排除 ruling was imported from.
	ColRuling = "结论来源"
	// ColHits is the printed column of the terms and the scope around them.
	ColHits = "命中词及经营范围"
)

// AssessColumns are the five assessment items of 三(一), left empty for
// the consultation.
var AssessColumns = []string{"股东背景", "信用状况", "经营团队", "运营方案", "风控措施"}

// DecisionColumns hold the consultation's outcome and who recorded it when.
var DecisionColumns = []string{ColStatus, ColOpinion, ColHandler, ColDate}

// ConsultColumns are all the columns the consultation fills in.
var ConsultColumns = append(append([]string{}, AssessColumns...), DecisionColumns...)

// widths are column widths in Excel's character units (a digit of the
// workbook's 11-point Calibri, 7 pixels; a CJK character is two). A
// system without Calibri needs a font of the same metrics (Carlito), or
// every column is wider and the printed ones run off the page. The printed columns of
// the case sheets add up to what an A4 landscape page holds at 100 % (about
// 145 units inside the margins), so nothing is shrunk to fit, and 会商意见
// takes a third of it for the handwriting.
var widths = map[string]float64{
	ColSeq: 3.5, ColID: 20.5, ColName: 11.5, ColScope: 40, ColStreet: 9, ColTerms: 10, ColGroup: 12,
	ColWhere: 12, ColRegulator: 11, ColReason: 30, ColReviewReason: 30, ColEvasions: 10, ColSource: 20,
	ColVerdict: 8, ColNote: 36, ColStatus: 6, ColOpinion: 48, ColHandler: 5.5, ColDate: 11,
	ColRuling: 18, ColHits: 20,
	// changes and the monthly return
	"变动": 8, "统一社会信用代码/标识": 19.5, "变动前名称": 12, "变动后名称": 12, "变动前结论": 6, "变动后结论": 6,
	"变动前命中词": 8, "变动后命中词": 8, "变动前经营范围": 24, "变动后经营范围": 24, "备注": 38,
	"月末送会商企业数": 14, "本月新增": 12, "本月移出": 12, "本月变更": 12, "其中列入重点监管": 14,
}

func columnWidth(h string) float64 {
	if w, ok := widths[h]; ok {
		return w
	}
	for _, a := range AssessColumns {
		if h == a {
			return 16
		}
	}
	return max(10, float64(textUnits(h))/2+2)
}

// Row heights: a stream writer's rows are not auto-fitted by Excel (nor
// by LibreOffice), so wrapped text is clipped unless the height is set.
const (
	lineHeight = 14.5 // points per line of 11-point text, CJK included
	rowPadding = 3
	maxLines   = 20 // a very long scope shows its first 20 lines; the cell keeps it all
	minHeight  = 17
	// printLines is the most lines a printed cell is given: a row stays well
	// inside an A4 landscape page under its title and header, so no row is
	// cut at the page's foot. Longer text prints as excerpts (see excerpt).
	printLines = 16
)

// textUnits is the width of s in Excel's character units: a CJK
// character (or any wide one) is two, others one.
func textUnits(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x1100 && (unicode.Is(unicode.Han, r) || isWide(r)) {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// isWide: full-width forms, CJK punctuation, kana and hangul.
func isWide(r rune) bool {
	return r >= 0x2E80 && r <= 0xA4CF || r >= 0xAC00 && r <= 0xD7A3 || r >= 0xF900 && r <= 0xFAFF ||
		r >= 0xFE30 && r <= 0xFE4F || r >= 0xFF00 && r <= 0xFF60 || r >= 0xFFE0 && r <= 0xFFE6
}

// lines estimates how many lines s wraps to in a column of width w.
func lines(s string, w float64) int {
	if s == "" {
		return 1
	}
	usable := max(1, w-1)
	n := 0
	for _, part := range strings.Split(s, "\n") {
		// Greedy, as the spreadsheet wraps: a CJK character of the 11-point
		// body is a little over two units (14.7 pixels against 7).
		k, on := 1, 0.0
		for _, r := range part {
			cw := 1.0
			if r >= 0x1100 && (unicode.Is(unicode.Han, r) || isWide(r)) {
				cw = 2.1
			}
			if on+cw > usable && on > 0 {
				k++
				on = 0
			}
			on += cw
		}
		// Punctuation may not begin a line (、；〕), so a long wrap takes a
		// line more every six or so.
		n += k + k/6
		if n >= maxLines {
			return maxLines
		}
	}
	return n
}

// rowHeight is the height in points that shows every cell's wrapped text,
// up to maxLines lines.
func rowHeight(cells []any, widths []float64) float64 {
	most := 1
	for i, v := range cells {
		if i < len(widths) {
			most = max(most, lines(textOf(v), widths[i]))
		}
	}
	return max(minHeight, float64(most)*lineHeight+rowPadding)
}

// textOf is the text a cell shows, for measuring it.
func textOf(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case excelize.Cell:
		return textOf(x.Value)
	case []excelize.RichTextRun:
		var b strings.Builder
		for _, r := range x {
			b.WriteString(r.Text)
		}
		return b.String()
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case time.Time:
		return "2006-01-02"
	}
	return fmt.Sprint(v)
}

// page is how a sheet prints.
type page struct {
	portrait bool
	// cols is the number of leading columns printed (0: all); the rest stay
	// in the sheet for the screen.
	cols int
	// titles is the number of top rows repeated on every page.
	titles int
	// oneTall also fits the sheet to one page high.
	oneTall bool
	// actual prints at 100 %: the printed columns are chosen to fit the
	// width, and nothing is shrunk below the body text's size.
	actual bool
}

const paperA4 = 9

// setPage sets A4, the orientation, fitting to one page wide and the
// margins and page footer. It must run before a stream writer starts on
// the sheet (the fit-to-page flag is written first).
func setPage(f *excelize.File, sheet string, p page) error {
	orient, size, one, tall := "landscape", paperA4, 1, 0
	if p.portrait {
		orient = "portrait"
	}
	if p.oneTall {
		tall = 1
	}
	layout := &excelize.PageLayoutOptions{Size: &size, Orientation: &orient, FitToWidth: &one, FitToHeight: &tall}
	fit := true
	if p.actual {
		scale := uint(100)
		layout = &excelize.PageLayoutOptions{Size: &size, Orientation: &orient, AdjustTo: &scale}
		fit = false
	}
	if err := f.SetPageLayout(sheet, layout); err != nil {
		return err
	}
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	// Narrow side margins: the width goes to the text, not the paper's edge.
	side, top, hf, centre := 0.3, 0.6, 0.3, true
	if err := f.SetPageMargins(sheet, &excelize.PageLayoutMarginsOptions{Left: &side, Right: &side, Top: &top, Bottom: &top,
		Header: &hf, Footer: &hf, Horizontally: &centre}); err != nil {
		return err
	}
	return f.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{OddFooter: "&L&A&R第 &P 页，共 &N 页"})
}

// setPrintNames sets the print area (the first cols columns, rows 1..rows)
// and the rows repeated on each page. They are workbook names that refer
// to the sheet by its position, so they are set once the sheets are in
// their final order.
func setPrintNames(f *excelize.File, sheet string, p page, cols, rows int) error {
	ref := "'" + strings.ReplaceAll(sheet, "'", "''") + "'!"
	if p.titles > 0 {
		if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles",
			RefersTo: fmt.Sprintf("%s$1:$%d", ref, p.titles), Scope: sheet}); err != nil {
			return err
		}
	}
	if p.cols > 0 && p.cols < cols {
		cols = p.cols
	}
	last, _ := excelize.ColumnNumberToName(cols)
	return f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Area",
		RefersTo: fmt.Sprintf("%s$A$1:$%s$%d", ref, last, max(rows, 1)), Scope: sheet})
}

// mark is a span of a text to highlight, in runes [start, end).
type mark struct {
	start, end int
	font       *excelize.Font
}

// hitFont is how a hit is marked in its text: used red, denied and
// for review in their own fonts.
func (w *Workbook) hitFont(h screen.Hit) *excelize.Font {
	switch {
	case h.Denied:
		return w.styles.denied
	case !h.Used():
		return w.styles.look
	}
	return w.styles.used
}

// fullTextNote ends a printed excerpt: the rest is in the workbook.
const fullTextNote = "（全文见电子表）"

// excerpt is what a printed cell w wide shows of text in at most budget
// lines: all of it when it fits, else the text around each mark, joined by
// …, and fullTextNote. The context shrinks until the excerpts fit; when
// even the marks alone do not, one excerpt per distinct marked text is
// kept and the rest counted. A mark is never left out for want of room
// unless its very words are already shown. It returns the text and the
// marks moved into it.
func excerpt(text string, marks []mark, w float64, budget int) (string, []mark) {
	if lines(text, w) <= budget && lines(text, w) < maxLines {
		return text, marks
	}
	runes := []rune(text)
	if len(marks) == 0 { // nothing to show around: the text's beginning
		marks = []mark{{0, 0, nil}}
	}
	sort.Slice(marks, func(i, j int) bool { return marks[i].start < marks[j].start })
	try := func(ms []mark, radius int, note string) (string, []mark) {
		var b strings.Builder
		var out []mark
		n := 0 // runes written
		write := func(s string) { b.WriteString(s); n += utf8.RuneCountInString(s) }
		for i := 0; i < len(ms); {
			from, to := max(0, ms[i].start-radius), min(len(runes), ms[i].end+radius)
			j := i
			for j < len(ms) && ms[j].start <= to { // windows that touch merge
				to = max(to, min(len(runes), ms[j].end+radius))
				j++
			}
			if from > 0 {
				write("…")
			}
			base := n - from
			write(string(runes[from:to]))
			for _, m := range ms[i:j] {
				out = append(out, mark{m.start + base, m.end + base, m.font})
			}
			if to < len(runes) {
				write("…")
			}
			i = j
		}
		write(note + fullTextNote)
		return b.String(), out
	}
	var s string
	var out []mark
	for _, radius := range []int{24, 16, 10, 6, 3, 0} {
		if s, out = try(marks, radius, ""); lines(s, w) <= budget {
			return s, out
		}
	}
	// Too many marks: one of each distinct text, and how many more.
	var kept []mark
	seen := map[string]bool{}
	for _, m := range marks {
		if t := string(runes[m.start:m.end]); !seen[t] {
			seen[t] = true
			kept = append(kept, m)
		}
	}
	note := fmt.Sprintf("（另有 %d 处）", len(marks)-len(kept))
	for _, radius := range []int{6, 3, 0} {
		if s, out = try(kept, radius, note); lines(s, w) <= budget {
			break
		}
	}
	return s, out
}

// richText makes text with its marks as rich-text runs.
func richText(text string, marks []mark) []excelize.RichTextRun {
	runes := []rune(text)
	var runs []excelize.RichTextRun
	pos := 0
	for _, m := range marks {
		if m.start < pos { // overlapping marks: the earlier run covers it
			continue
		}
		if m.start > pos {
			runs = append(runs, excelize.RichTextRun{Text: string(runes[pos:m.start])})
		}
		runs = append(runs, excelize.RichTextRun{Text: string(runes[m.start:m.end]), Font: m.font})
		pos = m.end
	}
	if pos < len(runes) {
		runs = append(runs, excelize.RichTextRun{Text: string(runes[pos:])})
	}
	return runs
}

// Type sizes in points: the body at 五号 and above (10.5), never shrunk.
const (
	bodySize  = 11
	titleSize = 14
)

// fontFamily is named on every font: a font with none is drawn in the
// reader's default (a serif on LibreOffice), wider than the Calibri the
// column widths count in.
const fontFamily = "Calibri"

func bodyFont() *excelize.Font { return &excelize.Font{Family: fontFamily, Size: bodySize} }

// font is the body font, changed by set.
func font(set func(*excelize.Font)) *excelize.Font {
	f := bodyFont()
	set(f)
	return f
}

// thinBorders box every printed cell.
var thinBorders = []excelize.Border{{Type: "left", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1},
	{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1}}

// headerStyle is a table's header row: white on blue, boxed.
func headerStyle() *excelize.Style {
	return &excelize.Style{Font: font(func(f *excelize.Font) { f.Bold, f.Color = true, "FFFFFF" }), Border: thinBorders,
		Fill:      excelize.Fill{Type: "pattern", Color: []string{"305496"}, Pattern: 1},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}}
}

// titleHeight is the height of a title cell w units wide: its first run at
// titleSize, the rest at bodySize.
func titleHeight(runs []excelize.RichTextRun, w float64) float64 {
	h := 6.0
	for i, r := range runs {
		size := float64(bodySize)
		if r.Font != nil && r.Font.Size > 0 {
			size = r.Font.Size
		}
		text := strings.TrimPrefix(r.Text, "\n")
		if i > 0 && !strings.HasPrefix(r.Text, "\n") {
			continue // runs on the same line
		}
		// A bigger type takes more of the width per character.
		h += float64(lines(text, w*bodySize/size)) * size * 1.35
	}
	return h
}

// setUsedRange writes a sheet's <dimension> as the range its cells use:
// excelize leaves A1 there, and a reader that trusts it (openpyxl's
// read-only mode) then sees one column. For a sheet written cell by cell;
// a streamed one has none (see stream.open).
func setUsedRange(f *excelize.File, sheet string) error {
	rows, err := f.GetRows(sheet)
	if err != nil {
		return err
	}
	cols := 0
	for _, r := range rows {
		cols = max(cols, len(r))
	}
	if cols == 0 {
		return f.SetSheetDimension(sheet, "A1")
	}
	last, _ := excelize.CoordinatesToCellName(cols, len(rows))
	return f.SetSheetDimension(sheet, "A1:"+last)
}

// SourceNames names the exports screened, as a printed title says them.
func SourceNames(inputs []string) string {
	names := make([]string, len(inputs))
	for i, in := range inputs {
		names[i] = filepath.Base(in)
		if in == "-" {
			names[i] = "标准输入"
		}
	}
	return strings.Join(names, "、")
}

// District is the office's name from REGSCREEN_DISTRICT, for printed
// lists and returns ("" when unset).
func District() string { return strings.TrimSpace(os.Getenv("REGSCREEN_DISTRICT")) }
