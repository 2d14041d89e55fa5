package screen

import (
	"slices"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"

	"github.com/regscreen/regscreen/dict"
)

// Evasion is a way a term was disguised in the original text.
type Evasion string

const (
	EvasionWidth       Evasion = "全角"
	EvasionCase        Evasion = "大小写"
	EvasionTraditional Evasion = "繁体"
	EvasionNoise       Evasion = "插入字符"
	EvasionVariant     Evasion = "变体用词"
	EvasionCompat      Evasion = "异体字符" // Kangxi radicals, circled digits, compatibility ideographs
)

// noiseRune marks a rune that is dropped from the normalised text, so that a
// term disguised by inserting it between its characters still matches.
const noiseRune rune = -1

// folder maps each original rune to its normalised form: compatibility
// forms folded (NFKC where it gives one character: ⾦ → 金, ② → 2), width
// folded, ASCII lower-cased, traditional → simplified; noise maps to
// noiseRune. The BMP is a table built on first use (the full path);
// start-up and the prefilter only need the few runes that fold at all. It
// is read-only once built, so one folder is shared by every goroutine.
type folder struct {
	bmp    func() *[0x10000]rune
	t2s    *dict.T2S
	compat *dict.T2S
}

func newFolder() *folder {
	f := &folder{t2s: dict.TraditionalToSimplified(), compat: dict.CompatibilityForms()}
	f.bmp = sync.OnceValue(func() *[0x10000]rune {
		var t [0x10000]rune
		kept := keptBMP()
		for r := range t {
			if kept[r] {
				t[r] = rune(r)
			} else {
				t[r] = noiseRune
			}
		}
		for r := range f.folding {
			if r < 0x10000 {
				t[r] = f.slowFold(r)
			}
		}
		return &t
	})
	return f
}

// folding yields every rune that may fold to something other than itself
// or noise, rather than asking x/text about all 65,536 (that costs
// milliseconds of `check`'s start-up); TestFolderTable checks that no
// other rune folds.
func (f *folder) folding(yield func(rune) bool) {
	for r := range f.foldingBesidesT2S {
		if !yield(r) {
			return
		}
	}
	for r := range f.t2s.All {
		if !yield(r) {
			return
		}
	}
}

// foldingBesidesT2S yields the runes that may fold other than the
// traditional characters: Latin capitals, compatibility forms (which
// include U+3000) and the full-width forms.
func (f *folder) foldingBesidesT2S(yield func(rune) bool) {
	for r := 'A'; r <= 'Z'; r++ {
		if !yield(r) {
			return
		}
	}
	for r := range f.compat.All {
		if !yield(r) {
			return
		}
	}
	for r := rune(0xFF01); r <= 0xFFEE; r++ { // the only runes x/text/width folds
		if !yield(r) {
			return
		}
	}
}

// isSeparator reports the characters that end a term even between its
// characters (after width folding): list separators and brackets.
// 投资、管理 is not 投资管理; 理（财） is not 理财.
func isSeparator(r rune) bool {
	switch r {
	case '、', ',', ';', '。', ':', '/':
		return true
	}
	return unicode.In(r, unicode.Ps, unicode.Pe)
}

// isNoise reports whether r (folded for width and compatibility) may stand
// between a term's characters without changing what is written: anything
// that is neither a letter, a digit nor a separator — white space and line
// breaks, zero-width characters, + # ~ | — …, quotes (互联网+保险, 理“财”).
// U+FFFD, a character lost in decoding, could have been anything: not noise.
func isNoise(r rune) bool {
	return !unicode.IsLetter(r) && !unicode.IsNumber(r) && !isSeparator(r) && r != utf8.RuneError
}

// keptBMP marks the BMP runes that are not noise, from the Unicode range
// tables rather than rune by rune (it runs at start-up).
var keptBMP = sync.OnceValue(func() *[0x10000]bool {
	var k [0x10000]bool
	for _, tab := range []*unicode.RangeTable{unicode.L, unicode.N, unicode.Ps, unicode.Pe} {
		for _, rng := range tab.R16 {
			for r := uint32(rng.Lo); r <= uint32(rng.Hi); r += uint32(rng.Stride) {
				k[r] = true
			}
		}
	}
	for _, r := range "、,;。:/\ufffd" {
		k[r] = true
	}
	return &k
})

// compatFold is r's NFKC form when that is one other character: Kangxi
// radicals and compatibility ideographs (⾦, 金 U+F90A → 金), circled and
// super-/subscript digits (② ² → 2), letter-like forms. The map is
// generated (dict/data/compat.txt); TestCompatibilityFormsAreNFKC holds it
// to x/text's NFKC.
func (f *folder) compatFold(r rune) (rune, bool) {
	if r < 0xA0 || r >= 0x3400 && r < 0xA69C {
		return r, false // ASCII and the CJK ideographs have none: skip the search
	}
	return f.compat.Lookup(r)
}

func (f *folder) slowFold(r rune) rune {
	if c, ok := f.compatFold(r); ok {
		r = c
	}
	if w := width.LookupRune(r).Folded(); w != 0 {
		r = w
	}
	if isNoise(r) {
		return noiseRune
	}
	if 'A' <= r && r <= 'Z' {
		return r + ('a' - 'A')
	}
	if r < 0x3400 {
		return r // no traditional character below the CJK ideographs
	}
	if s, ok := f.t2s.Lookup(r); ok {
		return s
	}
	return r
}

