package input

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Unzip limits guard against zip bombs: a registration export's sheet XML
// is far below these.
const (
	xlsxUnzipLimit    = 4 << 30  // all parts together
	xlsxUnzipXMLLimit = 64 << 20 // one part held in memory; larger spill to a temp file
)

// XLSXSource streams the rows of one sheet.
type XLSXSource struct {
	headed
	f     *excelize.File
	rows  *excelize.Rows
	sheet string
	row   int
}

// OpenXLSX opens a workbook and picks the sheet: --sheet by name or 1-based
// number, else the first sheet with a recognisable header.
func OpenXLSX(r io.Reader, name, sheet string, noHeader bool) (*XLSXSource, error) {
	opts := excelize.Options{RawCellValue: true, UnzipSizeLimit: xlsxUnzipLimit, UnzipXMLSizeLimit: xlsxUnzipXMLLimit}
	var f *excelize.File
	var err error
	if file, ok := r.(interface{ Name() string }); ok && name != "<标准输入>" {
		f, err = excelize.OpenFile(file.Name(), opts)
	} else {
		f, err = excelize.OpenReader(r, opts)
	}
	if err != nil {
		if errors.Is(err, excelize.ErrWorkbookFileFormat) || strings.Contains(err.Error(), "zip") {
			return nil, fmt.Errorf("%s: 不是有效的 XLSX 文件（%v）", name, err)
		}
		return nil, fmt.Errorf("%s: 无法打开工作簿: %w", name, err)
	}
	sheets := f.GetSheetList()
	s := &XLSXSource{f: f}
	switch {
	case sheet != "":
		if n, err := strconv.Atoi(sheet); err == nil && n >= 1 && n <= len(sheets) {
			s.sheet = sheets[n-1]
		} else {
			for _, x := range sheets {
				if x == sheet {
					s.sheet = x
				}
			}
		}
		if s.sheet == "" {
			f.Close()
			return nil, fmt.Errorf("%s: 没有工作表 %q（现有：%s）", name, sheet, strings.Join(sheets, "、"))
		}
	default:
		s.sheet = firstSheetWithHeader(f, sheets)
	}
	s.headed = headed{name: name + "#" + s.sheet, raw: s.read}
	if s.rows, err = f.Rows(s.sheet); err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: 读取工作表 %s: %w", name, s.sheet, err)
	}
	if err := s.findHeader(noHeader); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// firstSheetWithHeader looks at the top rows of each sheet.
func firstSheetWithHeader(f *excelize.File, sheets []string) string {
	for _, sh := range sheets {
		rows, err := f.Rows(sh)
		if err != nil {
			continue
		}
		for i := 0; i < headerSearchRows && rows.Next(); i++ {
			cells, _ := rows.Columns(excelize.Options{RawCellValue: true})
			if LooksLikeHeader(cells) {
				rows.Close()
				return sh
			}
		}
		rows.Close()
	}
	if len(sheets) > 0 {
		return sheets[0]
	}
	return ""
}

// read returns the next non-empty row.
func (s *XLSXSource) read() (Row, error) {
	for s.rows.Next() {
		s.row++
		cells, err := s.rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return Row{}, &RowError{File: s.name, Line: s.row, Reason: "无法读取该行：" + err.Error()}
		}
		empty := true
		for i, c := range cells {
			if c != "" {
				empty = false
			}
			if len(c) > MaxField {
				return Row{}, &RowError{File: s.name, Line: s.row, Column: i + 1, Reason: fmt.Sprintf("第 %d 列单元格超过 %d 字节", i+1, MaxField)}
			}
			if strings.IndexByte(c, 0) >= 0 {
				return Row{}, &RowError{File: s.name, Line: s.row, Column: i + 1, Reason: fmt.Sprintf("第 %d 列含 NUL 字节", i+1)}
			}
		}
		if empty {
			continue
		}
		return Row{File: s.name, Line: s.row, Cells: cells}, nil
	}
	if err := s.rows.Error(); err != nil {
		return Row{}, fmt.Errorf("%s 第 %d 行之后读取失败: %w", s.name, s.row, err)
	}
	return Row{}, io.EOF
}

// Sheet is the sheet being read.
func (s *XLSXSource) Sheet() string { return s.sheet }

// Encoding describes the input for the summary.
func (s *XLSXSource) Encoding() string { return "xlsx" }

// Close releases the workbook and its temporary files.
func (s *XLSXSource) Close() error {
	if s.rows != nil {
		s.rows.Close()
	}
	return s.f.Close()
}
