package input

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// sheetScanner reads the rows of one worksheet part as a stream. It reads
// the values the way excelize's Rows/Columns do with RawCellValue (the
// differential test holds it to that), except that numbers styled as
// dates read as dates and booleans as TRUE/FALSE.
type sheetScanner struct {
	x       *xscan
	book    *workbook
	row     int  // number of the last row returned or rejected
	empty   int  // cells read so far that hold no value (see maxEmptyCells)
	started bool // inside <sheetData>
	done    bool
	resync  bool // the last row was damaged: find the next <row> first
	slow    bool // no fastCell (tests hold the two paths to one result)

	// per row, reused
	buf  []byte          // the row's own text, one string per row
	text strings.Builder // rows' texts are carved from here (see rowCarving)
	slab []string        // and their cells from here
	vals []cellVal       // where each cell's value is
	v    []byte          // the cell's <v>
	is   []byte          // scratch for an inline string with escapes
	isA  int             // the cell's inline string is buf[isA:isB]
	isB  int
}

type cellVal struct {
	pos    int    // 0-based column in the result
	s      string // a shared string, or
	a, b   int    // buf[a:b]
	shared bool
}

// sheetRow is one row read.
type sheetRow struct {
	num   int
	cells []string
}

// rowDamage is a row that cannot be read; reading goes on after it.
type rowDamage struct {
	num    int
	col    int // 1-based cell, 0 when unknown
	reason string
}

func (e *rowDamage) Error() string { return e.reason }

// incomplete is a sheet that cannot be read to its end: the file is refused
// (see IncompleteError).
type incomplete struct {
	num    int
	reason string
}

func (e *incomplete) Error() string { return e.reason }

func newSheetScanner(r io.Reader, book *workbook, limit int64) *sheetScanner {
	return &sheetScanner{x: newXScan(r, limit), book: book}
}

// next returns the next non-empty row: nil, a *rowDamage (call again), an
// *errUnknown (read the rest with excelize, from row p.row+1), an
// *errFatal (a limit: refuse the file) or io.EOF.
func (p *sheetScanner) next(out *sheetRow) error {
	for {
		if p.done {
			return io.EOF
		}
		if !p.started {
			if err := p.findSheetData(); err != nil {
				return p.fail(err)
			}
			continue
		}
		if p.resync {
			p.resync = false
			ok, err := p.x.resync()
			if err != nil {
				return p.fail(err)
			}
			if !ok {
				p.done = true
				return io.EOF
			}
		}
		var t tag
		if !p.fastRowTag(&t) {
			if err := p.x.next(&t); err != nil {
				return p.fail(err)
			}
		}
		switch {
		case t.end && string(t.name) == "sheetData":
			p.done = true
			return io.EOF
		case t.end:
			p.resync = true
			return &rowDamage{num: p.row + 1, reason: fmt.Sprintf("XML 错误：多余的结束标签 </%s>", t.name)}
		case string(t.name) == "row":
			num := p.row + 1
			if t.hasR {
				if n, err := atoi(t.r); err == nil && n > 0 {
					num = n
				}
			}
			if num <= p.row {
				// rows out of order: Excel never writes them; reading on
				// would give lines out of order, so the row is refused
				p.resync = !t.selfClose
				return &rowDamage{num: num, reason: fmt.Sprintf("行号 %d 不在上一行 %d 之后（行顺序错乱，文件可能已损坏）", num, p.row)}
			}
			if num > maxSheetRows {
				// Excel writes no such row: a hand-made or damaged sheet,
				// refused once (one reject a row wrote 85 million lines)
				p.done = true
				return &errFatal{msg: fmt.Sprintf("行号 %d 超过 Excel 的上限 %d 行（文件不是 Excel 写出的，或已损坏）", num, maxSheetRows), limit: true}
			}
			if t.selfClose {
				p.row = num
				continue
			}
			err := p.readRow(num, out)
			if err == nil && allEmpty(out.cells) {
				continue // an empty row (or only empty formulas): nothing to screen
			}
			return err
		case string(t.name) == "c":
			// a cell outside any row: damage (excelize would give it to
			// the row before); rejected, and reading resumes at the next row
			p.resync = true
			return &rowDamage{num: p.row + 1, reason: "XML 错误：单元格 <c> 不在任何行 <row> 之内"}
		case string(t.name) == "extLst" && !t.selfClose:
			if err := p.x.skipElement(t.name); err != nil {
				return p.fail(err)
			}
		case string(t.name) == "extLst":
		default:
			return &errUnknown{name: string(t.name)}
		}
	}
}

