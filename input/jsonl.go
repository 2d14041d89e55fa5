package input

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"
)

// jsonlSource reads one JSON object per line; the first object's keys, in
// order, are the header.
type jsonlSource struct {
	headed
	br   *bufio.Reader
	buf  []byte
	line int
	keys []string
}

// openJSONL starts reading JSON Lines.
func openJSONL(r io.Reader, name string) (*jsonlSource, error) {
	s := &jsonlSource{br: bufio.NewReaderSize(r, 64<<10)}
	s.headed = headed{name: name, raw: s.read}
	// The header is the first good object's keys.
	for {
		row, err := s.read()
		if err == io.EOF {
			if len(s.pending) == 0 {
				return nil, fmt.Errorf("%s: %w（没有任何数据行）", name, ErrEmpty)
			}
			return s, nil
		}
		if err != nil {
			if _, ok := IsRowError(err); ok {
				s.pending = append(s.pending, pendingRow{err: err})
				continue
			}
			return nil, err
		}
		s.header = s.keys
		s.pending = append(s.pending, pendingRow{row: row})
		return s, nil
	}
}

func (s *jsonlSource) read() (Row, error) {
	for {
		l, buf, long, err := readBoundedLine(s.br, s.buf, MaxLine)
		s.buf = buf
		if err == io.EOF {
			return Row{}, io.EOF
		}
		if err != nil {
			return Row{}, fmt.Errorf("%s 第 %d 行之后读取失败: %w", s.name, s.line, err)
		}
		s.line++
		if long {
			// Rejected as it streamed past: the rest of the file is read on.
			return Row{}, &RowError{File: s.name, Line: s.line, Reason: ErrLineTooLong.Error(), Raw: string(l) + "…"}
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
			return Row{}, &RowError{File: s.name, Line: s.line, Reason: "含不合法的 UTF-8 字节", Raw: raw}
		}
		if bytes.IndexByte(b, 0) >= 0 {
			return Row{}, &RowError{File: s.name, Line: s.line, Reason: "含 NUL 字节", Raw: raw}
		}
		keys, values, err := decodeObject(b)
		if err != nil {
			col := 0
			if se, ok := err.(*json.SyntaxError); ok {
				col = utf8.RuneCount(b[:min(int(se.Offset), len(b))])
			}
			return Row{}, &RowError{File: s.name, Line: s.line, Column: col, Reason: "JSON 格式错误：" + err.Error(), Raw: raw}
		}
		if s.keys == nil {
			s.keys = keys
		}
		cells := make([]string, len(s.keys))
		for i, k := range s.keys {
			cells[i] = values[k]
		}
		return Row{File: s.name, Line: s.line, Cells: cells}, nil
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
