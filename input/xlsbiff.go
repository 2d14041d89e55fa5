package input

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// The BIFF records read ([MS-XLS] 2.3 and 2.4; BIFF5 as in OpenOffice's
// "Excel File Format" description). Everything else is skipped.
const (
	recFormula    = 0x0006
	recEOF        = 0x000A
	recDateMode   = 0x0022
	recFilePass   = 0x002F
	recContinue   = 0x003C
	recCodePage   = 0x0042
	recBoundSheet = 0x0085
	recMulRK      = 0x00BD
	recRString    = 0x00D6
	recXF         = 0x00E0
	recSST        = 0x00FC
	recLabelSST   = 0x00FD
	recNumber     = 0x0203
	recLabel      = 0x0204
	recBoolErr    = 0x0205
	recString     = 0x0207
	recRK         = 0x027E
	recFormat     = 0x041E
	recBOF        = 0x0809
)

// xlsCols is the width of an Excel 97–2003 sheet: a cell beyond it is
// damage, and no row is built wider.
const xlsCols = 256

// errBIFF is damage that may hide rows: the file is refused.
type errBIFF struct{ msg string }

func (e *errBIFF) Error() string { return e.msg }

func biffErrorf(format string, a ...any) error { return &errBIFF{fmt.Sprintf(format, a...)} }

// biffBook is the workbook globals of a BIFF5 or BIFF8 stream.
type biffBook struct {
	stream  []byte
	biff8   bool
	dec     encoding.Encoding // BIFF5 byte strings; nil: Windows-1252
	cpName  string
	d1904   bool
	sst     []string
	sstBad  []string // why entry i could not be read, when it could not
	xfFmt   []int    // number format id per XF index
	xfKind  []uint8  // date kind per XF index
	formats map[int]string
	sheets  []biffSheetRef
}

type biffSheetRef struct {
	name string
	pos  int
}

// biffCell is one cell value, or the reason it cannot be read.
type biffCell struct {
	row, col int
	v        string
	bad      string
}

// biffRecords walks the records of a stream from pos.
type biffRecords struct {
	b   []byte
	pos int
}

// next returns the next record; a record that runs past the end of the
// stream is truncation.
func (r *biffRecords) next() (id uint16, data []byte, err error) {
	if r.pos+4 > len(r.b) {
		return 0, nil, biffErrorf("数据在第 %d 字节处中断（文件不完整）", r.pos)
	}
	id = binary.LittleEndian.Uint16(r.b[r.pos:])
	n := int(binary.LittleEndian.Uint16(r.b[r.pos+2:]))
	if r.pos+4+n > len(r.b) {
		return 0, nil, biffErrorf("第 %d 字节处的记录超出数据末尾（文件不完整）", r.pos)
	}
	data = r.b[r.pos+4 : r.pos+4+n]
	r.pos += 4 + n
	return id, data, nil
}

