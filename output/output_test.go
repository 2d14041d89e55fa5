package output

import (
	"bytes"
	"github.com/regscreen/regscreen/record"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/regscreen/regscreen/screen"
)

func screened(name string, v screen.Verdict, hits ...screen.Hit) *record.Record {
	return &record.Record{File: "导出.csv", Line: 7, ID: "91330205AY4CL12THT", Name: name, Header: []string{"企业名称"}, Cells: []string{name},
		Result: screen.Result{Verdict: v, Hits: hits}}
}

var used = screen.Hit{Term: "理财", Group: "资产管理/理财", Regulator: "人民银行", Field: "name", Start: 4, End: 6, Text: "理財",
	Reason: "名称使用限制性用语“理财”"}

func TestTextWriterShowsTheVerdictAndEachHit(t *testing.T) {
	var b bytes.Buffer
	w := NewText(&b)
	if err := w.Write(screened("宁波某某理財咨询有限公司", screen.Refer, used)); err != nil {
		t.Fatal(err)
	}
	r := screened("宁波某某五金有限公司", screen.Clear)
	r.Notes = []string{"信用代码校验位应为 T"}
	w.Write(r)
	if b.Len() != 0 {
		t.Errorf("text is buffered until Finish; got %q", b.String())
	}
	if err := w.Finish(RunInfo{}); err != nil {
		t.Fatal(err)
	}
	got := b.String()
	for _, want := range []string{"导出.csv 第 7 行：宁波某某理財咨询有限公司（91330205AY4CL12THT）", "结论：送会商",
		"理财【使用】名称第 5–6 字“理財”", "牵头：人民银行", "名称使用限制性用语“理财”", "结论：无需处理", "未发现限制性用语", "! 信用代码校验位应为 T"} {
		if !strings.Contains(got, want) {
			t.Errorf("text output lacks %q:\n%s", want, got)
		}
	}
}

func TestCSVForPeopleNeutralisesFormulas(t *testing.T) {
	for _, safe := range []bool{true, false} {
		var b bytes.Buffer
		w := NewCSV(&b, "v1", safe)
		w.Write(screened("=HYPERLINK(\"http://x\")", screen.Refer, used))
		w.Write(screened("@SUM(1)", screen.Clear))
		w.Write(screened("-2+3", screen.Clear))
		w.Finish(RunInfo{})
		got := b.String()
		neutral := strings.Contains(got, "'=HYPERLINK") && strings.Contains(got, "'@SUM") && strings.Contains(got, "'-2+3")
		if neutral != safe {
			t.Errorf("safe=%v: %q", safe, got)
		}
	}
}

func TestCSVWithNoRecordStillHasItsHeader(t *testing.T) {
	var b bytes.Buffer
	w := NewCSV(&b, "v1", false)
	w.Finish(RunInfo{Header: []string{"企业名称", "经营范围"}})
	if got := b.String(); got != "企业名称,经营范围,"+strings.Join(VerdictColumns, ",")+"\n" {
		t.Errorf("header row: %q", got)
	}
}

func TestEncodedForExcel(t *testing.T) {
	var b bytes.Buffer
	w, done, _ := Encoded(&b, "utf-8", false)
	w.Write([]byte("理财"))
	done()
	if !strings.HasPrefix(b.String(), UTF8BOM+"理财") {
		t.Errorf("UTF-8 for Excel starts with a BOM: %q", b.String())
	}
	b.Reset()
	w, done, _ = Encoded(&b, "gb18030", false)
	w.Write([]byte("理财，網貸"))
	done()
	back, _ := simplifiedchinese.GB18030.NewDecoder().Bytes(b.Bytes())
	if string(back) != "理财，網貸" || bytes.Equal(b.Bytes(), []byte("理财，網貸")) {
		t.Errorf("GB18030 round trip: %q", back)
	}
}

func TestFilesAppearTogetherOrNotAtAll(t *testing.T) {
	dir := t.TempDir()
	var fs Files
	for _, name := range []string{"a.csv", "b.csv"} {
		f, err := fs.Create(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString("x")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 || !strings.Contains(entries[0].Name(), ".tmp-") {
		t.Fatalf("before Commit only temporary files: %v", entries)
	}
	if err := fs.Commit(); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 || entries[0].Name() != "a.csv" || entries[1].Name() != "b.csv" {
		t.Errorf("after Commit: %v", entries)
	}
	dir = t.TempDir()
	var aborted Files
	aborted.Create(filepath.Join(dir, "c.csv"))
	aborted.Abort()
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("Abort leaves nothing: %v", entries)
	}
}
