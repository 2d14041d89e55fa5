package input

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// xscan is a pull scanner over an inflated SpreadsheetML part. It knows
// just enough XML for sheet rows and shared strings: tags with attributes,
// character data with the five entities and character references, CDATA,
// comments and processing instructions. Memory is one buffer (a tag must
// fit in it) plus whatever the caller collects; runs of text it skips are
// never held.
type xscan struct {
	r    io.Reader
	buf  []byte
	p, n int   // buf[p:n] is unread
	off  int64 // stream offset of buf[0]
	rerr error // the reader's error, once seen (io.EOF at the end)
	max  int64 // the part's uncompressed size limit

	runs, own []byte // scratch for rich text
	deferUTF8 bool   // text is checked later (XLSXSource.CheckRow), off this goroutine
}

const xscanBuf = 256 << 10

func newXScan(r io.Reader, limit int64) *xscan {
	return &xscan{r: r, buf: make([]byte, xscanBuf), max: limit}
}

// errXML is damage in the XML itself: the row holding it is rejected and
// reading resumes at the next row.
type errXML struct{ msg string }

func (e *errXML) Error() string { return e.msg }

func xmlErrorf(format string, a ...any) error { return &errXML{fmt.Sprintf(format, a...)} }

// errUnknown is an element the scanner does not know: the caller reads the
// sheet with excelize instead.
type errUnknown struct{ name string }

func (e *errUnknown) Error() string { return "不认识的元素 <" + e.name + ">" }

// errFatal ends the part: truncation, a broken zip stream, a limit.
type errFatal struct {
	msg   string
	err   error
	limit bool // a stated limit was passed: the file is refused
}

func (e *errFatal) Error() string { return e.msg }
func (e *errFatal) Unwrap() error { return e.err }

// fill reads more input, keeping buf[p:n]; false when nothing more comes.
func (s *xscan) fill() (bool, error) {
	if s.rerr != nil {
		return false, s.readErr()
	}
	if s.p > 0 {
		copy(s.buf, s.buf[s.p:s.n])
		s.off += int64(s.p)
		s.n -= s.p
		s.p = 0
	}
	if s.n == len(s.buf) {
		return false, nil // the caller asked for more than a buffer: its limit check says why
	}
	for {
		m, err := s.r.Read(s.buf[s.n:])
		s.n += m
		if s.off+int64(s.n) > s.max {
			s.rerr = &errFatal{msg: fmt.Sprintf("解压后超过 %s 的上限（疑似压缩炸弹）", sizeText(s.max)), limit: true}
			return false, s.rerr
		}
		if err != nil {
			s.rerr = err
			return m > 0, nil
		}
		if m > 0 {
			return true, nil
		}
	}
}

// readErr is the error that ended the input, nil at a clean end.
func (s *xscan) readErr() error {
	if s.rerr == nil || s.rerr == io.EOF {
		return nil
	}
	var f *errFatal
	if errors.As(s.rerr, &f) {
		return f
	}
	return &errFatal{msg: "解压失败（文件已损坏）", err: s.rerr}
}

// atEOF reports a truncated part as fatal, naming what was being read.
func (s *xscan) eofError(what string) error {
	if err := s.readErr(); err != nil {
		return err
	}
	return &errFatal{msg: "XML 不完整，在" + what + "中途结束（文件被截断？）", err: io.ErrUnexpectedEOF}
}