// findSheetData skips the sheet's head up to <sheetData>.
func (p *sheetScanner) findSheetData() error {
	var t tag
	for {
		if err := p.x.next(&t); err != nil {
			if err == io.EOF {
				return p.x.eofError("工作表开头")
			}
			return err
		}
		if t.end {
			switch string(t.name) {
			case "worksheet", "chartsheet", "dialogsheet", "macrosheet":
				p.done = true // no sheetData (a chart sheet, say): no rows
				return nil
			}
			continue
		}
		if string(t.name) == "sheetData" {
			if t.selfClose {
				p.done = true
			}
			p.started = true
			return nil
		}
	}
}

// fail turns an error met at row p.row+1 (or inside row num) into what the
// caller reports: XML damage rejects the row and resyncs; truncation and a
// broken stream reject the row and end the sheet; limits refuse the file.
func (p *sheetScanner) fail(err error) error {
	return p.failAt(p.row+1, 0, err)
}

func (p *sheetScanner) failAt(num, col int, err error) error {
	var xe *errXML
	var fe *errFatal
	var ue *errUnknown
	switch {
	case errors.As(err, &ue):
		return err
	case errors.As(err, &xe):
		p.row = num
		p.resync = true
		return &rowDamage{num: num, col: col, reason: "XML 错误：" + xe.msg}
	case errors.As(err, &fe) && fe.limit:
		p.done = true
		return fe
	case errors.As(err, &fe):
		// truncation or a broken stream: the rows after it are unknown
		p.row = num
		p.done = true
		return &incomplete{num: num, reason: "工作表：" + fe.msg}
	case err == io.EOF:
		p.row = num
		p.done = true
		return &incomplete{num: num, reason: "工作表 XML 不完整，在此行之前中断（文件被截断？）"}
	}
	p.done = true
	return &errFatal{msg: err.Error(), err: err}
}

