package screen

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/regscreen/regscreen/dict"
	"github.com/regscreen/regscreen/internal/fixture"
)

// FuzzNormalize: for any input, every hit maps back to a span of the
// original text that normalises to its term (or one of its variants), and
// the span starts and ends on characters that are not noise.
func FuzzNormalize(f *testing.F) {
	cases, err := fixture.Labelled()
	if err != nil {
		f.Fatal(err)
	}
	for _, c := range cases {
		f.Add(c.Name)
		f.Add(c.Scope)
	}
	f.Add("Ｐ\u200b２ *ｐ網 　貸")
	f.Add("\xff\xfe金\x00融")
	s, err := New(dict.Default())
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if full, _ := s.screenFieldFull(Field{Name: "text", Text: text}, false); s.pre.mayMatch(text) != (len(full) > 0) {
			t.Fatalf("prefilter says %v, full path found %d hits in %q", !(len(full) > 0), len(full), text)
		}
		if !sameOccurrences(s, text) {
			t.Fatalf("the prefilter's automaton and the cloudflare matcher find different occurrences in %q", text)
		}
		res := s.ScreenText(text)
		// check --explain segments every hit where screening may skip it:
		// the verdicts must not differ.
		if ex, _ := s.Explain(text); !reflect.DeepEqual(ex, res) {
			t.Fatalf("Explain and ScreenText differ on %q:\n %+v\n %+v", text, ex, res)
		}
		orig := []rune(text)
		for _, h := range res.Hits {
			if h.Start < 0 || h.End > len(orig) || h.Start >= h.End {
				t.Fatalf("hit %s span [%d,%d) outside text of %d runes", h.Term, h.Start, h.End, len(orig))
			}
			covered := orig[h.Start:h.End]
			if string(covered) != h.Text {
				t.Fatalf("hit Text %q but span holds %q", h.Text, string(covered))
			}
			if s.fold.fold(covered[0]) == noiseRune || s.fold.fold(covered[len(covered)-1]) == noiseRune {
				t.Fatalf("hit %q starts or ends with noise", h.Text)
			}
			norm := s.fold.normString(string(covered))
			term := s.dict.Term(h.Term)
			ok := norm == s.fold.normString(term.Text)
			for _, v := range term.Variants {
				ok = ok || norm == s.fold.normString(v)
			}
			if !ok {
				t.Fatalf("span %q normalises to %q, not to term %q", h.Text, norm, h.Term)
			}
		}
	})
}

// TestFolderTable: the fast-built table agrees with the rule on every rune
// of the BMP, so the list of runes that fold cannot go stale.
func TestFolderTable(t *testing.T) {
	f := newFolder()
	for from := range f.t2s.All {
		if from < 0x3400 {
			t.Fatalf("traditional %U below U+3400: slowFold skips the t2s search there", from)
		}
	}
	for r := rune(0); r < 0x10000; r++ {
		if got, want := f.bmp()[r], f.slowFold(r); got != want {
			t.Fatalf("fold(%U) = %U in the table, %U by the rule", r, got, want)
		}
	}
}

// TestCompatibilityFormsAreNFKC: the generated map holds exactly the BMP
// characters whose NFKC form is one other character, each mapped to it.
func TestCompatibilityFormsAreNFKC(t *testing.T) {
	f := newFolder()
	n := 0
	for r := rune(0); r < 0x10000; r++ {
		if r >= 0xD800 && r < 0xE000 {
			continue
		}
		to := []rune(norm.NFKC.String(string(r)))
		want, wantOK := rune(0), len(to) == 1 && to[0] != r
		if wantOK {
			want = to[0]
			n++
		}
		if got, ok := f.compatFold(r); ok != wantOK || ok && got != want {
			t.Fatalf("compatFold(%U) = %U, %v; NFKC says %U, %v", r, got, ok, want, wantOK)
		}
	}
	if n < 1000 {
		t.Fatalf("only %d compatibility forms", n)
	}
}

