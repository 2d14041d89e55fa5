package input

import (
	"bytes"
	"io"
	"strings"
	"unicode/utf8"
	"unsafe"
)

// lineReader splits text into physical lines for the CSV parser. It ends a
// line at LF, at CRLF, and at a lone CR (one not followed by LF): Excel for
// Mac's "CSV (Macintosh)" ends lines in CR alone, and a file pasted together
// may mix both; Excel and Python's csv module end a line there. A lone CR
// inside a quoted field is a line break like any other.
//
// It reads into chunks that it never writes again: a line it returns stays
// valid, so the parser makes its record's text from it without a copy (the
// one copy is from the buffered reader beneath, whose buffer stays in
// cache: reading from the file straight into the chunks cost more, the
// kernel's copy into memory not yet touched being the slower one, 0.71 s
// against 0.52 s over three profiles). A chunk stays alive while any
// record from it does, which the pipeline bounds (records are written and
// dropped in order).
// Once the source has said io.EOF it is not asked again: a terminal or pipe
// asked after its end would wait for more.
type lineReader struct {
	src  io.Reader
	buf  []byte // the chunk: buf[r:w] is read and not yet consumed
	r, w int
	eof  bool  // src said io.EOF
	err  error // src failed; reported once the buffered bytes are used up
	// crFree: buf[r:crFree] holds no CR. Each read is searched for CR once
	// (most exports have none, or a CR only before each LF), so that a
	// line within it is not searched again.
	crFree int
}

// A chunk is lineChunk bytes (more for a longer line), a small object
// the collector's spans are reused for; a read asks for at least minRead.
const (
	lineChunk = 32 << 10
	minRead   = 8 << 10
)

// noZero allocates n bytes without clearing them, as strings.Builder
// does (every byte is read into before it is looked at).
func noZero(n int) []byte {
	var b strings.Builder
	b.Grow(n)
	b.WriteByte(0)
	return unsafe.Slice(unsafe.StringData(b.String()), b.Cap())[:n]
}

func newLineReader(src io.Reader) *lineReader {
	return &lineReader{src: src}
}

// fill reads once more from the source, into the room after w; when the
// chunk has less than a read's room left, the unread bytes move to a fresh
// chunk (the old one is never written again), twice as large as they are
// when they are many (a long line). It reports false at the end or on an
// error, with nothing read.
func (l *lineReader) fill() bool {
	if l.eof || l.err != nil {
		return false
	}
	if len(l.buf)-l.w < minRead {
		n := l.w - l.r
		nb := noZero(max(lineChunk, 2*n+minRead))
		copy(nb, l.buf[l.r:l.w])
		l.crFree = max(l.crFree-l.r, 0)
		l.buf, l.r, l.w = nb, 0, n
	}
	defer l.searchCR()
	for tries := 0; tries < 100; tries++ {
		n, err := l.src.Read(l.buf[l.w:])
		l.w += n
		if err == io.EOF {
			l.eof = true
		} else if err != nil {
			l.err = err
		}
		if n > 0 {
			return true
		}
		if err != nil {
			return false
		}
	}
	l.err = io.ErrNoProgress
	return false
}

// searchCR moves crFree to the first CR after r, or to w.
func (l *lineReader) searchCR() {
	from := max(l.crFree, l.r)
	if c := bytes.IndexByte(l.buf[from:l.w], '\r'); c >= 0 {
		l.crFree = from + c
	} else {
		l.crFree = l.w
	}
}

// peek returns up to n unread bytes, reading until there are n or the
// input ends; the slice is valid for good.
func (l *lineReader) peek(n int) []byte {
	for l.w-l.r < n && l.fill() {
	}
	return l.buf[l.r:min(l.w, l.r+n)]
}

