package input

import (
	"bytes"
	"crypto/sha256"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"
)

func TestXLSXTitleRowSheetPickAndDates(t *testing.T) {
	f, err := os.Open("testdata/lo-book.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	src, err := openXLSX(f, "lo-book.xlsx", "", false)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	// the first sheet (说明) has no header; the merged title row stands over the header
	if src.Sheet() != "登记信息" || src.TitleRows() != 1 || src.HeaderLine() != 2 || src.Header()[1] != "企业名称" {
		t.Fatalf("sheet %s, title rows %d, header at %d: %q", src.Sheet(), src.TitleRows(), src.HeaderLine(), src.Header())
	}
	want := []struct {
		line  int
		cells []string
	}{
		{3, []string{"91330205AY4CL12THT", "宁波江北甬信理财咨询有限公司", "理财咨询；企业管理咨询 & 商务信息咨询 <不含金融>", "2001-08-07", "1999-12-31", "2020-02-29 13:45:07", "TRUE", "1000.5"}},
		{4, []string{"91330205DD272HD1T9", "宁波江北恒达五金贸易有限公司", "五金交电、建材\n第二段", "1900-03-01", "", "2026-11-30", "FALSE", "2001"}},
		{6, []string{"330205000012345", "  宁波某某金融有限公司  ", "支付   结算", "2049-01-01", "", "", "", ""}},
	}
	for _, w := range want {
		row, err := src.Next()
		if err != nil {
			t.Fatal(err)
		}
		if row.Line != w.line || !reflect.DeepEqual(row.Cells, w.cells) {
			t.Errorf("line %d %q, want line %d %q", row.Line, row.Cells, w.line, w.cells)
		}
	}
	if _, err := src.Next(); err != io.EOF {
		t.Errorf("want EOF, got %v", err)
	}
}

func TestXLSXSheetByNameOrNumber(t *testing.T) {
	for _, sheet := range []string{"2", "登记信息"} {
		f, _ := os.Open("testdata/lo-book.xlsx")
		src, err := openXLSX(f, "b.xlsx", sheet, false)
		if err != nil {
			t.Fatal(err)
		}
		if src.Sheet() != "登记信息" {
			t.Errorf("--sheet %s: %s", sheet, src.Sheet())
		}
		src.Close()
		f.Close()
	}
	f, _ := os.Open("testdata/lo-book.xlsx")
	defer f.Close()
	if _, err := openXLSX(f, "b.xlsx", "3", false); err == nil || !strings.Contains(err.Error(), "说明、登记信息") {
		t.Errorf("missing sheet: %v", err)
	}
}

// The caller's reader sees every byte of the file, once: a hash of it is
// the file's own (it used to be the hash of nothing).
func TestXLSXCallerReaderSeesTheFile(t *testing.T) {
	data, err := os.ReadFile("testdata/lo-book.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	for _, stopEarly := range []bool{false, true} {
		f, _ := os.Open("testdata/lo-book.xlsx")
		h := sha256.New()
		var counted countWriter
		src, err := Open("testdata/lo-book.xlsx", io.TeeReader(io.TeeReader(f, h), &counted), "lo-book.xlsx", Options{})
		if err != nil {
			t.Fatal(err)
		}
		for !stopEarly {
			if _, err := src.Next(); err == io.EOF {
				// progress: the whole file has been read by the end of the sheet
				if int(counted) != len(data) {
					t.Errorf("at EOF the caller's reader has given %d of %d bytes", counted, len(data))
				}
				break
			}
		}
		src.Close()
		f.Close()
		if sum := sha256.Sum256(data); !bytes.Equal(h.Sum(nil), sum[:]) || int(counted) != len(data) {
			t.Errorf("stop early %v: caller's hash is not the file's (%d of %d bytes)", stopEarly, counted, len(data))
		}
	}
}

type countWriter int

func (c *countWriter) Write(p []byte) (int, error) { *c += countWriter(len(p)); return len(p), nil }

// Standard input is spooled and read the same way.
func TestXLSXFromStdin(t *testing.T) {
	data, _ := os.ReadFile("testdata/lo-sample.xlsx")
	src, err := Open("-", bytes.NewReader(data), "<标准输入>", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	n := countRows(t, src)
	if n != 30 || src.Info.Format != "xlsx" {
		t.Errorf("%d rows, format %s", n, src.Info.Format)
	}
}

// OpenWorkbook is the API other commands read a sheet through (db
// import-status reads decisions back from our own workbook).
func TestWorkbookAPI(t *testing.T) {
	b, err := OpenWorkbook("testdata/lo-book.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if got := b.Sheets(); !reflect.DeepEqual(got, []string{"说明", "登记信息"}) {
		t.Fatalf("sheets %q", got)
	}
	for i := 0; i < 2; i++ { // a sheet can be opened again
		src, err := b.Sheet("登记信息", false)
		if err != nil {
			t.Fatal(err)
		}
		name := HeaderIndex(src.Header(), "企业名称")
		date := HeaderIndex(src.Header(), " 成立日期 ")
		if name != 1 || date != 3 || HeaderIndex(src.Header(), "处理状态") != -1 {
			t.Fatalf("columns %d %d", name, date)
		}
		row, err := src.Next()
		if err != nil || row.Cells[name] != "宁波江北甬信理财咨询有限公司" || row.Cells[date] != "2001-08-07" {
			t.Fatalf("%q %v", row.Cells, err)
		}
		src.Close()
	}
}

func TestXLSXNotAWorkbook(t *testing.T) {
	p := writeTemp(t, "x.xlsx", []byte("这不是一个 zip 文件"))
	if _, err := OpenWorkbook(p); err == nil || !strings.Contains(err.Error(), "不是有效的 XLSX") {
		t.Errorf("not a zip: %v", err)
	}
	// a zip that is not a workbook
	var buf bytes.Buffer
	p2 := writeTemp(t, "y.xlsx", append(buf.Bytes(), xlsxParts{}.bytesNoWorkbook(t)...))
	if _, err := OpenWorkbook(p2); err == nil || !strings.Contains(err.Error(), "不是有效的 XLSX") {
		t.Errorf("zip without workbook: %v", err)
	}
}
