package input

import (
	"bytes"
	"unicode/utf16"
)

// sniffUTF16 recognises UTF-16 without a BOM, as some Windows tools write
// it: zero bytes mostly on one side of the byte pairs (every ASCII
// character, delimiter and line end has one there; a few Chinese
// characters such as 一 U+4E00 have one on the other), and the text read that way is text —
// Chinese, ASCII, punctuation — not the noise GBK bytes with a damaged NUL
// would make of it. It returns EncUTF16LE, EncUTF16BE or "".
func sniffUTF16(head []byte) string {
	if bytes.IndexByte(head, 0) < 0 || len(head) < 2 {
		return ""
	}
	var zeros [2]int
	for i, c := range head {
		if c == 0 {
			zeros[i&1]++
		}
	}
	switch {
	case zeros[1] > 4*zeros[0] && plausibleUTF16(head, false):
		return EncUTF16LE
	case zeros[0] > 4*zeros[1] && plausibleUTF16(head, true):
		return EncUTF16BE
	}
	return ""
}

// plausibleUTF16 reports whether nine in ten characters of head read as
// UTF-16 are ones a register holds, with no unpaired surrogate.
func plausibleUTF16(head []byte, bigEndian bool) bool {
	u := make([]uint16, len(head)/2)
	for i := range u {
		a, b := head[2*i], head[2*i+1]
		if bigEndian {
			a, b = b, a
		}
		u[i] = uint16(a) | uint16(b)<<8
	}
	if len(u) > 0 && u[len(u)-1] >= 0xD800 && u[len(u)-1] < 0xDC00 {
		u = u[:len(u)-1] // a pair cut by the end of the prefix
	}
	good, all := 0, 0
	for _, r := range utf16.Decode(u) {
		all++
		switch {
		case r == 0xFFFD:
			return false
		case r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r < 0x7F,
			r >= 0x4E00 && r <= 0x9FFF, r >= 0x3000 && r <= 0x303F, r >= 0xFF00 && r <= 0xFFEF,
			r >= 0xA0 && r <= 0x24F, r >= 0x2000 && r <= 0x206F, r >= 0x3400 && r <= 0x4DBF, r >= 0x20000:
			good++
		}
	}
	return all > 0 && good*10 >= all*9
}
