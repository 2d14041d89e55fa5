package input

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// Hand-written sheets in shapes excelize does not write but other
// programs do; each is read by both readers and must agree.
func TestXLSXHandWrittenAgainstExcelize(t *testing.T) {
	sst := `<?xml version="1.0" encoding="UTF-8"?><sst ` + nsMain + ` count="5" uniqueCount="5">` +
		`<si><t>企业名称</t></si>` +
		`<si><t xml:space="preserve"> 前后空格 </t></si>` +
		`<si><r><rPr><b/><sz val="11"/></rPr><t>理</t></r><r><t>财</t></r><rPh sb="0" eb="1"><t>リ</t></rPh><phoneticPr fontId="1"/></si>` +
		`<si><t>A_x000D_B_x005F_x0041_</t></si>` +
		"<si><t>回车\r\n换行\r单独</t></si>" +
		`</sst>`
	cases := map[string]string{
		"no r attributes": `<row><c t="s"><v>0</v></c><c t="s"><v>1</v></c></row><row><c><v>12</v></c><c t="s"><v>2</v></c></row>`,
		"pretty printed":  "\n  <row r=\"1\">\n    <c r=\"A1\" t=\"s\">\n      <v>0</v>\n    </c>\n    <c r=\"C1\" t=\"s\"><v>3</v></c>\n  </row>\n",
		"cdata and entities": `<row r="2"><c r="A2" t="inlineStr"><is><t><![CDATA[<b>&amp;</b>]]></t></is></c>` +
			`<c r="B2" t="inlineStr"><is><t>&#x4E2D;&#20013;&quot;&apos;&lt;&gt;&amp;</t></is></c><c r="C2"><v><![CDATA[42]]></v></c></row>`,
		"comments and PIs": `<!-- a comment --><row r="1"><?pi x?><c r="A1" t="s"><!-- in a cell --><v>4</v></c></row>`,
		"self-closing":     `<row r="1"/><row r="2"><c r="A2"/><c r="B2"><v/></c><c r="C2" t="s"><v>0</v></c></row><row r="3" spans="1:3"></row>`,
		"rich inline":      `<row r="5"><c r="B5" t="inlineStr"><is><r><rPr><color rgb="FFFF0000"/></rPr><t>红</t></r><r><t xml:space="preserve"> 字 </t></r></is></c></row>`,
		"types":            `<row r="1"><c r="A1" t="e"><v>#N/A</v></c><c r="B1" t="str"><f>"a"&amp;"b"</f><v>ab</v></c><c r="C1"><f>1+1</f></c><c r="D1" t="n"><v>1.5E-3</v></c><c r="E1" t="inlineStr"><v>在 v 中</v></c></row>`,
		"single quotes":    `<row r='4'><c r='D4' t='s'><v>1</v></c></row>`,
		"extLst":           `<row r="1"><c r="A1"><v>1</v><extLst><ext uri="x"><foo/></ext></extLst></c><extLst/></row>`,
		"gaps and spans":   `<row r="2" spans="1:30" ht="20" customHeight="1"><c r="AB2" s="0"><v>9</v></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>`,
	}
	for name, rows := range cases {
		p := writeTemp(t, "h.xlsx", xlsxParts{sheets: []string{sheetXML(rows)}, sst: sst}.bytes(t))
		got, err := readSheet(t, p, "Sheet1")
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		compareRows(t, name, got, excelizeRows(t, p, "Sheet1"))
	}
}

// Cells out of order in a row (Excel never writes them) reject the row
// saying so; excelize appends the cell at the end, and the row then failed
// the width check for a reason that was not the cause. The next row is read.
func TestXLSXCellsOutOfOrder(t *testing.T) {
	rows := `<row r="1"><c r="C1"><v>3</v></c><c r="A1"><v>1</v></c></row><row r="7"><c r="B7"><v>2</v></c></row>`
	p := writeTemp(t, "o.xlsx", xlsxParts{sheets: []string{sheetXML(rows)}}.bytes(t))
	got, err := readSheet(t, p, "Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || !strings.Contains(got[0].reject, "顺序错乱") || got[1].line != 7 || got[1].cells[1] != "2" {
		t.Errorf("%+v", got)
	}
}

