package input

import (
	"bytes"
	"encoding/binary"
	"encoding/csv"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/regscreen/regscreen/internal/fixture"
)

// xlsRows reads every row of every sheet as the reader sees them.
func xlsRows(t *testing.T, data []byte) map[string][][]string {
	t.Helper()
	book, err := readBIFFBook(data)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][][]string{}
	for i, ref := range book.sheets {
		s, err := book.sheetSource("f.xls", i)
		if err != nil {
			t.Fatal(err)
		}
		for {
			row, err := s.read()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", ref.name, err)
			}
			out[ref.name] = append(out[ref.name], row.Cells)
		}
	}
	return out
}

var (
	loUSDate = regexp.MustCompile(`^(\d{1,2})/(\d{1,2})/(\d{4})( 0?0:00(:00)?)?$`)
	loCNDate = regexp.MustCompile(`^(\d{4})年(\d{1,2})月(\d{1,2})日$`)
)

// sameCell compares a cell with LibreOffice's text for it, which shows
// numbers and dates in the cell's format where the reader shows numbers
// as General and dates as 2006-01-02.
func sameCell(got, lo string) bool {
	if got == lo {
		return true
	}
	if d, err := time.Parse("2006-01-02", got); err == nil {
		for _, re := range []*regexp.Regexp{loUSDate, loCNDate} {
			m := re.FindStringSubmatch(lo)
			if m == nil {
				continue
			}
			y, mo, da := m[3], m[1], m[2]
			if re == loCNDate {
				y, mo, da = m[1], m[2], m[3]
			}
			yi, _ := strconv.Atoi(y)
			mi, _ := strconv.Atoi(mo)
			di, _ := strconv.Atoi(da)
			return d.Equal(time.Date(yi, time.Month(mi), di, 0, 0, 0, 0, time.UTC))
		}
		return false
	}
	g, err1 := strconv.ParseFloat(strings.Replace(got, "E+0", "E+", 1), 64)
	l, err2 := strconv.ParseFloat(strings.Replace(lo, "E+0", "E+", 1), 64)
	return err1 == nil && err2 == nil && math.Abs(g-l) <= 1e-14*math.Abs(l)
}

// TestXLSMatchesLibreOffice holds the reader to LibreOffice's own CSV of
// each fixture's sheets (scripts/xls-fixtures.sh wrote them): the same
// rows, the same text, the same numbers and dates.
func TestXLSMatchesLibreOffice(t *testing.T) {
	files, _ := filepath.Glob(fixture.Path("exports/*.xls"))
	if len(files) < 3 {
		t.Fatalf("want the .xls fixtures, found %v", files)
	}
	compared := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		base := strings.TrimSuffix(filepath.Base(f), ".xls")
		for sheet, rows := range xlsRows(t, data) {
			want := loCSV(t, fixture.Path("exports/libreoffice/"+base+"-"+sheet+".csv"))
			if len(rows) != len(want) {
				t.Errorf("%s#%s: %d rows, LibreOffice %d", base, sheet, len(rows), len(want))
				continue
			}
			for i := range rows {
				if len(rows[i]) != len(want[i]) {
					t.Errorf("%s#%s row %d: %q, LibreOffice %q", base, sheet, i+1, rows[i], want[i])
					continue
				}
				for j := range rows[i] {
					if !sameCell(rows[i][j], want[i][j]) {
						t.Errorf("%s#%s row %d col %d: %q, LibreOffice %q", base, sheet, i+1, j+1, rows[i][j], want[i][j])
					}
					compared++
				}
			}
		}
	}
	if compared < 500 {
		t.Errorf("only %d cells compared", compared)
	}
}

// loCSV reads LibreOffice's CSV without its empty rows and the empty
// cells it pads each row with to the sheet's width.
func loCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	all, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out [][]string
	for _, row := range all {
		for len(row) > 0 && row[len(row)-1] == "" {
			row = row[:len(row)-1]
		}
		if len(row) > 0 {
			out = append(out, row)
		}
	}
	return out
}

