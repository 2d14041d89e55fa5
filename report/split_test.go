package report

import (
	"bytes"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/regscreen/regscreen/dict"
	"github.com/regscreen/regscreen/output"
	"github.com/regscreen/regscreen/screen"
)

func TestSplitWorkbooksCountTheirOwnRecordsAndTheRejects(t *testing.T) {
	d := dict.Default()
	s, _ := screen.New(d)
	books := map[string]*bytes.Buffer{}
	create := func(path string) (io.Writer, error) {
		b := &bytes.Buffer{}
		books[filepath.Base(path)] = b
		return b, nil
	}
	w, err := NewSplitWriter(Meta{Tool: "t", Dict: d, Start: time.Now()}, t.TempDir(), create)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	var total screen.Counts
	for i, street := range []string{"中马街道", "白沙街道", "中马街道", "", "白沙街道"} {
		r := screened(t, s, "宁波某某理财咨询有限公司", "咨询", "")
		if i == 4 {
			r = screened(t, s, "宁波某某五金有限公司", "五金", "")
		}
		r.Street = street
		total.Add(r.Result.Verdict)
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	total.AddRejected()
	total.AddRejected()
	if err := w.Finish(output.RunInfo{Counts: total}); err != nil {
		t.Fatal(err)
	}
	want := map[string][2]string{ // read, rejected in 运行信息
		"会商名单-中马街道.xlsx": {"2", "0"}, "会商名单-白沙街道.xlsx": {"2", "0"}, "会商名单-" + NoStreet + ".xlsx": {"3", "2"},
	}
	if len(books) != len(want) {
		t.Fatalf("workbooks: %v", len(books))
	}
	for name, w := range want {
		f, err := excelize.OpenReader(books[name])
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got := map[string]string{}
		rows, _ := f.GetRows(SheetRun)
		for _, row := range rows {
			if len(row) >= 2 {
				got[row[0]] = row[1]
			}
		}
		if got["读取行数"] != w[0] || got["拒收"] != w[1] {
			t.Errorf("%s: 读取 %q 拒收 %q, want %v", name, got["读取行数"], got["拒收"], w)
		}
	}
}

// Streets whose names differ only in characters a file name cannot hold,
// or only in case, each get a workbook of their own.
func TestSplitNamesAreUniqueWithinARun(t *testing.T) {
	d := dict.Default()
	s, _ := screen.New(d)
	books := map[string]int{}
	create := func(path string) (io.Writer, error) {
		books[strings.ToLower(filepath.Base(path))]++
		return io.Discard, nil
	}
	w, err := NewSplitWriter(Meta{Tool: "t", Dict: d, Start: time.Now()}, t.TempDir(), create)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	streets := []string{"A/B街道", "A\\B街道", "A:B街道", "A_B街道", "a_b街道", "A_B街道（2）"}
	for _, street := range streets {
		r := screened(t, s, "宁波某某理财咨询有限公司", "咨询", "")
		r.Street = street
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Finish(output.RunInfo{}); err != nil {
		t.Fatal(err)
	}
	if len(books) != len(streets) {
		t.Errorf("%d streets in %d workbooks: %v", len(streets), len(books), books)
	}
	for name, n := range books {
		if n > 1 {
			t.Errorf("%s written %d times", name, n)
		}
	}
}
