package input

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/regscreen/regscreen/internal/fixture"
	"github.com/regscreen/regscreen/internal/xlsxdamage"
)

type damageWant struct {
	rows, rejected int
	rejects        map[int]string
	refuse         string
}

func parseWant(t *testing.T, text string) damageWant {
	w := damageWant{rows: -1, rejects: map[int]string{}}
	for _, line := range strings.Split(text, "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok || strings.HasPrefix(line, "#") {
			continue
		}
		v = strings.TrimSpace(v)
		switch k {
		case "rows":
			w.rows, _ = strconv.Atoi(v)
		case "rejected":
			w.rejected, _ = strconv.Atoi(v)
		case "reject":
			n, reason, _ := strings.Cut(v, " ")
			i, _ := strconv.Atoi(n)
			w.rejects[i] = reason
		case "refuse":
			w.refuse = v
		}
	}
	return w
}

// checkDamage reads a damage case through Open (header detection on) and
// checks the accounting: every record is a row or a rejection, the
// rejections are the expected ones, a refusal names its reason.
func checkDamage(t *testing.T, path string, want damageWant) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	src, err := Open(path, f, filepath.Base(path), Options{})
	if err != nil {
		if want.refuse == "" {
			t.Fatalf("%s: refused: %v", path, err)
		}
		if !strings.Contains(err.Error(), want.refuse) {
			t.Errorf("%s: refused with %q, want %q", path, err, want.refuse)
		}
		return
	}
	defer src.Close()
	_, colErr := MapColumns(src.Header(), ColumnSpec{})
	rows, rejected := 0, map[int]string{}
	last, lastFile := 0, ""
	for {
		row, err := src.Next()
		if err == io.EOF {
			break
		}
		if re, ok := IsRowError(err); ok {
			rejected[re.Line] = re.Reason
			last = re.Line
			continue
		}
		if err != nil {
			if want.refuse == "" || !strings.Contains(err.Error(), want.refuse) {
				t.Fatalf("%s: %v (want refuse %q)", path, err, want.refuse)
			}
			return
		}
		if row.File != lastFile {
			last, lastFile = 0, row.File // the next sheet: lines start again
		}
		if row.Line <= last {
			t.Errorf("%s: row %d after %d", path, row.Line, last)
		}
		last = row.Line
		rows++
	}
	if want.refuse != "" {
		if colErr == nil || !strings.Contains(colErr.Error(), want.refuse) {
			t.Errorf("%s: read to the end; want a refusal %q (columns: %v)", path, want.refuse, colErr)
		}
		return
	}
	if rows+len(rejected) != want.rows || len(rejected) != want.rejected {
		t.Errorf("%s: %d rows + %d rejected, want %d records with %d rejected: %v", path, rows, len(rejected), want.rows, want.rejected, rejected)
	}
	for line, reason := range want.rejects {
		if !strings.Contains(rejected[line], reason) {
			t.Errorf("%s: line %d rejected for %q, want %q", path, line, rejected[line], reason)
		}
	}
}

// The committed xlsx cases of the damage corpus are what the generator
// writes, and read as their .want files say.
func TestXLSXDamageCorpus(t *testing.T) {
	dir := fixture.Path("damage")
	for _, c := range xlsxdamage.Small() {
		path := filepath.Join(dir, c.Name+".xlsx")
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (go run ./internal/cmd/mkxlsxdamage -o fixtures/damage)", err)
		}
		var buf bytes.Buffer
		if err := c.Write(&buf); err != nil {
			t.Fatal(err)
		}
		want, _ := os.ReadFile(filepath.Join(dir, c.Name+".want"))
		if !bytes.Equal(buf.Bytes(), data) || string(want) != c.Want {
			t.Errorf("%s differs from what mkxlsxdamage writes: run go run ./internal/cmd/mkxlsxdamage -o fixtures/damage", c.Name)
		}
		checkDamage(t, path, parseWant(t, c.Want))
	}
}

// The hostile cases, scaled down: the same limits refuse or reject them.
func TestXLSXHostileScaledDown(t *testing.T) {
	for _, c := range []xlsxdamage.Case{xlsxdamage.Whitespace("ws", 8<<20), xlsxdamage.BigSharedString("sst", 3<<20)} {
		var buf bytes.Buffer
		if err := c.Write(&buf); err != nil {
			t.Fatal(err)
		}
		checkDamage(t, writeTemp(t, c.Name+".xlsx", buf.Bytes()), parseWant(t, c.Want))
	}
}

