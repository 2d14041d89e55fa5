package screen

import "unicode/utf8"

// prefilter answers "does this text, once normalised, contain any term?"
// in one pass over the original bytes, without building the normalised
// text. Most records contain no term, so the full path (normalise, the
// cloudflare matcher, positions, judging) runs only for the few that do.
//
// It is an Aho-Corasick automaton over a small alphabet: each rune is
// mapped through a 64 KiB table to the symbol of the term character it
// folds to (0 for any other character, p.noise for noise, which is
// skipped just as normalisation drops it). The answer is exact, not a
// guess: it accepts exactly when the normalised text holds a pattern.
type prefilter struct {
	sym  [0x10000]uint8
	nsym int
	// next maps a state's row offset (state*nsym) plus a symbol to the next
	// state's row offset, or to acceptNext when that state accepts: the
	// hot loop then needs neither a multiplication nor a second table.
	next  []uint32
	noise uint8 // the symbol of noise characters, whose transitions stay put
	first uint8 // symbols 1 to first start a pattern; no other leaves the root
	fold  *folder
	symOf map[rune]uint8 // folded term rune → symbol (for runes beyond the BMP)

	// The same automaton over normalised runes, for the full path: it
	// finds where each pattern occurs. normSym maps a normalised rune to
	// its symbol (the term rune's own, else 0: normalised text has no
	// noise); delta maps a state's row offset plus a symbol to the next
	// state's row offset, with outputBit set when patterns end there; out
	// lists them by state, and patRunes is each pattern's length.
	normSym  [0x10000]uint8
	delta    []uint32
	out      [][]int32
	patRunes []int
}

const outputBit = 1 << 31

const acceptNext = ^uint32(0)

func newPrefilter(f *folder, patterns []string) *prefilter {
	p := &prefilter{fold: f, symOf: map[rune]uint8{}}
	next := uint8(1)
	// The runes that start a pattern take the lowest symbols, 1 to
	// p.first: any other symbol leaves the root where it is, which lets
	// mayMatch skip most runes without a transition.
	for pass := range 2 {
		for _, pat := range patterns {
			for k, r := range []rune(pat) {
				if _, ok := p.symOf[r]; ok || pass == 0 && k > 0 {
					continue
				}
				if next == 0xFE {
					return nil // too many distinct characters: no prefilter
				}
				p.symOf[r] = next
				next++
			}
		}
		if pass == 0 {
			p.first = next - 1
		}
	}
	p.noise = next
	p.nsym = int(next) + 1
	// Noise is every rune that is neither a letter, a digit nor a
	// separator; each term rune is its own symbol; then every rune that
	// folds takes the symbol of what it folds to. Other runes stay 0.
	kept := keptBMP()
	for r := range p.sym {
		if !kept[r] {
			p.sym[r] = p.noise
		}
	}
	for r, c := range p.symOf {
		if r < 0x10000 {
			p.sym[r] = c
		}
	}
	for r := range f.foldingBesidesT2S {
		if r < 0x10000 {
			p.sym[r] = p.symbolFor(r)
		}
	}
	// A traditional character folds to its simplified form (width and case
	// leave CJK alone): only those whose form is a term character matter,
	// found without folding each of the 4,000 by the rule.
	for from, to := range f.t2s.All {
		if c, ok := p.symOf[to]; ok && from < 0x10000 {
			p.sym[from] = c
		}
	}
	// Build the trie: one row of nsym entries a node, -1 for no edge (flat
	// rows, not a map a node: this runs at every start-up).
	nsym := p.nsym
	newRow := func(g []int32) []int32 {
		for range nsym {
			g = append(g, -1)
		}
		return g
	}
	goTo := newRow(nil)
	accept := []bool{false}
	ends := []int32{-1} // the pattern that ends at a node, or -1
	for i, pat := range patterns {
		p.patRunes = append(p.patRunes, utf8.RuneCountInString(pat))
		s := 0
		for _, r := range pat {
			e := s*nsym + int(p.symOf[r])
			if goTo[e] < 0 {
				goTo[e] = int32(len(accept))
				goTo = newRow(goTo)
				accept = append(accept, false)
				ends = append(ends, -1)
			}
			s = int(goTo[e])
		}
		accept[s] = true
		ends[s] = int32(i)
	}
	// Breadth-first: failure links folded into a full transition table.
	n := len(accept)
	delta := make([]int, n*nsym)
	fail := make([]int, n)
	p.out = make([][]int32, n)
	queue := []int{}
	for c := 1; c < nsym; c++ {
		if t := goTo[c]; t >= 0 {
			delta[c] = int(t)
			queue = append(queue, int(t))
		}
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		if accept[fail[s]] {
			accept[s] = true
		}
		// A state's outputs are its own pattern and its failure's, which
		// is shallower and so already done.
		if ends[s] >= 0 {
			p.out[s] = append(p.out[s], ends[s])
		}
		p.out[s] = append(p.out[s], p.out[fail[s]]...)
		for c := 1; c < nsym; c++ {
			if t := int(goTo[s*nsym+c]); t >= 0 {
				fail[t] = delta[fail[s]*nsym+c]
				delta[s*nsym+c] = t
				queue = append(queue, t)
			} else {
				delta[s*nsym+c] = delta[fail[s]*nsym+c]
			}
		}
	}
	// Noise leaves the state as it is (symbol 0, no term character, leads
	// back to the root, as the zeroed table already says).
	for st := range n {
		delta[st*p.nsym+int(p.noise)] = st
	}
	for r, c := range p.symOf {
		if r < 0x10000 {
			p.normSym[r] = c
		}
	}
	p.delta = make([]uint32, len(delta))
	p.next = make([]uint32, len(delta))
	for i, t := range delta {
		p.delta[i] = uint32(t * p.nsym)
		if len(p.out[t]) > 0 {
			p.delta[i] |= outputBit
		}
		if accept[t] {
			p.next[i] = acceptNext
		} else {
			p.next[i] = uint32(t * p.nsym)
		}
	}
	return p
}

