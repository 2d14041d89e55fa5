package input

import (
	"encoding/binary"
	"unicode/utf8"
	"unsafe"
)

// validUTF8 is utf8.ValidString with fast paths for the text of an export:
// runs of ASCII eight bytes at a time, and pairs of three-byte runes (all of
// Chinese text) six bytes at a time. Lead bytes E1–EC and EE–EF take any
// two continuation bytes, so no range table is needed for them; anything
// else (E0 and ED have narrower ranges) goes through the standard decoder.
func validUTF8(s string) bool {
	n := len(s)
	bs := unsafe.Slice(unsafe.StringData(s), n) // read only: for 8-byte loads
	for i := 0; i < n; {
		b := s[i]
		switch {
		case b < utf8.RuneSelf:
			i++
			// Runs of ASCII (digits, codes, delimiters) eight bytes at a time.
			for i+8 <= n && binary.LittleEndian.Uint64(bs[i:])&0x8080808080808080 == 0 {
				i += 8
			}
		case anyCont[b] && i+2 < n && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80:
			i += 3
			// Then two runes at a time while they are of the same kind: one
			// eight-byte load and one mask test check six bytes' shapes.
			// (bs is s's bytes, only read, for loads the compiler makes one.)
			for i+8 <= n {
				v := binary.LittleEndian.Uint64(bs[i:])
				if v&0xC0C0F0C0C0F0 != 0x8080E08080E0 || !anyCont[s[i]] || !anyCont[s[i+3]] {
					break
				}
				i += 6
			}
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				return false
			}
			i += size
		}
	}
	return true
}

// anyCont marks the lead bytes of three-byte runes that admit any two
// continuation bytes: E1–EC and EE–EF.
var anyCont = func() (t [256]bool) {
	for b := 0xE1; b <= 0xEF; b++ {
		t[b] = b != 0xED
	}
	return t
}()