// readRow reads the cells of row num up to </row>.
func (p *sheetScanner) readRow(num int, out *sheetRow) error {
	p.buf = p.buf[:0]
	p.vals = p.vals[:0]
	col, n := 0, 0 // excelize's cell counter, and the cells so far
	var damage *rowDamage
	var t tag
	for {
		if p.x.lit("</row>") {
			break
		}
		// the usual cell whole from the buffer; anything else, and a
		// cell the buffer does not hold, takes the general path
		fast, fastV := p.fastCell(&t)
		if !fast {
			if err := p.x.next(&t); err != nil {
				return p.failAt(num, col, err)
			}
			if t.end {
				if string(t.name) != "row" {
					return p.failAt(num, col, xmlErrorf("结束标签 </%s> 与 <row> 不匹配", t.name))
				}
				break
			}
			switch string(t.name) {
			case "c":
			case "extLst":
				if !t.selfClose {
					if err := p.x.skipElement(t.name); err != nil {
						return p.failAt(num, col, err)
					}
				}
				continue
			default:
				return &errUnknown{name: string(t.name)}
			}
		}
		col++
		if p.empty++; p.empty > maxEmptyCells {
			// 3 GB of <c/> in a 3 MB file took 42 s to read for nothing
			p.done = true
			return &errFatal{msg: fmt.Sprintf("工作表中没有值的单元格超过 %d 个的上限（文件不是 Excel 正常写出的，或已损坏；可在 Excel 中删去空行空列后另存再试）", maxEmptyCells), limit: true}
		}
		if t.hasR {
			c, ok := cellColumn(t.r)
			if !ok {
				if damage == nil {
					damage = &rowDamage{num: num, col: col, reason: fmt.Sprintf("单元格引用 %q 无效", t.r)}
				}
			} else {
				col = c
			}
		}
		if col > maxSheetCols && damage == nil {
			// cells without r counted past Excel's last column (a flood
			// of <c/>): the row is rejected, not padded to that width
			damage = &rowDamage{num: num, col: col, reason: fmt.Sprintf("单元格数超过 Excel 的上限 %d 列（文件不是 Excel 写出的，或已损坏）", maxSheetCols)}
		}
		typ := cellType(t.t)
		style := -1
		if t.hasS {
			if s, err := atoi(t.s); err == nil {
				style = s
			}
		}
		hasV, hasF, hasIS, over := fast && fastV, false, fast && !fastV, false
		if !fast {
			p.v, p.is = p.v[:0], p.is[:0]
		}
		if !fast && !t.selfClose {
			var err error
			if hasV, hasF, hasIS, over, err = p.readCell(); err != nil {
				return p.failAt(num, col, err)
			}
		}
		if damage != nil {
			continue // keep reading the row's XML; the first damage is reported
		}
		if over {
			damage = &rowDamage{num: num, col: col, reason: fmt.Sprintf("第 %d 列单元格超过 %d 字节", col, MaxField)}
			continue
		}
		cv, empty, reason := p.value(typ, style, hasV, hasIS)
		if reason != "" {
			damage = &rowDamage{num: num, col: col, reason: fmt.Sprintf("第 %d 列%s", col, reason)}
			continue
		}
		if empty && !hasF {
			continue
		}
		if col > n {
			cv.pos = col - 1
		} else {
			// out of order: excelize appends it, and the row then failed
			// the width check for a reason that was not the cause
			damage = &rowDamage{num: num, col: col, reason: fmt.Sprintf("第 %d 列单元格出现在第 %d 列之后（单元格顺序错乱，文件可能已损坏）", col, n)}
			continue
		}
		n = cv.pos + 1
		p.vals = append(p.vals, cv)
		p.empty--
	}
	p.row = num
	if damage != nil {
		return damage
	}
	out.num = num
	out.cells = out.cells[:0:0]
	if n == 0 {
		return nil
	}
	text := p.rowText()
	cells := p.rowCells(n)
	for _, v := range p.vals {
		if v.shared {
			cells[v.pos] = v.s
		} else {
			cells[v.pos] = text[v.a:v.b]
		}
	}
	for i, c := range cells {
		if strings.IndexByte(c, 0) >= 0 {
			return &rowDamage{num: num, col: i + 1, reason: fmt.Sprintf("第 %d 列含 NUL 字节", i+1)}
		}
	}
	out.cells = cells
	return nil
}

// rowCarving: as the CSV reader does (csvParser.text and cells), a row's
// text and cells are carved from shared chunks rather than allocated one
// by one: a chunk is only appended to, so a string made from it never
// changes, and it stays alive while a row from it does, which the pipeline
// bounds (rows are written and dropped in order). On the 200k real-text
// workbook these two allocations were 40% of reading a row.
const rowCarving, cellCarving = 32 << 10, 1024

// rowText returns the row's text, p.buf, as a string.
func (p *sheetScanner) rowText() string {
	if len(p.buf) == 0 || len(p.buf) > rowCarving/8 {
		return string(p.buf)
	}
	if p.text.Cap()-p.text.Len() < len(p.buf) {
		p.text = strings.Builder{}
		p.text.Grow(rowCarving)
	}
	start := p.text.Len()
	p.text.Write(p.buf)
	return p.text.String()[start:]
}

// rowCells returns n empty cells, capped so that an append to them
// cannot reach the next row's.
func (p *sheetScanner) rowCells(n int) []string {
	if n > cellCarving/8 {
		return make([]string, n)
	}
	if cap(p.slab)-len(p.slab) < n {
		p.slab = make([]string, 0, cellCarving)
	}
	start := len(p.slab)
	p.slab = p.slab[:start+n]
	return p.slab[start : start+n : start+n]
}

