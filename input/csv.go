package input

import (
	"bufio"
	"bytes"
	"encoding/csv"
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

// CSVOptions configure a delimited-text source.
type CSVOptions struct {
	Delimiter rune   // 0: sniff among , \t ; |
	Encoding  string // "": detect
	NoHeader  bool
}

type pendingRow struct {
	row Row
	err error
}

// CSVSource reads CSV or TSV.
type CSVSource struct {
	name       string
	r          *csv.Reader
	closer     io.Closer
	header     []string
	headerLine int
	pending    []pendingRow // rows read while looking for the header
	encoding   string
	forced     bool
	delimiter  rune
	titleRows  int
	lastLine   int
}

// DetectEncoding names the encoding of the start of a file: a BOM decides;
// otherwise valid UTF-8 is UTF-8 and anything else GB18030 (a superset of
// GBK, Windows Excel's default for Chinese).
func DetectEncoding(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		return EncUTF8BOM
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		return EncUTF16LE
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return EncUTF16BE
	}
	// A prefix may end mid-rune: trim up to 3 trailing bytes of a partial rune.
	t := head
	for i := 0; i < 3 && len(t) > 0 && !utf8.Valid(t); i++ {
		if r, _ := utf8.DecodeLastRune(t); r != utf8.RuneError {
			break
		}
		t = t[:len(t)-1]
	}
	if utf8.Valid(t) {
		return EncUTF8
	}
	return EncGB18030
}

func decoderFor(enc string) (encoding.Encoding, error) {
	switch strings.ToLower(enc) {
	case EncUTF8, EncUTF8BOM, "utf8":
		return nil, nil
	case EncUTF16LE:
		return unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM), nil
	case EncUTF16BE:
		return unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM), nil
	case EncGB18030, "gbk", "gb2312", "cp936":
		return simplifiedchinese.GB18030, nil
	}
	return nil, fmt.Errorf("不支持的编码 %q（可用：utf-8、utf-16le、utf-16be、gb18030、gbk）", enc)
}

// OpenCSV starts reading delimited text. It reads ahead to find the
// encoding, the delimiter and the header row.
func OpenCSV(r io.Reader, name string, opts CSVOptions) (*CSVSource, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, err := br.Peek(64 << 10)
	if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, fmt.Errorf("%s: 读取失败: %w", name, err)
	}
	s := &CSVSource{name: name, encoding: opts.Encoding, forced: opts.Encoding != ""}
	if c, ok := r.(io.Closer); ok {
		s.closer = c
	}
	if s.encoding == "" {
		s.encoding = DetectEncoding(head)
	}
	enc, err := decoderFor(s.encoding)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var text io.Reader = br
	if s.encoding == EncUTF8BOM || s.encoding == EncUTF8 && bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}) {
		br.Discard(3)
	}
	if enc != nil {
		text = transform.NewReader(br, enc.NewDecoder())
	}
	tb := bufio.NewReaderSize(text, 64<<10)
	s.delimiter = opts.Delimiter
	if s.delimiter == 0 {
		peek, _ := tb.Peek(16 << 10)
		s.delimiter = SniffDelimiter(peek)
	}
	s.r = csv.NewReader(tb)
	s.r.Comma = s.delimiter
	s.r.FieldsPerRecord = -1
	s.r.ReuseRecord = false
	if err := s.findHeader(opts.NoHeader); err != nil {
		return nil, err
	}
	return s, nil
}

