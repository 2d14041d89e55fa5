package input

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// exportSheetXML is a 全部记录 sheet as regscreen's workbook writes it:
// a number, then inline strings of registration text (real scopes run to
// hundreds of characters), rows of nine cells.
func exportSheetXML(rows int) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><worksheet ` + nsMain + `><sheetData>`)
	scope := strings.Repeat("机械零部件加工；锻、压、冲件及模具加工、销售；玻璃钢、标志标牌、金属制品制作、销售。", 3)
	for r := 1; r <= rows; r++ {
		fmt.Fprintf(&b, `<row r="%d" ht="46.5" customHeight="1"><c r="A%d" s="5"><v>%d</v></c>`, r, r, r-1)
		cells := []string{fmt.Sprintf("91330237%010d", r), "株洲湘铁锻业有限公司", scope[:len(scope)*(r%3+1)/3], "", "无需处理", "", "",
			fmt.Sprintf("/tmp/real200k.csv 第%d行", r)}
		for i, c := range cells {
			fmt.Fprintf(&b, `<c r="%c%d" s="2" t="inlineStr"><is><t>%s</t></is></c>`, 'B'+i, r, c)
		}
		b.WriteString(`</row>`)
	}
	b.WriteString(`</sheetData></worksheet>`)
	return b.Bytes()
}

// BenchmarkSheetScanner reads an export sheet already inflated: the XML
// scan alone, the part of XLSX input on the reading goroutine (UTF-8 is
// checked on the workers, as scan does).
func BenchmarkSheetScanner(b *testing.B) {
	x := exportSheetXML(20000)
	b.SetBytes(int64(len(x)))
	for b.Loop() {
		p := newSheetScanner(bytes.NewReader(x), &workbook{}, xlsxUnzipLimit)
		p.x.deferUTF8 = true // as scan reads: CheckRow checks, on a worker
		var r sheetRow
		n := 0
		for {
			err := p.next(&r)
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != 20000 {
			b.Fatalf("%d rows", n)
		}
	}
}

// scanAll reads sheet XML to its end with the scanner alone, every row and
// error as text; buf is the scanner's buffer size (0: the usual one).
func scanAll(xmlText string, slow, deferUTF8 bool, buf int) []string {
	p := newSheetScanner(strings.NewReader(xmlText), &workbook{}, 1<<20)
	p.slow, p.x.deferUTF8 = slow, deferUTF8
	if buf > 0 {
		p.x.buf = make([]byte, buf)
	}
	var out []string
	for range 10000 {
		var r sheetRow
		err := p.next(&r)
		if err == io.EOF {
			return out
		}
		out = append(out, fmt.Sprintf("%d %q %v", r.num, r.cells, err))
		var ue *errUnknown
		var fe *errFatal
		if errors.As(err, &ue) || errors.As(err, &fe) {
			return out
		}
	}
	return append(out, "(stopped)")
}

// The fast path for the usual cell gives what the general path gives,
// rows and damage alike, whatever the XML and however the buffer cuts it.
func FuzzXLSXFastCellSame(f *testing.F) {
	f.Add(`<row r="1"><c r="A1" s="5"><v>1</v></c><c r="B1" s="2" t="inlineStr"><is><t>企业名称</t></is></c></row>`, uint16(0), false)
	f.Add(`<row r="2"><c r="A2" t="inlineStr"><is><t>a&amp;b</t></is></c><c r="B2" t="s"><v>0</v></c><c r="C2"><v>x`+"\r"+`y</v></c></row>`, uint16(48), true)
	f.Add(`<row r="3"><c r="A3" t='inlineStr'><is><t>a</t></is></c><c r="B3" t="inlineStr"><is><t>b</t><r><t>c</t></r></is></c><c r="C3" t="inlineStr"><is><t>`+"\xff"+`</t></is></c></row>`, uint16(33), false)
	f.Add(`<row r="4"> <c r="A4" s="1" t="d"><v>2024-01-02</v></c> <c r="B4" t="b"><v>1</v></c><c r="B4"><v>2</v></c><c r="ZZZZ4"><v>3</v></c></row>`, uint16(64), true)
	f.Add(`<row r="5"><c r="A5" t="inlineStr"><is><t>_x0041_`+"\x00"+`</t></is></c><c r="B5" t="inlineStr" ><is><t></t></is></c><c r="C5" x="<"><v>1</v></c></row>`, uint16(0), true)
	f.Fuzz(func(t *testing.T, rows string, buf uint16, deferUTF8 bool) {
		size := 0
		if buf > 0 {
			size = 256 + int(buf)%4096
		}
		x := sheetXML(rows)
		fast, slow := scanAll(x, false, deferUTF8, size), scanAll(x, true, deferUTF8, size)
		if !reflect.DeepEqual(fast, slow) {
			t.Fatalf("%q (buffer %d):\nfast %q\nslow %q", rows, size, fast, slow)
		}
	})
}

// The real-text export read whole: both paths give the same rows.
func TestXLSXFastCellSameOnExport(t *testing.T) {
	x := string(exportSheetXML(500))
	for _, size := range []int{0, 300, 1000, 4096} {
		fast, slow := scanAll(x, false, false, size), scanAll(x, true, false, size)
		if len(fast) != 500 || !reflect.DeepEqual(fast, slow) {
			t.Fatalf("buffer %d: %d rows, %d by the general path, or they differ", size, len(fast), len(slow))
		}
	}
}

// atoi reads what strconv.Atoi reads, with the same errors.
func TestAtoiAsStrconv(t *testing.T) {
	for _, s := range []string{"", "0", "7", "007", "123456789012345678", "1234567890123456789", "99999999999999999999",
		"-1", "+5", " 1", "1 ", "1_0", "0x1F", "١", "12a"} {
		n, err := atoi([]byte(s))
		wn, werr := strconv.Atoi(s)
		if n != wn || fmt.Sprint(err) != fmt.Sprint(werr) {
			t.Errorf("atoi(%q) = %d, %v; strconv.Atoi %d, %v", s, n, err, wn, werr)
		}
	}
}
