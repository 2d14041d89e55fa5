package input

import (
	"archive/zip"
	"bufio"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/klauspost/compress/flate"
)

// Limits of the XLSX reader. Memory stays bounded by them whatever the
// compression ratio; a file past one is refused, or the row holding the
// cell rejected, with the limit named. A cell and a shared string are
// bounded by MaxField.
const (
	xlsxUnzipLimit = 4 << 30   // all parts together (declared), and one sheet as inflated
	xlsxPartLimit  = 64 << 20  // workbook.xml, its relationships, styles.xml: read whole
	xlsxSSTLimit   = 256 << 20 // the shared-strings table's text, held in memory
	xlsxSSTCount   = 1 << 24   // its number of entries
	maxSpaceRun    = 1 << 20   // white space (or ignored text) between two elements
	maxTag         = 64 << 10  // one tag with its attributes
	maxSheetRows   = 1048576   // Excel's last row
	maxSheetCols   = 16384     // Excel's last column, XFD
	// maxEmptyCells bounds the <c> elements without a value in one sheet
	// (about 4 s of reading): Excel writes an empty cell only when it is
	// formatted, a registration export a few million at most.
	maxEmptyCells = 64 << 20
)

// workbook is an opened XLSX package: its sheets, styles and shared strings.
type workbook struct {
	zr       *zip.Reader
	files    map[string]*zip.File
	sheets   []sheetRef
	date1904 bool
	dates    []uint8 // date kind per cell style (cellXfs index)
	sst      *sharedStrings
	sstPath  string
	unknown  string // an element of the shared strings the scanner does not know
}

type sheetRef struct {
	name, path string
	hidden     bool // state="hidden" or "veryHidden": not read unless named
}

// openWorkbook reads the package's directory and its small parts.
func openWorkbook(ra io.ReaderAt, size int64) (*workbook, error) {
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		// the zip package's own words are English: say it in Chinese
		return nil, errors.New("不是有效的 XLSX 文件（不是 zip 压缩包，或已损坏）")
	}
	zr.RegisterDecompressor(zip.Deflate, inflater)
	w := &workbook{zr: zr, files: map[string]*zip.File{}}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		w.files[strings.ToLower(strings.ReplaceAll(f.Name, "\\", "/"))] = f
	}
	if total > xlsxUnzipLimit {
		return nil, fmt.Errorf("解压后总大小 %d 字节，超过 %s 的上限（疑似压缩炸弹）", total, sizeText(xlsxUnzipLimit))
	}
	wbPath := "xl/workbook.xml"
	var root relsXML
	if ok, err := w.readXML("_rels/.rels", &root); err != nil {
		return nil, err
	} else if ok {
		for _, r := range root.Rels {
			if strings.HasSuffix(r.Type, "/officeDocument") {
				wbPath = relTarget("", r.Target)
			}
		}
	}
	var wb workbookXML
	if ok, err := w.readXML(wbPath, &wb); err != nil {
		return nil, err
	} else if !ok {
		return nil, fmt.Errorf("不是有效的 XLSX 文件（缺少 %s）", wbPath)
	}
	w.date1904 = wb.Pr.Date1904 == "1" || wb.Pr.Date1904 == "true"
	dir := path.Dir(wbPath)
	var rels relsXML
	if _, err := w.readXML(path.Join(dir, "_rels", path.Base(wbPath)+".rels"), &rels); err != nil {
		return nil, err
	}
	targets := map[string]string{}
	stylesPath := ""
	for _, r := range rels.Rels {
		t := relTarget(dir, r.Target)
		targets[r.ID] = t
		switch {
		case strings.HasSuffix(r.Type, "/sharedStrings"):
			w.sstPath = t
		case strings.HasSuffix(r.Type, "/styles"):
			stylesPath = t
		}
	}
	for _, s := range wb.Sheets {
		w.sheets = append(w.sheets, sheetRef{name: s.Name, path: targets[s.RID], hidden: s.State == "hidden" || s.State == "veryHidden"})
	}
	if stylesPath != "" {
		if err := w.readStyles(stylesPath); err != nil {
			return nil, err
		}
	}
	return w, nil
}

type relsXML struct {
	Rels []struct {
		ID     string `xml:"Id,attr"`
		Type   string `xml:"Type,attr"`
		Target string `xml:"Target,attr"`
	} `xml:"Relationship"`
}

type workbookXML struct {
	Pr struct {
		Date1904 string `xml:"date1904,attr"`
	} `xml:"workbookPr"`
	Sheets []struct {
		Name  string `xml:"name,attr"`
		RID   string `xml:"id,attr"`
		State string `xml:"state,attr"`
	} `xml:"sheets>sheet"`
}

