package input

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/richardlehane/mscfb"
)

// XLSMaxSize is the largest .xls read. The reader holds the file and its
// workbook stream in memory (an .xls sheet has at most 65,536 rows, so a
// whole-file reader is fine): a larger file is refused, keeping memory at
// about three times this whatever the input.
const XLSMaxSize = 128 << 20

// ole2Magic starts every OLE2 compound file: .xls, .doc, WPS .et, an
// encrypted .xlsx.
var ole2Magic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// xlsSaveAs is what to do with a workbook this program does not read.
const xlsSaveAs = "请用 Excel 或 WPS 打开，另存为“Excel 工作簿 (*.xlsx)”或“CSV UTF-8（逗号分隔）”后再筛查"

// XLSSource reads the rows of one sheet of an Excel 97–2003 (BIFF8) or
// Excel 5.0/95 (BIFF5) workbook.
type XLSSource struct {
	headed
	sheet string
	book  *biffBook
	cells []biffCell
	i     int
}

// openXLS reads an .xls from r (at most XLSMaxSize bytes; size is the
// file's size when known, else -1).
func openXLS(r io.Reader, size int64, name, sheet string, noHeader bool) (src *XLSSource, err error) {
	if size > XLSMaxSize {
		return nil, fmt.Errorf("%s: .xls 文件大小 %s，超过本程序读取 .xls 的上限 %s；%s", name, sizeText(size), sizeText(XLSMaxSize), xlsSaveAs)
	}
	data, err := io.ReadAll(io.LimitReader(r, XLSMaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: 读取失败: %w", name, err)
	}
	if len(data) > XLSMaxSize {
		return nil, fmt.Errorf("%s: .xls 文件超过本程序读取 .xls 的上限 %s；%s", name, sizeText(XLSMaxSize), xlsSaveAs)
	}
	// The container and record parsers index into what the file says;
	// whatever slips past their checks must not crash a run.
	if recoverXLSPanics {
		defer func() {
			if p := recover(); p != nil {
				src, err = nil, fmt.Errorf("%s: .xls 文件已损坏，无法读取；%s", name, xlsSaveAs)
			}
		}()
	}
	book, err := readBIFF(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return book.open(name, sheet, noHeader)
}

// recoverXLSPanics is false only while fuzzing, so that a panic shows.
var recoverXLSPanics = true

// readBIFF is readBIFFBook; a test replaces it to see a panic recovered.
var readBIFF = readBIFFBook

// readBIFFBook finds the workbook stream in the compound file and reads
// its globals.
func readBIFFBook(data []byte) (*biffBook, error) {
	if !ole2HeaderFits(data) {
		return nil, fmt.Errorf(".xls 文件的 OLE2 结构已损坏或不完整（下载或复制中断？），无法读取；%s", xlsSaveAs)
	}
	doc, err := mscfb.New(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf(".xls 文件的 OLE2 结构已损坏或不完整（下载或复制中断？），无法读取；%s", xlsSaveAs)
	}
	var stream []byte
	var names []string
	for f, err := doc.Next(); err == nil; f, err = doc.Next() {
		names = append(names, f.Name)
		if len(f.Path) > 0 { // only streams at the top level
			continue
		}
		switch strings.ToLower(f.Name) {
		case "workbook", "book":
			if stream != nil && strings.EqualFold(f.Name, "book") {
				continue // a BIFF8 file may keep a BIFF5 copy: the Workbook wins
			}
			if f.Size > int64(len(data)) {
				return nil, fmt.Errorf("工作簿数据流不完整（应有 %d 字节，文件只有 %d 字节），可能缺少行，已拒绝读取该文件；%s", f.Size, len(data), xlsSaveAs)
			}
			if f.Size > XLSMaxSize {
				return nil, fmt.Errorf("工作簿数据流超过上限 %s；%s", sizeText(XLSMaxSize), xlsSaveAs)
			}
			buf := make([]byte, f.Size)
			n, err := readChunked(f, buf)
			if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
				return nil, fmt.Errorf("工作簿数据流读取失败（文件已损坏）；%s", xlsSaveAs)
			}
			if int64(n) < f.Size {
				return nil, fmt.Errorf("工作簿数据流不完整（应有 %d 字节，只读到 %d 字节），可能缺少行，已拒绝读取该文件；%s", f.Size, n, xlsSaveAs)
			}
			stream = buf
		}
	}
	if stream == nil {
		for _, n := range names {
			if n == "EncryptedPackage" {
				return nil, fmt.Errorf("文件是加密的 Excel 工作簿（设置了打开密码）；请在 Excel 或 WPS 中去掉密码后另存为 .xlsx 再筛查")
			}
		}
		return nil, fmt.Errorf("是 OLE2 复合文件（如 Word 文档），但其中没有 Excel 工作簿数据；请确认文件，或%s", xlsSaveAs[1:])
	}
	book, err := parseBIFFGlobals(stream)
	if err != nil {
		if err == errXLSEncrypted {
			return nil, fmt.Errorf("文件已加密（设置了打开密码）；请在 Excel 或 WPS 中去掉密码后另存为 .xlsx 再筛查")
		}
		return nil, fmt.Errorf(".xls 文件已损坏：%v，已拒绝读取该文件；%s", err, xlsSaveAs)
	}
	return book, nil
}

// ole2HeaderFits checks the counts in a compound file's header against
// the file's size before mscfb sizes its tables by them: every sector
// they count must be in the file (mscfb panics or allocates gigabytes on
// some counts that cannot be).
func ole2HeaderFits(data []byte) bool {
	if len(data) < 512 {
		return false
	}
	le := binary.LittleEndian
	shift := le.Uint16(data[30:])
	if shift != 9 && shift != 12 {
		return false
	}
	sectors := uint64(len(data)) >> shift
	for _, at := range []int{40, 44, 64, 72} { // directory, FAT, mini FAT, DIFAT sector counts
		if uint64(le.Uint32(data[at:])) > sectors {
			return false
		}
	}
	return true
}

// readChunked fills buf from r 32 KiB at a time: mscfb merges the sectors
// of one read in time quadratic in their number (a single 12 MB read took
// a second).
func readChunked(r io.Reader, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		k, err := io.ReadFull(r, buf[n:min(len(buf), n+32<<10)])
		n += k
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// open picks the sheet as Workbook.Sheet does and finds its header.
func (b *biffBook) open(name, sheet string, noHeader bool) (*XLSSource, error) {
	if len(b.sheets) == 0 {
		return nil, fmt.Errorf("%s: 工作簿中没有工作表", name)
	}
	var names []string
	for _, s := range b.sheets {
		names = append(names, s.name)
	}
	pick := -1
	var found *XLSSource // the sheet the header search read, read again from its top
	switch {
	case sheet != "":
		if n, err := strconv.Atoi(sheet); err == nil && n >= 1 && n <= len(names) {
			pick = n - 1
		} else {
			for i, x := range names {
				if x == sheet {
					pick = i
				}
			}
		}
		if pick < 0 {
			return nil, fmt.Errorf("工作簿 %s 中没有工作表“%s”；现有工作表：%s；请用 --sheet 指定（名称或从 1 起的序号）",
				name, sheet, strings.Join(names, "、"))
		}
	default:
		for i := range b.sheets {
			s, err := b.sheetSource(name, i)
			if err != nil {
				return nil, err
			}
			ok := false
			for k := 0; k < headerSearchRows && !ok; k++ {
				row, err := s.read()
				if err == io.EOF {
					break
				}
				if err == nil {
					ok = looksLikeHeader(row.Cells)
				}
			}
			if ok {
				pick, found = i, s
				found.i = 0
				break
			}
		}
		if pick < 0 {
			pick = 0
		}
	}
	s := found
	if s == nil {
		var err error
		if s, err = b.sheetSource(name, pick); err != nil {
			return nil, err
		}
	}
	if err := s.findHeader(noHeader); err != nil {
		return nil, err
	}
	return s, nil
}

func (b *biffBook) sheetSource(name string, i int) (*XLSSource, error) {
	ref := b.sheets[i]
	cells, err := b.sheetCells(ref.pos)
	if err != nil {
		return nil, fmt.Errorf("%s 工作表 %s：%v，可能缺少行，已拒绝读取该文件；%s", name, ref.name, err, xlsSaveAs)
	}
	s := &XLSSource{sheet: ref.name, book: b, cells: cells}
	s.headed = headed{name: name + "#" + ref.name, raw: s.read}
	return s, nil
}

// read returns the next row that holds a value, or a *RowError for a row
// with a cell that cannot be read.
func (s *XLSSource) read() (Row, error) {
	for s.i < len(s.cells) {
		row := s.cells[s.i].row
		j := s.i
		for j < len(s.cells) && s.cells[j].row == row {
			j++
		}
		cs := s.cells[s.i:j]
		s.i = j
		width := cs[len(cs)-1].col + 1
		cells := make([]string, width)
		empty := true
		for _, c := range cs {
			if c.bad != "" {
				return Row{}, &RowError{File: s.name, Line: row + 1, Column: c.col + 1, Reason: fmt.Sprintf("第 %d 列%s", c.col+1, c.bad)}
			}
			switch {
			case len(c.v) > MaxField:
				return Row{}, &RowError{File: s.name, Line: row + 1, Column: c.col + 1, Reason: fmt.Sprintf("第 %d 列单元格超过 %d 字节", c.col+1, MaxField)}
			case strings.IndexByte(c.v, 0) >= 0:
				return Row{}, &RowError{File: s.name, Line: row + 1, Column: c.col + 1, Reason: fmt.Sprintf("第 %d 列含 NUL 字节", c.col+1)}
			}
			cells[c.col] = c.v // a cell given twice: the later record wins, as in Excel
			if c.v != "" {
				empty = false
			}
		}
		if empty {
			continue
		}
		for len(cells) > 0 && cells[len(cells)-1] == "" {
			cells = cells[:len(cells)-1]
		}
		return Row{File: s.name, Line: row + 1, Cells: cells}, nil
	}
	return Row{}, io.EOF
}

// Sheet is the sheet being read.
func (s *XLSSource) Sheet() string { return s.sheet }

// Encoding names the code page of an Excel 95 file's text ("" for Excel
// 97–2003, whose text is Unicode).
func (s *XLSSource) Encoding() string {
	if s.book.biff8 {
		return ""
	}
	return s.book.cpName
}

// Close releases nothing: the file was read whole.
func (s *XLSSource) Close() error { return nil }

// fileSize is the size of the file at path for the .xls limit, or -1.
func fileSize(path string) int64 {
	if path == "" || path == "-" {
		return -1
	}
	st, err := os.Stat(path)
	if err != nil || !st.Mode().IsRegular() {
		return -1
	}
	return st.Size()
}
