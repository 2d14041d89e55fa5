package dict

import (
	_ "embed"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// The tokeniser word list, the traditional→simplified map and the
// compatibility-form map are generated from modules by `go generate ./dict`
// (see internal/gendata).

//go:embed data/zhwords.txt
var zhWords string

//go:embed data/t2s.txt
var t2sData string

//go:embed data/compat.txt
var compatData string

// TokenizerWords returns the word list for gse ("word freq pos" per line).
func TokenizerWords() string {
	if strings.HasPrefix(zhWords, "#") {
		if i := strings.IndexByte(zhWords, '\n'); i >= 0 {
			return zhWords[i+1:]
		}
	}
	return zhWords
}

// T2S maps traditional characters to simplified ones. It is read-only
// and shared.
type T2S struct {
	pairs [][2]rune // {traditional, simplified}, sorted by the first
}

// Lookup returns r's simplified form, if it has one.
func (t *T2S) Lookup(r rune) (rune, bool) {
	if i, ok := slices.BinarySearchFunc(t.pairs, r, func(p [2]rune, r rune) int { return int(p[0] - r) }); ok {
		return t.pairs[i][1], true
	}
	return 0, false
}

// All yields every traditional character with its simplified form.
func (t *T2S) All(yield func(from, to rune) bool) {
	for _, p := range t.pairs {
		if !yield(p[0], p[1]) {
			return
		}
	}
}

// Sorted pairs rather than a map: building a 4,000-entry map was a
// millisecond of every start-up, a twentieth of `check` on a name.
var t2sOnce = sync.OnceValue(func() *T2S {
	t := &T2S{pairs: make([][2]rune, 0, 4096)}
	for line := range strings.Lines(t2sData) {
		if line[0] == '#' || line == "\n" {
			continue
		}
		from, n := utf8.DecodeRuneInString(line)
		to, _ := utf8.DecodeRuneInString(line[n+1:])
		t.pairs = append(t.pairs, [2]rune{from, to})
	}
	// The generator writes them in order; sorting sorted data is cheap and
	// keeps Lookup right after a hand edit.
	slices.SortFunc(t.pairs, func(a, b [2]rune) int { return int(a[0] - b[0]) })
	return t
})

// TraditionalToSimplified is the traditional→simplified character map.
func TraditionalToSimplified() *T2S { return t2sOnce() }

// compatOnce parses the compatibility forms: "XXXX YYYY" code points a line.
var compatOnce = sync.OnceValue(func() *T2S {
	t := &T2S{pairs: make([][2]rune, 0, 2048)}
	for line := range strings.Lines(compatData) {
		if line[0] == '#' {
			continue
		}
		from, err1 := strconv.ParseUint(line[:4], 16, 32)
		to, err2 := strconv.ParseUint(strings.TrimSpace(line[5:]), 16, 32)
		if err1 != nil || err2 != nil {
			continue
		}
		t.pairs = append(t.pairs, [2]rune{rune(from), rune(to)})
	}
	slices.SortFunc(t.pairs, func(a, b [2]rune) int { return int(a[0] - b[0]) })
	return t
})

// CompatibilityForms maps each BMP character whose NFKC form is one other
// character to it (⾦ → 金, ② → 2, Ｐ → P). It is a character map like
// TraditionalToSimplified.
func CompatibilityForms() *T2S { return compatOnce() }