// Prefixed elements (x:row) and a second namespace declaration read the same.
func TestXLSXPrefixedElements(t *testing.T) {
	sheet := `<?xml version="1.0"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>` +
		`<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>企业名称</x:t></x:is></x:c><x:c r="B1"><x:v>7</x:v></x:c></x:row></x:sheetData></x:worksheet>`
	p := writeTemp(t, "p.xlsx", xlsxParts{sheets: []string{sheet}}.bytes(t))
	got, err := readSheet(t, p, "Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || !reflect.DeepEqual(got[0].cells, []string{"企业名称", "7"}) {
		t.Errorf("%+v", got)
	}
}

func TestXLSXDatesByStyle(t *testing.T) {
	styles := `<?xml version="1.0"?><styleSheet ` + nsMain + `><numFmts count="3">` +
		`<numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/>` +
		`<numFmt numFmtId="165" formatCode="[Red]0.00;&quot;date&quot;"/>` +
		`<numFmt numFmtId="166" formatCode="[h]:mm:ss"/></numFmts>` +
		`<cellXfs count="7"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="22"/><xf numFmtId="166"/><xf numFmtId="49"/></cellXfs></styleSheet>`
	rows := `<row r="1"><c r="A1" s="1"><v>37110</v></c><c r="B1" s="2"><v>37110.75</v></c><c r="C1" s="3"><v>37110</v></c>` +
		`<c r="D1" s="4"><v>37110.5</v></c><c r="E1" s="5"><v>0.5</v></c><c r="F1" s="6"><v>37110</v></c><c r="G1" s="1" t="s"><v>0</v></c>` +
		`<c r="H1" s="1"><v>60</v></c><c r="I1" s="1"><v>59</v></c><c r="J1" s="1"><v>abc</v></c><c r="K1" s="1"><v>-1</v></c>` +
		`<c r="L1" t="d"><v>2001-08-07T00:00:00Z</v></c><c r="M1" t="d"><v>2001-08-07T10:20:30</v></c><c r="N1" t="b"><v>1</v></c><c r="O1" s="99"><v>5</v></c></row>`
	sst := `<sst ` + nsMain + `><si><t>37110</t></si></sst>`
	want := []string{"2001-08-07", "2001-08-07", "37110", "2001-08-07 12:00:00", "12:00:00", "37110", "37110",
		"1900-02-29", "1900-02-28", "abc", "-1", "2001-08-07", "2001-08-07 10:20:30", "TRUE", "5"}
	p := writeTemp(t, "d.xlsx", xlsxParts{sheets: []string{sheetXML(rows)}, sst: sst, styles: styles}.bytes(t))
	got, err := readSheet(t, p, "Sheet1")
	if err != nil || len(got) != 1 {
		t.Fatal(err, got)
	}
	if !reflect.DeepEqual(got[0].cells, want) {
		t.Errorf("\n got %q\nwant %q", got[0].cells, want)
	}
	// the 1904 date system
	p = writeTemp(t, "d4.xlsx", xlsxParts{sheets: []string{sheetXML(`<row r="1"><c r="A1" s="1"><v>35648</v></c></row>`)},
		styles: styles, wbPr: `<workbookPr date1904="1"/>`}.bytes(t))
	if got, _ := readSheet(t, p, "Sheet1"); len(got) != 1 || got[0].cells[0] != "2001-08-07" {
		t.Errorf("1904: %+v", got)
	}
}

func TestFormatDateKind(t *testing.T) {
	for code, want := range map[string]uint8{
		"yyyy-mm-dd": dkDate, `yyyy\-mm\-dd`: dkDate, "m/d/yy h:mm": dkDateTime, "h:mm:ss": dkTime, "[h]:mm": dkTime,
		"mmm-yy": dkDate, "General": dkNone, "0.00E+00": dkNone, `#,##0.00_);[Red](#,##0.00)`: dkNone,
		`0 "days"`: dkNone, `[$-804]yyyy"年"m"月"d"日";@`: dkDate, `"TRUE";"TRUE";"FALSE"`: dkNone, "@": dkNone,
		`[DBNum1][$-804]yyyy"年"m"月"d"日"`: dkDate, "mm:ss": dkTime,
	} {
		if got := formatDateKind(code); got != want {
			t.Errorf("%s: %d, want %d", code, got, want)
		}
	}
}