func (p *prefilter) symbolFor(r rune) uint8 {
	f := p.fold.slowFold(r)
	if f == noiseRune {
		return p.noise
	}
	return p.symOf[f]
}

// mayMatch reports whether the normalised s contains a pattern.
func (p *prefilter) mayMatch(s string) bool {
	var at uint32 // the current state's row offset in next
	next := p.next
	sym := &p.sym
	first := p.first
	for i := 0; i < len(s); {
		if at == 0 {
			// At the root, a run of CJK runes that start no pattern (no
			// term character, noise, or one that only continues a term)
			// leaves the state where it is: skipped with no transition.
			for ; i+2 < len(s); i += 3 {
				b, b1, b2 := s[i], s[i+1], s[i+2]
				if b-0xE1 > 0xEF-0xE1 || b == 0xED || b1&0xC0 != 0x80 || b2&0xC0 != 0x80 {
					break
				}
				if c := sym[uint16(b&0x0F)<<12|uint16(b1&0x3F)<<6|uint16(b2&0x3F)]; c-1 < first {
					break
				}
			}
			if i == len(s) {
				return false
			}
		}
		var c uint8
		if b := s[i]; b-0xE1 <= 0xEF-0xE1 && b != 0xED && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 {
			// Three-byte runes with lead bytes that admit any continuation
			// (all of CJK) decoded inline.
			c = sym[uint16(b&0x0F)<<12|uint16(s[i+1]&0x3F)<<6|uint16(s[i+2]&0x3F)]
			i += 3
		} else if b < utf8.RuneSelf {
			c = sym[b]
			i++
		} else {
			r, size := utf8.DecodeRuneInString(s[i:])
			i += size
			if r < 0x10000 {
				c = sym[r]
			} else {
				c = p.symbolFor(r)
			}
		}
		if at == 0 && c-1 >= first {
			continue // as above, for any other rune
		}
		if at = next[at+uint32(c)]; at == acceptNext {
			return true
		}
	}
	return false
}

// occurrences appends to occs where the patterns occur in the normalised
// runes r, in the order they end: for each pattern, leftmost first and
// none overlapping the one before, as searching for it again after each
// occurrence finds them.
func (p *prefilter) occurrences(r []rune, occs []occurrence) []occurrence {
	var at uint32 // the current state's row offset in delta
	for k, m := range r {
		var c uint8
		if m < 0x10000 {
			c = p.normSym[m]
		} else {
			c = p.symOf[m]
		}
		at = p.delta[at+uint32(c)]
		if at&outputBit == 0 {
			continue
		}
		at &^= outputBit
		for _, id := range p.out[at/uint32(p.nsym)] {
			o := occurrence{pat: int(id), start: k + 1 - p.patRunes[id], end: k + 1}
			if !overlapsLast(occs, o) {
				occs = append(occs, o)
			}
		}
	}
	return occs
}

// overlapsLast reports whether o overlaps the last occurrence of its
// pattern in occs.
func overlapsLast(occs []occurrence, o occurrence) bool {
	for i := len(occs) - 1; i >= 0; i-- {
		if occs[i].pat == o.pat {
			return o.start < occs[i].end
		}
	}
	return false
}
