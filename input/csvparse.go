package input

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
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
	br      *bufio.Reader
	comma   byte
	line    int      // physical lines consumed
	replay  [][]byte // lines to read again after a runaway quote
	replayN int      // line number of replay[0]
	buf     []byte
	arena   strings.Builder // record texts are carved from here
	slab    []string        // and their cells from here
}

// A record's text and cells are carved from shared chunks rather than
// allocated one by one: a million records cost a few thousand allocations
// instead of two million. A chunk is only ever appended to, so a string
// made from it never changes; it stays alive while any record from it does,
// which the pipeline bounds (records are written and dropped in order).
const (
	arenaChunk = 64 << 10
	slabChunk  = 2048
)

// text returns line as a string carved from the arena. The arena is a
// strings.Builder: it hands out strings over its buffer without copying and
// allocates that buffer without zeroing it; since a Builder only appends,
// the strings stay valid after it grows or is replaced.
func (p *csvParser) text(line []byte) string {
	if len(line) == 0 || len(line) > arenaChunk/8 {
		return string(line)
	}
	if p.arena.Cap()-p.arena.Len() < len(line) {
		p.arena = strings.Builder{}
		p.arena.Grow(arenaChunk)
	}
	start := p.arena.Len()
	p.arena.Write(line)
	return p.arena.String()[start:]
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

var (
	errQuote     = errors.New("引号不配对")
	errBareQuote = errors.New("未加引号的字段中出现引号")
	errRunaway   = errors.New("引号未闭合")
)

// parseError is a malformed record: its first line, the column (1-based
// byte), the reason and the raw text.
type parseError struct {
	line, col int
	err       error
	raw       string
}

func (e *parseError) Error() string { return fmt.Sprintf("%d:%d: %v", e.line, e.col, e.err) }

func newCSVParser(r io.Reader, comma rune) *csvParser {
	return &csvParser{br: bufio.NewReaderSize(r, 1<<20), comma: byte(comma)}
}

// readLine returns the next physical line without its line ending (a copy
// only when it came from replay or spanned the buffer), its number, and
// io.EOF at the end.
func (p *csvParser) readLine() ([]byte, int, error) {
	if len(p.replay) > 0 {
		l := p.replay[0]
		p.replay = p.replay[1:]
		n := p.replayN
		p.replayN++
		return l, n, nil
	}
	l, err := p.br.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		p.buf = append(p.buf[:0], l...)
		for errors.Is(err, bufio.ErrBufferFull) {
			l, err = p.br.ReadSlice('\n')
			p.buf = append(p.buf, l...)
		}
		l = p.buf
	}
	if len(l) == 0 && err != nil {
		return nil, 0, err
	}
	if err != nil && err != io.EOF {
		return nil, 0, err
	}
	p.line++
	l = bytes.TrimSuffix(l, []byte("\n"))
	l = bytes.TrimSuffix(l, []byte("\r"))
	return l, p.line, nil
}

// read returns the next record's cells, its first line and raw text; a
// malformed record is a *parseError and reading can go on.
func (p *csvParser) read() ([]string, int, string, error) {
	var line []byte
	var n int
	var err error
	for {
		if line, n, err = p.readLine(); err != nil {
			return nil, 0, "", err
		}
		if len(line) > 0 {
			break
		}
	}
	if bytes.IndexByte(line, '"') < 0 {
		text := p.text(line)
		return splitUnquoted(p.cells(strings.Count(text, string(p.comma))+1), text, p.comma), n, text, nil
	}
	return p.readQuoted(line, n)
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

// readQuoted parses a record with quotes, reading more lines while a
// quoted field stays open (as encoding/csv's readRecord does).
func (p *csvParser) readQuoted(first []byte, start int) ([]string, int, string, error) {
	lines := [][]byte{append([]byte(nil), first...)} // kept to replay after a runaway
	line := first
	col := 1
	var rec []byte
	var ends []int
	raw := func() string { return string(bytes.Join(lines, []byte("\n"))) }
	fail := func(c int, e error) ([]string, int, string, error) {
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
				// The quoted field goes on past the end of the line.
				rec = append(rec, line...)
				rec = append(rec, '\n')
				next, _, err := p.readLine()
				if err != nil || len(lines) >= maxQuotedLines || len(rec) > MaxField {
					return p.runaway(lines, start, qcol, err)
				}
				lines = append(lines, append([]byte(nil), next...))
				line, col = next, 1
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
	return cells, start, raw(), nil
}

// runaway rejects a record whose quoted field never closed and replays the
// lines after its first one.
func (p *csvParser) runaway(lines [][]byte, start, col int, readErr error) ([]string, int, string, error) {
	if len(lines) > 1 {
		p.replay = append(lines[1:len(lines):len(lines)], p.replay...)
		p.replayN = start + 1
	}
	if readErr != nil && readErr != io.EOF {
		return nil, 0, "", readErr
	}
	return nil, start, "", &parseError{line: start, col: col, err: errRunaway, raw: string(lines[0])}
}