// fastRowTag reads a plain <row …> start tag (see fastTag) at the
// scanner's position, after white space; false, having consumed nothing,
// for anything else.
func (p *sheetScanner) fastRowTag(t *tag) bool {
	if p.slow {
		return false
	}
	x := p.x
	b := x.buf[x.p:x.n]
	i := 0
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	if len(b)-i < 6 || string(b[i:i+4]) != "<row" || !isSpace(b[i+4]) {
		return false
	}
	k := fastTag(b[i:], nameRow, t)
	if k < 0 {
		return false
	}
	x.p += i + k + 1
	return true
}

// fastCell reads the cell at the scanner's position when it has one of
// the two shapes Excel and regscreen write, <c …><v>text</v></c> and
// <c …><is><t>text</t></is></c>, all in the buffer, with text that holds
// no markup, reference, CR or control character (nor bad UTF-8, when it
// is checked here): the cell the general path would read, with the same
// result, and nothing to report. It leaves the start tag in t and the
// text in p.v (isV) or appended to p.buf at p.isA:p.isB. false, having
// consumed nothing, for anything else.
func (p *sheetScanner) fastCell(t *tag) (ok, isV bool) {
	if p.slow {
		return false, false
	}
	x := p.x
	b := x.buf[x.p:x.n]
	i := 0
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	if len(b)-i < 8 || b[i] != '<' || b[i+1] != 'c' || !isSpace(b[i+2]) {
		return false, false
	}
	b = b[i:]
	k := fastTag(b, nameC, t)
	if k < 0 {
		return false, false
	}
	rest := b[k+1:]
	var open, end string
	switch {
	case bytes.HasPrefix(rest, []byte("<v>")):
		open, end, isV = "<v>", "</v></c>", true
	case bytes.HasPrefix(rest, []byte("<is><t>")):
		open, end = "<is><t>", "</t></is></c>"
	default:
		return false, false
	}
	text := rest[len(open):]
	j := bytes.IndexByte(text, '<')
	if j < 0 || j > MaxField || !bytes.HasPrefix(text[j:], []byte(end)) || !plainText(text[:j]) ||
		!x.deferUTF8 && !utf8.Valid(text[:j]) {
		return false, false
	}
	text = text[:j]
	if isV {
		p.v = append(p.v[:0], text...)
	} else {
		p.v = p.v[:0]
		p.isA = len(p.buf)
		p.buf = append(p.buf, text...)
		p.isB = len(p.buf)
	}
	p.is = p.is[:0]
	x.p += i + k + 1 + len(open) + j + len(end)
	return true, isV
}

// fastTag parses the start tag <name …> at b (the caller has seen "<name"
// and a space or '>') in one pass when its shape is the plain one:
// attributes name="value", one space or more before each, values without
// quotes, '<' or '>'. It returns the index of its '>', with t as readTag
// would leave it (the same '>' is the one readTag finds: no quote or '>'
// inside a value), or -1 for anything else (a self-closing tag among it),
// for the general path.
func fastTag(b, name []byte, t *tag) int {
	*t = tag{name: name}
	for i := 1 + len(name); ; {
		if i >= len(b) || i > maxTag {
			return -1
		}
		if b[i] == '>' {
			return i
		}
		if !isSpace(b[i]) {
			return -1
		}
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		if i < len(b) && b[i] == '>' {
			return i
		}
		j := i
		for j < len(b) && !notNameByte[b[j]] {
			j++
		}
		// validName, less the loop above: no markup byte in the name
		if j == i || j+1 >= len(b) || b[j] != '=' || b[j+1] != '"' || b[i] == '-' || b[i] == '.' || b[i] >= '0' && b[i] <= '9' {
			return -1
		}
		an := b[i:j]
		m := j + 2
		for m < len(b) && !notValueByte[b[m]] {
			m++
		}
		if m >= len(b) || b[m] != '"' {
			return -1
		}
		t.keep(an, b[j+2:m])
		i = m + 1
	}
}