// parseBIFFGlobals reads the globals substream at the start of stream.
func parseBIFFGlobals(stream []byte) (*biffBook, error) {
	b := &biffBook{stream: stream}
	r := &biffRecords{b: stream}
	id, data, err := r.next()
	if err != nil {
		return nil, err
	}
	if id != recBOF || len(data) < 4 {
		return nil, biffErrorf("数据不以 BOF 记录开头，不是 Excel 5.0 及以后的工作簿")
	}
	switch v := binary.LittleEndian.Uint16(data); v {
	case 0x0600:
		b.biff8 = true
	case 0x0500:
	default:
		return nil, biffErrorf("不认识的 BIFF 版本 %#04x", v)
	}
	var sstSegs [][]byte
	inSST := false
	for {
		id, data, err := r.next()
		if err != nil {
			return nil, err
		}
		if id != recContinue {
			inSST = false
		}
		switch id {
		case recEOF:
			b.readSST(sstSegs)
			b.resolveKinds()
			return b, nil
		case recFilePass:
			return nil, errXLSEncrypted
		case recCodePage:
			if len(data) >= 2 {
				if err := b.setCodePage(binary.LittleEndian.Uint16(data)); err != nil {
					return nil, err
				}
			}
		case recDateMode:
			b.d1904 = len(data) >= 2 && binary.LittleEndian.Uint16(data) == 1
		case recXF:
			f := 0
			if len(data) >= 4 {
				f = int(binary.LittleEndian.Uint16(data[2:]))
			}
			b.xfFmt = append(b.xfFmt, f)
		case recFormat:
			b.readFormat(data)
		case recBoundSheet:
			if len(data) < 7 {
				return nil, biffErrorf("工作表目录记录过短")
			}
			pos := int(binary.LittleEndian.Uint32(data))
			typ := data[5]
			var name string
			if b.biff8 {
				name, _, err = b.shortUnicode(data[6:])
			} else {
				name, _, err = b.byteString(data[6:], 1)
			}
			if err != nil {
				return nil, biffErrorf("工作表名称无法读取：%v", err)
			}
			if typ == 0 { // a worksheet, not a chart or a macro sheet
				b.sheets = append(b.sheets, biffSheetRef{name: name, pos: pos})
			}
		case recSST:
			sstSegs, inSST = [][]byte{data}, true
		case recContinue:
			if inSST {
				sstSegs = append(sstSegs, data)
			}
		}
	}
}

// errXLSEncrypted is a workbook with an open password.
var errXLSEncrypted = &errBIFF{"文件已加密（设置了打开密码）"}

// readFormat keeps a custom number format; one it cannot read shows
// numbers as numbers.
func (b *biffBook) readFormat(data []byte) {
	if len(data) < 3 {
		return
	}
	id := int(binary.LittleEndian.Uint16(data))
	var code string
	var err error
	if b.biff8 {
		code, _, err = b.unicode(data[2:])
	} else {
		code, _, err = b.byteString(data[2:], 1)
	}
	if err != nil {
		return
	}
	if b.formats == nil {
		b.formats = map[int]string{}
	}
	b.formats[id] = code
}

// dateKind is the date kind of a cell with XF index xf.
func (b *biffBook) dateKind(xf int) uint8 {
	if xf < 0 || xf >= len(b.xfKind) {
		return dkNone
	}
	return b.xfKind[xf]
}

// resolveKinds turns the XFs' format ids into date kinds.
func (b *biffBook) resolveKinds() {
	b.xfKind = make([]uint8, len(b.xfFmt))
	for i, id := range b.xfFmt {
		if code, ok := b.formats[id]; ok {
			b.xfKind[i] = formatDateKind(code)
		} else {
			b.xfKind[i] = builtinDateKind(id)
		}
	}
}

func (b *biffBook) setCodePage(cp uint16) error {
	names := map[uint16]string{936: "gbk", 950: "big5", 1252: "windows-1252", 1200: "utf-16le", 367: "ascii", 10000: "mac-roman"}
	b.cpName = names[cp]
	switch cp {
	case 936:
		b.dec = simplifiedchinese.GB18030
	case 950:
		b.dec = traditionalchinese.Big5
	case 1250, 1251, 1253, 1254, 1255, 1256, 1257, 1258:
		b.dec = [...]encoding.Encoding{charmap.Windows1250, charmap.Windows1251, charmap.Windows1253, charmap.Windows1254,
			charmap.Windows1255, charmap.Windows1256, charmap.Windows1257, charmap.Windows1258}[map[uint16]int{
			1250: 0, 1251: 1, 1253: 2, 1254: 3, 1255: 4, 1256: 5, 1257: 6, 1258: 7}[cp]]
		b.cpName = "windows-" + strconv.Itoa(int(cp))
	case 10000:
		b.dec = charmap.Macintosh
	case 367, 1252, 1200, 0x8000, 0x8001:
		// ASCII, Latin, and BIFF8's UTF-16 marker: no decoder needed
		// (BIFF8's byte strings are Latin-1 whatever the code page).
	default:
		if !b.biff8 {
			return biffErrorf("文件使用本程序不支持的代码页 %d", cp)
		}
	}
	return nil
}

