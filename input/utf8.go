package input

import "unicode/utf8"

// validUTF8 is utf8.ValidString with a fast path for the three-byte runes
// that make up Chinese text: lead bytes E1–EC and EE–EF take any two
// continuation bytes, so no range table is needed for them. Other lead
// bytes (E0 and ED have narrower ranges) go through the standard decoder.
func validUTF8(s string) bool {
	n := len(s)
	for i := 0; i < n; {
		b := s[i]
		switch {
		case b < utf8.RuneSelf:
			i++
			// Runs of ASCII (digits, codes, delimiters) eight bytes at a time.
			for i+8 <= n && (s[i]|s[i+1]|s[i+2]|s[i+3]|s[i+4]|s[i+5]|s[i+6]|s[i+7]) < utf8.RuneSelf {
				i += 8
			}
		case (b >= 0xE1 && b <= 0xEC || b >= 0xEE) && b <= 0xEF && i+2 < n &&
			s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80:
			i += 3
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