// A row with an element the reader does not know goes to excelize from
// that row on, with a warning on its first row; no row is lost.
func TestXLSXUnknownElementFallsBack(t *testing.T) {
	var rows strings.Builder
	rows.WriteString(`<row r="1"><c r="A1" t="inlineStr"><is><t>企业名称</t></is></c><c r="B1" t="inlineStr"><is><t>经营范围</t></is></c></row>`)
	for i := 2; i <= 9; i++ {
		extra := ""
		if i == 5 {
			extra = `<x14:future xmlns:x14="urn:x">?</x14:future>`
		}
		fmt.Fprintf(&rows, `<row r="%d"><c r="A%d" t="inlineStr"><is><t>公司%d</t></is></c><c r="B%d" t="inlineStr">%s<is><t>范围%d</t></is></c></row>`, i, i, i, i, extra, i)
	}
	p := writeTemp(t, "u.xlsx", xlsxParts{sheets: []string{sheetXML(rows.String())}}.bytes(t))
	got, err := readSheet(t, p, "Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 9 {
		t.Fatalf("%d rows: %+v", len(got), got)
	}
	for i, r := range got {
		if r.line != i+1 || r.reject != "" || (i > 0 && r.cells[0] != fmt.Sprintf("公司%d", i+1)) {
			t.Errorf("row %d: %+v", i, r)
		}
		if (r.warn != "") != (r.line == 5) {
			t.Errorf("row %d warning %q", r.line, r.warn)
		}
	}
	if !strings.Contains(got[4].warn, "future") || !strings.Contains(got[4].warn, "excelize") {
		t.Errorf("warning %q", got[4].warn)
	}
}

// Damage in odd places: every row is read or rejected, never dropped.
func TestXLSXDamageAccounting(t *testing.T) {
	row := func(i int) string {
		return fmt.Sprintf(`<row r="%d"><c r="A%d" t="inlineStr"><is><t>公司%d</t></is></c></row>`, i, i, i)
	}
	cases := []struct {
		name, bad string
		reject    string
	}{
		{"broken row tag", `<row r="5" <c/></row>`, "XML 错误"},
		{"stray end tag", `<row r="5"><c r="A5"><v>1</v></c></c></row>`, "不匹配"},
		{"bad char ref", `<row r="5"><c r="A5"><v>&#0;</v></c></row>`, "不允许的字符"},
		{"bare ampersand", `<row r="5"><c r="A5" t="inlineStr"><is><t>A & B</t></is></c></row>`, "实体"},
		{"invalid UTF-8", "<row r=\"5\"><c r=\"A5\" t=\"inlineStr\"><is><t>\xff\xfe</t></is></c></row>", "UTF-8"},
		{"bad cell ref", `<row r="5"><c r="5A"><v>1</v></c></row>`, "引用"},
		{"bad shared index", `<row r="5"><c r="A5" t="s"><v>99</v></c></row>`, "共享字符串"},
		{"NUL by escape", `<row r="5"><c r="A5" t="inlineStr"><is><t>a_x0000_b</t></is></c></row>`, "NUL"},
		{"unclosed CDATA row", `<row r="5"><c r="A5"><v><![CDATA[1</v></c></row>]]></v></c></row>`, ""},
	}
	for _, c := range cases {
		var b strings.Builder
		for i := 1; i <= 9; i++ {
			if i == 5 {
				b.WriteString(c.bad)
			} else {
				b.WriteString(row(i))
			}
		}
		sst := `<sst ` + nsMain + `><si><t>x</t></si></sst>`
		p := writeTemp(t, "a.xlsx", xlsxParts{sheets: []string{sheetXML(b.String())}, sst: sst}.bytes(t))
		got, err := readSheet(t, p, "Sheet1")
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if len(got) != 9 {
			t.Errorf("%s: %d items, want 9: %+v", c.name, len(got), got)
			continue
		}
		for i, r := range got {
			if r.line != i+1 {
				t.Errorf("%s: item %d is line %d", c.name, i, r.line)
			}
			if (r.reject != "") != (i == 4) && c.reject != "" {
				t.Errorf("%s: line %d reject %q", c.name, r.line, r.reject)
			}
		}
		if c.reject != "" && !strings.Contains(got[4].reject, c.reject) {
			t.Errorf("%s: reason %q, want %q", c.name, got[4].reject, c.reject)
		}
	}
}

func TestXLSXLimits(t *testing.T) {
	// a part inflating past its limit
	x := newXScan(strings.NewReader(strings.Repeat("<a>", 1000)), 100)
	var tg tag
	var err error
	for err == nil {
		err = x.next(&tg)
	}
	var fe *errFatal
	if !errors.As(err, &fe) || !fe.limit || !strings.Contains(fe.msg, "100 字节") {
		t.Errorf("size limit: %v", err)
	}
	// a tag past maxTag
	x = newXScan(strings.NewReader(`<row r="`+strings.Repeat("1", maxTag+10)+`">`), 1<<30)
	if err := x.next(&tg); !errors.As(err, &fe) || !strings.Contains(fe.msg, "64 KiB") {
		t.Errorf("tag limit: %v", err)
	}
	// a cell past MaxField rejects its row; the next row is read
	rows := `<row r="1"><c r="A1" t="inlineStr"><is><t>` + strings.Repeat("金", MaxField/3+1) + `</t></is></c></row><row r="2"><c r="A2"><v>2</v></c></row>`
	p := writeTemp(t, "big.xlsx", xlsxParts{sheets: []string{sheetXML(rows)}}.bytes(t))
	got, err := readSheet(t, p, "Sheet1")
	if err != nil || len(got) != 2 || !strings.Contains(got[0].reject, "超过 1048576 字节") || got[1].cells[0] != "2" {
		t.Errorf("%v %+v", err, got)
	}
}

