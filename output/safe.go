package output

// SafeCell neutralises a cell that a spreadsheet would read as a formula
// (OWASP's CSV injection rule): one that starts with = + - @, a tab or a
// carriage return gets a leading apostrophe. Used for CSV files a person
// opens; data for pipes stays as it was.
func SafeCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
