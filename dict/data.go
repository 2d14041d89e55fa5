package dict

import (
	_ "embed"
	"slices"
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

// T2S maps traditional characters to simplified ones. It is read-only
// and shared.
type T2S struct {
	from, to []rune // sorted by from
}

// Lookup returns r's simplified form, if it has one.
func (t *T2S) Lookup(r rune) (rune, bool) {
	if i, ok := slices.BinarySearch(t.from, r); ok {
		return t.to[i], true
	}
	return 0, false
}

// All yields every traditional character with its simplified form.
func (t *T2S) All(yield func(from, to rune) bool) {
	for i, f := range t.from {
		if !yield(f, t.to[i]) {
			return
		}
	}
}

// Sorted pairs rather than a map: building a 4,000-entry map was a
// millisecond of every start-up, a twentieth of `check` on a name.
var t2sOnce = sync.OnceValue(func() *T2S {
	t := &T2S{from: make([]rune, 0, 4096), to: make([]rune, 0, 4096)}
	for line := range strings.Lines(t2sData) {
		if line == "" || line[0] == '#' || line == "\n" {
			continue
		}
		from, n := utf8.DecodeRuneInString(line)
		to, _ := utf8.DecodeRuneInString(line[n+1:])
		t.from = append(t.from, from)
		t.to = append(t.to, to)
	}
	if !slices.IsSorted(t.from) { // the generator sorts; a hand edit may not
		idx := make([]int, len(t.from))
		for i := range idx {
			idx[i] = i
		}
		slices.SortFunc(idx, func(a, b int) int { return int(t.from[a] - t.from[b]) })
		from, to := make([]rune, len(idx)), make([]rune, len(idx))
		for k, i := range idx {
			from[k], to[k] = t.from[i], t.to[i]
		}
		t.from, t.to = from, to
	}
	return t
})

// TraditionalToSimplified is the traditional→simplified character map.
func TraditionalToSimplified() *T2S { return t2sOnce() }