type stylesXML struct {
	NumFmts []struct {
		ID   int    `xml:"numFmtId,attr"`
		Code string `xml:"formatCode,attr"`
	} `xml:"numFmts>numFmt"`
	Xfs []struct {
		NumFmtID int `xml:"numFmtId,attr"`
	} `xml:"cellXfs>xf"`
}

// inflater inflates a part with klauspost/compress's flate, which reads
// the same streams as the standard library's and inflates the sheet (most
// of an XLSX file's reading) in about two thirds of the CPU time. It reads
// the file through a 64 KiB buffer: the default 4 KiB made a pread (and a
// pacedFile step) every 4 KiB of compressed sheet.
func inflater(r io.Reader) io.ReadCloser { return flate.NewReader(bufio.NewReaderSize(r, 64<<10)) }

// relTarget resolves a relationship target against the source's folder.
func relTarget(dir, target string) string {
	target = strings.ReplaceAll(target, "\\", "/")
	if strings.HasPrefix(target, "/") {
		return strings.TrimPrefix(path.Clean(target), "/")
	}
	return strings.TrimPrefix(path.Clean(path.Join(dir, target)), "/")
}

func (w *workbook) file(name string) *zip.File {
	return w.files[strings.ToLower(name)]
}

// open opens a part for streaming, bounded by limit inflated bytes.
func (w *workbook) open(name string) (io.ReadCloser, error) {
	f := w.file(name)
	if f == nil {
		return nil, fmt.Errorf("工作簿中缺少 %s", name)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("无法解压 %s（压缩方式不支持或文件已损坏）", name)
	}
	return rc, nil
}

// readXML decodes a small part whole; false when the part is absent.
func (w *workbook) readXML(name string, v any) (bool, error) {
	f := w.file(name)
	if f == nil {
		return false, nil
	}
	if f.UncompressedSize64 > xlsxPartLimit {
		return false, fmt.Errorf("%s 解压后超过 %s 的上限", name, sizeText(xlsxPartLimit))
	}
	rc, err := f.Open()
	if err != nil {
		return false, fmt.Errorf("无法解压 %s（压缩方式不支持或文件已损坏）", name)
	}
	defer rc.Close()
	d := xml.NewDecoder(io.LimitReader(rc, xlsxPartLimit))
	d.Strict = false
	if err := d.Decode(v); err != nil {
		return false, fmt.Errorf("%s 已损坏（XML 无法解析）", name)
	}
	return true, nil
}

// sheetNames lists the sheets in workbook order.
func (w *workbook) sheetNames() []string {
	out := make([]string, len(w.sheets))
	for i, s := range w.sheets {
		out[i] = s.name
	}
	return out
}

// date kinds of a number format
const (
	dkNone = iota
	dkDate
	dkDateTime
	dkTime
)

func (w *workbook) readStyles(name string) error {
	var st stylesXML
	if _, err := w.readXML(name, &st); err != nil {
		return err
	}
	custom := map[int]string{}
	for _, f := range st.NumFmts {
		custom[f.ID] = f.Code
	}
	w.dates = make([]uint8, len(st.Xfs))
	for i, x := range st.Xfs {
		if code, ok := custom[x.NumFmtID]; ok {
			w.dates[i] = formatDateKind(code)
		} else {
			w.dates[i] = builtinDateKind(x.NumFmtID)
		}
	}
	return nil
}

func (w *workbook) dateKind(style int) uint8 {
	if style >= 0 && style < len(w.dates) {
		return w.dates[style]
	}
	return dkNone
}

// builtinDateKind classifies Excel's built-in number formats, including
// the ones that East Asian locales show as 年月日 dates and 时分 times.
func builtinDateKind(id int) uint8 {
	switch {
	case id >= 14 && id <= 17, id >= 27 && id <= 31, id == 36, id >= 50 && id <= 54, id == 57, id == 58:
		return dkDate
	case id == 22:
		return dkDateTime
	case id >= 18 && id <= 21, id >= 32 && id <= 35, id >= 45 && id <= 47, id == 55, id == 56:
		return dkTime
	}
	return dkNone
}

// formatDateKind looks for date and time tokens in a custom format code's
// first section, outside quoted text, escapes and [colour]/[$-locale] tags.
func formatDateKind(code string) uint8 {
	date, tim, month := false, false, false
	for i := 0; i < len(code); i++ {
		switch c := code[i]; c {
		case ';':
			i = len(code)
		case '"':
			if j := strings.IndexByte(code[i+1:], '"'); j >= 0 {
				i += j + 1
			} else {
				i = len(code)
			}
		case '\\', '_', '*':
			i++
		case '[':
			j := strings.IndexByte(code[i:], ']')
			if j < 0 {
				i = len(code)
				break
			}
			inner := strings.ToLower(code[i+1 : i+j])
			if inner != "" && strings.Trim(inner, "hms") == "" {
				tim = true // elapsed time, [h]:mm
			}
			i += j
		case 'y', 'Y', 'd', 'D':
			date = true
		case 'h', 'H', 's', 'S':
			tim = true
		case 'm', 'M':
			month = true
		}
	}
	switch {
	case (date || month && !tim) && tim:
		return dkDateTime
	case date || month && !tim:
		return dkDate
	case tim:
		return dkTime
	}
	return dkNone
}

