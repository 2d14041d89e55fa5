package dict

import (
	_ "embed"
	"strings"
	"sync"
	"unicode/utf8"
)

// The tokeniser word list and the traditional→simplified map are generated
// from modules by `go generate ./dict` (see internal/gendata).

//go:embed data/zhwords.txt
var zhWords string

//go:embed data/t2s.txt
var t2sData string

// TokenizerWords returns the word list for gse ("word freq pos" per line).
func TokenizerWords() string {
	if strings.HasPrefix(zhWords, "#") {
		if i := strings.IndexByte(zhWords, '\n'); i >= 0 {
			return zhWords[i+1:]
		}
	}
	return zhWords
}

var t2sOnce = sync.OnceValue(func() map[rune]rune {
	m := make(map[rune]rune, 4096)
	for _, line := range strings.Split(t2sData, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		from, n := utf8.DecodeRuneInString(line)
		to, _ := utf8.DecodeRuneInString(line[n+1:])
		m[from] = to
	}
	return m
})

// TraditionalToSimplified maps a traditional character to its simplified
// form; characters without a mapping are absent. The map is shared: do not
// modify it.
func TraditionalToSimplified() map[rune]rune { return t2sOnce() }
