package input

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// MaxTextLine is the longest line TextLines reads.
const MaxTextLine = 4 << 20

// TextLines reads lines of text (check's names and scopes on standard
// input) in whatever encoding they come: detected as for CSV — a BOM,
// UTF-16 without one, GB18030 — or given. A line whose bytes are not
// valid in the encoding comes back with the reason, never as text with
// U+FFFD in it.
type TextLines struct {
	sc       *bufio.Scanner
	encoding string
	utf8     bool
	line     int
}

// NewTextLines starts reading r. To detect the encoding it waits for the
// first line (or 64 KiB) only, so that a name typed at a terminal or
// arriving through tail -f is answered at once.
func NewTextLines(r io.Reader, enc string) (*TextLines, error) {
	var head []byte
	buf := make([]byte, 64<<10)
	for len(head) < len(buf) && bytes.IndexByte(head, '\n') < 0 {
		n, err := r.Read(buf[len(head):])
		head = buf[:len(head)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	t := &TextLines{}
	if enc == "" {
		t.encoding = detectEncoding(head)
	} else if canon, ok := CanonicalEncoding(enc); ok {
		t.encoding = canon
	} else {
		return nil, fmt.Errorf("不支持的编码 %q（可用：%s）", enc, EncodingHelp)
	}
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}) && (t.encoding == EncUTF8 || t.encoding == EncUTF8BOM):
		head = head[3:]
	case bytes.HasPrefix(head, gbBOM) && t.encoding == EncGB18030:
		head = head[len(gbBOM):]
	}
	var text io.Reader = io.MultiReader(bytes.NewReader(head), r)
	dec, err := decoderFor(t.encoding)
	if err != nil {
		return nil, err
	}
	switch {
	case dec == simplifiedchinese.GB18030:
		text = newGBReader(text)
	case dec != nil:
		text = transform.NewReader(text, dec.NewDecoder())
	default:
		t.utf8 = true
	}
	t.sc = bufio.NewScanner(text)
	t.sc.Buffer(make([]byte, 64<<10), MaxTextLine)
	return t, nil
}

// Next returns the next line and its 1-based number; bad says why the
// line cannot be read as text ("" when it can). At the end it returns
// io.EOF.
func (t *TextLines) Next() (n int, text, bad string, err error) {
	if !t.sc.Scan() {
		if errors.Is(t.sc.Err(), bufio.ErrTooLong) {
			return t.line + 1, "", "", fmt.Errorf("第 %d 行超过 %d MiB；请一行给一个名称或一段经营范围", t.line+1, MaxTextLine>>20)
		}
		if err := t.sc.Err(); err != nil {
			return t.line, "", "", fmt.Errorf("第 %d 行之后读取失败: %w", t.line, err)
		}
		return t.line, "", "", io.EOF
	}
	t.line++
	s := t.sc.Text()
	switch {
	case t.utf8 && !utf8.ValidString(s):
		bad = "含不合法的 UTF-8 字节"
	case !t.utf8 && strings.ContainsRune(s, utf8.RuneError):
		bad = fmt.Sprintf("含 %s 编码下不合法的字节", t.encoding)
	case strings.IndexByte(s, 0) >= 0:
		bad = "含 NUL 字节"
	}
	if bad != "" {
		bad += "（编码可能不对，可用 --encoding 指定）"
	}
	return t.line, s, bad, nil
}

// Encoding is the encoding the lines are read in.
func (t *TextLines) Encoding() string { return t.encoding }