// decodeBytes turns a BIFF5 byte string into text; bad names bytes
// invalid in the code page.
func (b *biffBook) decodeBytes(p []byte) (s, bad string) {
	if b.dec == nil {
		if b.biff8 {
			return latin1(p), ""
		}
		s, _ := charmap.Windows1252.NewDecoder().Bytes(p)
		return string(s), ""
	}
	out, err := b.dec.NewDecoder().Bytes(p)
	if err != nil || strings.ContainsRune(string(out), utf8.RuneError) {
		return string(out), fmt.Sprintf("含 %s 编码下不合法的字节", b.cpName)
	}
	return string(out), ""
}

func latin1(p []byte) string {
	r := make([]rune, len(p))
	for i, c := range p {
		r[i] = rune(c)
	}
	return string(r)
}

// byteString reads a BIFF5 string: a length of lenSize bytes, then bytes.
func (b *biffBook) byteString(p []byte, lenSize int) (string, int, error) {
	if len(p) < lenSize {
		return "", 0, errors.New("字符串长度缺失")
	}
	n := int(p[0])
	if lenSize == 2 {
		n = int(binary.LittleEndian.Uint16(p))
	}
	if len(p) < lenSize+n {
		return "", 0, errors.New("字符串超出记录末尾")
	}
	s, bad := b.decodeBytes(p[lenSize : lenSize+n])
	if bad != "" {
		return s, 0, errors.New(bad)
	}
	return s, lenSize + n, nil
}

// shortUnicode reads a BIFF8 ShortXLUnicodeString (a one-byte length).
func (b *biffBook) shortUnicode(p []byte) (string, int, error) {
	if len(p) < 2 {
		return "", 0, errors.New("字符串长度缺失")
	}
	s, n, err := chars(p[2:], int(p[0]), p[1]&1 != 0)
	return s, 2 + n, err
}

// unicode reads a BIFF8 XLUnicodeString (a two-byte length, no runs).
func (b *biffBook) unicode(p []byte) (string, int, error) {
	if len(p) < 3 {
		return "", 0, errors.New("字符串长度缺失")
	}
	s, n, err := chars(p[3:], int(binary.LittleEndian.Uint16(p)), p[2]&1 != 0)
	return s, 3 + n, err
}

// chars decodes n characters: UTF-16LE when wide, else Latin-1 bytes.
func chars(p []byte, n int, wide bool) (string, int, error) {
	if !wide {
		if len(p) < n {
			return "", 0, errors.New("字符串超出记录末尾")
		}
		return latin1(p[:n]), n, nil
	}
	if len(p) < 2*n {
		return "", 0, errors.New("字符串超出记录末尾")
	}
	s, err := decodeUTF16(p[:2*n])
	return s, 2 * n, err
}

var errSurrogate = errors.New("含不成对的 UTF-16 代理字符")

func decodeUTF16(p []byte) (string, error) {
	u := make([]uint16, len(p)/2)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(p[2*i:])
	}
	for i := 0; i < len(u); i++ {
		switch c := u[i]; {
		case c >= 0xD800 && c < 0xDC00:
			if i+1 >= len(u) || u[i+1] < 0xDC00 || u[i+1] >= 0xE000 {
				return string(utf16.Decode(u)), errSurrogate
			}
			i++
		case c >= 0xDC00 && c < 0xE000:
			return string(utf16.Decode(u)), errSurrogate
		}
	}
	return string(utf16.Decode(u)), nil
}

// contReader reads a record's data and its CONTINUE records as one run,
// except that character data carried into a CONTINUE starts with a fresh
// flags byte (whether the rest is one or two bytes a character).
type contReader struct {
	segs [][]byte
	seg  int
	pos  int
}