// notValueByte ends an attribute value that fastCTag takes.
var notValueByte = func() (t [256]bool) {
	t['"'], t['\''], t['<'], t['>'] = true, true, true, true
	return t
}()

// plainText reports text that character data reads as it stands: no '&'
// (a reference), CR (a line end to normalise) or other control character
// but tab and LF. The caller has found the first '<' after it.
func plainText(b []byte) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for len(b) >= 8 {
		v := binary.LittleEndian.Uint64(b)
		amp := v ^ '&'*ones                                // zero where a byte is '&'
		if ((v-0x20*ones)&^v|(amp-ones)&^amp)&highs != 0 { // some byte below 0x20, or '&'
			for _, c := range b[:8] {
				if textStop[c] {
					return false
				}
			}
		}
		b = b[8:]
	}
	for _, c := range b {
		if textStop[c] {
			return false
		}
	}
	return true
}

// readCell reads a <c>'s children up to </c>.
func (p *sheetScanner) readCell() (hasV, hasF, hasIS, over bool, err error) {
	var t tag
	for {
		switch {
		case p.x.lit("<is>"):
			t = tag{name: nameIS}
		case p.x.lit("<v>"):
			t = tag{name: nameV}
		case p.x.lit("</c>"):
			return
		default:
			if err = p.x.next(&t); err != nil {
				return
			}
		}
		name := string(t.name)
		if t.end {
			if name != "c" {
				err = xmlErrorf("结束标签 </%s> 与 <c> 不匹配", name)
			}
			return
		}
		switch name {
		case "v":
			hasV = true
			p.v = p.v[:0] // the last <v> wins, as in encoding/xml
			if !t.selfClose {
				var o bool
				if p.v, o, err = p.textElement(p.v, "v"); err != nil {
					return
				}
				over = over || o
			}
		case "f":
			hasF = true
			if !t.selfClose {
				if err = p.x.skipElement(t.name); err != nil {
					return
				}
			}
		case "is":
			// straight into the row's text; value() uses or ignores it
			hasIS = true
			p.isA = len(p.buf)
			p.buf = p.buf[:p.isA]
			if !t.selfClose {
				var o bool
				if p.buf, o, err = richText(p.x, p.buf, "is"); err != nil {
					return
				}
				over = over || o
			}
			p.isB = len(p.buf)
		case "extLst":
			if !t.selfClose {
				if err = p.x.skipElement(t.name); err != nil {
					return
				}
			}
		default:
			err = &errUnknown{name: name}
			return
		}
	}
}

// textElement reads character data up to </name>.
func (p *sheetScanner) textElement(dst []byte, name string) ([]byte, bool, error) {
	return textElement(p.x, dst, name)
}

func textElement(x *xscan, dst []byte, name string) ([]byte, bool, error) {
	dst, over, err := x.text(dst, MaxField)
	if err != nil {
		return dst, over, err
	}
	if x.lit(endLiteral(name)) {
		return dst, over, nil
	}
	var t tag
	kind, err := x.markup()
	if err != nil {
		return dst, over, err
	}
	if kind != mkTag {
		if err := x.skipMarkup(kind); err != nil {
			return dst, over, err
		}
		d, o, err := textElement(x, dst, name)
		return d, over || o, err
	}
	if err := x.readTag(&t); err != nil {
		return dst, over, err
	}
	if !t.end {
		return dst, over, &errUnknown{name: string(t.name)}
	}
	if string(t.name) != name {
		return dst, over, xmlErrorf("结束标签 </%s> 与 <%s> 不匹配", t.name, name)
	}
	return dst, over, nil
}