func TestCellColumn(t *testing.T) {
	for ref, want := range map[string]int{"A1": 1, "Z9": 26, "AA10": 27, "XFD1048576": 16384, "a1": 1} {
		if got, ok := cellColumn([]byte(ref)); !ok || got != want {
			t.Errorf("%s: %d %v", ref, got, ok)
		}
	}
	for _, ref := range []string{"", "1", "A", "A0", "XFE1", "A1B", "$A$1"} {
		if _, ok := cellColumn([]byte(ref)); ok {
			t.Errorf("%s accepted", ref)
		}
	}
}

func TestAppendBstr(t *testing.T) {
	for in, want := range map[string]string{"A_x000D_B": "A\rB", "_x005F_x0041_": "_x0041_", "_xD800_x": "x", "_x00": "_x00",
		"no escape": "no escape", "_x4e2d_": "中", "__x0041__": "_A_"} {
		if got := string(appendBstr(nil, []byte(in))); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
	_ = strings.Contains
}

// FuzzXLSXSheetXML feeds arbitrary sheet XML to the reader: it never
// panics or loops, its rows come in order, and when it reads a sheet with
// no rejection and no fallback, excelize reads the same rows.
func FuzzXLSXSheetXML(f *testing.F) {
	f.Add(`<row r="1"><c r="A1" t="inlineStr"><is><t>企业名称</t></is></c></row><row r="2"><c r="A2"><v>1</v></c></row>`)
	f.Add(`<row><c t="s"><v>0</v></c><c><v>2</v></c></row><row r="3"><c r="B3" t="inlineStr"><is><r><t>a</t></r><r><t>b</t></r></is></c></row>`)
	f.Add("<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>a&amp;b<![CDATA[<c>]]>\r\n</t></is></c></row><!--x-->")
	f.Add(`<row r="1"><c r="A1" t="b"><v>1</v></c><c r="B1" t="str"><f>1</f><v>x</v></c><c r="C1" t="e"><v>#N/A</v></c></row>`)
	sst := `<sst ` + nsMain + `><si><t>共享</t></si></sst>`
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, rows string) {
		p := dir + "/f.xlsx"
		if err := os.WriteFile(p, xlsxParts{sheets: []string{sheetXML(rows)}, sst: sst}.bytes(t), 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := readSheet(t, p, "Sheet1")
		last := 0
		clean := err == nil
		for _, r := range got {
			if r.line < last && r.reject == "" {
				t.Fatalf("row %d after %d", r.line, last)
			}
			last = r.line
			if r.reject != "" || r.warn != "" {
				clean = false
			}
		}
		if !clean || strings.Contains(rows, "t=\"d\"") || strings.Contains(rows, "t=\"b\"") || strings.Contains(rows, "t='d'") || strings.Contains(rows, "t='b'") {
			return
		}
		x, err := excelize.OpenFile(p)
		if err != nil {
			return
		}
		defer x.Close()
		xr, err := x.Rows("Sheet1")
		if err != nil {
			return
		}
		var want []gotRow
		for n := 1; xr.Next(); n++ {
			cells, err := xr.Columns(excelize.Options{RawCellValue: true})
			if err != nil {
				return // excelize refuses what the reader took: not compared
			}
			if !allEmpty(cells) {
				want = append(want, gotRow{line: n, cells: cells})
			}
		}
		if len(got) != len(want) {
			// excelize stops silently at damage it meets; the reader
			// reported none, so the counts must agree
			t.Fatalf("%q: %d rows, excelize %d\n got %+v\nwant %+v", rows, len(got), len(want), got, want)
		}
		for i := range got {
			if got[i].line != want[i].line || !reflect.DeepEqual(got[i].cells, want[i].cells) {
				t.Fatalf("%q: row %d\n got %d %q\nwant %d %q", rows, i, got[i].line, got[i].cells, want[i].line, want[i].cells)
			}
		}
	})
}
