package main

import (
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/regscreen/regscreen/report"
)

// BenchmarkImportStatusManyBadRows: a returned workbook of 5,000 rows,
// each with a 20,000-character status (excelize's inline strings), is
// refused row by row. B/op is what the reader allocates passing over the
// cells (about 330 MB: each 60 KB cell once), none of it kept: the peak
// stays near 30 MB (/usr/bin/time -f %M on 20,000 such rows: 30 MB, where
// keeping every problem with its whole cell took 1.6 GB before).
func BenchmarkImportStatusManyBadRows(b *testing.B) {
	dir := b.TempDir()
	db, book := filepath.Join(dir, "s.db"), filepath.Join(dir, "w.xlsx")
	ios := &IOStreams{In: strings.NewReader(""), Out: io.Discard, ErrOut: io.Discard}
	if code := Run([]string{"scan", "-q", "--db", db, "-o", filepath.Join(dir, "first.xlsx"), night("1")}, ios); code != exitFlagged {
		b.Fatalf("scan: exit %d", code)
	}
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", report.SheetRefer)
	sw, err := f.NewStreamWriter(report.SheetRefer)
	if err != nil {
		b.Fatal(err)
	}
	sw.SetRow("A1", []any{report.ColName, report.ColID, report.ColStatus})
	long := strings.Repeat("不", 20000)
	for i := range 5000 {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		sw.SetRow(cell, []any{"某公司", "91330205AY4CL12THT", long})
	}
	if err := sw.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.SaveAs(book); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if code := Run([]string{"db", "import-status", "--db", db, book}, ios); code != exitFlagged {
			b.Fatalf("import: exit %d", code)
		}
	}
}