// ensure makes at least k unread bytes available, unless the input ends.
func (s *xscan) ensure(k int) (bool, error) {
	for s.n-s.p < k {
		ok, err := s.fill()
		if err != nil {
			return false, err
		}
		if !ok {
			return false, nil
		}
	}
	return true, nil
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// tag is a parsed tag. name and the attribute values point into the
// scanner's buffer and are valid until the next read.
type tag struct {
	name       []byte // local name, without a prefix
	end        bool   // </name>
	selfClose  bool   // <name/>
	r, t, s    []byte // the attributes a sheet needs
	hasR, hasS bool
}

// keep records attribute an's value v when it is one a sheet needs.
func (t *tag) keep(an, v []byte) {
	if len(an) != 1 {
		return
	}
	switch an[0] {
	case 'r':
		t.r, t.hasR = v, true
	case 't':
		t.t = v
	case 's':
		t.s, t.hasS = v, true
	}
}

// kinds of markup at '<'
const (
	mkTag = iota
	mkComment
	mkPI
	mkCDATA
	mkDoctype
)

// markup classifies what starts at buf[p] == '<'.
func (s *xscan) markup() (int, error) {
	if s.n-s.p < 2 {
		if _, err := s.ensure(2); err != nil {
			return 0, err
		}
	}
	if s.n-s.p >= 2 {
		switch s.buf[s.p+1] {
		case '?':
			return mkPI, nil
		case '!':
		default:
			return mkTag, nil
		}
	}
	if _, err := s.ensure(9); err != nil {
		return 0, err
	}
	b := s.buf[s.p:s.n]
	switch {
	case bytes.HasPrefix(b, []byte("<!--")):
		return mkComment, nil
	case bytes.HasPrefix(b, []byte("<![CDATA[")):
		return mkCDATA, nil
	case bytes.HasPrefix(b, []byte("<?")):
		return mkPI, nil
	case bytes.HasPrefix(b, []byte("<!")):
		return mkDoctype, nil
	}
	return mkTag, nil
}

// skipUntil consumes input up to and including delim, holding nothing.
func (s *xscan) skipUntil(delim string, what string) error {
	d := []byte(delim)
	for {
		if i := bytes.Index(s.buf[s.p:s.n], d); i >= 0 {
			s.p += i + len(d)
			return nil
		}
		// keep the last len(d)-1 bytes: the delimiter may straddle the refill
		if keep := len(d) - 1; s.n-s.p > keep {
			s.p = s.n - keep
		}
		ok, err := s.fill()
		if err != nil {
			return err
		}
		if !ok {
			return s.eofError(what)
		}
	}
}

// skipMarkup consumes a comment, processing instruction or DOCTYPE at p.
func (s *xscan) skipMarkup(kind int) error {
	switch kind {
	case mkComment:
		return s.skipUntil("-->", "注释")
	case mkPI:
		return s.skipUntil("?>", "处理指令")
	case mkDoctype:
		return xmlErrorf("不支持 DOCTYPE 声明")
	}
	return nil
}

// readTag parses the tag at buf[p] == '<' (kind mkTag).
func (s *xscan) readTag(t *tag) error {
	// find the closing '>' outside quotes; the whole tag must fit the limit
	end := -1
	for scanned := 1; ; {
		var q byte
		b := s.buf[s.p:s.n]
		// the usual tag: a '>' with balanced double quotes before it
		if k := bytes.IndexByte(b, '>'); k > 0 && bytes.IndexByte(b[:k], '\'') < 0 && bytes.Count(b[:k], []byte{'"'})%2 == 0 {
			end = k
			break
		}
		for i := 1; i < len(b); i++ {
			c := b[i]
			switch {
			case q != 0:
				if c == q {
					q = 0
				}
			case c == '"' || c == '\'':
				q = c
			case c == '>':
				end = i
			}
			if end >= 0 {
				break
			}
		}
		if end >= 0 {
			break
		}
		scanned = len(b)
		if scanned > maxTag {
			return &errFatal{msg: fmt.Sprintf("一个 XML 标签超过 %s 的上限", sizeText(maxTag)), limit: true}
		}
		ok, err := s.fill()
		if err != nil {
			return err
		}
		if !ok {
			return s.eofError("标签")
		}
	}
	if end > maxTag {
		return &errFatal{msg: fmt.Sprintf("一个 XML 标签超过 %s 的上限", sizeText(maxTag)), limit: true}
	}
	b := s.buf[s.p+1 : s.p+end]
	s.p += end + 1
	return parseTag(b, t)
}

// parseTag parses a tag's text between '<' and '>' into t.
func parseTag(b []byte, t *tag) error {
	*t = tag{}
	if len(b) > 0 && b[0] == '/' {
		t.end = true
		b = b[1:]
		for len(b) > 0 && isSpace(b[len(b)-1]) {
			b = b[:len(b)-1]
		}
		t.name = localName(b)
		if !validName(b) {
			return xmlErrorf("结束标签 </%s> 写法错误", clip(b))
		}
		return nil
	}
	if len(b) > 0 && b[len(b)-1] == '/' {
		t.selfClose = true
		b = b[:len(b)-1]
	}
	i := 0
	for i < len(b) && !isSpace(b[i]) {
		i++
	}
	if i == 0 {
		return xmlErrorf("标签缺少名称")
	}
	t.name = localName(b[:i])
	if !validName(b[:i]) {
		return xmlErrorf("标签名 <%s> 不合法", clip(b[:i]))
	}
	// attributes: name = "value" (or 'value')
	for {
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		if i == len(b) {
			return nil
		}
		j := i
		for j < len(b) && b[j] != '=' && !isSpace(b[j]) {
			j++
		}
		an := b[i:j]
		if len(an) == 0 || !validName(an) {
			return xmlErrorf("<%s> 的属性写法错误", t.name)
		}
		for j < len(b) && isSpace(b[j]) {
			j++
		}
		if j == len(b) || b[j] != '=' {
			return xmlErrorf("<%s> 的属性 %s 缺少值", t.name, an)
		}
		j++
		for j < len(b) && isSpace(b[j]) {
			j++
		}
		if j == len(b) || (b[j] != '"' && b[j] != '\'') {
			return xmlErrorf("<%s> 的属性 %s 缺少引号", t.name, an)
		}
		// the closing quote, noting a '<' before it (values are short:
		// a loop, not two calls to IndexByte)
		q := b[j]
		k, lt := -1, false
		for m, c := range b[j+1:] {
			if c == q {
				k = m
				break
			}
			lt = lt || c == '<'
		}
		if k < 0 {
			return xmlErrorf("<%s> 的属性 %s 引号未闭合", t.name, an)
		}
		v := b[j+1 : j+1+k]
		if lt {
			return xmlErrorf("<%s> 的属性 %s 含 <", t.name, an)
		}
		t.keep(an, v)
		i = j + 1 + k + 1
		if i < len(b) && !isSpace(b[i]) {
			return xmlErrorf("<%s> 的属性之间缺少空格", t.name)
		}
	}
}

func localName(b []byte) []byte {
	if i := bytes.LastIndexByte(b, ':'); i >= 0 {
		return b[i+1:]
	}
	return b
}

// validName is a loose check of an XML name: no markup characters.
func validName(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	c := b[0]
	if c == '-' || c == '.' || (c >= '0' && c <= '9') {
		return false
	}
	for _, c := range b {
		if notNameByte[c] {
			return false
		}
	}
	return true
}

var notNameByte = func() (t [256]bool) {
	for c := 0; c < 0x21; c++ {
		t[c] = true
	}
	for _, c := range []byte("<>\"'=&/!?\\;,()[]{}*+#$%@^`|~") {
		t[c] = true
	}
	return t
}()

func clip(b []byte) string {
	if len(b) > 40 {
		b = b[:40]
	}
	return string(b)
}

// text appends the character data up to the next '<' to dst, decoding
// entities and CDATA and normalising line ends as XML does. Past limit
// bytes it stops appending but keeps reading (the caller rejects the row),
// and reports over. It returns at a '<' that is not CDATA.
func (s *xscan) text(dst []byte, limit int) (out []byte, over bool, err error) {
	start := len(dst)
	for {
		b := s.buf[s.p:s.n]
		i := 0
		for i < len(b) && !textStop[b[i]] {
			i++
		}
		if i > 0 {
			if !over && len(dst)-start+i <= limit {
				dst = append(dst, b[:i]...)
			} else {
				over = true
			}
			s.p += i
		}
		if i == len(b) {
			ok, ferr := s.fill()
			if ferr != nil {
				return dst, over, ferr
			}
			if !ok {
				return dst, over, s.eofError("文本")
			}
			continue
		}
		switch c := b[i]; c {
		case '<':
			kind, merr := s.markup()
			if merr != nil {
				return dst, over, merr
			}
			if kind != mkCDATA {
				if !over && !s.deferUTF8 && !utf8.Valid(dst[start:]) {
					return dst, over, xmlErrorf("含不合法的 UTF-8 字节")
				}
				return dst, over, nil
			}
			s.p += len("<![CDATA[")
			if dst, over, err = s.cdata(dst, start, limit, over); err != nil {
				return dst, over, err
			}
		case '&':
			r, eerr := s.entity()
			if eerr != nil {
				return dst, over, eerr
			}
			if !over && len(dst)-start+utf8.RuneLen(r) <= limit {
				dst = utf8.AppendRune(dst, r)
			} else {
				over = true
			}
		case '\r':
			// \r\n and a lone \r both read as \n
			s.p++
			if ok, ferr := s.ensure(1); ferr != nil {
				return dst, over, ferr
			} else if ok && s.buf[s.p] == '\n' {
				s.p++
			}
			if !over && len(dst)-start+1 <= limit {
				dst = append(dst, '\n')
			} else {
				over = true
			}
		default:
			return dst, over, xmlErrorf("含 XML 不允许的控制字符 0x%02X", c)
		}
	}
}

// textStop are the bytes that end a plain run of character data.
var textStop = func() (t [256]bool) {
	for c := 0; c < 0x20; c++ {
		t[c] = c != '\t' && c != '\n'
	}
	t['<'], t['&'], t['\r'] = true, true, true
	return t
}()

// cdata appends a CDATA section's content (after "<![CDATA[").
func (s *xscan) cdata(dst []byte, start, limit int, over bool) ([]byte, bool, error) {
	for {
		b := s.buf[s.p:s.n]
		if i := bytes.Index(b, []byte("]]>")); i >= 0 {
			dst, over = appendLimited(dst, b[:i], start, limit, over)
			s.p += i + 3
			return dst, over, nil
		}
		keep := min(2, len(b))
		dst, over = appendLimited(dst, b[:len(b)-keep], start, limit, over)
		s.p += len(b) - keep
		ok, err := s.fill()
		if err != nil {
			return dst, over, err
		}
		if !ok {
			return dst, over, s.eofError("CDATA 段")
		}
	}
}

func appendLimited(dst, b []byte, start, limit int, over bool) ([]byte, bool) {
	if over || len(dst)-start+len(b) > limit {
		return dst, true
	}
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			return dst, true // reported as over: such a cell is refused anyway
		}
	}
	return append(dst, b...), false
}

