package report

import (
	"bytes"
	"github.com/regscreen/regscreen/record"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/regscreen/regscreen/dict"
	"github.com/regscreen/regscreen/output"
	"github.com/regscreen/regscreen/screen"
)

func screened(t *testing.T, s *screen.Screener, name, scope, addr string) *record.Record {
	t.Helper()
	return &record.Record{File: "t.csv", Line: 2, ID: "91350100M000100Y43", Name: name, Scope: scope, Address: addr,
		Result: s.Screen([]screen.Field{{Name: "name", Text: name}, {Name: "scope", Text: scope}})}
}

func save(t *testing.T, w *Workbook, info output.RunInfo) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	if err := w.save(&buf, info); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestRowsPastTheLimitContinueOnANewSheet(t *testing.T) {
	old := maxDataRows
	maxDataRows = 6 // less the title row and the signature line: 3 companies a sheet
	defer func() { maxDataRows = old }()
	d := dict.Default()
	s, _ := screen.New(d)
	w, err := New(Meta{Tool: "t", Dict: d, Start: time.Now()}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 7; i++ {
		if err := w.Write(screened(t, s, "宁波某某理财咨询有限公司", "咨询", "")); err != nil {
			t.Fatal(err)
		}
	}
	f := save(t, w, output.RunInfo{Counts: screen.Counts{Read: 7, Refer: 7}})
	want := map[string]int{"送会商": 3, "送会商(2)": 3, "送会商(3)": 1}
	for sheet, n := range want {
		rows, err := f.GetRows(sheet)
		got := 0
		for _, r := range rows {
			if len(r) > 1 && r[1] == "宁波某某理财咨询有限公司" {
				got++
			}
		}
		if err != nil || got != n || rows[len(rows)-1][0] != SignatureLine {
			t.Errorf("%s: %d rows (err %v), want %d data rows and the signature line", sheet, got, err, n)
		}
	}
	// Each continuation prints with its own header rows and print area.
	titles := map[string]string{}
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm.Print_Titles" {
			titles[dn.Scope] = dn.RefersTo
		}
	}
	for sheet := range want {
		if titles[sheet] != "'"+sheet+"'!$1:$2" {
			t.Errorf("%s print titles %q", sheet, titles[sheet])
		}
	}
	info, _ := f.GetRows(SheetRun)
	if !strings.Contains(flatten(info), "送会商(2)、送会商(3)") {
		t.Errorf("运行信息 should say where 送会商 continues")
	}
}

func TestLongCellsAreCutWithAMarkerAndCounted(t *testing.T) {
	d := dict.Default()
	s, _ := screen.New(d)
	w, _ := New(Meta{Tool: "t", Dict: d, Start: time.Now()}, nil)
	long := "理财咨询；" + strings.Repeat("五金销售", 9000)
	if err := w.Write(screened(t, s, "宁波某某有限公司", long, "")); err != nil {
		t.Fatal(err)
	}
	f := save(t, w, output.RunInfo{Counts: screen.Counts{Read: 1, Refer: 1}})
	v, _ := f.GetCellValue(SheetRefer, cell(indexOf(caseHeader(SheetRefer), ColScope)+1, 3))
	if n := len([]rune(v)); n > MaxCellChars || !strings.HasSuffix(v, truncMark) {
		t.Errorf("cell has %d chars, suffix %q", n, v[len(v)-30:])
	}
	info, _ := f.GetRows(SheetRun)
	if !strings.Contains(flatten(info), "超长单元格截断数|1") {
		t.Errorf("运行信息 should count the cut cell: %s", flatten(info))
	}
}

func flatten(rows [][]string) string {
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(strings.Join(r, "|"))
		b.WriteString("\n")
	}
	return b.String()
}
