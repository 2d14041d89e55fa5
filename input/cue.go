package input

import "strings"

// cueFinder says whether a text holds a fixed string (a header's cue),
// which the reading goroutine asks of most short rows. strings.Contains
// looks for the cue's first byte, which in Chinese text is a lead byte
// (E4–E9) met every third byte; cueFinder looks instead for the cue's
// byte that is rarest in the rows seen so far, and compares the cue
// around each one found: over real registers half the time.
type cueFinder struct {
	cue  string
	k    int // the byte of cue looked for; -1 until chosen
	seen int // bytes counted in freq
	freq [256]int
}

// cueSample is how many bytes of rows are counted before the byte to
// look for is chosen.
const cueSample = 64 << 10

func newCueFinder(cue string) *cueFinder { return &cueFinder{cue: cue, k: -1} }

// in reports whether text holds the cue.
func (f *cueFinder) in(text string) bool {
	if f.k < 0 {
		f.count(text)
		return strings.Contains(text, f.cue)
	}
	sub, k := f.cue, f.k
	c := sub[k]
	for from, fails := k, 0; from < len(text); fails++ {
		if fails == 8 {
			// A text full of the byte: strings.Contains bounds the work.
			return strings.Contains(text[from-k:], sub)
		}
		i := strings.IndexByte(text[from:], c)
		if i < 0 {
			return false
		}
		if p := from + i - k; p+len(sub) <= len(text) && text[p:p+len(sub)] == sub {
			return true
		}
		from += i + 1
	}
	return false
}

// count adds text's bytes to the sample, and once it is large enough
// chooses the cue's rarest byte.
func (f *cueFinder) count(text string) {
	for i := 0; i < len(text); i++ {
		f.freq[text[i]]++
	}
	if f.seen += len(text); f.seen < cueSample || f.cue == "" {
		return
	}
	f.k = 0
	for k := 1; k < len(f.cue); k++ {
		if f.freq[f.cue[k]] < f.freq[f.cue[f.k]] {
			f.k = k
		}
	}
}