// lineEnd finds the end of the first line in b: where its text ends and
// where the next line starts. b[:from] holds no line end, b[:free] no CR.
// A CR as b's last byte is decided by the byte after it, unless the input
// ends there (last).
func lineEnd(b []byte, from, free int, last bool) (end, next int, ok bool) {
	i := bytes.IndexByte(b[from:], '\n')
	head := b
	if i >= 0 {
		i += from
		if i <= free {
			return i, i + 1, true // the usual line: no CR before its LF
		}
		head = b[:i]
	}
	start := min(max(from, free), len(head))
	if j := bytes.IndexByte(head[start:], '\r'); j >= 0 {
		j += start
		switch {
		case j+1 < len(b):
			if b[j+1] == '\n' {
				return j, j + 2, true
			}
			return j, j + 1, true
		case last:
			return j, j + 1, true
		}
		return 0, 0, false // a CR at the end of what is read so far
	}
	if i >= 0 {
		return i, i + 1, true
	}
	return 0, 0, false
}

// readLine returns the next line without its line ending, and whether it
// had one (false only for the last line of an input that stops
// mid-line). A line longer than limit is read past, never held whole:
// long is set and the line holds its first rawKeep bytes, cut at a rune
// boundary. At the end it returns io.EOF with no line.
func (l *lineReader) readLine(limit int) (line []byte, long, eol bool, err error) {
	searched := 0 // bytes of buf[r:w] known to hold no line end
	for {
		b := l.buf[l.r:l.w]
		if end, next, ok := lineEnd(b, searched, l.crFree-l.r, l.eof); ok {
			if next > limit { // (the line end counts, as it always has)
				return l.skipLong(end, next)
			}
			l.r += next
			return b[:end:end], false, true, nil
		}
		// No line end yet; a CR at the end stays to be decided.
		searched = max(len(b)-1, 0)
		if len(b) > limit {
			return l.skipLong(-1, 0)
		}
		if !l.fill() {
			if l.err != nil {
				return nil, false, false, l.failed()
			}
			if l.r == l.w {
				return nil, false, false, io.EOF
			}
			if l.buf[l.w-1] == '\r' {
				continue // the input ended on a CR: a line end after all
			}
			line = l.buf[l.r:l.w:l.w]
			l.r = l.w
			return line, false, false, nil
		}
	}
}

// failed returns the source's error once, then io.EOF.
func (l *lineReader) failed() error {
	err := l.err
	l.err, l.eof = nil, true
	return err
}

// skipLong reads past a line longer than the limit, keeping its start. end
// and next are where it ends when that is known (end ≥ 0).
func (l *lineReader) skipLong(end, next int) (line []byte, long, eol bool, err error) {
	keep := append([]byte(nil), l.buf[l.r:l.r+rawKeep]...)
	eol = true
	if end >= 0 {
		l.r += next
	} else {
		// The bytes read past go to one buffer used over and over (the
		// chunk may hold lines handed out, and is left as it is); the
		// lines after this one are read into it, so it is not used again.
		var scratch []byte
		for {
			b := l.buf[l.r:l.w]
			if _, next, ok := lineEnd(b, 0, 0, l.eof); ok {
				l.r += next
				break
			}
			// Drop what is searched, keeping a CR at the end to decide.
			l.r = l.w
			if len(b) > 0 && b[len(b)-1] == '\r' {
				l.r--
			}
			if len(l.buf)-l.w < minRead {
				if scratch == nil {
					scratch = make([]byte, lineChunk)
				}
				n := copy(scratch, l.buf[l.r:l.w])
				l.buf, l.r, l.w, l.crFree = scratch, 0, n, 0
			}
			if !l.fill() {
				if l.err != nil {
					return nil, false, false, l.failed()
				}
				if l.r < l.w {
					continue // a CR just before the end: handled as a line end
				}
				eol = false
				break
			}
		}
	}
	// Cut at a rune boundary so the kept start stays valid text.
	for len(keep) > 0 && !utf8.Valid(keep) && len(keep) > rawKeep-utf8.UTFMax {
		keep = keep[:len(keep)-1]
	}
	return keep, true, eol, nil
}