// richText reads an <is> or <si>: its <t>, then the <t> of each run <r>
// (excelize's xlsxSI.String); phonetic runs and run properties are skipped.
func richText(x *xscan, dst []byte, end string) ([]byte, bool, error) {
	start := len(dst)
	// the element's own <t> (the last one wins) goes first, straight into
	// dst; the runs after it
	runs := x.runs[:0]
	defer func() { x.runs = runs }()
	over := false
	var t tag
	endLit := endLiteral(end)
loop:
	for {
		switch {
		case x.lit("<t>"):
			t = tag{name: nameT}
		case x.lit(endLit):
			break loop
		default:
			if err := x.next(&t); err != nil {
				if err == io.EOF {
					err = x.eofError("<" + end + ">")
				}
				return dst, over, err
			}
		}
		name := string(t.name)
		if t.end {
			if name != end {
				return dst, over, xmlErrorf("结束标签 </%s> 与 <%s> 不匹配", name, end)
			}
			break loop
		}
		switch name {
		case "t":
			dst = dst[:start]
			if !t.selfClose {
				var o bool
				var err error
				if dst, o, err = textElement(x, dst, "t"); err != nil {
					return dst, over, err
				}
				over = over || o
			}
		case "r":
			if t.selfClose {
				continue
			}
			var o bool
			var err error
			if runs, o, err = runText(x, runs); err != nil {
				return dst, over, err
			}
			over = over || o
		case "rPh", "phoneticPr", "extLst":
			if !t.selfClose {
				if err := x.skipElement(t.name); err != nil {
					return dst, over, err
				}
			}
		default:
			return dst, over, &errUnknown{name: name}
		}
	}
	dst = append(dst, runs...)
	if len(dst)-start > MaxField {
		over = true
		dst = dst[:start]
	}
	return dst, over, nil
}

// runText appends the <t> of a rich-text run <r> up to </r>.
func runText(x *xscan, dst []byte) ([]byte, bool, error) {
	var t tag
	over := false
	own := x.own[:0]
	defer func() { x.own = own }()
	hasT := false
	for {
		if err := x.next(&t); err != nil {
			if err == io.EOF {
				err = x.eofError("<r>")
			}
			return dst, over, err
		}
		name := string(t.name)
		if t.end {
			if name != "r" {
				return dst, over, xmlErrorf("结束标签 </%s> 与 <r> 不匹配", name)
			}
			if hasT {
				dst = append(dst, own...)
			}
			return dst, over, nil
		}
		switch name {
		case "t":
			hasT = true
			own = own[:0]
			if !t.selfClose {
				var o bool
				var err error
				if own, o, err = textElement(x, own, "t"); err != nil {
					return dst, over, err
				}
				over = over || o
			}
		case "rPr", "extLst":
			if !t.selfClose {
				if err := x.skipElement(t.name); err != nil {
					return dst, over, err
				}
			}
		default:
			return dst, over, &errUnknown{name: name}
		}
	}
}

var nameT, nameIS, nameV, nameC, nameRow = []byte("t"), []byte("is"), []byte("v"), []byte("c"), []byte("row")

// endLiteral is "</name>" without building it for the usual names.
func endLiteral(name string) string {
	switch name {
	case "t":
		return "</t>"
	case "v":
		return "</v>"
	case "is":
		return "</is>"
	case "si":
		return "</si>"
	}
	return "</" + name + ">"
}

// cell types, from the t attribute
const (
	ctNumber = iota
	ctShared
	ctInline
	ctStr
	ctBool
	ctDate
	ctError
	ctOther
)

func cellType(t []byte) int {
	switch string(t) {
	case "", "n":
		return ctNumber
	case "s":
		return ctShared
	case "inlineStr":
		return ctInline
	case "str":
		return ctStr
	case "b":
		return ctBool
	case "d":
		return ctDate
	case "e":
		return ctError
	}
	return ctOther
}

