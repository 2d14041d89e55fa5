package input

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// jsonlSource reads one JSON object per line. Exporters leave out a
// field whose value is null, so no one object's keys make the header: it
// is the keys of the first objects read (up to jsonlAheadRows of them) in
// the order first seen, plus the usual name of each column the run
// screens or keys by (企业名称, 经营范围, 统一社会信用代码, 住所) that none
// of them had. Each object is then mapped by its own keys.
type jsonlSource struct {
	headed
	br   *bufio.Reader
	buf  []byte
	line int
	// sameLine: a run of NULs at the line's start was rejected (see
	// minNULRun), and the rest of that line is read next, at its number.
	sameLine bool
	index    map[string]int // header key → cell
	folded   map[string]int // the same, by normHeader
}

// jsonObject is one line's object, decoded.
type jsonObject struct {
	line   int
	raw    string
	keys   []string
	values map[string]string
}

// How far openJSONL reads ahead for the header's keys.
const (
	jsonlAheadRows  = 20
	jsonlAheadBytes = 1 << 20
)

// openJSONL starts reading JSON Lines.
func openJSONL(r io.Reader, name string) (*jsonlSource, error) {
	s := &jsonlSource{br: bufio.NewReaderSize(r, 64<<10)}
	s.headed = headed{name: name, raw: s.read}
	var ahead []any // *jsonObject or error, in file order
	var keys []string
	seen := map[string]bool{}
	good, size := 0, 0
	for good < jsonlAheadRows && size < jsonlAheadBytes {
		obj, err := s.decode()
		if err == io.EOF {
			break
		}
		if err != nil {
			if _, ok := IsRowError(err); !ok {
				return nil, err
			}
			ahead = append(ahead, err)
			continue
		}
		for _, k := range obj.keys {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
		ahead = append(ahead, obj)
		good++
		size += len(obj.raw)
	}
	if len(ahead) == 0 {
		return nil, fmt.Errorf("%s: %w（没有任何数据行）", name, ErrEmpty)
	}
	if good > 0 {
		s.setKeys(keys)
	}
	for _, a := range ahead {
		if obj, ok := a.(*jsonObject); ok {
			row, err := s.row(obj)
			s.pending = append(s.pending, pendingRow{row: row, err: err})
		} else {
			s.pending = append(s.pending, pendingRow{err: a.(error)})
		}
	}
	return s, nil
}

// setKeys makes the header from the keys read ahead, adding the columns
// the run needs that none of them named.
func (s *jsonlSource) setKeys(keys []string) {
	var header []string
	for _, k := range keys {
		// A second name for a one-column field (名称 beside 企业名称)
		// is not a column: the objects that use it are rejected.
		if role := oneColumnRole(k); role == nil || findHeader(header, role) < 0 {
			header = append(header, k)
		}
	}
	if findHeader(header, nameHeaders) < 0 {
		header = append(header, nameHeaders[0])
	}
	switch scopes := findAll(header, scopeHeaders); {
	case len(scopes) == 0:
		header = append(header, scopeHeaders[0])
	case findHeader(header, []string{"一般经营项目", "许可经营项目"}) >= 0:
		// 一般经营项目 and 许可经营项目 come as a pair: either may be null.
		for _, h := range []string{"一般经营项目", "许可经营项目"} {
			if findHeader(header, []string{h}) < 0 {
				header = append(header, h)
			}
		}
	}
	if findHeader(header, idHeaders) < 0 {
		header = append(header, idHeaders[0])
	}
	if findHeader(header, addressHeaders) < 0 {
		header = append(header, addressHeaders[0])
	}
	s.header = header
	s.index = make(map[string]int, len(header))
	s.folded = make(map[string]int, len(header))
	for i, h := range header {
		if _, dup := s.index[h]; !dup {
			s.index[h] = i
		}
		if _, dup := s.folded[normHeader(h)]; !dup {
			s.folded[normHeader(h)] = i
		}
	}
}

// oneColumnRole is the list of names k is one of, for the fields read
// from one column (name, code, address); nil for any other key.
func oneColumnRole(k string) []string {
	for _, names := range [][]string{nameHeaders, idHeaders, addressHeaders} {
		if findHeader([]string{k}, names) >= 0 {
			return names
		}
	}
	return nil
}

// screenedKeys are the header names of the columns a run screens or keys
// by: an object naming one that the header lacks cannot be mapped.
var screenedKeys = [][]string{nameHeaders, scopeHeaders, idHeaders, addressHeaders}

// row maps an object onto the header by its own keys. A key the header
// does not hold is dropped when it names no column the run uses (a
// field null in every object read ahead: nothing of it is screened);
// one that does (名称 where the header has 企业名称) rejects the row, since
// its text would go unscreened. The cells are held to CSV's rules.
func (s *jsonlSource) row(obj *jsonObject) (Row, error) {
	cells := make([]string, len(s.header))
	for _, k := range obj.keys {
		i, ok := s.index[k]
		if !ok {
			i, ok = s.folded[normHeader(k)]
		}
		if !ok {
			for _, names := range screenedKeys {
				if findHeader([]string{k}, names) >= 0 {
					return Row{}, &RowError{File: s.name, Line: obj.line, Raw: obj.raw,
						Reason: fmt.Sprintf("键“%s”无法对应到表头（前面各行的键为：%s），此行不能筛查；请让各行用同样的键名", k, listColumns(s.header))}
				}
			}
			continue
		}
		v := obj.values[k]
		reason := ""
		switch {
		case len(v) > MaxField:
			reason = fmt.Sprintf("单元格超过 %d 字节", MaxField)
		case strings.IndexByte(v, 0) >= 0:
			reason = "含 NUL 字节（文件可能已损坏或不是文本）"
		}
		if reason != "" {
			return Row{}, &RowError{File: s.name, Line: obj.line, Column: i + 1, Raw: obj.raw,
				Reason: fmt.Sprintf("第 %d 列（“%s”）%s", i+1, k, reason)}
		}
		cells[i] = v
	}
	return Row{File: s.name, Line: obj.line, Cells: cells}, nil
}

func (s *jsonlSource) read() (Row, error) {
	obj, err := s.decode()
	if err != nil {
		return Row{}, err
	}
	if s.header == nil { // every object read ahead was damaged
		s.setKeys(obj.keys)
	}
	return s.row(obj)
}

// decode reads the next non-blank line's object.
func (s *jsonlSource) decode() (*jsonObject, error) {
	for {
		if n := skipNULRun(s.br); n > 0 {
			// A block zeroed by a crash before an object, however long, as
			// in CSV: the run is rejected once and the object after it read.
			s.line++
			s.sameLine = true
			return nil, &RowError{File: s.name, Line: s.line, Reason: nulRunError(n).Error(), Raw: `\x00…`}
		}
		l, buf, long, err := readBoundedLine(s.br, s.buf, MaxLine)
		s.buf = buf
		if err == io.EOF {
			return nil, io.EOF
		}
		if err != nil {
			return nil, fmt.Errorf("%s 第 %d 行之后读取失败: %w", s.name, s.line, err)
		}
		if !s.sameLine {
			s.line++
		}
		s.sameLine = false
		if long {
			// Rejected as it streamed past: the rest of the file is read on.
			return nil, &RowError{File: s.name, Line: s.line, Reason: ErrLineTooLong.Error(), Raw: string(l) + "…"}
		}
		b := bytes.TrimSpace(l)
		if s.line == 1 {
			b = bytes.TrimPrefix(b, []byte{0xEF, 0xBB, 0xBF}) // a BOM from Notepad
		}
		if len(b) == 0 {
			continue
		}
		raw := string(b)
		if !utf8.Valid(b) {
			return nil, &RowError{File: s.name, Line: s.line, Reason: "含不合法的 UTF-8 字节", Raw: raw}
		}
		if bytes.IndexByte(b, 0) >= 0 {
			return nil, &RowError{File: s.name, Line: s.line, Reason: "含 NUL 字节", Raw: raw}
		}
		keys, values, err := decodeObject(b)
		if err != nil {
			col := 0
			if se, ok := err.(*json.SyntaxError); ok {
				col = utf8.RuneCount(b[:min(int(se.Offset), len(b))])
			}
			return nil, &RowError{File: s.name, Line: s.line, Column: col, Reason: "JSON 格式错误：" + err.Error(), Raw: raw}
		}
		return &jsonObject{line: s.line, raw: raw, keys: keys, values: values}, nil
	}
}

// decodeObject reads a flat object, keeping its keys' order; numbers and
// booleans become their text, null becomes "".
func decodeObject(b []byte) ([]string, map[string]string, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, nil, err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, nil, fmt.Errorf("每行应是一个 JSON 对象")
	}
	var keys []string
	values := map[string]string{}
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return nil, nil, err
		}
		key := kt.(string)
		var v any
		if err := dec.Decode(&v); err != nil {
			return nil, nil, err
		}
		var text string
		switch x := v.(type) {
		case nil:
		case string:
			text = x
		case json.Number:
			text = x.String()
		case bool:
			text = strconv.FormatBool(x)
		default:
			return nil, nil, fmt.Errorf("字段 %q 不是文本或数字", key)
		}
		if _, dup := values[key]; !dup {
			keys = append(keys, key)
		}
		values[key] = text
	}
	if _, err := dec.Token(); err != nil {
		return nil, nil, err
	}
	if dec.More() {
		return nil, nil, fmt.Errorf("一行只能有一个 JSON 对象")
	}
	return keys, values, nil
}

// Encoding describes the input for the summary.
func (s *jsonlSource) Encoding() string { return EncUTF8 }

// Close does nothing; the caller owns the reader.
func (s *jsonlSource) Close() error { return nil }

// skipNULRun reads past a run of at least minNULRun NUL bytes at br's
// position, a line's start, however long, and says how many there were
// (as csvParser.skipNULRun does): the line cap must not swallow the
// object after it.
func skipNULRun(br *bufio.Reader) int64 {
	if b, _ := br.Peek(1); len(b) == 0 || b[0] != 0 {
		return 0 // nearly every line
	}
	if head, _ := br.Peek(minNULRun); len(head) < minNULRun || leadingNULs(head) < minNULRun {
		return 0 // a few NULs: the line is rejected for them
	}
	var n int64
	for {
		b, _ := br.Peek(br.Buffered())
		k := leadingNULs(b)
		_, _ = br.Discard(k) // buffered: cannot fail
		n += int64(k)
		if k < len(b) {
			return n
		}
		if _, err := br.Peek(1); err != nil {
			return n // (a read error is the next line's)
		}
	}
}