func (c *contReader) avail() int {
	for c.seg < len(c.segs) && c.pos >= len(c.segs[c.seg]) {
		c.seg++
		c.pos = 0
	}
	if c.seg >= len(c.segs) {
		return 0
	}
	return len(c.segs[c.seg]) - c.pos
}

var errSSTShort = errors.New("共享字符串表不完整")

func (c *contReader) bytes(n int) ([]byte, error) {
	var out []byte
	for n > 0 {
		a := c.avail()
		if a == 0 {
			return nil, errSSTShort
		}
		k := min(a, n)
		out = append(out, c.segs[c.seg][c.pos:c.pos+k]...)
		c.pos += k
		n -= k
	}
	return out, nil
}

func (c *contReader) u16() (int, error) {
	p, err := c.bytes(2)
	if err != nil {
		return 0, err
	}
	return int(binary.LittleEndian.Uint16(p)), nil
}

func (c *contReader) u32() (int, error) {
	p, err := c.bytes(4)
	if err != nil {
		return 0, err
	}
	return int(binary.LittleEndian.Uint32(p)), nil
}

// str reads one XLUnicodeRichExtendedString.
func (c *contReader) str() (string, error) {
	n, err := c.u16()
	if err != nil {
		return "", err
	}
	fl, err := c.bytes(1)
	if err != nil {
		return "", err
	}
	runs, ext := 0, 0
	if fl[0]&0x08 != 0 {
		if runs, err = c.u16(); err != nil {
			return "", err
		}
	}
	if fl[0]&0x04 != 0 {
		if ext, err = c.u32(); err != nil {
			return "", err
		}
	}
	wide := fl[0]&1 != 0
	var sb strings.Builder
	var bad error
	for n > 0 {
		w, cur := 1, 0
		if wide {
			w = 2
		}
		if c.seg < len(c.segs) {
			cur = len(c.segs[c.seg]) - c.pos
		}
		if k := min(n, cur/w); k > 0 {
			s, _, err := chars(c.segs[c.seg][c.pos:c.pos+k*w], k, wide)
			if err != nil && bad == nil {
				bad = err
			}
			sb.WriteString(s)
			c.pos += k * w
			n -= k
			continue
		}
		// The characters go on in the next CONTINUE, after a flags byte
		// (an odd byte left over is damage).
		if cur != 0 || c.seg+1 >= len(c.segs) || len(c.segs[c.seg+1]) == 0 {
			return "", errSSTShort
		}
		c.seg++
		wide = c.segs[c.seg][0]&1 != 0
		c.pos = 1
	}
	if _, err := c.bytes(4*runs + ext); err != nil {
		return "", err
	}
	return sb.String(), bad
}

// readSST reads the shared strings. An entry that cannot be read is kept
// with its reason, and so are the entries after it (their places are
// lost): the cells that use them are rejected, not misread.
func (b *biffBook) readSST(segs [][]byte) {
	if len(segs) == 0 || len(segs[0]) < 8 {
		return
	}
	n := int(binary.LittleEndian.Uint32(segs[0][4:]))
	c := &contReader{segs: segs, pos: 8}
	total := 0
	for _, s := range segs {
		total += len(s)
	}
	b.sst = make([]string, 0, min(n, total/3+1)) // each entry takes 3 bytes at least
	for i := 0; i < n; i++ {
		s, err := c.str()
		if err == errSSTShort {
			b.sstBad = append(b.sstBad, fmt.Sprintf("共享字符串表在第 %d 条处中断", i+1))
			return
		}
		if err != nil {
			b.sstBad = append(b.sstBad, err.Error())
		} else {
			b.sstBad = append(b.sstBad, "")
		}
		b.sst = append(b.sst, s)
	}
}

