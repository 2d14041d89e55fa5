package screen

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/regscreen/regscreen/dict"
	"github.com/regscreen/regscreen/internal/fixture"
)

// TestMayJoinAgreesWithGse: wherever mayJoin says no token can cross a
// boundary, gse indeed puts one there, both over the whole text and over
// the bounded window the judge segments. The texts are the labelled cases
// and random runs of the tokeniser's own words, which join in every way
// the word list allows.
func TestMayJoinAgreesWithGse(t *testing.T) {
	s, err := New(dict.Default())
	if err != nil {
		t.Fatal(err)
	}
	tok := s.tok()
	if _, err := tok.segmenter(); err != nil {
		t.Fatal(err)
	}
	var texts []string
	cases, err := fixture.Labelled()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		texts = append(texts, c.Name, c.Scope)
	}
	var words []string
	for line := range strings.Lines(dict.TokenizerWords()) {
		w, _, _ := strings.Cut(strings.TrimSpace(line), " ")
		words = append(words, w)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 3000 {
		var b strings.Builder
		for range 2 + rng.IntN(8) {
			b.WriteString(words[rng.IntN(len(words))])
		}
		texts = append(texts, b.String())
	}
	skipped := 0
	for _, text := range texts {
		r := s.fold.normalize(text).r
		if len(r) < 2 {
			continue
		}
		boundary := map[int]bool{}
		toks, _ := tok.tokens(r, 0, len(r))
		for _, tk := range toks {
			boundary[tk.end] = true
		}
		for p := 0; p+1 < len(r); p++ {
			if tok.mayJoin(r, p) {
				continue
			}
			skipped++
			if !boundary[p+1] {
				t.Fatalf("%q: mayJoin says no token crosses %q|%q, but gse joins them", text, string(r[:p+1]), string(r[p+1:]))
			}
			fc := &fieldContext{s: s, runes: r}
			ws, we := fc.window(p, p+1)
			win := false
			wtoks, _ := tok.tokens(r, ws, we)
			for _, tk := range wtoks {
				win = win || tk.end == p+1
			}
			if !win && p+1 != we {
				t.Fatalf("%q: no token boundary at %d in window [%d,%d)", text, p+1, ws, we)
			}
		}
	}
	if skipped == 0 {
		t.Fatal("mayJoin never ruled a boundary certain")
	}
	t.Logf("%d texts, %d boundaries ruled certain without segmenting", len(texts), skipped)
}
