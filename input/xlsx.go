package input

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// excelize is the fallback for a sheet holding an element the streaming
// reader does not know, for a sheet and shared strings up to this size
// once inflated (it holds a part in memory, and runs of text whole).
const xlsxFallbackXMLLimit = 64 << 20

// XLSXSource streams the rows of one sheet.
type XLSXSource struct {
	headed
	book  *Workbook
	own   bool // Close closes the workbook too
	sheet string
	sc    *sheetScanner
	part  io.Closer // the sheet part being inflated

	// excelize, from row skip+1 on, once the streaming reader met an
	// element it does not know
	xf    *excelize.File
	xrows *excelize.Rows
	xrow  int
	warn  string // said on the first row excelize reads

	deferChecks bool

	// more are the further sheets whose header matches this one's, read
	// after it (an export split at Excel's row limit, a sheet a street);
	// sheets are the sheets begun so far; notes say what was left unread.
	more   []string
	sheets []string
	notes  []string
}

// Workbook is an XLSX file opened for reading sheets as streams, with the
// limits above. Open sheets with Sheet; close it when done.
type Workbook struct {
	w     *workbook
	name  string
	ra    io.ReaderAt
	size  int64
	close func() error
	pf    *pacedFile // the caller's reader follows the reads, when there is one
}

// OpenWorkbook opens the XLSX file at path for reading its sheets.
func OpenWorkbook(path string) (*Workbook, error) {
	f, size, err := openSized(path)
	if err != nil {
		return nil, err
	}
	b, err := newWorkbook(f, size, path)
	if err != nil {
		f.Close()
		return nil, err
	}
	b.close = f.Close
	return b, nil
}

func newWorkbook(ra io.ReaderAt, size int64, name string) (*Workbook, error) {
	w, err := openWorkbook(ra, size)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &Workbook{w: w, name: name, ra: ra, size: size}, nil
}

// Sheets lists the sheet names in workbook order.
func (b *Workbook) Sheets() []string { return b.w.sheetNames() }

// Close releases the file.
func (b *Workbook) Close() error {
	if b.close != nil {
		c := b.close
		b.close = nil
		return c()
	}
	return nil
}

// Sheet opens a sheet, by name or 1-based number ("" picks the first sheet
// with a recognisable header), and finds its header row (title rows may
// stand above it) unless noHeader. Its rows come from Next: a Row with
// Line = the sheet's row number, or a *RowError for a row that cannot be
// read; reading goes on after it.
func (b *Workbook) Sheet(sheet string, noHeader bool) (*XLSXSource, error) {
	sheets := b.Sheets()
	name := ""
	switch {
	case sheet != "":
		if n, err := strconv.Atoi(sheet); err == nil && n >= 1 && n <= len(sheets) {
			name = sheets[n-1]
		} else {
			for _, x := range sheets {
				if x == sheet {
					name = x
				}
			}
		}
		if name == "" {
			return nil, fmt.Errorf("工作簿 %s 中没有工作表“%s”；现有工作表：%s；请用 --sheet 指定（名称或从 1 起的序号）",
				b.name, sheet, strings.Join(sheets, "、"))
		}
	default:
		var err error
		if name, err = b.firstSheetWithHeader(); err != nil {
			return nil, err
		}
	}
	s := &XLSXSource{book: b, sheet: name, sheets: []string{name}}
	s.headed = headed{name: b.name + "#" + name, raw: s.next}
	if err := s.start(); err != nil {
		return nil, err
	}
	if err := s.findHeader(noHeader); err != nil {
		s.Close()
		return nil, err
	}
	if sheet == "" && !noHeader && s.headerNeed > 0 {
		if err := s.findMoreSheets(); err != nil {
			s.Close()
			return nil, err
		}
	}
	return s, nil
}

