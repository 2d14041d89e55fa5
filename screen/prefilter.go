package screen

import "unicode/utf8"

// prefilter answers "does this text, once normalised, contain any term?"
// in one pass over the original bytes, without building the normalised
// text. Most records contain no term, so the full path (normalise, the
// cloudflare matcher, positions, judging) runs only for the few that do.
//
// It is an Aho-Corasick automaton over a small alphabet: each rune is
// mapped through a 64 KiB table to the symbol of the term character it
// folds to (0 for any other character, noiseSym for noise, which is
// skipped just as normalisation drops it). The answer is exact, not a
// guess: it accepts exactly when the normalised text holds a pattern.
type prefilter struct {
	sym    [0x10000]uint8
	nsym   int
	delta  []uint16 // state*nsym + symbol → next state
	accept []bool
	fold   *folder
	symOf  map[rune]uint8 // folded term rune → symbol (for runes beyond the BMP)
}

const noiseSym = 0xFF

func newPrefilter(f *folder, patterns []string) *prefilter {
	p := &prefilter{fold: f, symOf: map[rune]uint8{}}
	next := uint8(1)
	for _, pat := range patterns {
		for _, r := range pat {
			if _, ok := p.symOf[r]; !ok {
				if next == noiseSym {
					return nil // too many distinct characters: no prefilter
				}
				p.symOf[r] = next
				next++
			}
		}
	}
	p.nsym = int(next)
	// Every rune's symbol from the fold table, with term runes looked up
	// in an array rather than the map: this runs at every start-up.
	var bySym [0x10000]uint8
	for r, c := range p.symOf {
		if r < 0x10000 {
			bySym[r] = c
		}
	}
	for r := range p.sym {
		switch fr := f.bmp[r]; {
		case fr == noiseRune:
			p.sym[r] = noiseSym
		case fr >= 0 && fr < 0x10000:
			p.sym[r] = bySym[fr]
		default:
			p.sym[r] = p.symOf[fr]
		}
	}
	// Build the trie.
	goTo := []map[uint8]int{{}}
	p.accept = []bool{false}
	for _, pat := range patterns {
		s := 0
		for _, r := range pat {
			c := p.symOf[r]
			t, ok := goTo[s][c]
			if !ok {
				t = len(goTo)
				goTo = append(goTo, map[uint8]int{})
				p.accept = append(p.accept, false)
				goTo[s][c] = t
			}
			s = t
		}
		p.accept[s] = true
	}
	// Breadth-first: failure links folded into a full transition table.
	n := len(goTo)
	p.delta = make([]uint16, n*p.nsym)
	fail := make([]int, n)
	queue := []int{}
	for c := 1; c < p.nsym; c++ {
		if t, ok := goTo[0][uint8(c)]; ok {
			p.delta[c] = uint16(t)
			queue = append(queue, t)
		}
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		if p.accept[fail[s]] {
			p.accept[s] = true
		}
		for c := 1; c < p.nsym; c++ {
			if t, ok := goTo[s][uint8(c)]; ok {
				fail[t] = int(p.delta[fail[s]*p.nsym+c])
				p.delta[s*p.nsym+c] = uint16(t)
				queue = append(queue, t)
			} else {
				p.delta[s*p.nsym+c] = p.delta[fail[s]*p.nsym+c]
			}
		}
	}
	return p
}

func (p *prefilter) symbolFor(r rune) uint8 {
	f := p.fold.fold(r)
	if f == noiseRune {
		return noiseSym
	}
	return p.symOf[f]
}

// mayMatch reports whether the normalised s contains a pattern.
func (p *prefilter) mayMatch(s string) bool {
	state := 0
	nsym := p.nsym
	for i := 0; i < len(s); {
		var c uint8
		if b := s[i]; b < utf8.RuneSelf {
			c = p.sym[b]
			i++
		} else if b&0xF0 == 0xE0 && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 {
			// Three-byte runes (all of CJK) decoded inline: the hot path.
			r := rune(b&0x0F)<<12 | rune(s[i+1]&0x3F)<<6 | rune(s[i+2]&0x3F)
			if r < 0x800 || r >= 0xD800 && r <= 0xDFFF {
				r = utf8.RuneError // overlong or surrogate: as DecodeRune sees it
				i++
			} else {
				i += 3
			}
			c = p.sym[r]
		} else {
			r, size := utf8.DecodeRuneInString(s[i:])
			i += size
			if r < 0x10000 {
				c = p.sym[r]
			} else {
				c = p.symbolFor(r)
			}
		}
		if c == noiseSym {
			continue
		}
		state = int(p.delta[state*nsym+int(c)])
		if p.accept[state] {
			return true
		}
	}
	return false
}
