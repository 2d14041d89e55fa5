package input

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
	"unsafe"
)

// csvParser reads RFC 4180 records the way encoding/csv does (strict
// quotes, \r\n or \n, empty lines skipped), with two differences that
// matter here:
//   - a record whose quoted field is never closed is rejected on its own
//     once it runs past maxQuotedLines lines or MaxField bytes, and reading
//     resumes on the line after the one it started on, so one stray quote
//     cannot swallow the rest of an export;
//   - a line without quotes (nearly all of them) is split in place, and the
//     record keeps its raw text, so cell checks run once a record.
type csvParser struct {
	lr    *lineReader
	comma byte
	// commaStr is comma as a string, made once (not one conversion a row)
	commaStr string
	line     int        // physical lines consumed
	replay   []physLine // lines to read again after a failed quoted record
	last     []physLine // the lines of the last record, when it spanned several
	slab     []string   // records' cells are carved from here
	// lazy leaves a line without quotes unsplit: read returns no cells
	// and sets unsplit, and the caller cuts them (splitUnquoted) off the
	// reading goroutine, into room of its own (Row.CellRoom).
	lazy, unsplit bool
	// cutShort: the last line read had no line break (the input ended)
	cutShort bool
}

// A record's cells are carved from shared chunks rather than allocated
// one by one, and its text is the line as read, in the line reader's chunk
// (see lineReader): a million records cost a few thousand allocations
// instead of two million. A chunk is only ever appended to, so a string
// made from it never changes; it stays alive while any record from it does,
// which the pipeline bounds (records are written and dropped in order).
const slabChunk = 1024

// text returns line as a string without copying it: lines come from the
// line reader's chunks, or from copies (keep), and neither is ever written
// again.
func (p *csvParser) text(line []byte) string {
	if len(line) == 0 {
		return ""
	}
	return unsafe.String(&line[0], len(line))
}

// cells returns a slice of n cells carved from the slab, its capacity
// capped so that an append by the caller cannot reach the next record's.
func (p *csvParser) cells(n int) []string {
	if n > slabChunk/8 {
		return make([]string, 0, n)
	}
	if cap(p.slab)-len(p.slab) < n {
		p.slab = make([]string, 0, slabChunk)
	}
	start := len(p.slab)
	p.slab = p.slab[:start+n]
	return p.slab[start : start : start+n]
}

// maxQuotedLines bounds a quoted field's span; registration text with line
// breaks inside a cell runs to a few lines, not hundreds.
const maxQuotedLines = 200

// MaxLine is the longest physical line read into memory. A longer one is
// skipped as it streams past and its row rejected: one runaway line (a
// binary file, a lost delimiter) must not take gigabytes to hold.
const MaxLine = 4 << 20

// rawKeep is how much of an over-long line is kept for the rejects file.
const rawKeep = 200

var (
	errQuote     = errors.New("引号不配对")
	errBareQuote = errors.New("未加引号的字段中出现引号")
	errRunaway   = errors.New("引号未闭合")
	// errEndsInQuote: the input stops mid-line inside a quoted field, as a
	// download cut short does; the rows after the cut are unknown. (One
	// that ends with a line break inside the quotes is read as a stray
	// quote: its lines are read again one by one.)
	errEndsInQuote = errors.New("文件在带引号的字段中途结束（最后一行没有换行）")
	errSpan        = errors.New("带引号的字段跨到下一行后仍不配对（可能缺少结束引号），其后的行已逐行重新读取")
	// errNULRun rejects a run of NUL bytes at the start of a line.
	errNULRun = errors.New("连续 NUL 字节")
	// ErrLineTooLong rejects a line longer than MaxLine.
	ErrLineTooLong = fmt.Errorf("本行超过 %d 字节（%d MiB，单行上限），整行拒收", MaxLine, MaxLine>>20)
)

// parseError is a malformed record: its first line, the column (1-based
// byte), the reason and the raw text.
type parseError struct {
	line, col int
	err       error
	raw       string
}

func (e *parseError) Error() string { return fmt.Sprintf("%d:%d: %v", e.line, e.col, e.err) }

// physLine is one physical line with its number. long marks a line past
// MaxLine, of which b holds only the start.
type physLine struct {
	b    []byte
	n    int
	long bool
}

