package screen

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/go-ego/gse"

	"github.com/regscreen/regscreen/dict"
	"github.com/regscreen/regscreen/internal/fixture"
)

// testTexts are the labelled cases and random runs of the tokeniser's own
// words, which join in every way the word list allows.
func testTexts(t *testing.T, n int) []string {
	t.Helper()
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
	for range n {
		var b strings.Builder
		for range 2 + rng.IntN(8) {
			b.WriteString(words[rng.IntN(len(words))])
		}
		texts = append(texts, b.String())
	}
	return texts
}

// TestSegmenterAgreesWithGse holds the hand-written segmenter to gse loaded
// with the same list: the same tokens, the same parts of speech.
func TestSegmenterAgreesWithGse(t *testing.T) {
	s, err := New(dict.Default())
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString(dict.TokenizerWords())
	for _, p := range s.patterns {
		b.WriteString("\n" + p.norm + " 100 nz")
	}
	seg := &gse.Segmenter{SkipLog: true, NotLoadHMM: true}
	if err := seg.LoadDictStr(b.String()); err != nil {
		t.Fatal(err)
	}
	mine := s.tok().seg()
	for _, text := range testTexts(t, 3000) {
		r := s.fold.normalize(text).r
		got := mine.segment(r, 0)
		want := gseTokens(seg, r)
		if !slices.Equal(got, want) {
			t.Fatalf("%q:\n got  %v\n want %v", string(r), show(r, got), show(r, want))
		}
	}
}

// gseTokens segments runes with gse and returns the tokens in rune offsets.
func gseTokens(seg *gse.Segmenter, r []rune) []token {
	text := string(r)
	byteToRune := make([]int, len(text)+1)
	i := 0
	for off := range text {
		byteToRune[off] = i
		i++
	}
	byteToRune[len(text)] = i
	var out []token
	for _, sg := range seg.Segment([]byte(text)) {
		out = append(out, token{span{byteToRune[sg.Start()], byteToRune[sg.End()]}, sg.Token().Pos()})
	}
	return out
}

func show(r []rune, toks []token) string {
	var parts []string
	for _, tk := range toks {
		parts = append(parts, string(r[tk.start:tk.end])+"/"+tk.pos)
	}
	return strings.Join(parts, "|")
}

// TestMayJoinAgreesWithSegmenter: wherever mayJoin says no token can cross
// a boundary, the segmenter indeed puts one there, both over the whole
// text and over the bounded window the judge segments.
func TestMayJoinAgreesWithSegmenter(t *testing.T) {
	s, err := New(dict.Default())
	if err != nil {
		t.Fatal(err)
	}
	tok := s.tok()
	skipped := 0
	for _, text := range testTexts(t, 3000) {
		r := s.fold.normalize(text).r
		if len(r) < 2 {
			continue
		}
		boundary := map[int]bool{}
		for _, tk := range tok.tokens(r, 0, len(r)) {
			boundary[tk.end] = true
		}
		for p := 0; p+1 < len(r); p++ {
			if tok.mayJoin(r, p) {
				continue
			}
			skipped++
			if !boundary[p+1] {
				t.Fatalf("%q: mayJoin says no token crosses %q|%q, but the segmenter joins them", text, string(r[:p+1]), string(r[p+1:]))
			}
			fc := &fieldContext{s: s, runes: r}
			ws, we := fc.window(p, p+1)
			win := false
			for _, tk := range tok.tokens(r, ws, we) {
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
	t.Logf("%d boundaries ruled certain without segmenting", skipped)
}

// TestCJKAreLetters: isWordRune takes the block of CJK Unified Ideographs
// as letters without asking unicode; hold it to unicode.
func TestCJKAreLetters(t *testing.T) {
	for r := rune(cjkFirst); r <= cjkLast; r++ {
		if !unicode.IsLetter(r) {
			t.Fatalf("%U is not a letter", r)
		}
	}
}

// TestCueFirst holds the bit set of the runes a cue can start with to the
// list.
func TestCueFirst(t *testing.T) {
	s, err := New(dict.Default())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for r := rune(0); r < 0x10000; r++ {
		if s.cueFirst(r) != slices.Contains(s.cueFirstRunes, r) {
			t.Fatalf("cueFirst(%U) = %v", r, s.cueFirst(r))
		}
		if s.cueFirst(r) {
			n++
		}
	}
	if n == 0 || n != len(s.cueFirstRunes) {
		t.Fatalf("%d runes in the bit set, %d in the list", n, len(s.cueFirstRunes))
	}
}