var (
	epoch1900 = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	epoch1904 = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
)

// appendSerialDate appends a date-styled number as a date (2001-08-07),
// a date and time, or a time; a value no date can show stays as it is.
func appendSerialDate(dst, v []byte, kind uint8, d1904 bool) []byte {
	f, err := strconv.ParseFloat(string(v), 64)
	if err != nil || math.IsNaN(f) || f < 0 || f >= 2958466 {
		return append(dst, v...)
	}
	days := math.Floor(f)
	secs := math.Round((f - days) * 86400)
	if secs >= 86400 {
		days++
		secs = 0
	}
	if kind == dkTime && days == 0 {
		return time.Date(2000, 1, 1, 0, 0, int(secs), 0, time.UTC).AppendFormat(dst, "15:04:05")
	}
	var t time.Time
	switch {
	case d1904:
		t = epoch1904.AddDate(0, 0, int(days))
	case days == 0:
		return append(dst, v...) // Excel's day 0, "1900-01-00"
	case days < 60:
		t = epoch1900.AddDate(0, 0, int(days)+1) // before Excel's fictitious 1900-02-29
	case days == 60:
		dst = append(dst, "1900-02-29"...)
		if kind != dkDate && secs != 0 {
			dst = time.Date(2000, 1, 1, 0, 0, int(secs), 0, time.UTC).AppendFormat(append(dst, ' '), "15:04:05")
		}
		return dst
	default:
		t = epoch1900.AddDate(0, 0, int(days))
	}
	if kind == dkDate || secs == 0 {
		return t.AppendFormat(dst, "2006-01-02")
	}
	return t.Add(time.Duration(secs)*time.Second).AppendFormat(dst, "2006-01-02 15:04:05")
}

// appendISODate appends a t="d" cell (an ISO 8601 date) the same way.
func appendISODate(dst, v []byte) []byte {
	s := string(v)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0 {
				return t.AppendFormat(dst, "2006-01-02")
			}
			return t.AppendFormat(dst, "2006-01-02 15:04:05")
		}
	}
	return append(dst, v...)
}

// sharedStrings is the table held in memory: its text in fixed chunks
// that are never copied (an entry never spans two), each entry's end as
// an offset into them, so that a cell refers to it without a copy.
// Everything it allocates is counted against xlsxSSTLimit as it is
// allocated: growing one buffer by append held up to twice the limit,
// the old copy and the new.
type sharedStrings struct {
	chunks []*strings.Builder // each grown once to sstChunk, only appended to
	ends   [][]uint32         // entry i ends at ends[i/sstEndsChunk][i%sstEndsChunk]
	n      int                // entries
	bad    map[int]string     // entries that cannot be used, and why
	broken string             // why the table ends early, if it does
	held   int                // bytes allocated: chunks, ends, bad reasons
}

const (
	sstChunk     = 4 << 20 // bytes of text per chunk (an entry is at most MaxField)
	sstEndsChunk = 1 << 16 // entry ends per slice
	sstBadCost   = 64      // a bad entry's map slot beside its reason's bytes
)

// errSSTLimit refuses a table past xlsxSSTLimit.
var errSSTLimit = fmt.Errorf("共享字符串表超过 %s 的上限（文字连同每项的索引；工作簿可能是恶意构造的），请在 Excel 中另存后再试", sizeText(xlsxSSTLimit))

// reserve counts n more bytes allocated for the table, or refuses it.
func (t *sharedStrings) reserve(n int) error {
	if t.held+n > xlsxSSTLimit {
		return errSSTLimit
	}
	t.held += n
	return nil
}

// add appends an entry's text (nil for an entry that cannot be used).
func (t *sharedStrings) add(value []byte) error {
	if t.n%sstEndsChunk == 0 {
		if err := t.reserve(4 * sstEndsChunk); err != nil {
			return err
		}
		t.ends = append(t.ends, make([]uint32, 0, sstEndsChunk))
	}
	var last *strings.Builder
	if len(t.chunks) > 0 {
		last = t.chunks[len(t.chunks)-1]
	}
	if len(value) > 0 && (last == nil || sstChunk-last.Len() < len(value)) {
		if err := t.reserve(sstChunk); err != nil {
			return err
		}
		last = &strings.Builder{}
		last.Grow(sstChunk)
		t.chunks = append(t.chunks, last)
	}
	end := 0
	if last != nil {
		last.Write(value)
		end = (len(t.chunks)-1)*sstChunk + last.Len()
	}
	e := &t.ends[len(t.ends)-1]
	*e = append(*e, uint32(end))
	t.n++
	return nil
}

