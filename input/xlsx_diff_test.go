package input

import (
	"fmt"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/regscreen/regscreen/internal/fixture"
	"github.com/xuri/excelize/v2"
)

// The streaming reader is held to excelize's Rows/Columns with raw values
// on workbooks excelize writes at random (normal mode: shared strings and
// styles; stream mode: inline strings), on files LibreOffice saved, and on
// hand-written XML that excelize writes no such way (no r attributes,
// prefixes, CDATA, entities, comments). The only intended differences:
// numbers styled as dates read as dates, booleans as TRUE/FALSE.

type cellKind uint8

const (
	kPlain    cellKind = iota
	kDate              // date-only format
	kDateTime          // date and time format
	kBool
)

var fuzzTexts = []string{"宁波理财咨询有限公司", "A&B <c> \"d\" 'e'", " 前后空格 ", "行一\n行二", "回车\r\n换行", "制表\t符",
	"_x000D_ 字面", "_x005F_x0041_", "😀 表情", "金融", "0123", "1E5", "=1+2", "", "   ", "Ｐ２Ｐ", "a]]>b", "&amp;"}

type genWorkbook struct {
	path   string
	sheets []string
	kinds  map[string]map[[2]int]cellKind // sheet → (row, col) → kind
}

// genXLSX writes a random workbook with excelize.
func genXLSX(t testing.TB, seed int64, dir string) genWorkbook {
	t.Helper()
	rnd := rand.New(rand.NewSource(seed))
	f := excelize.NewFile()
	defer f.Close()
	g := genWorkbook{path: filepath.Join(dir, fmt.Sprintf("gen%d.xlsx", seed)), kinds: map[string]map[[2]int]cellKind{}}
	dateFmt := "yyyy/m/d"
	styles := map[cellKind][]int{}
	for _, id := range []int{14, 15, 17, 57} {
		s, _ := f.NewStyle(&excelize.Style{NumFmt: id})
		styles[kDate] = append(styles[kDate], s)
	}
	for _, code := range []string{dateFmt, `yyyy"年"m"月"d"日"`, `[$-804]yyyy-mm-dd;@`} {
		s, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &code})
		styles[kDate] = append(styles[kDate], s)
	}
	dt := "yyyy-mm-dd hh:mm:ss"
	s22, _ := f.NewStyle(&excelize.Style{NumFmt: 22})
	sdt, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &dt})
	styles[kDateTime] = []int{s22, sdt}
	money := `#,##0.00_);[Red](#,##0.00)`
	plainStyle, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &money})
	nsheets := 1 + rnd.Intn(3)
	for si := 0; si < nsheets; si++ {
		name := fmt.Sprintf("表%d", si+1)
		if si == 0 {
			f.SetSheetName("Sheet1", name)
		} else {
			f.NewSheet(name)
		}
		g.sheets = append(g.sheets, name)
		kinds := map[[2]int]cellKind{}
		g.kinds[name] = kinds
		stream := rnd.Intn(3) == 0
		var sw *excelize.StreamWriter
		if stream {
			sw, _ = f.NewStreamWriter(name)
		}
		nrows := rnd.Intn(40)
		row := 0
		for r := 0; r < nrows; r++ {
			row += 1 + rnd.Intn(3)*rnd.Intn(2) // sometimes skip rows
			ncols := rnd.Intn(10)
			var vals []any
			for c := 1; c <= ncols; c++ {
				cell, _ := excelize.CoordinatesToCellName(c, row)
				var v any
				kind := kPlain
				style := 0
				switch rnd.Intn(11) {
				case 0, 1, 2:
					v = fuzzTexts[rnd.Intn(len(fuzzTexts))]
				case 3:
					v = rnd.Intn(2000000) - 1000000
				case 4:
					v = rnd.NormFloat64() * 1e4
				case 5:
					v = rnd.Intn(2) == 1
					kind = kBool
				case 6:
					d := time.Date(1901+rnd.Intn(150), time.Month(1+rnd.Intn(12)), 1+rnd.Intn(28), 0, 0, 0, 0, time.UTC)
					v, kind = d, kDate
					style = styles[kDate][rnd.Intn(len(styles[kDate]))]
				case 7:
					d := time.Date(1950+rnd.Intn(80), time.Month(1+rnd.Intn(12)), 1+rnd.Intn(28), rnd.Intn(24), rnd.Intn(60), rnd.Intn(60), 0, time.UTC)
					v, kind = d, kDateTime
					style = styles[kDateTime][rnd.Intn(2)]
				case 8:
					if !stream {
						runs := []excelize.RichTextRun{{Text: fuzzTexts[rnd.Intn(len(fuzzTexts))]}, {Text: "红字", Font: &excelize.Font{Color: "FF0000"}}}
						f.SetCellRichText(name, cell, runs)
						continue
					}
					v = []excelize.RichTextRun{{Text: "流"}, {Text: fuzzTexts[rnd.Intn(len(fuzzTexts))], Font: &excelize.Font{Bold: true}}}
				case 9:
					v = rnd.Intn(1000)
					style = plainStyle
				default:
					v = nil
				}
				if stream {
					if style != 0 {
						v = excelize.Cell{StyleID: style, Value: v}
					}
					vals = append(vals, v)
				} else if v != nil {
					if err := f.SetCellValue(name, cell, v); err != nil {
						t.Fatal(err)
					}
					if style != 0 {
						f.SetCellStyle(name, cell, cell, style)
					}
					if rnd.Intn(15) == 0 {
						f.SetCellFormula(name, cell, "1+1") // the cell becomes t="str": its value reads as it is
						kind = kPlain
					}
				}
				if v != nil {
					kinds[[2]int{row, c}] = kind
				}
			}
			if stream {
				cell, _ := excelize.CoordinatesToCellName(1, row)
				if err := sw.SetRow(cell, vals); err != nil {
					t.Fatal(err)
				}
			}
		}
		if stream {
			if err := sw.Flush(); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := f.SaveAs(g.path); err != nil {
		t.Fatal(err)
	}
	return g
}

// expected turns excelize's raw rows into what the reader should give.
func expected(t testing.TB, raw []gotRow, kinds map[[2]int]cellKind, date1904 bool) []gotRow {
	out := make([]gotRow, len(raw))
	for i, r := range raw {
		cells := append([]string(nil), r.cells...)
		for c, v := range cells {
			k, ok := kinds[[2]int{r.line, c + 1}]
			if !ok || v == "" {
				continue
			}
			switch k {
			case kBool:
				cells[c] = map[string]string{"1": "TRUE", "0": "FALSE"}[v]
			case kDate, kDateTime:
				x, err := strconv.ParseFloat(v, 64)
				if err != nil {
					t.Fatalf("row %d col %d: date cell %q", r.line, c+1, v)
				}
				tm, err := excelize.ExcelDateToTime(x, date1904)
				if err != nil {
					t.Fatal(err)
				}
				tm = tm.Round(time.Second)
				if k == kDate || tm.Hour()+tm.Minute()+tm.Second() == 0 {
					cells[c] = tm.Format("2006-01-02")
				} else {
					cells[c] = tm.Format("2006-01-02 15:04:05")
				}
			}
		}
		out[i] = gotRow{line: r.line, cells: cells}
	}
	return out
}

func compareRows(t testing.TB, what string, got, want []gotRow) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d rows, excelize %d\n got %v\nwant %v", what, len(got), len(want), got, want)
		return
	}
	for i := range got {
		if got[i].reject != "" || got[i].line != want[i].line || !reflect.DeepEqual(got[i].cells, want[i].cells) {
			t.Errorf("%s: row %d\n got %d %q %s\nwant %d %q", what, i, got[i].line, got[i].cells, got[i].reject, want[i].line, want[i].cells)
			return
		}
	}
}