// findMoreSheets looks at the top rows of every sheet after the chosen
// one: a visible sheet whose header matches is read after it; one with a
// different recognisable header, and a hidden one, are named in a note.
func (s *XLSXSource) findMoreSheets() error {
	w := s.book.w
	after := false
	for _, ref := range w.sheets {
		if ref.name == s.sheet {
			after = true
			continue
		}
		if ref.hidden {
			s.notes = append(s.notes, fmt.Sprintf("工作表“%s”是隐藏的，未读取（要读它请用 --sheet 指定）", ref.name))
			continue
		}
		if !after {
			continue // before the chosen sheet: none has a recognisable header
		}
		same, other, err := s.book.sheetHeader(ref.name, s.repeatedHeader)
		if err != nil {
			return err
		}
		switch {
		case same:
			s.more = append(s.more, ref.name)
		case other:
			s.notes = append(s.notes, fmt.Sprintf("工作表“%s”也有可识别的表头，但列与“%s”不同，未读取（要读它请用 --sheet 指定）", ref.name, s.sheet))
		}
	}
	return nil
}

// sheetHeader reports whether one of a sheet's top rows is the header
// again (same) or another recognisable header (other).
func (b *Workbook) sheetHeader(sheet string, same func([]string) bool) (bool, bool, error) {
	t := &XLSXSource{book: b, sheet: sheet}
	t.headed = headed{name: b.name + "#" + sheet}
	if err := t.start(); err != nil {
		return false, false, err
	}
	defer t.Close()
	other := false
	for i := 0; i < headerSearchRows; i++ {
		row, err := t.read()
		if err == io.EOF {
			break
		}
		if _, ok := IsRowError(err); ok {
			continue
		} else if err != nil {
			break // damage further down is met when (if) the sheet is read
		}
		if same(row.Cells) {
			return true, false, nil
		}
		other = other || looksLikeHeader(row.Cells)
	}
	return false, other, nil
}

// next is read across the matching sheets: at the end of one, the next
// is opened and read from below its header (the rows above it are titles).
func (s *XLSXSource) next() (Row, error) {
	for {
		row, err := s.read()
		if err != io.EOF || len(s.more) == 0 {
			return row, err
		}
		if err := s.closeSheet(); err != nil {
			return Row{}, err
		}
		s.sheet, s.more = s.more[0], s.more[1:]
		s.sheets = append(s.sheets, s.sheet)
		s.headed.name = s.book.name + "#" + s.sheet
		s.xrow, s.warn = 0, ""
		if err := s.start(); err != nil {
			return Row{}, err
		}
		s.setDeferChecks(s.deferChecks)
		for {
			row, err := s.read()
			if err != nil {
				if _, ok := IsRowError(err); ok {
					return row, err
				}
				if err == io.EOF {
					break // checked above; changed since: nothing to read
				}
				return row, err
			}
			if s.repeatedHeader(row.Cells) {
				break
			}
			s.titleRows++
		}
	}
}

// firstSheetWithHeader looks at the top rows of each sheet.
func (b *Workbook) firstSheetWithHeader() (string, error) {
	sheets := b.Sheets()
	if len(sheets) == 0 {
		return "", fmt.Errorf("%s: 工作簿中没有工作表", b.name)
	}
	for i, sh := range sheets {
		if b.w.sheets[i].hidden {
			continue
		}
		s := &XLSXSource{book: b, sheet: sh}
		s.headed = headed{name: b.name + "#" + sh}
		if err := s.start(); err != nil {
			return "", err
		}
		found := false
		for i := 0; i < headerSearchRows && !found; i++ {
			row, err := s.read()
			if err == io.EOF {
				break
			}
			if _, ok := IsRowError(err); ok {
				continue
			} else if err != nil {
				break
			}
			found = looksLikeHeader(row.Cells)
		}
		s.Close()
		if found {
			return sh, nil
		}
	}
	return sheets[0], nil
}

// start opens the sheet's part for streaming, or excelize when the
// shared strings hold an element the stream reader does not know.
func (s *XLSXSource) start() error {
	w := s.book.w
	if err := w.loadSharedStrings(); err != nil {
		return fmt.Errorf("%s: %w", s.book.name, err)
	}
	if w.unknown != "" {
		return s.fallback(0, w.unknown)
	}
	var ref sheetRef
	for _, r := range w.sheets {
		if r.name == s.sheet {
			ref = r
		}
	}
	if ref.path == "" || w.file(ref.path) == nil {
		return fmt.Errorf("%s: 工作表 %s 的数据不在文件中（文件已损坏？）", s.book.name, s.sheet)
	}
	rc, err := w.open(ref.path)
	if err != nil {
		return fmt.Errorf("%s: %w", s.book.name, err)
	}
	a := readAhead(rc)
	s.part = a
	s.sc = newSheetScanner(a, w, xlsxUnzipLimit)
	return nil
}

