package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/xuri/excelize/v2"
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
)

// AssessColumns are the five assessment items of 三(一), left empty for
// the consultation.
var AssessColumns = []string{"股东背景", "信用状况", "经营团队", "运营方案", "风控措施"}

// DecisionColumns hold the consultation's outcome and who recorded it when.
var DecisionColumns = []string{ColStatus, ColOpinion, ColHandler, ColDate}

// ConsultColumns are all the columns the consultation fills in.
var ConsultColumns = append(append([]string{}, AssessColumns...), DecisionColumns...)

// widths are column widths in Excel's character units, chosen so that the
// printed columns of each sheet fit an A4 landscape page at a readable
// scale (about 75 %) and the text wraps into a few lines.
var widths = map[string]float64{
	ColSeq: 5, ColID: 20, ColName: 22, ColScope: 40, ColStreet: 9, ColTerms: 10, ColGroup: 12,
	ColWhere: 12, ColRegulator: 14, ColReason: 30, ColReviewReason: 30, ColEvasions: 10, ColSource: 20,
	ColVerdict: 8, ColNote: 36, ColStatus: 12, ColOpinion: 20, ColHandler: 8, ColDate: 11,
	ColRuling: 24,
	// changes and the monthly return
	"变动": 12, "统一社会信用代码/标识": 20, "变动前名称": 18, "变动后名称": 18, "变动前结论": 8, "变动后结论": 8,
	"变动前命中词": 10, "变动后命中词": 10, "变动前经营范围": 32, "变动后经营范围": 32, "备注": 40,
	"月末送会商企业数": 10, "本月新增": 10, "本月移出": 10, "本月变更": 10, "其中列入重点监管": 10,
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
	usable := max(1, int(math.Floor(w-1)))
	n := 0
	for _, part := range strings.Split(s, "\n") {
		n += max(1, (textUnits(part)+usable-1)/usable)
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
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &size, Orientation: &orient, FitToWidth: &one, FitToHeight: &tall}); err != nil {
		return err
	}
	fit := true
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