func FuzzXLSXAgainstExcelize(f *testing.F) {
	for seed := int64(1); seed <= 40; seed++ {
		f.Add(seed)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, seed int64) {
		g := genXLSX(t, seed, dir)
		defer os.Remove(g.path)
		for _, sh := range g.sheets {
			got, err := readSheet(t, g.path, sh)
			if err != nil {
				t.Fatal(err)
			}
			compareRows(t, fmt.Sprintf("seed %d sheet %s", seed, sh), got, expected(t, excelizeRows(t, g.path, sh), g.kinds[sh], false))
		}
	})
}

// LibreOffice's files (input/testdata/lo-*.xlsx, made once by
// testdata/mklo.sh) use shared strings, its own styles and date formats.
func TestXLSXLibreOfficeFiles(t *testing.T) {
	files, _ := filepath.Glob("testdata/lo-*.xlsx")
	if len(files) == 0 {
		t.Fatal("no LibreOffice fixtures in testdata")
	}
	for _, path := range files {
		b, err := OpenWorkbook(path)
		if err != nil {
			t.Fatal(err)
		}
		sheets := b.Sheets()
		b.Close()
		for _, sh := range sheets {
			got, err := readSheet(t, path, sh)
			if err != nil {
				t.Fatal(err)
			}
			kinds := map[[2]int]cellKind{}
			// the fixtures keep dates in a column whose header says 日期
			raw := excelizeRows(t, path, sh)
			dateCols := map[int]cellKind{}
			headerLine := 0
			for _, r := range raw {
				for c, v := range r.cells {
					for word, k := range map[string]cellKind{"日期": kDate, "时间": kDateTime, "真假": kBool} {
						if strings.Contains(v, word) {
							dateCols[c+1], headerLine = k, r.line
						}
					}
				}
				if headerLine > 0 {
					break
				}
			}
			for _, r := range raw {
				for c := range r.cells {
					if k, ok := dateCols[c+1]; ok && r.line > headerLine {
						kinds[[2]int{r.line, c + 1}] = k
					}
				}
			}
			compareRows(t, path+"#"+sh, got, expected(t, raw, kinds, false))
		}
	}
}