// entity decodes the reference at buf[p] == '&'.
func (s *xscan) entity() (rune, error) {
	if _, err := s.ensure(12); err != nil {
		return 0, err
	}
	b := s.buf[s.p:s.n]
	semi := bytes.IndexByte(b[:min(len(b), 12)], ';')
	if semi < 0 {
		return 0, xmlErrorf("& 之后不是实体引用（应写作 &amp;）")
	}
	name := b[1:semi]
	s.p += semi + 1
	switch string(name) {
	case "lt":
		return '<', nil
	case "gt":
		return '>', nil
	case "amp":
		return '&', nil
	case "quot":
		return '"', nil
	case "apos":
		return '\'', nil
	}
	if len(name) > 1 && name[0] == '#' {
		var v rune
		digits := name[1:]
		base := rune(10)
		if digits[0] == 'x' {
			base, digits = 16, digits[1:]
		}
		if len(digits) == 0 {
			return 0, xmlErrorf("字符引用 &%s; 不合法", name)
		}
		for _, c := range digits {
			var d rune
			switch {
			case c >= '0' && c <= '9':
				d = rune(c - '0')
			case base == 16 && c >= 'a' && c <= 'f':
				d = rune(c-'a') + 10
			case base == 16 && c >= 'A' && c <= 'F':
				d = rune(c-'A') + 10
			default:
				return 0, xmlErrorf("字符引用 &%s; 不合法", name)
			}
			v = v*base + d
			if v > utf8.MaxRune {
				return 0, xmlErrorf("字符引用 &%s; 超出 Unicode 范围", name)
			}
		}
		if !xmlChar(v) {
			return 0, xmlErrorf("字符引用 &%s; 指向 XML 不允许的字符", name)
		}
		return v, nil
	}
	return 0, xmlErrorf("未知的 XML 实体 &%s;", clip(name))
}

