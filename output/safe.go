package output

import "strings"

// SafeCell neutralises a cell that a spreadsheet would read as a formula
// (OWASP's CSV injection rule): one that starts with = + - @, a tab or a
// carriage return gets a leading apostrophe, and so does one that starts
// with their full-width or small forms (＝ ＋ － ＠ ﹦ ﹢ ﹣ ﹫), which
// Excel on a Chinese system also takes as a formula's start. Used for CSV
// files a person opens; data for pipes stays as it was.
func SafeCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	case 0xef, 0xfe: // the lead byte of U+FF0B…U+FF20 and U+FE62…U+FE6B
		for _, leader := range wideLeaders {
			if strings.HasPrefix(s, leader) {
				return "'" + s
			}
		}
	}
	return s
}

var wideLeaders = []string{"＝", "＋", "－", "＠", "﹦", "﹢", "﹣", "﹫"}