// The sample export saved by LibreOffice (dates detected as date cells)
// reads exactly as the CSV it came from: the same header, rows and cells.
func TestXLSXLibreOfficeSampleEqualsCSV(t *testing.T) {
	f, err := os.Open(fixture.Path("sample.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	csv, err := OpenCSV(f, "sample.csv", csvOptions{})
	if err != nil {
		t.Fatal(err)
	}
	x, err := os.Open("testdata/lo-sample.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	xs, err := openXLSX(x, "lo-sample.xlsx", "", false)
	if err != nil {
		t.Fatal(err)
	}
	defer xs.Close()
	if !reflect.DeepEqual(csv.Header(), xs.Header()) || csv.HeaderLine() != xs.HeaderLine() {
		t.Fatalf("header %q at %d, CSV %q at %d", xs.Header(), xs.HeaderLine(), csv.Header(), csv.HeaderLine())
	}
	n := 0
	for {
		want, werr := csv.Next()
		got, gerr := xs.Next()
		if werr == io.EOF || gerr == io.EOF {
			if werr != gerr {
				t.Fatalf("after %d rows: CSV %v, XLSX %v", n, werr, gerr)
			}
			break
		}
		if werr != nil || gerr != nil {
			t.Fatalf("row %d: %v / %v", n, werr, gerr)
		}
		if want.Line != got.Line || !reflect.DeepEqual(want.Cells, got.Cells) {
			t.Fatalf("line %d: %q\nCSV line %d: %q", got.Line, got.Cells, want.Line, want.Cells)
		}
		n++
	}
	if n != 30 {
		t.Errorf("%d rows", n)
	}
}
