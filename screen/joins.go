package screen

import (
	"strings"
	"unicode"
)

// joinIndex maps each pair of adjacent runes found inside a word of the
// tokeniser's list to the words that hold it. It is an open-addressing table
// over a few flat slices rather than a map of slices: built on the first hit
// of every `check`, it must cost well under a millisecond, and it is only
// read afterwards.
type joinIndex struct {
	runes   []rune      // every word's runes, lower-cased, back to back
	keys    []uint64    // the pair held by each slot
	heads   []int32     // per slot: 1 + the pair's first entry, 0 when empty
	entries []joinEntry // chained per pair
	mask    uint64
}

type joinEntry struct {
	start, n int32 // the word: runes[start : start+n]
	at       int32 // where the pair's first rune is in the word
	next     int32 // the pair's next entry, -1 at the end
}

// newJoinIndex indexes the words of a "word freq pos" list.
func newJoinIndex(list string) *joinIndex {
	j := &joinIndex{runes: make([]rune, 0, len(list)/2)}
	type span struct{ start, n int32 }
	var words []span
	pairs := 0
	for line := range strings.Lines(list) {
		w, _, _ := strings.Cut(strings.TrimSpace(line), " ")
		start := len(j.runes)
		for _, r := range w {
			j.runes = append(j.runes, unicode.ToLower(r))
		}
		if n := len(j.runes) - start; n > 1 {
			words = append(words, span{int32(start), int32(n)})
			pairs += n - 1
		}
	}
	size := 1
	for size < 2*pairs {
		size <<= 1
	}
	j.keys, j.heads, j.mask = make([]uint64, size), make([]int32, size), uint64(size-1)
	j.entries = make([]joinEntry, 0, pairs)
	for _, w := range words {
		for k := int32(0); k+1 < w.n; k++ {
			s := j.slot(pairKey(j.runes[w.start+k], j.runes[w.start+k+1]))
			j.entries = append(j.entries, joinEntry{start: w.start, n: w.n, at: k, next: j.heads[s] - 1})
			j.heads[s] = int32(len(j.entries))
		}
	}
	return j
}

func pairKey(x, y rune) uint64 { return uint64(uint32(x))<<32 | uint64(uint32(y)) }

// slot finds key's slot, or the empty slot where it belongs (and claims it).
func (j *joinIndex) slot(key uint64) uint64 {
	for s := (key * 0x9E3779B97F4A7C15) >> 40 & j.mask; ; s = (s + 1) & j.mask {
		if j.heads[s] == 0 {
			j.keys[s] = key
			return s
		}
		if j.keys[s] == key {
			return s
		}
	}
}

// holds reports whether a word of the list covers runes[p] and runes[p+1]
// as written in runes (compared lower-cased).
func (j *joinIndex) holds(runes []rune, p int) bool {
	key := pairKey(unicode.ToLower(runes[p]), unicode.ToLower(runes[p+1]))
	s := (key * 0x9E3779B97F4A7C15) >> 40 & j.mask
	for j.heads[s] != 0 && j.keys[s] != key {
		s = (s + 1) & j.mask
	}
	for e := j.heads[s] - 1; e >= 0; e = j.entries[e].next {
		en := &j.entries[e]
		st := p - int(en.at)
		if st < 0 || st+int(en.n) > len(runes) {
			continue
		}
		word := j.runes[en.start : en.start+en.n]
		match := true
		for k, wr := range word {
			if unicode.ToLower(runes[st+k]) != wr {
				match = false
				break
			}
		}
		if match {
			return true
		}
	}
	return false
}