// SniffDelimiter picks the delimiter that splits the first lines most
// consistently among , \t ; |.
func SniffDelimiter(p []byte) rune {
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

func (s *CSVSource) findHeader(noHeader bool) error {
	if noHeader {
		return nil
	}
	for i := 0; i < headerSearchRows; i++ {
		row, err := s.read()
		if err == io.EOF {
			break
		}
		if err != nil {
			if _, ok := IsRowError(err); !ok {
				return err
			}
			// a damaged row before the header is kept, to be rejected in turn
			s.pending = append(s.pending, pendingRow{err: err})
			continue
		}
		if LooksLikeHeader(row.Cells) {
			s.header = row.Cells
			s.headerLine = row.Line
			// Rows above the header are titles, but damaged ones still count.
			var kept []pendingRow
			for _, p := range s.pending {
				if p.err != nil {
					kept = append(kept, p)
				} else {
					s.titleRows++
				}
			}
			s.pending = kept
			return nil
		}
		s.pending = append(s.pending, pendingRow{row: row})
	}
	// No recognisable header: treat the first row as the header so that
	// MapColumns can name what it saw.
	for i, p := range s.pending {
		if p.err == nil {
			s.header = p.row.Cells
			s.headerLine = p.row.Line
			s.pending = append(s.pending[:i:i], s.pending[i+1:]...)
			break
		}
	}
	return nil
}

// read returns the next record, validated.
func (s *CSVSource) read() (Row, error) {
	rec, err := s.r.Read()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			s.lastLine = pe.Line
			return Row{}, &RowError{File: s.name, Line: pe.StartLine, Column: pe.Column,
				Reason: "CSV 格式错误：" + csvReason(pe.Err), Raw: strings.Join(rec, string(s.delimiter))}
		}
		if err == io.EOF {
			return Row{}, io.EOF
		}
		return Row{}, fmt.Errorf("%s: 第 %d 行之后读取失败: %w", s.name, s.lastLine, err)
	}
	line, _ := s.r.FieldPos(0)
	s.lastLine = line
	row := Row{File: s.name, Line: line, Cells: rec}
	for i, c := range rec {
		reason := ""
		switch {
		case len(c) > MaxField:
			reason = fmt.Sprintf("单元格超过 %d 字节", MaxField)
		case strings.IndexByte(c, 0) >= 0:
			reason = "含 NUL 字节（文件可能已损坏或不是文本）"
		case !s.forced && (s.encoding == EncUTF8 || s.encoding == EncUTF8BOM) && !utf8.ValidString(c):
			reason = "含不合法的 UTF-8 字节（编码可能不对，可用 --encoding 指定）"
		case !s.forced && strings.ContainsRune(c, utf8.RuneError):
			reason = fmt.Sprintf("含 %s 编码下不合法的字节（编码可能不对，可用 --encoding 指定）", s.encoding)
		}
		if reason != "" {
			_, col := s.r.FieldPos(i)
			return Row{}, &RowError{File: s.name, Line: line, Column: col, Reason: fmt.Sprintf("第 %d 列%s", i+1, reason),
				Raw: strings.Join(rec, string(s.delimiter))}
		}
	}
	return row, nil
}

func csvReason(err error) string {
	switch {
	case errors.Is(err, csv.ErrQuote):
		return "引号不配对"
	case errors.Is(err, csv.ErrBareQuote):
		return "未加引号的字段中出现引号"
	case errors.Is(err, csv.ErrFieldCount):
		return "字段数不符"
	}
	return err.Error()
}

// Header is the header row (nil with NoHeader).
func (s *CSVSource) Header() []string { return s.header }

// HeaderLine is the line of the header row (0 if none).
func (s *CSVSource) HeaderLine() int { return s.headerLine }

// Encoding is the encoding in use.
func (s *CSVSource) Encoding() string { return s.encoding }

// Delimiter is the field delimiter in use.
func (s *CSVSource) Delimiter() rune { return s.delimiter }

// TitleRows counts rows skipped above the header.
func (s *CSVSource) TitleRows() int { return s.titleRows }

// Next returns the next row; a row with the wrong number of fields is a
// *RowError (ragged rows are never silently padded or cut).
func (s *CSVSource) Next() (Row, error) {
	var row Row
	var err error
	if len(s.pending) > 0 {
		var p pendingRow
		p, s.pending = s.pending[0], s.pending[1:]
		if p.err != nil {
			return Row{}, p.err
		}
		row = p.row
	} else {
		row, err = s.read()
		if err != nil {
			return row, err
		}
	}
	if s.header != nil && len(row.Cells) != len(s.header) && !(len(row.Cells) == 1 && row.Cells[0] == "") {
		return Row{}, &RowError{File: s.name, Line: row.Line,
			Reason: fmt.Sprintf("字段数为 %d，与表头的 %d 列不符", len(row.Cells), len(s.header)),
			Raw:    strings.Join(row.Cells, string(s.delimiter))}
	}
	return row, nil
}

// Close closes the underlying file, if any.
func (s *CSVSource) Close() error {
	if s.closer != nil {
		return s.closer.Close()
	}
	return nil
}
