// Package screen is the engine: it normalises a record's text, finds the
// restricted terms, judges each occurrence (used, denied, straddling words,
// benign context) and gives the record a verdict with reasons. It knows
// nothing of files or flags; one Screener is safe to share between
// goroutines.
package screen

import (
	"bytes"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/cloudflare/ahocorasick"

	"github.com/regscreen/regscreen/dict"
)

// Verdict is the outcome for a record.
type Verdict string

const (
	Refer  Verdict = "refer"  // a restricted term is used: send to 注册登记会商
	Review Verdict = "review" // only occurrences that need a human look
	Clear  Verdict = "clear"  // no occurrence, or every one denied
	Exempt Verdict = "exempt" // uses a term but is exempt: see Result.Exemption
)

// Label is the verdict as a clerk reads it.
func (v Verdict) Label() string {
	switch v {
	case Refer:
		return "送会商"
	case Review:
		return "待复核"
	case Clear:
		return "无需处理"
	case Exempt:
		return "豁免"
	}
	return string(v)
}

// Field is one piece of text to screen, e.g. the registered name.
type Field struct {
	Name string // "name", "scope", or the header of another text column
	Text string
}

// FieldLabel names a field in Chinese.
func FieldLabel(name string) string {
	switch name {
	case "name":
		return "名称"
	case "scope":
		return "经营范围"
	case "text":
		return "文本"
	}
	return name
}

// Hit is one occurrence of a term in a field.
type Hit struct {
	Term       string    `json:"term"`
	Group      string    `json:"group"`
	Regulator  string    `json:"regulator,omitempty"`
	Field      string    `json:"field"`
	Start      int       `json:"start"` // rune offset in the field's original text
	End        int       `json:"end"`   // exclusive
	Text       string    `json:"text"`  // the original characters covered
	Denied     bool      `json:"denied"`
	Straddling bool      `json:"straddling"`
	Benign     bool      `json:"benign"`
	Evasions   []Evasion `json:"evasions"`
	Reason     string    `json:"reason"`
	Cue        string    `json:"cue,omitempty"`     // the denial cue, when denied
	Context    string    `json:"context,omitempty"` // the benign phrase or the words straddled
}

// Used reports whether the hit is a use of the term that calls for referral.
func (h *Hit) Used() bool { return !h.Denied && !h.Straddling && !h.Benign }

// State names what the hit is, for a clerk: 使用, 否定, 常见用语 or 跨词.
func (h *Hit) State() string {
	switch {
	case h.Denied:
		return "否定"
	case h.Benign:
		return "常见用语"
	case h.Straddling:
		return "跨词"
	}
	return "使用"
}

// NeedsReview reports whether the hit needs a human look.
func (h *Hit) NeedsReview() bool { return !h.Denied && (h.Straddling || h.Benign) }

// Result is the verdict on one record with every hit.
type Result struct {
	Verdict Verdict `json:"verdict"`
	Hits    []Hit   `json:"hits"`
	// Exemption says why a record that uses a term is not referred
	// (Verdict is then Exempt).
	Exemption *Exemption `json:"exemption,omitempty"`
}