// fallback reads the sheet with excelize from row skip+1 on.
func (s *XLSXSource) fallback(skip int, element string) error {
	if s.part != nil {
		s.part.Close()
		s.part = nil
	}
	s.sc = nil
	// excelize holds white space and text runs whole (issue: 3 GB of white
	// space took 7.4 GB): it only gets parts small enough to bound that.
	w := s.book.w
	for _, r := range w.sheets {
		if r.name != s.sheet {
			continue
		}
		for _, part := range []string{r.path, w.sstPath} {
			if f := w.file(part); f != nil && f.UncompressedSize64 > xlsxFallbackXMLLimit {
				return fmt.Errorf("%s: 工作表 %s 含本程序不认识的元素 <%s>，而 %s 解压后超过 %s，不能改用 excelize 读取（内存上限），已拒绝读取该文件",
					s.book.name, s.sheet, element, part, sizeText(xlsxFallbackXMLLimit))
			}
		}
	}
	opts := excelize.Options{RawCellValue: true, UnzipSizeLimit: xlsxUnzipLimit, UnzipXMLSizeLimit: xlsxFallbackXMLLimit}
	f, err := excelize.OpenReader(io.NewSectionReader(s.book.ra, 0, s.book.size), opts)
	if err != nil {
		return fmt.Errorf("%s: 无法打开工作簿: %w", s.book.name, err)
	}
	rows, err := f.Rows(s.sheet)
	if err != nil {
		f.Close()
		return fmt.Errorf("%s: 读取工作表 %s: %w", s.book.name, s.sheet, err)
	}
	s.xf, s.xrows = f, rows
	for s.xrow < skip && rows.Next() {
		s.xrow++
	}
	s.warn = fmt.Sprintf("工作表含本程序不认识的元素 <%s>，自第 %d 行起改用 excelize 读取（日期显示为序列号）", element, skip+1)
	return nil
}

// read returns the next non-empty row.
func (s *XLSXSource) read() (Row, error) {
	for s.sc != nil {
		var r sheetRow
		err := s.sc.next(&r)
		if err == nil {
			return Row{File: s.name, Line: r.num, Cells: r.cells}, nil
		}
		var rd *rowDamage
		var inc *incomplete
		var ue *errUnknown
		var fe *errFatal
		switch {
		case err == io.EOF:
			s.book.drained()
			return Row{}, io.EOF
		case errors.As(err, &inc):
			return Row{}, &IncompleteError{File: s.name, Line: inc.num, Reason: inc.reason}
		case errors.As(err, &rd):
			return Row{}, &RowError{File: s.name, Line: rd.num, Column: rd.col, Reason: rd.reason}
		case errors.As(err, &ue):
			if err := s.fallback(s.sc.row, ue.name); err != nil {
				return Row{}, err
			}
		case errors.As(err, &fe):
			return Row{}, fmt.Errorf("%s 第 %d 行之后：%s，已拒绝读取该文件", s.name, s.sc.row, fe.msg)
		default:
			return Row{}, fmt.Errorf("%s 第 %d 行之后读取失败: %w", s.name, s.sc.row, err)
		}
	}
	if s.xrows == nil {
		return Row{}, io.EOF
	}
	for s.xrows.Next() {
		s.xrow++
		cells, err := s.xrows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return Row{}, &RowError{File: s.name, Line: s.xrow, Reason: "无法读取该行：" + err.Error()}
		}
		empty := true
		for i, c := range cells {
			if c != "" {
				empty = false
			}
			if len(c) > MaxField {
				return Row{}, &RowError{File: s.name, Line: s.xrow, Column: i + 1, Reason: fmt.Sprintf("第 %d 列单元格超过 %d 字节", i+1, MaxField)}
			}
			if strings.IndexByte(c, 0) >= 0 {
				return Row{}, &RowError{File: s.name, Line: s.xrow, Column: i + 1, Reason: fmt.Sprintf("第 %d 列含 NUL 字节", i+1)}
			}
		}
		if empty {
			continue
		}
		row := Row{File: s.name, Line: s.xrow, Cells: cells, Warning: s.warn}
		s.warn = ""
		return row, nil
	}
	if err := s.xrows.Error(); err != nil {
		return Row{}, fmt.Errorf("%s 第 %d 行之后读取失败: %w", s.name, s.xrow, err)
	}
	// excelize's Rows ends quietly at damage (it drops the XML error), so
	// the part is parsed once more to its end before the sheet counts as read.
	if err := s.checkWholePart(); err != nil {
		return Row{}, err
	}
	s.book.drained()
	return Row{}, io.EOF
}