func (f *folder) fold(r rune) rune {
	if r >= 0 && r < 0x10000 {
		return f.bmp()[r]
	}
	return f.slowFold(r)
}

// normString folds a whole string (used for patterns, cues and contexts,
// at start-up: by the rule, without building the table).
func (f *folder) normString(s string) string {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if n := f.slowFold(r); n != noiseRune {
			b = utf8.AppendRune(b, n)
		}
	}
	return string(b)
}

// normText is one field's text folded for matching, with a map from each
// normalised rune back to the original rune it came from.
type normText struct {
	r        []rune  // normalised runes
	orig     []int32 // rune index in the original text of normalised rune k
	origByte []int32 // byte offset in the original text of normalised rune k
	runes    int     // rune count of the original text

	// Scratch space for the full path on this text, kept with it in the
	// pool: the occurrences found and those kept, where cues may start,
	// and which runes a cue has taken.
	occs, kept []occurrence
	cueAt      []int
	taken      []bool
}

// normPool keeps normTexts for reuse: the full path runs on every field
// that may hold a term, and sizing its slices a field was a third of it.
var normPool = sync.Pool{New: func() any { return new(normText) }}

// maxPooled is the longest text whose buffers go back to the pool, so that
// one huge cell does not keep its buffers alive.
const maxPooled = 1 << 16

func (f *folder) normalize(s string) *normText {
	n := normPool.Get().(*normText)
	// Capacity for the worst case (every byte a kept rune), so that no
	// append below grows a slice.
	n.r = slices.Grow(n.r[:0], len(s))
	n.orig = slices.Grow(n.orig[:0], len(s))
	n.origByte = slices.Grow(n.origByte[:0], len(s))
	tbl := f.bmp()
	k := 0 // rune index in s
	for i := 0; i < len(s); k++ {
		var r rune
		size := 1
		if b := s[i]; b < utf8.RuneSelf {
			r = rune(b)
		} else if (b >= 0xE1 && b <= 0xEC || b >= 0xEE && b <= 0xEF) && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 {
			// Three-byte runes whose lead admits any continuation (all of
			// CJK), decoded inline as the prefilter does.
			r = rune(b&0x0F)<<12 | rune(s[i+1]&0x3F)<<6 | rune(s[i+2]&0x3F)
			size = 3
		} else {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		var m rune
		if r < 0x10000 {
			m = tbl[r]
		} else {
			m = f.slowFold(r)
		}
		if m != noiseRune {
			n.orig = append(n.orig, int32(k))
			n.origByte = append(n.origByte, int32(i))
			n.r = append(n.r, m)
		}
		i += size
	}
	n.runes = k
	return n
}

// release returns n's buffers for reuse; n must not be used after.
func (n *normText) release() {
	if cap(n.r) <= maxPooled {
		normPool.Put(n)
	}
}

// origText returns the original text covered by normalised runes [s,e).
func (n *normText) origText(text string, s, e int) string {
	_, size := utf8.DecodeRuneInString(text[n.origByte[e-1]:])
	return text[n.origByte[s] : int(n.origByte[e-1])+size]
}

// utf8 returns the normalised text as UTF-8 with the byte offset of each
// rune (for the cloudflare matcher, which reads bytes).
func (n *normText) utf8() ([]byte, []int32) {
	b := make([]byte, 0, len(n.r)*utf8.UTFMax)
	start := make([]int32, len(n.r))
	for k, r := range n.r {
		start[k] = int32(len(b))
		b = utf8.AppendRune(b, r)
	}
	return b, start
}

// origSpan maps normalised runes [s,e) to original runes [os,oe).
func (n *normText) origSpan(s, e int) (int, int) {
	return int(n.orig[s]), int(n.orig[e-1]) + 1
}

// evasions compares the original characters of a hit with the term as the
// dictionary writes it and says which disguises were used.
func (f *folder) evasions(orig string, term string, variant bool) []Evasion {
	var seen [5]bool // width, case, traditional, noise, compatibility form
	want := []rune(term)
	k := 0
	for _, o := range orig {
		if f.fold(o) == noiseRune {
			seen[3] = true
			continue
		}
		var t rune
		if k < len(want) {
			t = want[k]
		}
		k++
		if o == t {
			continue
		}
		w := o
		if x := width.LookupRune(o).Folded(); x != 0 {
			w = x
			seen[0] = true
		} else if c, ok := f.compatFold(o); ok {
			w = c
			seen[4] = true
		}
		if w == t {
			continue
		}
		if unicode.ToLower(w) == unicode.ToLower(t) {
			seen[1] = true
		} else if s, ok := f.t2s.Lookup(w); ok && s != w {
			seen[2] = true
		}
	}
	var out []Evasion
	for i, e := range []Evasion{EvasionWidth, EvasionCase, EvasionTraditional, EvasionNoise, EvasionCompat} {
		if seen[i] {
			out = append(out, e)
		}
	}
	if variant {
		out = append(out, EvasionVariant)
	}
	return out
}
