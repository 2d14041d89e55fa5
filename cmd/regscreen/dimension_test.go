package main

import (
	"archive/zip"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/regscreen/regscreen/internal/fixture"
)

var (
	dimensionRef = regexp.MustCompile(`<dimension ref="([A-Z]+[0-9]+)(?::([A-Z]+[0-9]+))?"`)
	cellRef      = regexp.MustCompile(`<c r="([A-Z]+)([0-9]+)"`)
)

// usedRange is what a sheet's XML says its used range is (ok false: no
// <dimension>) and the last column and row of its cells.
func usedRange(t *testing.T, sheetXML []byte) (dimCol, dimRow int, ok bool, lastCol, lastRow int) {
	t.Helper()
	if m := dimensionRef.FindSubmatch(sheetXML); m != nil {
		end := string(m[1])
		if len(m[2]) > 0 {
			end = string(m[2])
		}
		var err error
		if dimCol, dimRow, err = excelize.CellNameToCoordinates(end); err != nil {
			t.Fatal(err)
		}
		ok = true
	}
	for _, m := range cellRef.FindAllSubmatch(sheetXML, -1) {
		c, r, err := excelize.CellNameToCoordinates(string(m[1]) + string(m[2]))
		if err != nil {
			t.Fatal(err)
		}
		lastCol, lastRow = max(lastCol, c), max(lastRow, r)
	}
	return
}

// TestEveryWorkbookStatesItsUsedRange reads every workbook the tool writes
// (会商名单, the split ones, 变动, 月报) as a streaming reader that trusts
// <dimension> does (openpyxl's read-only mode): each sheet either has no
// <dimension> or one that covers every cell, so no column is lost. A sheet
// of several columns that says A1 is the bug this guards against.
func TestEveryWorkbookStatesItsUsedRange(t *testing.T) {
	dir := t.TempDir()
	book := filepath.Join(dir, "会商名单.xlsx")
	if r := runCLI(t, "", "scan", "-q", "--all", "-o", book, fixture.Path("sample.csv")); r.code != exitFlagged {
		t.Fatalf("scan: exit %d %q", r.code, r.err)
	}
	split := filepath.Join(dir, "分街道")
	if r := runCLI(t, "", "scan", "-q", "--split-by", "street", "-o", split, fixture.Path("sample.csv")); r.code != exitFlagged {
		t.Fatalf("split: exit %d %q", r.code, r.err)
	}
	db := filepath.Join(dir, "全区.db")
	for _, n := range []string{"1", "2"} {
		if r := runCLI(t, "", "scan", "-q", "--db", db, night(n)); r.code != exitFlagged {
			t.Fatalf("night %s: exit %d %q", n, r.code, r.err)
		}
	}
	changes, monthly := filepath.Join(dir, "变动.xlsx"), filepath.Join(dir, "月报.xlsx")
	if r := runCLI(t, "", "changes", "--db", db, "-o", changes); r.code != exitClean {
		t.Fatalf("changes: exit %d %q", r.code, r.err)
	}
	if r := runCLI(t, "", "report", "monthly", "--db", db, "--month", time.Now().Format("2006-01"), "-o", monthly); r.code != exitClean {
		t.Fatalf("monthly: exit %d %q", r.code, r.err)
	}
	books := []string{book, changes, monthly}
	splits, _ := filepath.Glob(filepath.Join(split, "*.xlsx"))
	if len(splits) == 0 {
		t.Fatal("no split workbooks")
	}
	books = append(books, splits...)
	wide := 0
	for _, path := range books {
		zr, err := zip.OpenReader(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, zf := range zr.File {
			if !strings.HasPrefix(zf.Name, "xl/worksheets/sheet") || !strings.HasSuffix(zf.Name, ".xml") {
				continue
			}
			rc, _ := zf.Open()
			x, _ := io.ReadAll(rc)
			rc.Close()
			dimCol, dimRow, ok, lastCol, lastRow := usedRange(t, x)
			name := filepath.Base(path) + " " + zf.Name
			if lastCol > 1 {
				wide++
			}
			if ok && (dimCol < lastCol || dimRow < lastRow) {
				t.Errorf("%s: <dimension> ends at column %d row %d, but cells reach column %d row %d", name, dimCol, dimRow, lastCol, lastRow)
			}
		}
		zr.Close()
	}
	if wide < len(books) {
		t.Errorf("only %d sheets of several columns in %d workbooks", wide, len(books))
	}
}
