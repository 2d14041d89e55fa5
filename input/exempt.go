package input

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// ExemptList holds licensed institutions supplied by the regulators, by
// credit code (or registration number) and by exact name.
type ExemptList struct {
	Name  string // the file, for the reason text
	ids   map[string]bool
	names map[string]bool
}

// LoadExempt reads a CSV or a plain list: every cell that is an 18- or
// 15-character identifier is a code, any other cell a name; a header row
// is skipped.
func LoadExempt(path string) (*ExemptList, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("打开豁免名单: %w", err)
	}
	defer f.Close()
	src, err := OpenCSV(f, path, csvOptions{NoHeader: true})
	if err != nil {
		return nil, err
	}
	l := &ExemptList{Name: filepath.Base(path), ids: map[string]bool{}, names: map[string]bool{}}
	for {
		row, err := src.Next()
		if err != nil {
			if re, ok := IsRowError(err); ok {
				return nil, fmt.Errorf("豁免名单 %w", re)
			}
			break // io.EOF
		}
		if looksLikeHeader(row.Cells) || findHeader(row.Cells, idHeaders) >= 0 {
			continue
		}
		for _, c := range row.Cells {
			c = strings.TrimSpace(c)
			switch {
			case c == "" || strings.HasPrefix(c, "#"):
			case isIDShaped(c):
				l.ids[strings.ToUpper(c)] = true
			default:
				l.names[c] = true
			}
		}
	}
	if len(l.ids)+len(l.names) == 0 {
		return nil, fmt.Errorf("豁免名单 %s 是空的", path)
	}
	return l, nil
}

func isIDShaped(s string) bool {
	if len(s) == 15 && allDigits(s) {
		return true
	}
	if len(s) != 18 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if !(s[i] >= '0' && s[i] <= '9' || c >= 'a' && c <= 'z') {
			return false
		}
	}
	return true
}

// Contains reports whether a record is on the list, by id or exact name.
func (l *ExemptList) Contains(id, name string) bool {
	if id = strings.ToUpper(strings.TrimSpace(id)); id != "" && l.ids[id] {
		return true
	}
	name = strings.TrimSpace(name)
	return name != "" && l.names[name]
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
