package input

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// xlsxParts builds a minimal package around the given parts; sheets are
// named Sheet1.. in order.
type xlsxParts struct {
	sheets []string // worksheet XML
	sst    string   // sharedStrings.xml, "" for none
	styles string   // styles.xml, "" for none
	wbPr   string   // the workbookPr element, e.g. `<workbookPr date1904="1"/>`
	names  []string // sheet names, default Sheet1..
}

const nsMain = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`

func (p xlsxParts) bytes(t testing.TB) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	put := func(name, body string) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, body)
	}
	var sheets, rels, types strings.Builder
	for i := range p.sheets {
		name := fmt.Sprintf("Sheet%d", i+1)
		if i < len(p.names) {
			name = p.names[i]
		}
		fmt.Fprintf(&sheets, `<sheet name="%s" sheetId="%d" r:id="rId%d"/>`, name, i+1, i+1)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>`, i+1, i+1)
		fmt.Fprintf(&types, `<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`, i+1)
	}
	if p.sst != "" {
		rels.WriteString(`<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>`)
		types.WriteString(`<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>`)
	}
	if p.styles != "" {
		rels.WriteString(`<Relationship Id="rIdT" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>`)
		types.WriteString(`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>`)
	}
	put("[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>`+types.String()+`</Types>`)
	put("_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)
	put("xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8"?><workbook `+nsMain+`>`+p.wbPr+`<sheets>`+sheets.String()+`</sheets></workbook>`)
	put("xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+rels.String()+`</Relationships>`)
	for i, s := range p.sheets {
		put(fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1), s)
	}
	if p.sst != "" {
		put("xl/sharedStrings.xml", p.sst)
	}
	if p.styles != "" {
		put("xl/styles.xml", p.styles)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// sheetXML wraps rows in a worksheet.
func sheetXML(rows string) string {
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + `<worksheet ` + nsMain + `><dimension ref="A1"/><sheetData>` + rows + `</sheetData></worksheet>`
}

func writeTemp(t testing.TB, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// gotRow is a row or a rejection, as read through the public API.
type gotRow struct {
	line   int
	cells  []string
	reject string
	warn   string
}

// readSheet reads every row of a sheet with no header detection.
func readSheet(t testing.TB, path, sheet string) ([]gotRow, error) {
	t.Helper()
	b, err := OpenWorkbook(path)
	if err != nil {
		return nil, err
	}
	defer b.Close()
	src, err := b.Sheet(sheet, true)
	if errors.Is(err, ErrEmpty) {
		return nil, nil // a sheet without a row: excelize reads none either
	}
	if err != nil {
		return nil, err
	}
	defer src.Close()
	var out []gotRow
	for i := 0; ; i++ {
		if i > 2_000_000 {
			t.Fatal("no end")
		}
		row, err := src.Next()
		if err == io.EOF {
			return out, nil
		}
		if re, ok := IsRowError(err); ok {
			out = append(out, gotRow{line: re.Line, reject: re.Reason})
			continue
		}
		if err != nil {
			return out, err
		}
		out = append(out, gotRow{line: row.Line, cells: row.Cells, warn: row.Warning})
	}
}

// excelizeRows reads a sheet with excelize's streaming reader and raw
// values: the reference the streaming reader is held to.
func excelizeRows(t testing.TB, path, sheet string) []gotRow {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.Rows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	var out []gotRow
	for n := 1; rows.Next(); n++ {
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatalf("excelize row %d: %v", n, err)
		}
		empty := true
		for _, c := range cells {
			if c != "" {
				empty = false
			}
		}
		if !empty {
			out = append(out, gotRow{line: n, cells: cells})
		}
	}
	if err := rows.Error(); err != nil {
		t.Fatal(err)
	}
	return out
}

// bytesNoWorkbook is a valid zip that holds no workbook.
func (xlsxParts) bytesNoWorkbook(t testing.TB) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("readme.txt")
	io.WriteString(w, "hello")
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