// end is where entry i ends.
func (t *sharedStrings) end(i int) uint32 { return t.ends[i/sstEndsChunk][i%sstEndsChunk] }

// get returns entry i, or why it cannot be used.
func (t *sharedStrings) get(i int) (string, string) {
	if t == nil {
		return "", fmt.Sprintf("引用共享字符串第 %d 项，但工作簿没有共享字符串表", i)
	}
	if i < 0 || i >= t.n {
		if t.broken != "" {
			return "", fmt.Sprintf("引用共享字符串第 %d 项，但共享字符串表不完整（%s）", i, t.broken)
		}
		return "", fmt.Sprintf("引用共享字符串第 %d 项，表中只有 %d 项", i, t.n)
	}
	if why, ok := t.bad[i]; ok {
		return "", why
	}
	b := t.end(i)
	a := uint32(0)
	if i > 0 {
		a = t.end(i - 1)
	}
	if a == b {
		return "", ""
	}
	// An entry that did not fit the chunk before starts a new one.
	c := (b - 1) / sstChunk
	if a/sstChunk != c {
		a = c * sstChunk
	}
	return t.chunks[c].String()[a-c*sstChunk : b-c*sstChunk], ""
}

// loadSharedStrings reads the table once. An element the scanner does not
// know leaves w.unknown set: sheets are then read with excelize.
func (w *workbook) loadSharedStrings() error {
	if w.sst != nil || w.sstPath == "" || w.unknown != "" {
		return nil
	}
	if w.file(w.sstPath) == nil {
		return nil
	}
	rc, err := w.open(w.sstPath)
	if err != nil {
		return err
	}
	defer rc.Close()
	t := &sharedStrings{bad: map[int]string{}}
	x := newXScan(rc, xlsxUnzipLimit)
	var scratch, value []byte
	var tg tag
	started := false
	// stop ends the table early: cells referring past it are rejected.
	stop := func(err error) error {
		var fe *errFatal
		if errors.As(err, &fe) && fe.limit {
			return fmt.Errorf("共享字符串表：%s", fe.msg)
		}
		t.broken = err.Error()
		return nil
	}
	for t.broken == "" {
		err := x.next(&tg)
		if err == io.EOF {
			if started {
				err = x.eofError("共享字符串表")
			} else {
				break
			}
		}
		if err != nil {
			if err := stop(err); err != nil {
				return err
			}
			break
		}
		name := string(tg.name)
		if !started {
			if name == "sst" && !tg.end {
				started = true
				if tg.selfClose {
					break
				}
			}
			continue
		}
		if tg.end {
			if name == "sst" {
				break
			}
			continue
		}
		switch name {
		case "si":
		case "extLst":
			if !tg.selfClose {
				if err := x.skipElement(tg.name); err != nil {
					if err := stop(err); err != nil {
						return err
					}
				}
			}
			continue
		default:
			w.unknown = name
			return nil
		}
		i := t.n
		if i >= xlsxSSTCount {
			return fmt.Errorf("共享字符串表超过 %d 项的上限", xlsxSSTCount)
		}
		over := false
		scratch = scratch[:0]
		if !tg.selfClose {
			scratch, over, err = richText(x, scratch, "si")
		}
		var ue *errUnknown
		var xe *errXML
		switch {
		case errors.As(err, &ue):
			w.unknown = ue.name
			return nil
		case errors.As(err, &xe):
			t.bad[i] = fmt.Sprintf("引用的共享字符串第 %d 项已损坏（XML 错误：%s）", i, xe.msg)
			if err := w.resyncSI(x); err != nil {
				if err := stop(err); err != nil {
					return err
				}
			}
		case err != nil:
			if err := stop(err); err != nil {
				return err
			}
			continue // the entry is lost with the rest of the table
		case over:
			t.bad[i] = fmt.Sprintf("引用的共享字符串第 %d 项超过 %d 字节", i, MaxField)
		default:
			value = appendBstr(value[:0], scratch)
		}
		if why, ok := t.bad[i]; ok {
			value = value[:0]
			if err := t.reserve(len(why) + sstBadCost); err != nil {
				return err
			}
		}
		if err := t.add(value); err != nil {
			return err
		}
	}
	w.sst = t
	return nil
}

// resyncSI moves past a damaged <si> to the next one.
func (w *workbook) resyncSI(x *xscan) error {
	for {
		if err := x.skipUntil("</", "共享字符串表"); err != nil {
			return err
		}
		var t tag
		x.p -= 2
		if err := x.readTag(&t); err != nil {
			var xe *errXML
			if errors.As(err, &xe) {
				continue
			}
			return err
		}
		if string(t.name) == "si" {
			return nil
		}
	}
}
