package input

import (
	"encoding/binary"
	"io"
	"sync"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// gbDecoder decodes GB18030 as x/text's decoder does (a
// differential fuzz test holds it to that), but about three times faster:
// the two-byte characters that make up Chinese text come from a table of
// ready UTF-8 bytes. Four-byte sequences, rare in registration text, are
// handed to x/text. Decoding was the slowest step of reading a Windows
// export, on the one reading goroutine.
type gbDecoder struct{ transform.NopResetter }

// gbTwoByte holds, for each lead (0x81–0xFE) and trail (0x40–0x7E,
// 0x80–0xFE) byte, the character's UTF-8 bytes in the low three bytes of
// the word (little-endian) and their count in the top byte: one load, one
// four-byte store.
var gbTwoByte = sync.OnceValue(func() *[126 * 190]uint32 {
	var t [126 * 190]uint32
	dec := simplifiedchinese.GB18030.NewDecoder()
	for lead := 0x81; lead <= 0xFE; lead++ {
		for trail := 0x40; trail <= 0xFE; trail++ {
			if trail == 0x7F {
				continue
			}
			out, _ := dec.Bytes([]byte{byte(lead), byte(trail)})
			var b [4]byte
			n := copy(b[:3], out)
			b[3] = byte(n)
			t[gbIndex(byte(lead), byte(trail))] = binary.LittleEndian.Uint32(b[:])
		}
	}
	return &t
})

func gbIndex(c0, c1 byte) int {
	if c1 < 0x7F {
		return int(c0-0x81)*190 + int(c1-0x40)
	}
	return int(c0-0x81)*190 + int(c1-0x41)
}

func (gbDecoder) Transform(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	table := gbTwoByte()
	for nSrc < len(src) {
		c0 := src[nSrc]
		if c0 < utf8.RuneSelf {
			// Runs of ASCII (codes, dates, delimiters) eight bytes at a time.
			if nSrc+8 <= len(src) && nDst+8 <= len(dst) {
				if v := binary.LittleEndian.Uint64(src[nSrc:]); v&0x8080808080808080 == 0 {
					binary.LittleEndian.PutUint64(dst[nDst:], v)
					nDst += 8
					nSrc += 8
					continue
				}
			}
			if nDst >= len(dst) {
				return nDst, nSrc, transform.ErrShortDst
			}
			dst[nDst] = c0
			nDst++
			nSrc++
			continue
		}
		if c0 > 0x80 && c0 < 0xFF && nSrc+1 < len(src) {
			if c1 := src[nSrc+1]; c1 >= 0x40 && c1 < 0xFF && c1 != 0x7F {
				e := table[gbIndex(c0, c1)]
				n := int(e >> 24)
				if nDst+4 <= len(dst) {
					// The fourth byte written is overwritten by what follows.
					binary.LittleEndian.PutUint32(dst[nDst:], e)
				} else if nDst+n <= len(dst) {
					for k := range n {
						dst[nDst+k] = byte(e >> (8 * k))
					}
				} else {
					return nDst, nSrc, transform.ErrShortDst
				}
				nDst += n
				nSrc += 2
				continue
			}
		}
		// Anything else (0x80, four-byte sequences, invalid or cut-off
		// bytes): x/text decodes exactly the bytes of that one character.
		need, short := gbCharLen(src[nSrc:])
		if short && !atEOF {
			return nDst, nSrc, transform.ErrShortSrc
		}
		d, n, err := simplifiedchinese.GB18030.NewDecoder().Transformer.Transform(dst[nDst:], src[nSrc:nSrc+need], true)
		if err != nil {
			return nDst, nSrc, err // ErrShortDst
		}
		nDst += d
		nSrc += n
	}
	return nDst, nSrc, nil
}

// gbCharLen returns how many bytes x/text's decoder takes for the
// character at the start of b outside the fast path (4 for a complete
// four-byte sequence, else 1), and whether b may be cut short.
func gbCharLen(b []byte) (int, bool) {
	if c0 := b[0]; c0 < 0x81 || c0 == 0xFF {
		return 1, false
	}
	if len(b) < 2 {
		return 1, true
	}
	if c1 := b[1]; c1 < 0x30 || c1 >= 0x3A {
		return 1, false
	}
	if len(b) < 4 {
		return 1, true
	}
	if b[2] >= 0x81 && b[2] < 0xFF && b[3] >= 0x30 && b[3] < 0x3A {
		// A well-formed sequence past the last code point is one invalid
		// byte to x/text, and decoding goes on at the next.
		r := ((int(b[0]-0x81)*10+int(b[1]-0x30))*126+int(b[2]-0x81))*10 + int(b[3]-0x30)
		if r >= 39420 && (r < 189000 || r-189000 >= 0x100000) {
			return 1, false
		}
		return 4, false
	}
	return 1, false
}

// gbReader decodes GB18030 from r straight into the caller's buffer, in
// 256 KiB chunks: x/text's transform.Reader goes through 4 KiB buffers, and
// its extra copy and per-call overhead were a sixth of reading a GB export.
type gbReader struct {
	r       io.Reader
	src     []byte // raw bytes: src[lo:hi] are read but not yet decoded
	lo, hi  int
	err     error    // from r, returned once src is used up
	small   [16]byte // decoding room when the caller's buffer is tiny
	pending []byte   // decoded bytes in small not yet returned
}

func newGBReader(r io.Reader) *gbReader { return &gbReader{r: r, src: make([]byte, 256<<10)} }

func (g *gbReader) Read(p []byte) (int, error) {
	if len(g.pending) > 0 {
		n := copy(p, g.pending)
		g.pending = g.pending[n:]
		return n, nil
	}
	if len(p) == 0 {
		return 0, nil
	}
	for {
		atEOF := g.err != nil
		if g.lo < g.hi || atEOF {
			dst := p
			if len(p) < len(g.small) {
				dst = g.small[:] // a character may not fit in p
			}
			nDst, nSrc, err := gbDecoder{}.Transform(dst, g.src[g.lo:g.hi], atEOF)
			g.lo += nSrc
			if nDst > 0 {
				if len(p) < len(g.small) {
					n := copy(p, dst[:nDst])
					g.pending = dst[n:nDst]
					return n, nil
				}
				return nDst, nil
			}
			if atEOF && g.lo == g.hi {
				return 0, g.err
			}
			if err != nil && err != transform.ErrShortSrc {
				return 0, err
			}
		}
		// More input: keep the undecoded tail (at most a cut character).
		g.hi = copy(g.src, g.src[g.lo:g.hi])
		g.lo = 0
		n, err := g.r.Read(g.src[g.hi:])
		g.hi += n
		if err != nil {
			g.err = err
		}
	}
}