func newCSVParser(r io.Reader, comma rune) *csvParser {
	return newCSVLines(newLineReader(r), comma)
}

// newCSVLines starts parsing the lines of lr (which may have been peeked).
func newCSVLines(lr *lineReader, comma rune) *csvParser {
	return &csvParser{lr: lr, comma: byte(comma), commaStr: string(rune(byte(comma)))}
}

// readBoundedLine reads up to and including the next \n into buf (reused)
// and returns it without the line ending. A line longer than limit is
// read past in pieces, never held whole: long is set and the line holds
// its first rawKeep bytes. At the end it returns io.EOF with no line.
func readBoundedLine(br *bufio.Reader, buf []byte, limit int) (line, newBuf []byte, long bool, err error) {
	line, newBuf, long, _, err = readBoundedLineEOL(br, buf, limit)
	return line, newBuf, long, err
}

// readBoundedLineEOL is readBoundedLine that also says whether the line
// ended with a line break (false only for the last line of an input that
// stops mid-line).
func readBoundedLineEOL(br *bufio.Reader, buf []byte, limit int) (line, newBuf []byte, long, eol bool, err error) {
	l, err := br.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		buf = append(buf[:0], l...)
		for errors.Is(err, bufio.ErrBufferFull) {
			l, err = br.ReadSlice('\n')
			if !long && len(buf)+len(l) > limit {
				long = true
				buf = buf[:min(len(buf), rawKeep)]
			}
			if !long {
				buf = append(buf, l...)
			}
		}
		l = buf
	} else if len(l) > limit { // a buffer larger than the limit
		long = true
		l = append(buf[:0], l[:rawKeep]...)
	}
	if len(l) == 0 && err != nil {
		return nil, buf, false, false, err
	}
	if err != nil && err != io.EOF {
		return nil, buf, false, false, err
	}
	if long {
		// Cut at a rune boundary so the kept start stays valid text.
		for len(l) > 0 && !utf8.Valid(l) && len(l) > rawKeep-utf8.UTFMax {
			l = l[:len(l)-1]
		}
		return l, buf, true, err == nil, nil
	}
	eol = bytes.HasSuffix(l, []byte("\n"))
	l = bytes.TrimSuffix(l, []byte("\n"))
	l = bytes.TrimSuffix(l, []byte("\r"))
	return l, buf, false, eol, nil
}

// minNULRun is the shortest run of NUL bytes at a line's start that is
// skipped as a run, the text after it read as the line: a disk block
// zeroed by a crash. A shorter one leaves its line rejected whole.
const minNULRun = 512

// nulRunError rejects a run of n NULs at a line's start (CSV and JSON
// Lines alike).
func nulRunError(n int64) error {
	return fmt.Errorf("%w：行首 %d 字节全是 NUL（文件在此处可能已损坏，如断电后留下的空块），已跳过，同一行其后的内容照常读取", errNULRun, n)
}

// skipNULRun reads past a run of at least minNULRun NUL bytes at the
// start of a line, however long, and says how many there were: the line
// cap must not swallow the real row after it. The run keeps its line
// number for the text after it, which is on the same physical line.
func (p *csvParser) skipNULRun() (int64, error) {
	if len(p.replay) > 0 {
		return 0, nil
	}
	l := p.lr
	if l.r < l.w && l.buf[l.r] != 0 {
		return 0, nil // nearly every line: no scan
	}
	head := l.peek(minNULRun)
	if len(head) < minNULRun || bytes.IndexFunc(head, func(r rune) bool { return r != 0 }) >= 0 {
		return 0, nil // (a read error is the next line's)
	}
	var n int64
	for {
		k := leadingNULs(l.buf[l.r:l.w])
		l.r += k
		n += int64(k)
		if l.r < l.w || !l.fill() {
			return n, nil
		}
	}
}

// zeroBlock is compared against a NUL run a block at a time (memequal is
// vectorised; a byte loop took 1.2 s over 3 GB).
var zeroBlock [4096]byte

// leadingNULs is how many bytes at b's start are NUL.
func leadingNULs(b []byte) int {
	k := 0
	for len(b)-k >= len(zeroBlock) && bytes.Equal(b[k:k+len(zeroBlock)], zeroBlock[:]) {
		k += len(zeroBlock)
	}
	for k < len(b) && b[k] == 0 {
		k++
	}
	return k
}

