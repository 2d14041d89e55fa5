package input

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// MaxField is the largest cell accepted; a longer one rejects its row.
const MaxField = 1 << 20

// headerSearchRows is how many rows may stand above the header (title rows).
const headerSearchRows = 20

// Encoding names as reported and accepted by --encoding.
const (
	EncUTF8    = "utf-8"
	EncUTF8BOM = "utf-8-bom"
	EncUTF16LE = "utf-16le"
	EncUTF16BE = "utf-16be"
	EncGB18030 = "gb18030"
)

// csvOptions configure a delimited-text source.
type csvOptions struct {
	Delimiter rune   // 0: sniff among , \t ; |
	Encoding  string // "": detect
	NoHeader  bool
}

// csvSource reads CSV or TSV.
type csvSource struct {
	headed
	p         *csvParser
	closer    io.Closer
	encoding  string
	forced    bool
	delimiter rune
	utf8      bool // input is UTF-8: validate cells as such
	// DeferChecks leaves CheckRow to the caller for rows after the header,
	// and with it the cutting of a line without quotes into cells: the
	// reader, which cannot be parallel and which a scan waits on, then
	// only finds where records end.
	DeferChecks bool
}

// gbBOM is U+FEFF in GB18030, which some tools write at the start.
var gbBOM = []byte{0x84, 0x31, 0x95, 0x33}

// detectEncoding names the encoding of the start of a file: a BOM decides;
// then UTF-16 without one (sniffUTF16); otherwise valid UTF-8 is UTF-8 and
// anything else GB18030 (a superset of
// GBK, Windows Excel's default for Chinese).
func detectEncoding(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		return EncUTF8BOM
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		return EncUTF16LE
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return EncUTF16BE
	case bytes.HasPrefix(head, gbBOM):
		return EncGB18030
	}
	if enc := sniffUTF16(head); enc != "" {
		return enc
	}
	// A few damaged bytes in otherwise valid UTF-8 are damage to reject row
	// by row, not a sign of GBK: GBK text is almost never valid UTF-8, so
	// it yields few valid multi-byte runes and many invalid bytes.
	multi, bad := 0, 0
	for i := 0; i < len(head); {
		r, n := utf8.DecodeRune(head[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			if len(head)-i < utf8.UTFMax && !utf8.FullRune(head[i:]) {
				i = len(head) // a rune cut by the end of the prefix
				continue
			}
			bad++
		case n > 1:
			multi++
		}
		i += max(n, 1)
	}
	if bad == 0 || multi > 10*bad {
		return EncUTF8
	}
	return EncGB18030
}

// CanonicalEncoding maps what a clerk may type for --encoding (utf8,
// UTF-16, gbk, cp936, ANSI, …) to one of the Enc names, or reports it
// unknown. Notepad's "ANSI" and "Unicode" are GBK and UTF-16LE on a
// Chinese Windows.
func CanonicalEncoding(enc string) (string, bool) {
	k := strings.NewReplacer("-", "", "_", "", " ", "").Replace(strings.ToLower(strings.TrimSpace(enc)))
	switch k {
	case "utf8":
		return EncUTF8, true
	case "utf8bom", "utf8sig":
		return EncUTF8BOM, true
	case "utf16", "utf16le", "ucs2", "ucs2le", "unicode":
		return EncUTF16LE, true
	case "utf16be", "ucs2be", "unicodebigendian":
		return EncUTF16BE, true
	case "gb18030", "gbk", "gb2312", "cp936", "ansi", "euccn":
		return EncGB18030, true
	}
	return "", false
}

// EncodingHelp lists the accepted --encoding values.
const EncodingHelp = "utf-8、gb18030（也可写 gbk、gb2312、cp936、ansi）、utf-16le（也可写 utf-16、unicode）、utf-16be"

func decoderFor(enc string) (encoding.Encoding, error) {
	switch enc {
	case EncUTF8, EncUTF8BOM:
		return nil, nil
	case EncUTF16LE: // a BOM, where there is one, decides the byte order
		return unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), nil
	case EncUTF16BE:
		return unicode.UTF16(unicode.BigEndian, unicode.UseBOM), nil
	case EncGB18030:
		return simplifiedchinese.GB18030, nil
	}
	return nil, fmt.Errorf("不支持的编码 %q（可用：%s）", enc, EncodingHelp)
}

