package output

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Visible shows the control characters in record text as escapes (\x1b,
// \r, \n, \u009b …): text written for a terminal must not move the
// cursor, recolour the screen, retitle the window or fake a line of its
// own. Tabs stay.
func Visible(s string) string {
	if !hasControl(s, false) {
		return s
	}
	return escapeControls(s, false)
}

// VisibleWriter passes text on to w with its control characters shown as
// Visible does, except line ends: for output whose own lines are written
// through it. Each Write must hold whole UTF-8 characters (fmt's calls and
// WriteString do), so it belongs above any buffer.
func VisibleWriter(w io.Writer) io.Writer { return visibleWriter{w} }

type visibleWriter struct{ w io.Writer }

func (v visibleWriter) Write(p []byte) (int, error) {
	s := string(p)
	if !hasControl(s, true) {
		return v.w.Write(p)
	}
	if _, err := io.WriteString(v.w, escapeControls(s, true)); err != nil {
		return 0, err
	}
	return len(p), nil
}

func (v visibleWriter) WriteString(s string) (int, error) { return v.Write([]byte(s)) }

// isControl: C0 controls but tab (and newline when keepLF), DEL, and the
// C1 controls (U+0080–U+009F, of which U+009B is a CSI to some terminals).
func isControl(r rune, keepLF bool) bool {
	switch {
	case r == '\t', r == '\n' && keepLF:
		return false
	case r < 0x20, r == 0x7f:
		return true
	}
	return r >= 0x80 && r <= 0x9f
}

func hasControl(s string, keepLF bool) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == 0x7f || c == 0xc2 {
			for _, r := range s[i:] {
				if isControl(r, keepLF) {
					return true
				}
			}
			return false
		}
	}
	return false
}

func escapeControls(s string, keepLF bool) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case !isControl(r, keepLF) || r == utf8.RuneError:
			b.WriteString(s[i : i+n]) // bytes invalid in UTF-8 pass as they are
		case r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
		i += n
	}
	return b.String()
}