func TestXLSRecordsAndInfo(t *testing.T) {
	for _, tc := range []struct{ file, sheet, enc, code string }{
		{"sample.xls", "登记信息", "", "91330205AY4CL12THT"},
		{"excel95.xls", "登记信息", "gbk", "91330205AY4CL12THT"},
		{"codes-as-numbers.xls", "企业", "", "330205000012345"},
	} {
		data, _ := os.ReadFile(fixture.Path("exports/" + tc.file))
		src, err := Open(tc.file, bytes.NewReader(data), tc.file, Options{})
		if err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		if src.Info.Format != "xls" || src.Info.Sheet != tc.sheet || src.Info.Encoding != tc.enc {
			t.Errorf("%s: info %+v", tc.file, src.Info)
		}
		row, err := src.Next()
		if err != nil || row.Cells[0] != tc.code {
			t.Errorf("%s: first record %q %v", tc.file, row.Cells, err)
		}
		if tc.file != "codes-as-numbers.xls" && (src.Info.TitleRows != 1 || row.Line != 3 || row.Cells[5] != "2010-09-07" || row.Cells[4] != "1000") {
			t.Errorf("%s: title rows %d, first record at %d: %q", tc.file, src.Info.TitleRows, row.Line, row.Cells)
		}
	}
}

// A .xls is known by its first bytes whatever its name; spreadsheets it
// does not read get a line saying what to do.
func TestSpreadsheetFormatsByContent(t *testing.T) {
	xls, _ := os.ReadFile(fixture.Path("exports/sample.xls"))
	ods, _ := os.ReadFile(fixture.Path("exports/sample.ods"))
	for _, tc := range []struct {
		path   string
		data   []byte
		format string
		want   string // "" opens as .xls
	}{
		{"导出.xlsx", xls, "", ""},
		{"导出.csv", xls, "", ""},
		{"-", xls, "", ""},
		{"导出.xls", xls, "xls", ""},
		{"导出.ods", ods, "", "OpenDocument 电子表格（.ods"},
		{"导出.xlsx", ods, "", "OpenDocument 电子表格（.ods"},
		{"导出.et", xls, "", "WPS 表格的 .et 文件"},
		{"导出.xls", []byte("<html><table><tr><td>企业名称</td></tr></table></html>"), "", "网页（HTML）表格"},
		{"导出.xls", []byte(`<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">`), "", "XML 电子表格 2003"},
		{"导出.txt", []byte("企业名称\n理财\n"), "xls", "开头没有 OLE2 文件标志"},
	} {
		src, err := Open(tc.path, bytes.NewReader(tc.data), tc.path, Options{Format: tc.format})
		switch {
		case tc.want == "" && (err != nil || src.Info.Format != "xls"):
			t.Errorf("%s: %v", tc.path, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want) || tc.format == "" && !strings.Contains(err.Error(), ".xlsx")):
			t.Errorf("%s: %v, want %q", tc.path, err, tc.want)
		}
	}
}

// biffStream returns the fixture's workbook stream and where it sits in
// the file (mkxls writes it from sector 2, contiguous).
func excel95Stream(t *testing.T) ([]byte, []byte) {
	data, err := os.ReadFile(fixture.Path("exports/excel95.xls"))
	if err != nil {
		t.Fatal(err)
	}
	return data, data[3*512:]
}

// findRecord is the offset of the n-th record with this id in a stream.
func findRecord(stream []byte, id uint16, n int) int {
	for p := 0; p+4 <= len(stream); {
		if binary.LittleEndian.Uint16(stream[p:]) == id {
			if n == 0 {
				return p
			}
			n--
		}
		p += 4 + int(binary.LittleEndian.Uint16(stream[p+2:]))
	}
	return -1
}