// OpenCSV starts reading delimited text. It reads ahead to find the
// encoding, the delimiter and the header row.
func OpenCSV(r io.Reader, name string, opts csvOptions) (*csvSource, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, err := br.Peek(64 << 10)
	if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, fmt.Errorf("%s: 读取失败: %w", name, err)
	}
	s := &csvSource{encoding: opts.Encoding, forced: opts.Encoding != ""}
	s.headed = headed{name: name, raw: s.read, strictWidth: true}
	s.headed.split = func(row *Row) {
		row.Cells = splitUnquoted(row.Cells, row.text, s.p.comma)
		row.unsplit = false
	}
	if c, ok := r.(io.Closer); ok {
		s.closer = c
	}
	if s.encoding == "" {
		s.encoding = detectEncoding(head)
	} else if canon, ok := CanonicalEncoding(s.encoding); ok {
		s.encoding = canon
	} else {
		return nil, fmt.Errorf("%s: 不支持的编码 %q（可用：%s）", name, opts.Encoding, EncodingHelp)
	}
	if s.forced && (s.encoding == EncUTF16LE || s.encoding == EncUTF16BE) && !utf16Like(head) {
		return nil, fmt.Errorf("%s: 文件不像是 UTF-16 编码，与 --encoding %s 不符；去掉 --encoding 可自动识别编码", name, opts.Encoding)
	}
	s.utf8 = s.encoding == EncUTF8 || s.encoding == EncUTF8BOM
	enc, err := decoderFor(s.encoding)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var text io.Reader = br
	switch {
	case s.encoding == EncUTF8BOM || s.encoding == EncUTF8 && bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		br.Discard(3)
	case enc == simplifiedchinese.GB18030 && bytes.HasPrefix(head, gbBOM):
		br.Discard(len(gbBOM)) // else U+FEFF would start the first header cell
	}
	switch {
	case enc == simplifiedchinese.GB18030:
		text = newGBReader(br)
	case enc != nil:
		text = transform.NewReader(br, enc.NewDecoder())
	}
	lr := newLineReader(text)
	s.delimiter = opts.Delimiter
	if s.delimiter == 0 {
		s.delimiter = sniffDelimiter(loneCRs(lr.peek(16<<10), lr.eof))
	}
	s.p = newCSVLines(lr, s.delimiter)
	s.rewind = s.p.Rewind
	if err := s.findHeader(opts.NoHeader); err != nil {
		return nil, err
	}
	return s, nil
}

// loneCRs returns a copy of p with every lone CR (one not followed by LF)
// made LF, as the line reader ends lines there; a CR at p's end is one
// when the input ends there (last).
func loneCRs(p []byte, last bool) []byte {
	if bytes.IndexByte(p, '\r') < 0 {
		return p
	}
	p = bytes.Clone(p)
	for i, c := range p {
		if c == '\r' && (i+1 < len(p) && p[i+1] != '\n' || i+1 == len(p) && last) {
			p[i] = '\n'
		}
	}
	return p
}

// sniffDelimiter picks the delimiter that splits the first lines most
// consistently among , \t ; |.
func sniffDelimiter(p []byte) rune {
	lines := bytes.Split(p, []byte("\n"))
	if len(lines) > 1 {
		lines = lines[:len(lines)-1] // the last may be cut short
	}
	if len(lines) > 30 {
		lines = lines[:30]
	}
	best, bestScore := ',', 0
	for _, d := range []rune{',', '\t', ';', '|'} {
		score := 0
		for _, l := range lines {
			score += bytes.Count(l, []byte(string(d)))
		}
		if score > bestScore {
			best, bestScore = d, score
		}
	}
	return best
}

// read returns the next record, validated.
func (s *csvSource) read() (Row, error) {
	s.p.lazy = s.DeferChecks && s.header != nil
	rec, line, raw, err := s.p.read()
	if err != nil {
		var pe *parseError
		if errors.As(err, &pe) {
			if pe.err == errEndsInQuote {
				return Row{}, &IncompleteError{File: s.name, Line: pe.line, Reason: pe.err.Error()}
			}
			if pe.err == ErrLineTooLong || errors.Is(pe.err, errNULRun) {
				return Row{}, &RowError{File: s.name, Line: pe.line, Reason: pe.err.Error(), Raw: pe.raw}
			}
			return Row{}, &RowError{File: s.name, Line: pe.line, Column: pe.col, Reason: "CSV 格式错误：" + pe.err.Error(), Raw: pe.raw}
		}
		if err == io.EOF {
			return Row{}, io.EOF
		}
		return Row{}, fmt.Errorf("%s: 第 %d 行之后读取失败: %w", s.name, s.p.line, err)
	}
	row := Row{File: s.name, Line: line, Cells: rec, text: raw}
	if s.DeferChecks && s.header != nil {
		// A record over several lines is held to the header here, where
		// it can still be rewound (see headed.checkRow); any other is left
		// whole to CheckRow, and one without quotes even unsplit.
		row.unsplit = s.p.unsplit
		row.deferred = !s.p.spanned()
		return row, nil
	}
	if re := s.checkCells(&row); re != nil {
		return Row{}, re
	}
	return row, nil
}

