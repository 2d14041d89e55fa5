package screen

import (
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// segmenter is gse's segmentation — the path of least total distance,
// where a word's distance is log2(total frequency) − log2(its frequency) —
// over the embedded word list, without gse's loading cost: gse builds a
// trie and pre-segments every word for its search mode, 100–190 ms for
// this list on a 2-core machine, where the map takes 8–23 ms.
// TestSegmenterAgreesWithGse holds it to gse token for token.
type segmenter struct {
	words    map[string]wordInfo
	maxUnits *[0x10000]uint8 // per first rune (BMP), the most units a word starting with it has
	maxAny   int             // the most units of any word (for runes beyond the BMP)
	logTotal float32
}

type wordInfo struct {
	logFreq float32 // float32(log2(freq)), as gse keeps it
	units   int32
	pos     string
}

// dist is the word's distance exactly as gse computes it, in float32.
func (sg *segmenter) dist(w wordInfo) float32 { return sg.logTotal - w.logFreq }

// unknownDistance is what gse charges a unit that no word of the list is.
const unknownDistance = 32

// newSegmenter loads a "word freq pos" list as gse does: a word below
// frequency 2 is dropped, a single character counts 2, the first of
// duplicates wins; then the extra words, each at freq, unless present.
// It runs on the first hit of `check` whose boundary needs it, so it
// parses by hand rather than with Fields and ParseFloat.
func newSegmenter(list string, extra []string, freq float64) *segmenter {
	sg := &segmenter{words: make(map[string]wordInfo, strings.Count(list, "\n")+len(extra)), maxUnits: new([0x10000]uint8)}
	total := 0.0
	add := func(w string, f float64, pos string) {
		if f < 2 || w == "" {
			return
		}
		if _, dup := sg.words[w]; dup {
			return
		}
		units, ascii := 0, false
		for _, r := range w {
			units++
			ascii = ascii || r < utf8.RuneSelf
		}
		if units < 2 {
			f = 2
		}
		if ascii || units > 255 {
			units = len(splitUnits(w, nil))
		}
		total += f
		sg.words[w] = wordInfo{logFreq: float32(math.Log2(f)), units: int32(units), pos: pos}
		if r, _ := utf8.DecodeRuneInString(w); r < 0x10000 {
			sg.maxUnits[r] = uint8(max(int(sg.maxUnits[r]), min(units, 255)))
		}
		sg.maxAny = max(sg.maxAny, units)
	}
	for list != "" {
		line, rest, _ := strings.Cut(list, "\n")
		list = rest
		w, after, ok := strings.Cut(line, " ")
		if !ok || strings.HasPrefix(w, "#") {
			continue
		}
		num, pos, _ := strings.Cut(after, " ")
		f, isInt := 0.0, num != ""
		for i := 0; i < len(num); i++ {
			if num[i] < '0' || num[i] > '9' {
				isInt = false
				break
			}
			f = f*10 + float64(num[i]-'0')
		}
		if !isInt {
			v, err := strconv.ParseFloat(num, 64)
			if err != nil {
				continue
			}
			f = v
		}
		if strings.ContainsFunc(w, func(r rune) bool { return 'A' <= r && r <= 'Z' }) {
			w = strings.ToLower(w)
		}
		add(w, f, strings.TrimSpace(pos))
	}
	for _, w := range extra {
		add(strings.ToLower(w), freq, "nz")
	}
	sg.logTotal = float32(math.Log2(total))
	return sg
}

// splitUnits appends the rune offsets where gse's units of s start: a run
// of letters and digits of at most two UTF-8 bytes each is one unit (Latin
// words, numbers), any other rune is a unit of its own.
func splitUnits(s string, out []int) []int {
	i, inRun := 0, false
	for _, r := range s {
		if utf8.RuneLen(r) <= 2 && (unicode.IsLetter(r) || unicode.IsNumber(r)) {
			if !inRun {
				out = append(out, i)
			}
			inRun = true
		} else {
			out = append(out, i)
			inRun = false
		}
		i++
	}
	return out
}

// token is a word found by the segmenter, in rune offsets, with its part
// of speech ("x" for a unit the list lacks).
type token struct {
	span
	pos string
}

type jumper struct {
	dist  float32
	units int
	pos   string
}

// segment splits runes as gse does and returns the tokens in rune offsets
// from base.
func (sg *segmenter) segment(runes []rune, base int) []token {
	toks, _ := sg.path(runes, base)
	return toks
}

// path is segment with the path's total distance (0 for no runes).
func (sg *segmenter) path(runes []rune, base int) ([]token, float32) {
	text := string(runes)
	starts := splitUnits(text, make([]int, 0, len(runes)+1))
	n := len(starts)
	if n == 0 {
		return nil, 0
	}
	starts = append(starts, len(runes))
	// Byte offsets of the unit starts, for map keys without allocating.
	byteAt := make([]int, len(runes)+1)
	k := 0
	for off := range text {
		byteAt[k] = off
		k++
	}
	byteAt[len(runes)] = len(text)
	jumpers := make([]jumper, n)
	update := func(j *jumper, d float32, units int, pos string) {
		if j.dist == 0 || j.dist > d {
			*j = jumper{d, units, pos}
		}
	}
	for cur := 0; cur < n; cur++ {
		var baseDist float32
		if cur > 0 {
			baseDist = jumpers[cur-1].dist
		}
		limit := sg.maxAny
		if r := runes[starts[cur]]; r < 0x10000 {
			limit = int(sg.maxUnits[r])
		}
		limit = min(limit, n-cur)
		shortest := 0
		for l := 1; l <= limit; l++ {
			w, ok := sg.words[text[byteAt[starts[cur]]:byteAt[starts[cur+l]]]]
			if !ok || int(w.units) != l {
				continue
			}
			if shortest == 0 {
				shortest = l
			}
			update(&jumpers[cur+l-1], baseDist+sg.dist(w), l, w.pos)
		}
		if shortest != 1 {
			update(&jumpers[cur], baseDist+unknownDistance, 1, "x")
		}
	}
	count := 0
	for i := n - 1; i >= 0; i -= jumpers[i].units {
		count++
	}
	out := make([]token, count)
	for i := n - 1; i >= 0; i -= jumpers[i].units {
		count--
		from := i - jumpers[i].units + 1
		out[count] = token{span{base + starts[from], base + starts[i+1]}, jumpers[i].pos}
	}
	return out, jumpers[n-1].dist
}

// wordDist is a word's distance, or what an unknown unit costs.
func (sg *segmenter) wordDist(w string) float32 {
	if info, ok := sg.words[w]; ok {
		return sg.dist(info)
	}
	return unknownDistance
}

// rareFreq: a word seen fewer times than this in the list is rare (所运 3).
const rareFreq = 20

// rare reports whether w is a rare word of the list (or none).
func (sg *segmenter) rare(w string) bool {
	info, ok := sg.words[w]
	return !ok || info.logFreq < float32(math.Log2(rareFreq))
}