// sstEntry is shared string i, or why it cannot be read.
func (b *biffBook) sstEntry(i int) (string, string) {
	switch {
	case i < len(b.sst):
		return b.sst[i], b.sstBad[i]
	case len(b.sstBad) > len(b.sst):
		return "", b.sstBad[len(b.sstBad)-1]
	}
	return "", fmt.Sprintf("共享字符串序号 %d 超出范围（共 %d 条）", i, len(b.sst))
}

// sheetCells reads the cells of the worksheet whose BOF is at pos,
// sorted by row and column. A damaged cell is kept with its reason; a
// sheet that ends before its EOF is refused.
func (b *biffBook) sheetCells(pos int) ([]biffCell, error) {
	if pos < 0 || pos >= len(b.stream) {
		return nil, biffErrorf("工作表的位置 %d 在数据之外（文件不完整）", pos)
	}
	r := &biffRecords{b: b.stream, pos: pos}
	id, data, err := r.next()
	if err != nil {
		return nil, err
	}
	if id != recBOF || len(data) < 4 {
		return nil, biffErrorf("工作表的位置 %d 处不是工作表的开头（文件已损坏）", pos)
	}
	// A cell record takes 14 bytes or more (MULRK 6 a cell).
	cells := make([]biffCell, 0, min((len(b.stream)-pos)/16, 1<<20))
	depth := 0 // BOFs of embedded charts
	formulaAt := -1
	add := func(row, col int, v, bad string) {
		if col >= xlsCols {
			v, bad = "", fmt.Sprintf("列号 %d 超出 .xls 的 %d 列", col+1, xlsCols)
			col = xlsCols - 1
		}
		cells = append(cells, biffCell{row: row, col: col, v: v, bad: bad})
	}
	for {
		id, data, err := r.next()
		if err != nil {
			return nil, err
		}
		if id != recString {
			formulaAt = -1
		}
		if depth > 0 {
			switch id {
			case recBOF:
				depth++
			case recEOF:
				depth--
			}
			continue
		}
		switch id {
		case recBOF:
			depth++
			continue
		case recEOF:
			sort.SliceStable(cells, func(i, j int) bool {
				if cells[i].row != cells[j].row {
					return cells[i].row < cells[j].row
				}
				return cells[i].col < cells[j].col
			})
			return cells, nil
		case recLabelSST, recLabel, recRString, recNumber, recRK, recBoolErr, recFormula, recMulRK:
		case recString:
			if formulaAt >= 0 {
				c := &cells[formulaAt]
				var s string
				if b.biff8 {
					s, _, err = b.unicode(data)
				} else {
					s, _, err = b.byteString(data, 2)
				}
				c.v = s
				if err != nil {
					c.bad = "公式结果" + err.Error()
				}
				formulaAt = -1
			}
			continue
		default:
			continue
		}
		if len(data) < 6 {
			// not even a row and column: the row is unknown, the sheet damaged
			return nil, biffErrorf("工作表中有过短的单元格记录（文件已损坏）")
		}
		row := int(binary.LittleEndian.Uint16(data))
		col := int(binary.LittleEndian.Uint16(data[2:]))
		xf := int(binary.LittleEndian.Uint16(data[4:]))
		short := "单元格记录过短（文件已损坏）"
		switch id {
		case recLabelSST:
			if len(data) < 10 {
				add(row, col, "", short)
				continue
			}
			s, bad := b.sstEntry(int(binary.LittleEndian.Uint32(data[6:])))
			add(row, col, s, bad)
		case recLabel, recRString:
			var s string
			if b.biff8 {
				s, _, err = b.unicode(data[6:])
			} else {
				s, _, err = b.byteString(data[6:], 2)
			}
			bad := ""
			if err != nil {
				bad = err.Error()
			}
			add(row, col, s, bad)
		case recNumber:
			if len(data) < 14 {
				add(row, col, "", short)
				continue
			}
			add(row, col, b.number(math.Float64frombits(binary.LittleEndian.Uint64(data[6:])), xf), "")
		case recRK:
			if len(data) < 10 {
				add(row, col, "", short)
				continue
			}
			add(row, col, b.number(rkValue(binary.LittleEndian.Uint32(data[6:])), xf), "")
		case recMulRK:
			// row, first column, then (XF, RK) pairs, then the last column
			n := (len(data) - 6) / 6
			if n < 1 || len(data) != 6+6*n {
				add(row, col, "", short)
				continue
			}
			for i := 0; i < n; i++ {
				p := data[4+6*i:]
				x := int(binary.LittleEndian.Uint16(p))
				add(row, col+i, b.number(rkValue(binary.LittleEndian.Uint32(p[2:])), x), "")
			}
		case recBoolErr:
			if len(data) < 8 {
				add(row, col, "", short)
				continue
			}
			add(row, col, boolErrText(data[6], data[7] != 0), "")
		case recFormula:
			if len(data) < 14 {
				add(row, col, "", short)
				continue
			}
			res := data[6:14]
			if res[6] != 0xFF || res[7] != 0xFF {
				add(row, col, b.number(math.Float64frombits(binary.LittleEndian.Uint64(res)), xf), "")
				continue
			}
			switch res[0] {
			case 0: // a string, in the STRING record that follows
				add(row, col, "", "")
				formulaAt = len(cells) - 1
			case 1:
				add(row, col, boolErrText(res[2], false), "")
			case 2:
				add(row, col, boolErrText(res[2], true), "")
			default: // an empty string
				add(row, col, "", "")
			}
		}
	}
}