// setDeferChecks leaves the check that cell text is valid UTF-8 to
// CheckRow, which the caller then calls on every row (off the reading
// goroutine, as scan's workers do). Rows already read are checked anyway.
func (s *XLSXSource) setDeferChecks(on bool) {
	s.deferChecks = on
	if s.sc != nil {
		s.sc.x.deferUTF8 = on
	}
}

// CheckRow rejects a row whose text is not valid UTF-8 (see SetDeferChecks).
func (s *XLSXSource) CheckRow(row *Row) *RowError {
	for i, c := range row.Cells {
		if !validUTF8(c) {
			return &RowError{File: s.name, Line: row.Line, Column: i + 1, Reason: fmt.Sprintf("XML 错误：第 %d 列含不合法的 UTF-8 字节", i+1)}
		}
	}
	return nil
}

// Sheet is the sheet being read.
func (s *XLSXSource) Sheet() string { return s.sheet }

// Encoding describes the input for the summary.
func (s *XLSXSource) Encoding() string { return "xlsx" }

// Sheets are the sheets read so far; Notes what was left unread and why.
func (s *XLSXSource) Sheets() []string { return s.sheets }

// Notes say which sheets were not read: hidden, or with another header.
func (s *XLSXSource) Notes() []string { return s.notes }

// Close releases the sheet (and the workbook, when the source opened it).
func (s *XLSXSource) Close() error {
	err := s.closeSheet()
	if s.own {
		if e := s.book.Close(); err == nil {
			err = e
		}
	}
	return err
}

// closeSheet releases the sheet being read.
func (s *XLSXSource) closeSheet() error {
	var err error
	if s.part != nil {
		err = s.part.Close()
		s.part = nil
	}
	if s.xrows != nil {
		s.xrows.Close()
		s.xrows = nil
	}
	if s.xf != nil {
		if e := s.xf.Close(); err == nil {
			err = e
		}
		s.xf = nil
	}
	s.sc = nil
	return err
}

// HeaderIndex is the column of header cell name (compared as headers
// are: widths, case and spaces folded), or -1.
func HeaderIndex(header []string, name string) int {
	return findHeader(header, []string{name})
}

// checkWholePart parses the sheet's part (at most xlsxFallbackXMLLimit
// once inflated: fallback refuses larger ones) to its end, after excelize
// stopped: an XML error or a cut part means rows after excelize's last one
// may be lost, and the file is refused.
func (s *XLSXSource) checkWholePart() error {
	w := s.book.w
	path := ""
	for _, r := range w.sheets {
		if r.name == s.sheet {
			path = r.path
		}
	}
	if path == "" || w.file(path) == nil {
		return nil // excelize found the sheet some other way: nothing to check
	}
	rc, err := w.open(path)
	if err != nil {
		return &IncompleteError{File: s.name, Line: s.xrow + 1, Reason: "工作表无法解压"}
	}
	defer rc.Close()
	d := xml.NewDecoder(io.LimitReader(rc, xlsxFallbackXMLLimit+1))
	d.Strict = true
	for {
		_, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return &IncompleteError{File: s.name, Line: s.xrow + 1,
				Reason: "工作表在 excelize 读到的最后一行之后损坏或被截断（" + xmlReason(err) + "）"}
		}
	}
	return nil
}

// xmlReason says an encoding/xml error in Chinese, with its line in the part.
func xmlReason(err error) string {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("XML 第 %d 行语法错误", se.Line)
	}
	return "解压失败"
}
