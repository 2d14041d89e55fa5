package screen

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/go-ego/gse"

	"github.com/regscreen/regscreen/dict"
)

// tokenizer finds word boundaries with gse over a trimmed, embedded word list
// plus the dictionary's terms (never gse's 3-second default dictionary).
// It is built once and only read afterwards, so it is safe to share.
type tokenizer struct {
	// joins settles most boundaries without gse (see mayJoin); it is built
	// first and cheaply.
	joins *joinIndex
	// segmenter loads gse (tens of milliseconds) the first time a boundary
	// needs it; `check` on a name whose terms sit at plain boundaries never does.
	segmenter func() (*gse.Segmenter, error)
}

// termFreq makes a term an ordinary, frequent word: frequent enough that a
// term stays one token, not so frequent that 资金融通 splits as 资/金融/通.
const termFreq = "1000"

func newTokenizer(terms []string) *tokenizer {
	var b strings.Builder
	b.WriteString(dict.TokenizerWords())
	for _, t := range terms {
		if !strings.ContainsAny(t, " \t") {
			b.WriteString("\n" + t + " " + termFreq + " nz")
		}
	}
	words := b.String()
	t := &tokenizer{joins: newJoinIndex(words)}
	t.segmenter = sync.OnceValues(func() (*gse.Segmenter, error) {
		seg := &gse.Segmenter{SkipLog: true, NotLoadHMM: true}
		return seg, seg.LoadDictStr(words)
	})
	return t
}

// mayJoin reports whether a token could run across the boundary between
// runes[p] and runes[p+1]. gse's tokens are words of its list or single
// units (a CJK character, a punctuation mark, or a run of Latin letters and
// digits), so when neither a word of the list nor a Latin run covers the
// pair, the boundary is certain and segmenting can be skipped: most hits and
// cues sit next to such a boundary (除|依法, 金融|业务). A false "may" only
// costs the segmentation it would have cost anyway.
func (t *tokenizer) mayJoin(runes []rune, p int) bool {
	x, y := runes[p], runes[p+1]
	if latinUnit(x) && latinUnit(y) {
		return true
	}
	return t.joins.holds(runes, p)
}

// latinUnit reports a rune gse groups with its neighbours into one unit: a
// letter or digit of at most two bytes in UTF-8.
func latinUnit(r rune) bool {
	return utf8.RuneLen(r) <= 2 && (unicode.IsLetter(r) || unicode.IsNumber(r))
}

// span is a half-open range of rune offsets.
type span struct{ start, end int }

// tokens segments runes[from:to] and returns the tokens in runes' offsets,
// or the error that kept gse from loading.
func (t *tokenizer) tokens(runes []rune, from, to int) ([]span, error) {
	seg, err := t.segmenter()
	if err != nil {
		return nil, err
	}
	text := string(runes[from:to])
	segs := seg.Segment([]byte(text))
	out := make([]span, 0, len(segs))
	// gse reports byte offsets; walk the text once to convert them.
	byteToRune := make([]int, len(text)+1)
	i := 0
	for off := range text {
		byteToRune[off] = i
		i++
	}
	byteToRune[len(text)] = i
	for _, s := range segs {
		out = append(out, span{from + byteToRune[s.Start()], from + byteToRune[s.End()]})
	}
	return out, nil
}

// longTerm is the length from which a term is never an accidental sequence
// of characters: 互联网保险经纪 segments as 互联网|保险经纪, but it is still a
// use of 互联网保险. Short terms (金融, 理财, 交易所) are the ones that arise
// by accident (资金|融通, 办理|财产, 交易|所需).
const longTerm = 4

// maxWindow bounds how far around a hit the tokeniser looks: runs of words
// in registration text are short, and segmenting only near hits keeps the
// tokeniser off the hot path.
const maxWindow = 12

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }

func isASCIIAlnum(r rune) bool {
	return r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

var openBrackets = map[rune]rune{')': '(', ']': '[', '}': '{', '】': '【', '〕': '〔', '〗': '〖', '」': '「', '』': '『'}

func isOpen(r rune) bool {
	switch r {
	case '(', '[', '{', '【', '〔', '〖', '「', '『':
		return true
	}
	return false
}

func isClose(r rune) bool { _, ok := openBrackets[r]; return ok }

// isClauseEnd reports a clause terminator (after width folding ；→;).
func isClauseEnd(r rune) bool { return r == ';' || r == '。' }

// display writes a cue with its reach: 不含…, …除外, 除…外.
func (c *cue) display() string {
	switch c.Reach {
	case dict.ReachBefore:
		return "…" + c.Text
	case dict.ReachUntil:
		return c.Text + "…" + c.Until
	}
	return c.Text + "…"
}

// fieldContext holds what is worked out once per field with hits.
type fieldContext struct {
	s       *Screener
	nt      *normText
	runes   []rune // normalised runes
	denials []denial
	done    bool
}

type denial struct {
	span
	cue string
}

func (fc *fieldContext) tokenizer() *tokenizer { return fc.s.tok() }

// window returns the run of word characters around [start,end), bounded.
func (fc *fieldContext) window(start, end int) (int, int) {
	ws, we := start, end
	for ws > 0 && start-ws < maxWindow && isWordRune(fc.runes[ws-1]) {
		ws--
	}
	for we < len(fc.runes) && we-end < maxWindow && isWordRune(fc.runes[we]) {
		we++
	}
	return ws, we
}

// onBoundaries reports whether the occurrence [start,end) is a word of its
// own rather than an accidental sequence, and returns the tokens that cover
// it (for the reason text). Only a word running on past the term's end
// makes it accidental (资金|融通, 交易|所需, 办理|财产); a word that merely
// ends inside its start is, in a company name, nearly always the trade name
// before the industry (宁波合金|融科技, 寿道|理财咨询): still a use.
func (fc *fieldContext) onBoundaries(start, end int) (bool, []span) {
	r := fc.runes
	if isASCIIAlnum(r[start]) && start > 0 && isASCIIAlnum(r[start-1]) ||
		isASCIIAlnum(r[end-1]) && end < len(r) && isASCIIAlnum(r[end]) {
		ws, we := start, end
		for ws > 0 && isASCIIAlnum(r[ws-1]) {
			ws--
		}
		for we < len(r) && isASCIIAlnum(r[we]) {
			we++
		}
		return false, []span{{ws, we}}
	}
	if end-start >= longTerm {
		return true, nil
	}
	t := fc.tokenizer()
	if end == len(r) || !t.mayJoin(r, end-1) {
		return true, nil // a token surely ends where the term does
	}
	ws, we := fc.window(start, end)
	toks, err := t.tokens(r, ws, we)
	if err != nil {
		return true, nil // without a tokeniser every occurrence counts as a use
	}
	endOK := end == we
	var covering []span
	for _, tk := range toks {
		// A token that is itself a term (股权投资基金 in 股权投资基金管理) is
		// no accidental sequence: the overlap is two terms written together.
		isTerm := fc.s.isPattern(r[tk.start:tk.end])
		if tk.end == end || isTerm && tk.start < end && end < tk.end {
			endOK = true
		}
		if tk.end > start && tk.start < end {
			covering = append(covering, tk)
		}
	}
	return endOK, covering
}

// isCueAt reports whether a cue's characters at i are the cue word. A
// one-character cue must be a token of its own (除 but not 除尘, 除湿); a
// longer cue is taken as written, since 不得, 未经, 不含… do not arise by
// accident in registration text (and 不得公开 is one gse token).
func (fc *fieldContext) isCueAt(i, n int) bool {
	if n > 1 {
		return true
	}
	t := fc.tokenizer()
	r := fc.runes
	if (i == 0 || !t.mayJoin(r, i-1)) && (i+1 == len(r) || !t.mayJoin(r, i)) {
		return true // surely a token of its own
	}
	ws, we := fc.window(i, i+n)
	toks, err := t.tokens(fc.runes, ws, we)
	if err != nil {
		return true
	}
	for _, tk := range toks {
		if tk.start == i {
			return tk.end == i+1
		}
	}
	return i == ws && i+1 == we
}

// computeDenials finds every denial cue and the stretch of text it denies.
func (fc *fieldContext) computeDenials() {
	fc.done = true
	r := fc.runes
	// Where any cue could start, found in one pass: the cue-by-cue loop
	// below (longer cues claim their characters first) then visits only these.
	var at []int
	for i, x := range r {
		if slices.Contains(fc.s.cueFirstRunes, x) {
			at = append(at, i)
		}
	}
	if len(at) == 0 {
		return
	}
	taken := make([]bool, len(r))
	for ci := range fc.s.cues {
		c := &fc.s.cues[ci]
		cr := c.r
		if len(cr) == 0 {
			continue
		}
	next:
		for _, i := range at {
			if r[i] != cr[0] || i+len(cr) > len(r) {
				continue
			}
			for k := range cr {
				if r[i+k] != cr[k] || taken[i+k] {
					continue next
				}
			}
			if !fc.isCueAt(i, len(cr)) {
				continue // 除 inside 除尘, 不得 inside 迫不得已: no cue
			}
			for k := range cr {
				taken[i+k] = true
			}
			var d span
			switch c.Reach {
			case dict.ReachBefore:
				d = span{fc.reachBack(i), i + len(cr)}
			case dict.ReachUntil:
				d = span{i, fc.reachForward(i+len(cr), c.until)}
			default:
				d = span{i, fc.reachForward(i+len(cr), nil)}
			}
			fc.denials = append(fc.denials, denial{d, c.shown})
		}
	}
}

// reachForward returns where a denial starting at from ends: at the end of
// its clause or of the bracket that encloses the cue, skipping nested
// brackets; with until, just after that word if it comes first.
func (fc *fieldContext) reachForward(from int, until []rune) int {
	r := fc.runes
	depth := 0
	for j := from; j < len(r); j++ {
		switch {
		case isOpen(r[j]):
			depth++
		case isClose(r[j]):
			if depth == 0 {
				return j
			}
			depth--
		case depth == 0 && isClauseEnd(r[j]):
			return j
		case depth == 0 && len(until) > 0 && hasRunesAt(r, j, until):
			return j + len(until)
		}
	}
	return len(r)
}

// reachBack returns where a denial ending at a cue like 除外 begins: back over
// the 、-separated list to the start of the clause or the enclosing bracket,
// and never past 上述/以上 (those phrases refer back without listing).
func (fc *fieldContext) reachBack(to int) int {
	r := fc.runes
	depth := 0
	for j := to - 1; j >= 0; j-- {
		switch {
		case isClose(r[j]):
			depth++
		case isOpen(r[j]):
			if depth == 0 {
				return j + 1
			}
			depth--
		case depth == 0 && (isClauseEnd(r[j]) || r[j] == ','):
			return j + 1
		case j >= 1 && (r[j-1] == '以' && r[j] == '上' || r[j-1] == '上' && r[j] == '述'):
			return j + 1
		}
	}
	return 0
}

func hasRunesAt(r []rune, i int, w []rune) bool {
	if i+len(w) > len(r) {
		return false
	}
	for k := range w {
		if r[i+k] != w[k] {
			return false
		}
	}
	return true
}

// judge decides what an occurrence is and writes the reason.
func (fc *fieldContext) judge(h *Hit, o occurrence) {
	if !fc.done {
		fc.computeDenials()
	}
	for _, d := range fc.denials {
		if d.start <= o.start && o.end <= d.end {
			h.Denied = true
			h.Cue = d.cue
			// Concatenation, not Sprintf: denied hits are the most frequent.
			h.Reason = FieldLabel(h.Field) + "中的“" + h.Text + "”位于否定/排除表述“" + d.cue + "”之内，并非使用该词"
			return
		}
	}
	pat := fc.s.patterns[o.pat].norm
	for _, b := range fc.s.benign {
		if !strings.Contains(b.norm, pat) {
			continue
		}
		for st := max(0, o.end-len(b.r)); st <= o.start; st++ {
			if hasRunesAt(fc.runes, st, b.r) {
				h.Benign = true
				h.Context = b.Text
				break
			}
		}
		if h.Benign {
			break
		}
	}
	ok, covering := fc.onBoundaries(o.start, o.end)
	if !ok {
		h.Straddling = true
		if !h.Benign {
			words := make([]string, len(covering))
			for i, c := range covering {
				words[i] = string(fc.runes[c.start:c.end])
			}
			h.Context = strings.Join(words, "|")
		}
	}
	switch {
	case h.Benign:
		note := ""
		for _, b := range fc.s.benign {
			if b.Text == h.Context && b.Note != "" {
				note = "（" + b.Note + "）"
			}
		}
		h.Reason = fmt.Sprintf("%s中的“%s”出现在常见用语“%s”%s中，仍属使用该词但风险不同，请人工复核", FieldLabel(h.Field), h.Text, h.Context, note)
	case h.Straddling:
		h.Reason = fmt.Sprintf("%s中的“%s”横跨词语边界（%s），可能只是字面巧合，请人工复核", FieldLabel(h.Field), h.Text, h.Context)
	default:
		reg := ""
		if h.Regulator != "" {
			reg = "，牵头：" + h.Regulator
		}
		ev := ""
		if len(h.Evasions) > 0 {
			parts := make([]string, len(h.Evasions))
			for i, e := range h.Evasions {
				parts[i] = string(e)
			}
			ev = "（变形写法：" + strings.Join(parts, "、") + "，仍视为使用）"
		}
		h.Reason = fmt.Sprintf("%s使用限制性用语“%s”%s，属%s类，需提交注册登记会商%s", FieldLabel(h.Field), h.Term, ev, h.Group, reg)
	}
}