// xmlChar is XML 1.0's Char production.
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// skipText consumes character data that is not kept (between elements, or
// inside elements whose content does not matter), validating it and
// holding nothing; a run over maxSpaceRun is refused.
func (s *xscan) skipText() error {
	run := int64(0)
	for {
		b := s.buf[s.p:s.n]
		i := 0
		for i < len(b) && b[i] != '<' && b[i] != '&' && (b[i] >= 0x20 || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
			i++
		}
		s.p += i
		run += int64(i)
		if run > maxSpaceRun {
			return &errFatal{msg: fmt.Sprintf("元素之间的连续空白或文本超过 %s 的上限（疑似压缩炸弹）", sizeText(maxSpaceRun)), limit: true}
		}
		if i < len(b) {
			switch c := b[i]; {
			case c == '&':
				if _, err := s.entity(); err != nil {
					return err
				}
				continue
			case c == '<':
				kind, err := s.markup()
				if err != nil {
					return err
				}
				if kind != mkCDATA {
					return nil
				}
				s.p += len("<![CDATA[")
				if err := s.skipUntil("]]>", "CDATA 段"); err != nil {
					return err
				}
				continue
			default:
				return xmlErrorf("含 XML 不允许的控制字符 0x%02X", c)
			}
		}
		ok, err := s.fill()
		if err != nil {
			return err
		}
		if !ok {
			return io.EOF
		}
	}
}