// rkValue decodes an RK number: a 30-bit integer or the high bits of a
// double, either of them possibly times 100.
func rkValue(rk uint32) float64 {
	var f float64
	if rk&2 != 0 {
		f = float64(int32(rk) >> 2)
	} else {
		f = math.Float64frombits(uint64(rk&^3) << 32)
	}
	if rk&1 != 0 {
		f /= 100
	}
	return f
}

func boolErrText(v byte, isErr bool) string {
	if !isErr {
		if v != 0 {
			return "TRUE"
		}
		return "FALSE"
	}
	switch v {
	case 0x00:
		return "#NULL!"
	case 0x07:
		return "#DIV/0!"
	case 0x0F:
		return "#VALUE!"
	case 0x17:
		return "#REF!"
	case 0x1D:
		return "#NAME?"
	case 0x24:
		return "#NUM!"
	case 0x2A:
		return "#N/A"
	}
	return "#N/A"
}

// number formats a cell's number: a date where its format is one, else
// as Excel's General format shows it (up to 15 significant digits, whole
// numbers below 10^15 in full, so that a registration number stored as a
// number reads back whole and a credit code that lost its digits shows as
// 9.13302051234568E+017 for the data-quality note to catch).
func (b *biffBook) number(f float64, xf int) string {
	if k := b.dateKind(xf); k != dkNone {
		return string(appendSerialDate(nil, []byte(strconv.FormatFloat(f, 'f', -1, 64)), k, b.d1904))
	}
	return generalNumber(f)
}

func generalNumber(f float64) string {
	switch {
	case math.IsNaN(f) || math.IsInf(f, 0):
		return "#NUM!"
	case f == 0:
		return "0"
	case f == math.Trunc(f) && math.Abs(f) < 1e15:
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	e := strconv.FormatFloat(f, 'E', 14, 64) // d.ddddddddddddddE±XX
	i := strings.IndexByte(e, 'E')
	exp, _ := strconv.Atoi(e[i+1:])
	if exp >= -5 && exp < 15 {
		r, _ := strconv.ParseFloat(e, 64)
		return strconv.FormatFloat(r, 'f', -1, 64)
	}
	mant := strings.TrimRight(strings.TrimRight(e[:i], "0"), ".")
	sign := "+"
	if exp < 0 {
		sign, exp = "-", -exp
	}
	return fmt.Sprintf("%sE%s%03d", mant, sign, exp)
}