// With DeferChecks the UTF-8 check moves to CheckRow (scan's workers call
// it): the bad row still ends rejected.
func TestXLSXDeferredUTF8Check(t *testing.T) {
	rows := `<row r="1"><c r="A1" t="inlineStr"><is><t>企业名称</t></is></c></row>` +
		"<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>坏\xff字节</t></is></c></row>" +
		`<row r="3"><c r="A3" t="inlineStr"><is><t>好公司</t></is></c></row>`
	p := writeTemp(t, "u8.xlsx", xlsxParts{sheets: []string{sheetXML(rows)}}.bytes(t))
	for _, deferred := range []bool{false, true} {
		f, _ := os.Open(p)
		src, err := Open(p, f, "u8.xlsx", Options{DeferChecks: deferred})
		if err != nil {
			t.Fatal(err)
		}
		rc := src.Source.(RowChecker)
		var rejected []int
		for {
			row, err := src.Next()
			if err == io.EOF {
				break
			}
			if re, ok := IsRowError(err); ok {
				rejected = append(rejected, re.Line)
				continue
			}
			if re := rc.CheckRow(&row); re != nil {
				if !deferred || !strings.Contains(re.Reason, "UTF-8") {
					t.Errorf("deferred %v: CheckRow %v", deferred, re)
				}
				rejected = append(rejected, re.Line)
			}
		}
		src.Close()
		f.Close()
		if fmt.Sprint(rejected) != "[2]" {
			t.Errorf("deferred %v: rejected %v", deferred, rejected)
		}
	}
}

// A corrupt deflate stream in the middle of the sheet: the rows after it
// are unknown, so the file is refused where it breaks; nothing panics.
func TestXLSXCorruptDeflate(t *testing.T) {
	var buf bytes.Buffer
	if err := xlsxdamage.Small()[0].Write(&buf); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if strings.HasSuffix(f.Name, "sheet1.xml") {
			off, _ := f.DataOffset()
			mid := off + int64(f.CompressedSize64)/2
			for i := mid; i < mid+64; i++ {
				data[i] ^= 0x5A
			}
		}
	}
	p := writeTemp(t, "z.xlsx", data)
	got, err := readSheet(t, p, "登记信息")
	var ie *IncompleteError
	if !errors.As(err, &ie) || !strings.Contains(ie.Reason, "解压失败") && !strings.Contains(ie.Reason, "XML") {
		t.Fatalf("want the file refused as incomplete, got %v", err)
	}
	if len(got) < 100 || len(got) > 1001 || ie.Line <= got[len(got)-1].line {
		t.Errorf("%d items before the refusal at line %d", len(got), ie.Line)
	}
}

// A hostile sheet cannot force the fallback to excelize past its limit.
func TestXLSXFallbackRefusedWhenLarge(t *testing.T) {
	rows := strings.Repeat(`<row><c t="inlineStr"><is><t>`+strings.Repeat("a", 1_000_000)+`</t></is></c></row>`, 70) + `<row><c><unknown/></c></row>`
	p := writeTemp(t, "fb.xlsx", xlsxParts{sheets: []string{sheetXML(rows)}}.bytes(t))
	_, err := readSheet(t, p, "Sheet1")
	if err == nil || !strings.Contains(err.Error(), "64 MiB") || !strings.Contains(err.Error(), "unknown") {
		t.Errorf("want a refusal naming the limit, got %v", err)
	}
}

// An export split over sheets behind a template: every visible sheet with
// the same header is read, in order, each row named by its sheet; a hidden
// sheet and one with another header are named in a note, not read.
func TestXLSXMatchingSheetsAreRead(t *testing.T) {
	p := filepath.Join(fixture.Path("damage"), "xlsx-split-sheets.xlsx")
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	src, err := Open(p, f, "s.xlsx", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if src.Info.Sheet != "填写模板、江北1、江北2" || len(src.Info.Notes) != 2 ||
		!strings.Contains(src.Info.Notes[0], "旧数据") || !strings.Contains(src.Info.Notes[0], "隐藏") ||
		!strings.Contains(src.Info.Notes[1], "黑名单") {
		t.Fatalf("sheets %q, notes %q", src.Info.Sheet, src.Info.Notes)
	}
	var first, last Row
	n := 0
	for {
		row, err := src.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			first = row
		}
		if n == 600 {
			last = row
		}
		n++
	}
	if n != 1000 || first.File != "s.xlsx#江北1" || first.Line != 3 || last.File != "s.xlsx#江北2" || last.Line != 2 ||
		src.Info.TitleRows != 1 && src.Source.(*XLSXSource).TitleRows() != 1 {
		t.Errorf("%d rows; first %s:%d, 601st %s:%d", n, first.File, first.Line, last.File, last.Line)
	}
	// --sheet names one sheet: only it is read.
	f2, _ := os.Open(p)
	defer f2.Close()
	one, err := Open(p, f2, "s.xlsx", Options{Sheet: "江北2"})
	if err != nil || one.Info.Sheet != "江北2" {
		t.Fatalf("%v %q", err, one.Info.Sheet)
	}
	one.Close()
}