// next reads the next tag, skipping text, comments and processing
// instructions. io.EOF at a clean end of input.
func (s *xscan) next(t *tag) error {
	for {
		if err := s.skipText(); err != nil {
			return err
		}
		kind, err := s.markup()
		if err != nil {
			return err
		}
		if kind != mkTag {
			if err := s.skipMarkup(kind); err != nil {
				return err
			}
			continue
		}
		return s.readTag(t)
	}
}

// lit consumes the literal markup l (such as "</c>") when it comes next:
// a shortcut for the common shapes; anything else takes the general path.
func (s *xscan) lit(l string) bool {
	if s.n-s.p < len(l) {
		if ok, _ := s.ensure(len(l)); !ok {
			return false
		}
	}
	if string(s.buf[s.p:s.p+len(l)]) == l {
		s.p += len(l)
		return true
	}
	return false
}

// skipElement consumes the content and end tag of an element whose start
// tag (not self-closing) was just read.
func (s *xscan) skipElement(name []byte) error {
	depth := 1
	var t tag
	for depth > 0 {
		if err := s.next(&t); err != nil {
			if err == io.EOF {
				return s.eofError("<" + string(name) + ">")
			}
			return err
		}
		switch {
		case t.end:
			depth--
		case !t.selfClose:
			depth++
		}
	}
	return nil
}

// resync moves to the start of the next <row> (true) or to the end of
// sheetData (false) after damage, holding nothing.
func (s *xscan) resync() (bool, error) {
	for {
		b := s.buf[s.p:s.n]
		i := bytes.IndexByte(b, '<')
		if i < 0 {
			s.p = s.n
		} else {
			s.p += i
			if ok, err := s.ensure(32); err != nil {
				return false, err
			} else if !ok && s.n-s.p < 5 {
				s.p = s.n
				continue
			}
			b = s.buf[s.p:s.n]
			j := 1
			closing := j < len(b) && b[j] == '/'
			if closing {
				j++
			}
			k := j
			for k < len(b) && k < 32 && b[k] != '>' && b[k] != '/' && !isSpace(b[k]) {
				k++
			}
			name := localName(b[j:k])
			if !closing && string(name) == "row" && k < len(b) && (b[k] == '>' || isSpace(b[k]) || b[k] == '/') {
				return true, nil
			}
			if closing && string(name) == "sheetData" {
				return false, nil
			}
			s.p++
			continue
		}
		ok, err := s.fill()
		if err != nil {
			return false, err
		}
		if !ok {
			return false, s.eofError("工作表")
		}
	}
}

func sizeText(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d 字节", n)
}