// value computes a cell's value from p.v / p.is; empty when it is "".
func (p *sheetScanner) value(typ, style int, hasV, hasIS bool) (cv cellVal, empty bool, reason string) {
	a := len(p.buf)
	switch typ {
	case ctShared:
		if len(p.v) == 0 {
			return cv, true, ""
		}
		idx, err := atoi(bytes.TrimSpace(p.v))
		if err != nil {
			return cv, false, fmt.Sprintf("的共享字符串序号 %q 无效", clip(p.v))
		}
		s, why := p.book.sst.get(idx)
		if why != "" {
			return cv, false, why
		}
		return cellVal{s: s, shared: true}, s == "", ""
	case ctInline:
		if hasIS {
			is := p.buf[p.isA:p.isB]
			if !bytes.Contains(is, []byte("_x")) {
				return cellVal{a: p.isA, b: p.isB}, p.isA == p.isB, ""
			}
			p.is = append(p.is[:0], is...)
			p.buf = appendBstr(p.buf, p.is)
		} else {
			p.buf = append(p.buf, p.v...)
		}
	case ctBool:
		switch string(p.v) {
		case "1":
			p.buf = append(p.buf, "TRUE"...)
		case "0":
			p.buf = append(p.buf, "FALSE"...)
		default:
			p.buf = append(p.buf, p.v...)
		}
	case ctDate:
		p.buf = appendISODate(p.buf, p.v)
	case ctNumber:
		if style >= 0 && len(p.v) > 0 {
			if kind := p.book.dateKind(style); kind != 0 {
				p.buf = appendSerialDate(p.buf, p.v, kind, p.book.date1904)
				break
			}
		}
		p.buf = append(p.buf, p.v...)
	default:
		p.buf = append(p.buf, p.v...)
	}
	return cellVal{a: a, b: len(p.buf)}, len(p.buf) == a, ""
}

// atoi is strconv.Atoi of b without making a string of it (Atoi's error
// holds its argument, so the conversion is an allocation a cell): plain
// digits are read here, anything else by Atoi.
func atoi(b []byte) (int, error) {
	if len(b) == 0 || len(b) > 18 {
		return strconv.Atoi(string(b))
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return strconv.Atoi(string(b))
		}
		n = n*10 + int(c-'0')
	}
	return n, nil
}

// cellColumn is the 1-based column of a reference such as "AB12".
func cellColumn(ref []byte) (int, bool) {
	col, i := 0, 0
	for ; i < len(ref); i++ {
		c := ref[i]
		switch {
		case c >= 'A' && c <= 'Z':
			col = col*26 + int(c-'A') + 1
		case c >= 'a' && c <= 'z':
			col = col*26 + int(c-'a') + 1
		default:
			goto digits
		}
		if col > maxSheetCols {
			return 0, false
		}
	}
digits:
	if i == 0 || i == len(ref) {
		return 0, false
	}
	for _, c := range ref[i:] {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	if ref[i] == '0' {
		return 0, false
	}
	return col, true
}

// appendBstr appends s with its _xHHHH_ escapes decoded, as excelize does
// for strings (an escape of a surrogate decodes to nothing).
func appendBstr(dst, s []byte) []byte {
	if !bytes.Contains(s, []byte("_x")) {
		return append(dst, s...)
	}
	for len(s) > 0 {
		i := bytes.Index(s, []byte("_x"))
		if i < 0 || len(s)-i < 7 {
			return append(dst, s...)
		}
		dst = append(dst, s[:i]...)
		s = s[i:]
		h := s[2:6]
		if s[6] == '_' && isHex4(h) {
			v, _ := strconv.ParseUint(string(h), 16, 32)
			if v == 0x5F && s[2] == '0' && s[3] == '0' && s[4] == '5' {
				dst = append(dst, '_') // _x005F_ is an escaped underscore
			} else if r := rune(v); r < 0xD800 || r > 0xDFFF {
				dst = appendRune(dst, r)
			}
			s = s[7:]
			continue
		}
		dst = append(dst, s[0])
		s = s[1:]
	}
	return dst
}

func isHex4(h []byte) bool {
	for _, c := range h {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

func appendRune(dst []byte, r rune) []byte {
	return append(dst, string(r)...)
}

func allEmpty(cells []string) bool {
	for _, c := range cells {
		if c != "" {
			return false
		}
	}
	return true
}