// readLine returns the next physical line (a copy only when it came from
// replay or spanned the buffer) and io.EOF at the end.
func (p *csvParser) readLine() (physLine, error) {
	if len(p.replay) > 0 {
		l := p.replay[0]
		p.replay = p.replay[1:]
		return l, nil
	}
	l, long, eol, err := p.lr.readLine(MaxLine)
	if err != nil {
		return physLine{}, err
	}
	p.cutShort = !eol
	p.line++
	return physLine{b: l, n: p.line, long: long}, nil
}

// read returns the next record's cells, its first line and raw text; a
// malformed record is a *parseError and reading can go on.
func (p *csvParser) read() ([]string, int, string, error) {
	p.last = p.last[:0]
	p.unsplit = false
	var pl physLine
	for {
		if n, err := p.skipNULRun(); n > 0 {
			return nil, p.line + 1, "", &parseError{line: p.line + 1, col: 1, err: nulRunError(n), raw: `\x00…`}
		} else if err != nil {
			return nil, 0, "", err
		}
		var err error
		if pl, err = p.readLine(); err != nil {
			return nil, 0, "", err
		}
		if pl.long {
			return nil, pl.n, "", &parseError{line: pl.n, col: 1, err: ErrLineTooLong, raw: string(pl.b) + "…"}
		}
		if len(pl.b) > 0 {
			break
		}
	}
	text := p.text(pl.b)
	if bytes.IndexByte(pl.b, '"') < 0 && p.lazy {
		p.unsplit = true
		return nil, pl.n, text, nil
	}
	cells := p.cells(strings.Count(text, p.commaStr) + 1)
	if bytes.IndexByte(pl.b, '"') < 0 {
		return splitUnquoted(cells, text, p.comma), pl.n, text, nil
	}
	if cells, ok := splitQuotedLine(cells, text, p.comma); ok {
		return cells, pl.n, text, nil
	}
	return p.readQuoted(pl)
}

// splitQuotedLine appends the cells of a well-formed record with quotes
// that ends on its line (most of them: "5,000(万元)"), as slices of its
// text; only a cell with a doubled quote is built anew. ok is false for a
// quoted field that runs onto the next line or a misplaced quote, which
// readQuoted then reads and reports.
func splitQuotedLine(cells []string, text string, comma byte) ([]string, bool) {
	s := text
	for {
		if len(s) == 0 || s[0] != '"' {
			i := strings.IndexByte(s, comma)
			field := s
			if i >= 0 {
				field = s[:i]
			}
			if strings.IndexByte(field, '"') >= 0 {
				return nil, false
			}
			cells = append(cells, field)
			if i < 0 {
				return cells, true
			}
			s = s[i+1:]
			continue
		}
		s = s[1:]
		var built []byte // the cell, when it has a doubled quote
		for j := 0; ; {
			i := strings.IndexByte(s[j:], '"')
			if i < 0 {
				return nil, false
			}
			i += j
			rest := s[i+1:]
			if len(rest) > 0 && rest[0] == '"' {
				built = append(built, s[j:i+1]...)
				j = i + 2
				continue
			}
			if built == nil {
				cells = append(cells, s[:i])
			} else {
				cells = append(cells, string(append(built, s[j:i]...)))
			}
			if len(rest) == 0 {
				return cells, true
			}
			if rest[0] != comma {
				return nil, false
			}
			s = rest[1:]
			break
		}
	}
}

// splitUnquoted appends text's cells to cells.
func splitUnquoted(cells []string, text string, comma byte) []string {
	for {
		i := strings.IndexByte(text, comma)
		if i < 0 {
			return append(cells, text)
		}
		cells = append(cells, text[:i])
		text = text[i+1:]
	}
}

// keep copies a line that must outlive the reader's buffer.
func keep(l physLine) physLine {
	l.b = append([]byte(nil), l.b...)
	return l
}