// TestPrefilterSymbols: the prefilter, built from the runes that fold
// rather than from the whole table, gives every rune of the BMP the symbol
// of what it folds to.
func TestPrefilterSymbols(t *testing.T) {
	s, err := New(dict.Default())
	if err != nil {
		t.Fatal(err)
	}
	p := s.pre
	for r := rune(0); r < 0x10000; r++ {
		want := p.symOf[s.fold.bmp()[r]]
		if s.fold.bmp()[r] == noiseRune {
			want = p.noise
		}
		if p.sym[r] != want {
			t.Fatalf("symbol of %U = %d, want %d", r, p.sym[r], want)
		}
	}
}

// TestExplainAgreesWithScreen: screening skips segmenting where the
// characters settle a boundary, check --explain always segments; on runs
// of the list's words with terms, cues and frames among them, the verdicts
// must be the same.
func TestExplainAgreesWithScreen(t *testing.T) {
	s, err := New(dict.Default())
	if err != nil {
		t.Fatal(err)
	}
	var words []string
	for line := range strings.Lines(dict.TokenizerWords()) {
		w, _, _ := strings.Cut(strings.TrimSpace(line), " ")
		words = append(words, w)
	}
	extra := []string{"交易所", "交易中心", "金融", "理财", "基金", "支付", "资产管理", "不得", "不再从事", "除", "外", "以外", "除外", "：", "；", "、", "（", "）", "的", "所"}
	rng := rand.New(rand.NewPCG(3, 4))
	states := map[string]int{}
	for range 3000 {
		var b strings.Builder
		for range 3 + rng.IntN(10) {
			if rng.IntN(3) == 0 {
				b.WriteString(extra[rng.IntN(len(extra))])
			} else {
				b.WriteString(words[rng.IntN(len(words))])
			}
		}
		text := b.String()
		res := s.ScreenText(text)
		if ex, _ := s.Explain(text); !reflect.DeepEqual(ex, res) {
			t.Fatalf("Explain and ScreenText differ on %q:\n %+v\n %+v", text, ex, res)
		}
		for _, h := range res.Hits {
			states[h.State()]++
		}
	}
	if len(states) < 3 {
		t.Fatalf("the texts reached too few kinds of hit: %v", states)
	}
	t.Log(states)
}

// sameOccurrences reports whether the prefilter's automaton finds the same
// occurrences in text as the cloudflare matcher (the path without a
// prefilter) does.
func sameOccurrences(s *Screener, text string) bool {
	nt := s.fold.normalize(text)
	defer nt.release()
	a, b := s.pre.occurrences(nt.r, nil), s.matchAll(nt)
	cmp := func(x, y occurrence) int {
		if x.start != y.start {
			return x.start - y.start
		}
		if x.end != y.end {
			return x.end - y.end
		}
		return x.pat - y.pat
	}
	slices.SortFunc(a, cmp)
	slices.SortFunc(b, cmp)
	return slices.Equal(a, b)
}

// TestOccurrencesAgree runs the prefilter's automaton and the cloudflare
// matcher on texts made of pieces of the patterns back to back, where
// occurrences overlap each other and themselves.
func TestOccurrencesAgree(t *testing.T) {
	s, err := New(dict.Default())
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(26, 1))
	for range 20000 {
		var b strings.Builder
		for range 1 + rng.IntN(8) {
			r := []rune(s.patterns[rng.IntN(len(s.patterns))].norm)
			i := rng.IntN(len(r))
			j := i + 1 + rng.IntN(len(r)-i)
			if rng.IntN(3) == 0 {
				i = 0
			}
			b.WriteString(string(r[i:j]))
			if rng.IntN(5) == 0 {
				b.WriteString("，")
			}
		}
		if !sameOccurrences(s, b.String()) {
			t.Fatalf("different occurrences in %q", b.String())
		}
	}
}