func TestXLSDamage(t *testing.T) {
	open := func(data []byte) (*Opened, error) {
		return Open("d.xls", bytes.NewReader(data), "d.xls", Options{})
	}
	// A cell whose bytes are not GBK rejects its row, the rest is read.
	data, stream := excel95Stream(t)
	bad := append([]byte(nil), data...)
	p := findRecord(stream, recLabel, 40) // a cell of the third record
	binary.LittleEndian.PutUint16(bad[3*512+p+4+8:], 2)
	copy(bad[3*512+p+4+10:], []byte{0x81, 0x20})
	src, err := open(bad)
	if err != nil {
		t.Fatal(err)
	}
	read, rejected := 0, 0
	for {
		_, err := src.Next()
		if err == io.EOF {
			break
		}
		if re, ok := IsRowError(err); ok {
			rejected++
			if !strings.Contains(re.Reason, "gbk 编码下不合法") || re.Line < 3 {
				t.Errorf("reject %v", re)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		read++
	}
	if rejected != 1 || read != 29 {
		t.Errorf("read %d, rejected %d; want 29 and 1", read, rejected)
	}

	// A sheet cut short may hide rows: the file is refused.
	short := append([]byte(nil), data...)
	end := 3*512 + findRecord(stream, recEOF, 1)
	binary.LittleEndian.PutUint16(short[end:], recLabel) // the sheet's EOF gone
	if _, err := open(short); err == nil || !strings.Contains(err.Error(), "已拒绝读取该文件") {
		t.Errorf("a sheet without its end: %v", err)
	}
	for _, n := range []int{100, 2000, len(xlsFixture(t)) / 2} {
		if _, err := open(xlsFixture(t)[:n]); err == nil {
			t.Errorf("a .xls cut at %d bytes was read", n)
		}
	}

	// An open password.
	enc := append([]byte(nil), data...)
	cp := 3*512 + findRecord(stream, recCodePage, 0)
	binary.LittleEndian.PutUint16(enc[cp:], recFilePass)
	if _, err := open(enc); err == nil || !strings.Contains(err.Error(), "文件已加密") {
		t.Errorf("encrypted: %v", err)
	}

	// Past the size limit, refused before reading.
	if _, err := openXLS(bytes.NewReader(nil), XLSMaxSize+1, "big.xls", "", false); err == nil || !strings.Contains(err.Error(), "超过本程序读取 .xls 的上限 128 MiB") {
		t.Errorf("over the limit: %v", err)
	}

	// A panic in the parsers is a Chinese line, not a crash.
	defer func(f func([]byte) (*biffBook, error)) { readBIFF = f }(readBIFF)
	readBIFF = func([]byte) (*biffBook, error) { panic("index out of range [9] with length 3") }
	if _, err := open(data); err == nil || !strings.Contains(err.Error(), ".xls 文件已损坏") || strings.Contains(err.Error(), "index") {
		t.Errorf("panic: %v", err)
	}
}

func xlsFixture(t *testing.T) []byte {
	data, err := os.ReadFile(fixture.Path("exports/sample.xls"))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestGeneralNumber(t *testing.T) {
	for f, want := range map[float64]string{
		1000: "1000", 330205000012345: "330205000012345", 913302051234567890: "9.13302051234568E+017",
		0.1 + 0.2: "0.3", -2.5: "-2.5", 1e-7: "1E-007", 123456789012.345: "123456789012.345",
	} {
		if got := generalNumber(f); got != want {
			t.Errorf("%v: %q, want %q", f, got, want)
		}
	}
}

// FuzzXLS opens any bytes as .xls and reads every sheet: no panic (the
// recover that guards a run is off), no hang, every row accounted for.
func FuzzXLS(f *testing.F) {
	files, _ := filepath.Glob(fixture.Path("exports/*.xls"))
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	recoverXLSPanics = false
	f.Fuzz(func(t *testing.T, data []byte) {
		book, err := readBIFFBook(data)
		if err != nil {
			return
		}
		for i := range book.sheets {
			s, err := book.sheetSource("f.xls", i)
			if err != nil {
				continue
			}
			last := 0
			for n := 0; ; n++ {
				if n > 65536 {
					t.Fatalf("more than 65,536 rows from one sheet")
				}
				row, err := s.read()
				if err == io.EOF {
					break
				}
				line := row.Line
				if re, ok := IsRowError(err); ok {
					line = re.Line
				}
				if line <= last || len(row.Cells) > xlsCols {
					t.Fatalf("row %d after %d, %d cells", line, last, len(row.Cells))
				}
				last = line
			}
		}
	})
}