// readQuoted parses a record with quotes, reading more lines while a
// quoted field stays open (as encoding/csv's readRecord does). When such a
// record then fails, only its first line is rejected: the lines it took in
// are read again as records of their own, so a missing closing quote costs
// one row, not the rows after it.
func (p *csvParser) readQuoted(first physLine) ([]string, int, string, error) {
	lines := []physLine{keep(first)}
	start := first.n
	line := first.b
	col := 1
	spanCol := 0 // where the quoted field that ran onto the next line opened
	var rec []byte
	var ends []int
	raw := func() string {
		if len(lines) == 1 {
			return string(lines[0].b)
		}
		var b []byte
		for i, l := range lines {
			if i > 0 {
				b = append(b, '\n')
			}
			b = append(b, l.b...)
		}
		return string(b)
	}
	fail := func(c int, e error) ([]string, int, string, error) {
		if len(lines) > 1 {
			return p.reject(lines, spanCol, errSpan)
		}
		return nil, start, "", &parseError{line: start, col: c, err: e, raw: raw()}
	}
fields:
	for {
		if len(line) == 0 || line[0] != '"' {
			i := bytes.IndexByte(line, p.comma)
			field := line
			if i >= 0 {
				field = line[:i]
			}
			if j := bytes.IndexByte(field, '"'); j >= 0 {
				return fail(col+j, errBareQuote)
			}
			rec = append(rec, field...)
			ends = append(ends, len(rec))
			if i < 0 {
				break fields
			}
			line = line[i+1:]
			col += i + 1
			continue
		}
		qcol := col
		line = line[1:]
		col++
		for {
			i := bytes.IndexByte(line, '"')
			if i < 0 {
				// The quoted field goes on past the end of the line; the
				// limits are checked before the next line is taken, so
				// that a line is never read and then dropped.
				if spanCol == 0 {
					spanCol = qcol
				}
				if len(lines) >= maxQuotedLines || len(rec)+len(line) > MaxField {
					return p.reject(lines, spanCol, errRunaway)
				}
				rec = append(rec, line...)
				rec = append(rec, '\n')
				next, err := p.readLine()
				if err != nil {
					if err != io.EOF {
						return nil, 0, "", err
					}
					if p.cutShort {
						// the input stops mid-line inside the quotes: a
						// cut file, not a stray quote (see errEndsInQuote)
						return nil, lines[0].n, "", &parseError{line: lines[0].n, col: spanCol, err: errEndsInQuote}
					}
					return p.reject(lines, spanCol, errRunaway)
				}
				if next.long {
					p.unread([]physLine{keep(next)})
					return p.reject(lines, spanCol, errRunaway)
				}
				lines = append(lines, keep(next))
				line, col = lines[len(lines)-1].b, 1
				continue
			}
			rec = append(rec, line[:i]...)
			line = line[i+1:]
			col += i + 1
			switch {
			case len(line) > 0 && line[0] == '"': // "" is a quote
				rec = append(rec, '"')
				line = line[1:]
				col++
			case len(line) > 0 && line[0] == p.comma:
				ends = append(ends, len(rec))
				line = line[1:]
				col++
				continue fields
			case len(line) == 0:
				ends = append(ends, len(rec))
				break fields
			default:
				return fail(col-1, errQuote)
			}
		}
	}
	text := string(rec)
	cells := make([]string, len(ends))
	prev := 0
	for i, e := range ends {
		cells[i] = text[prev:e]
		prev = e
	}
	if len(lines) > 1 {
		p.last = append(p.last[:0], lines...)
	}
	return cells, start, raw(), nil
}

// reject rejects the record starting at lines[0] and queues the lines after
// it to be read again.
func (p *csvParser) reject(lines []physLine, col int, e error) ([]string, int, string, error) {
	p.unread(lines[1:])
	return nil, lines[0].n, "", &parseError{line: lines[0].n, col: col, err: e, raw: string(lines[0].b)}
}

// unread queues lines to be read again before anything else.
func (p *csvParser) unread(lines []physLine) {
	if len(lines) > 0 {
		p.replay = append(append([]physLine(nil), lines...), p.replay...)
	}
}

// spanned reports whether the last record spanned several lines.
func (p *csvParser) spanned() bool { return len(p.last) >= 2 }

// Rewind undoes the last record when it spanned several lines: its first
// line stays consumed and the others are read again. A multi-line record
// of the wrong width is most likely a missing closing quote that took in
// the records after it. It reports whether there was anything to undo.
func (p *csvParser) Rewind() bool {
	if len(p.last) < 2 {
		return false
	}
	p.unread(p.last[1:])
	p.last = nil
	return true
}