// CheckRow finishes a row read with DeferChecks, on the caller's
// goroutine: it cuts the cells, holds the row to the header (see
// headed.checkRow), then checks its cells (see checkCells).
func (s *csvSource) CheckRow(row *Row) *RowError {
	if row.unsplit {
		row.Cells = splitUnquoted(row.Cells, row.text, s.p.comma)
		row.unsplit = false
	}
	if row.deferred {
		if re := s.checkRow(row, false); re != nil {
			return re
		}
	}
	return s.checkCells(row)
}

// checkCells rejects a row whose cells are too long, hold NUL bytes or
// bytes invalid in the encoding.
func (s *csvSource) checkCells(row *Row) *RowError {
	if s.clean(row) {
		return nil // the usual case: one pass over the record's text
	}
	for i, c := range row.Cells {
		reason := ""
		switch {
		case len(c) > MaxField:
			reason = fmt.Sprintf("单元格超过 %d 字节", MaxField)
		case strings.IndexByte(c, 0) >= 0:
			reason = "含 NUL 字节（文件可能已损坏或不是文本）"
		case s.forced:
			if s.utf8 && !utf8.ValidString(c) || !s.utf8 && strings.ContainsRune(c, utf8.RuneError) {
				row.Warning = fmt.Sprintf("第 %d 列含 %s 编码下不合法的字节（按 --encoding 强制读取，已替换为 �）", i+1, s.encoding)
			}
		case s.utf8:
			if !utf8.ValidString(c) {
				reason = "含不合法的 UTF-8 字节（编码可能不对，可用 --encoding 指定）"
			}
		case strings.ContainsRune(c, utf8.RuneError):
			reason = fmt.Sprintf("含 %s 编码下不合法的字节（编码可能不对，可用 --encoding 指定）", s.encoding)
		}
		if reason != "" {
			// The byte column where the cell starts (exact when no quotes precede it).
			col := 1
			for _, prev := range row.Cells[:i] {
				col += len(prev) + 1
			}
			return &RowError{File: s.name, Line: row.Line, Column: col, Reason: fmt.Sprintf("第 %d 列%s", i+1, reason),
				Raw: strings.Join(row.Cells, string(s.delimiter))}
		}
	}
	return nil
}

// clean reports a record whose raw text holds no NUL and no byte invalid
// in the encoding, with no cell over MaxField: most records, checked in one
// pass instead of one per cell.
func (s *csvSource) clean(row *Row) bool {
	if row.text == "" {
		return false
	}
	for _, c := range row.Cells {
		if len(c) > MaxField {
			return false
		}
	}
	t := row.text
	switch {
	case strings.IndexByte(t, 0) >= 0:
		return false
	case s.utf8:
		return validUTF8(t)
	}
	// Decoded text is valid UTF-8, so a bad byte shows as U+FFFD's three
	// bytes: a substring search, not ContainsRune's rune-by-rune decode.
	return !strings.Contains(t, "\uFFFD")
}

// utf16Like reports whether the start of a file can be UTF-16: a BOM, or
// the zero bytes that every ASCII delimiter and line end has in UTF-16.
func utf16Like(head []byte) bool {
	return len(head) < 2 || bytes.HasPrefix(head, []byte{0xFF, 0xFE}) || bytes.HasPrefix(head, []byte{0xFE, 0xFF}) ||
		bytes.IndexByte(head, 0) >= 0
}

// Encoding is the encoding in use.
func (s *csvSource) Encoding() string { return s.encoding }

// Delimiter is the field delimiter in use.
func (s *csvSource) Delimiter() rune { return s.delimiter }

// Close closes the underlying file, if any.
func (s *csvSource) Close() error {
	if s.closer != nil {
		return s.closer.Close()
	}
	return nil
}