// Terms lists the distinct terms that count for the verdict, in the order
// first found: the used ones when the record is (or, exempt, would be)
// referred; otherwise those that need a look. Denied ones never count.
func (r *Result) Terms() []string {
	used := false
	for i := range r.Hits {
		used = used || r.Hits[i].Used()
	}
	var out []string
	for i := range r.Hits {
		h := &r.Hits[i]
		if h.Denied || used && !h.Used() || contains(out, h.Term) {
			continue
		}
		out = append(out, h.Term)
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// pattern is one normalised string the matcher looks for.
type pattern struct {
	norm    string
	term    *dict.Term
	written string // the spelling in the dictionary (term or variant)
	variant bool
	runes   int
	except  [][]rune // the term's exceptions, normalised
}

type cue struct {
	dict.Cue
	r      []rune   // the cue, normalised
	until  []rune   // the word that ends its reach (ReachUntil), normalised
	except [][]rune // Except, normalised
	shown  string   // as reasons write it: 不含…, …除外, 除…外
}

type benign struct {
	dict.Benign
	norm   string
	r      []rune   // norm as runes
	except [][]rune // Except, normalised
}

func (s *Screener) normAll(list []string) [][]rune {
	out := make([][]rune, len(list))
	for i, x := range list {
		out[i] = []rune(s.fold.normString(x))
	}
	return out
}

// Screener screens records against one dictionary.
type Screener struct {
	dict          *dict.Dictionary
	version       string
	fold          *folder
	patterns      []pattern
	matcher       func() *ahocorasick.Matcher // built when first needed: only without a prefilter
	cues          []cue
	benign        []benign
	cueFirstRunes []rune                // the runes a cue can start with
	cueFirstBMP   *[0x10000 / 64]uint64 // the same, those in the BMP as a bit set
	tok           func() *tokenizer
	pre           *prefilter
}

var sharedFolder = sync.OnceValue(newFolder)

// New builds a Screener. Building costs a few milliseconds; the tokeniser is
// loaded on the first record that has a hit.
func New(d *dict.Dictionary) (*Screener, error) {
	s := &Screener{dict: d, version: d.Version(), fold: sharedFolder()}
	seen := map[string]bool{}
	add := func(t *dict.Term, written string, variant bool) error {
		n := s.fold.normString(written)
		if n == "" {
			return fmt.Errorf("限制词 %q 规范化后为空", written)
		}
		if seen[n] { // cloudflare/ahocorasick reports only the last of duplicates
			return nil
		}
		seen[n] = true
		s.patterns = append(s.patterns, pattern{norm: n, term: t, written: written, variant: variant, runes: len([]rune(n)), except: s.normAll(t.Except)})
		return nil
	}
	for i := range d.Terms {
		t := &d.Terms[i]
		if err := add(t, t.Text, false); err != nil {
			return nil, err
		}
		for _, v := range t.Variants {
			if err := add(t, v, true); err != nil {
				return nil, err
			}
		}
	}
	if len(s.patterns) == 0 {
		return nil, fmt.Errorf("词典中没有任何限制词")
	}
	pats := make([]string, len(s.patterns))
	for i, p := range s.patterns {
		pats[i] = p.norm
	}
	// Building the matcher is a third of New's cost and `check` on a name
	// without a hit never needs it: built when first needed, like the
	// tokeniser.
	s.matcher = sync.OnceValue(func() *ahocorasick.Matcher { return ahocorasick.NewStringMatcher(pats) })
	for _, c := range d.Cues {
		cu := cue{Cue: c, r: []rune(s.fold.normString(c.Text)), until: []rune(s.fold.normString(c.Until)), except: s.normAll(c.Except)}
		cu.shown = cu.display()
		s.cues = append(s.cues, cu)
		if len(cu.r) > 0 && !slices.Contains(s.cueFirstRunes, cu.r[0]) {
			s.cueFirstRunes = append(s.cueFirstRunes, cu.r[0])
		}
	}
	s.cueFirstBMP = new([0x10000 / 64]uint64)
	for _, r := range s.cueFirstRunes {
		if r < 0x10000 {
			s.cueFirstBMP[r/64] |= 1 << (r % 64)
		}
	}
	// Longer cues first, so that 除外 is found before 除 at the same place.
	sort.SliceStable(s.cues, func(i, j int) bool { return len(s.cues[i].r) > len(s.cues[j].r) })
	for _, b := range d.Benign {
		n := s.fold.normString(b.Text)
		s.benign = append(s.benign, benign{Benign: b, norm: n, r: []rune(n), except: s.normAll(b.Except)})
	}
	s.tok = sync.OnceValue(func() *tokenizer { return newTokenizer(pats) })
	s.pre = newPrefilter(s.fold, pats)
	return s, nil
}

// cueFirst reports whether a cue can start with r.
func (s *Screener) cueFirst(r rune) bool {
	if r >= 0 && r < 0x10000 {
		return s.cueFirstBMP[r/64]&(1<<(r%64)) != 0
	}
	return slices.Contains(s.cueFirstRunes, r)
}

// DictVersion is the version of the dictionary in force.
func (s *Screener) DictVersion() string { return s.version }

// Dictionary is the dictionary in force.
func (s *Screener) Dictionary() *dict.Dictionary { return s.dict }

// Screen judges one record.
func (s *Screener) Screen(fields []Field) Result {
	var res Result
	for _, f := range fields {
		if h := s.screenField(f); res.Hits == nil {
			res.Hits = h // most records have hits in one field at most: no copy
		} else {
			res.Hits = append(res.Hits, h...)
		}
	}
	res.Verdict = verdictOf(res.Hits)
	return res
}

// verdictOf is a record's verdict from its hits: referred if any term is
// used, for review if any needs it, else clear.
func verdictOf(hits []Hit) Verdict {
	v := Clear
	for i := range hits {
		if hits[i].Used() {
			return Refer
		}
		if hits[i].NeedsReview() {
			v = Review
		}
	}
	return v
}

// ScreenText judges a free text, as `check` does.
func (s *Screener) ScreenText(text string) Result {
	return s.Screen([]Field{{Name: "text", Text: text}})
}

// occurrence is a match in normalised rune offsets.
type occurrence struct {
	pat        int
	start, end int
}

func (s *Screener) screenField(f Field) []Hit {
	if f.Text == "" || s.pre != nil && !s.pre.mayMatch(f.Text) {
		return nil
	}
	hits, _ := s.screenFieldFull(f, false)
	return hits
}

// Explanation is how one hit was judged, for `check --explain`.
type Explanation struct {
	Hit    Hit
	Window string   // the normalised text around the hit
	Tokens []string // the window's tokens, as the tokeniser split them
	// Readings are the two readings compared when the best one alone does
	// not decide: the term as one word, and the best with a word over its end.
	Readings []string
	Cue      string // the cue whose reach covers the hit, or why none does
	Reach    string // the normalised text the cue denies
	Rule     string // the rule that decided
}

// Explain screens a free text as ScreenText does and says, for each hit,
// what decided it.
func (s *Screener) Explain(text string) (Result, []Explanation) {
	f := Field{Name: "text", Text: text}
	var expl []Explanation
	var res Result
	if text != "" {
		res.Hits, expl = s.screenFieldFull(f, true)
	}
	res.Verdict = verdictOf(res.Hits)
	return res, expl
}

// screenFieldFull is the full path: normalise, match, judge.
func (s *Screener) screenFieldFull(f Field, explain bool) ([]Hit, []Explanation) {
	nt := s.fold.normalize(f.Text)
	defer nt.release()
	var occs []occurrence
	if s.pre != nil {
		occs = s.pre.occurrences(nt.r, nt.occs[:0])
		nt.occs = occs
	} else {
		occs = s.matchAll(nt)
	}
	occs = mostSpecific(occs, nt.kept[:0])
	nt.kept = occs
	if len(occs) == 0 {
		return nil, nil
	}
	fc := &fieldContext{s: s, nt: nt, runes: nt.r, explain: explain}
	hits := make([]Hit, 0, len(occs))
	for _, o := range occs {
		p := &s.patterns[o.pat]
		os, oe := nt.origSpan(o.start, o.end)
		h := Hit{
			Term: p.term.Text, Group: p.term.Group, Regulator: p.term.Regulator,
			Field: f.Name, Start: os, End: oe, Text: nt.origText(f.Text, o.start, o.end),
		}
		h.Evasions = s.fold.evasions(h.Text, p.written, p.variant)
		if h.Evasions == nil {
			h.Evasions = []Evasion{}
		}
		fc.judge(&h, o)
		hits = append(hits, h)
	}
	return hits, fc.expl
}

// matchAll finds the occurrences of every pattern in nt with the
// cloudflare matcher, when there is no prefilter to find them.
func (s *Screener) matchAll(nt *normText) []occurrence {
	var occs []occurrence
	b, starts := nt.utf8()
	for _, id := range s.matcher().MatchThreadSafe(b) {
		p := []byte(s.patterns[id].norm)
		for off := 0; ; {
			j := bytes.Index(b[off:], p)
			if j < 0 {
				break
			}
			st, _ := slices.BinarySearch(starts, int32(off+j))
			occs = append(occs, occurrence{pat: id, start: st, end: st + s.patterns[id].runes})
			off += j + len(p)
		}
	}
	return occs
}

// mostSpecific appends to out, for overlapping occurrences, the most
// specific term for a span: one strictly inside another is dropped (基金
// inside 股权投资基金); occurrences that cover different characters are all
// kept.
func mostSpecific(occs, out []occurrence) []occurrence {
	slices.SortFunc(occs, func(a, b occurrence) int {
		if a.start != b.start {
			return a.start - b.start
		}
		return b.end - a.end
	})
	for i, o := range occs {
		inside := false
		for j, p := range occs {
			if i != j && p.start <= o.start && o.end <= p.end && (p.end-p.start > o.end-o.start || j < i) {
				inside = true
				break
			}
		}
		if !inside {
			out = append(out, o)
		}
	}
	return out
}

// Reasons joins the hits' reasons for a one-cell summary.
func (r *Result) Reasons() string {
	var parts []string
	if r.Exemption != nil {
		parts = append(parts, r.Exemption.Reason())
	}
	for i := range r.Hits {
		if !contains(parts, r.Hits[i].Reason) {
			parts = append(parts, r.Hits[i].Reason)
		}
	}
	return strings.Join(parts, "；")
}
