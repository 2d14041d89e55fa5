package screen

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/regscreen/regscreen/dict"
)

// tokenizer finds word boundaries the way gse does with its full
// dictionary, over a trimmed, embedded word list that keeps the full list's
// total frequency (dict/internal/gendata) plus the dictionary's terms.
// It is built once and only read afterwards, so it is safe to share.
type tokenizer struct {
	// joins settles most boundaries without segmenting (see mayJoin). It
	// costs about what loading the segmenter costs, so it is built only
	// once a run has asked enough boundaries to repay it: a scan soon does,
	// `check` on a few names never does and loads one structure, not two.
	joins func() *joinIndex
	asked atomic.Int64
	seg   func() *segmenter
}

// joinsAfter is how many boundary questions are answered by segmenting
// before the join index is built.
const joinsAfter = 200

// termFreq is the frequency of a clerk's own term that the word list lacks:
// a middling word's, so that it is a token where nothing likelier competes.
const termFreq = 100

func newTokenizer(terms []string) *tokenizer {
	list := dict.TokenizerWords()
	var b strings.Builder
	b.WriteString(list)
	var extra []string
	for _, t := range terms {
		if !strings.ContainsAny(t, " \t") {
			b.WriteString("\n" + t + " 1 nz") // only for the join index
			extra = append(extra, t)
		}
	}
	withTerms := b.String()
	t := &tokenizer{joins: sync.OnceValue(func() *joinIndex { return newJoinIndex(withTerms) })}
	t.seg = sync.OnceValue(func() *segmenter { return newSegmenter(list, extra, termFreq) })
	return t
}

// mayJoin reports whether a token could run across the boundary between
// runes[p] and runes[p+1]. Tokens are words of the list or single units (a
// CJK character, a punctuation mark, or a run of Latin letters and digits),
// so when neither a word of the list nor a Latin run covers the pair, the
// boundary is certain and segmenting can be skipped. A false "may" only
// costs the segmentation it would have cost anyway.
func (t *tokenizer) mayJoin(runes []rune, p int) bool {
	x, y := runes[p], runes[p+1]
	if latinUnit(x) && latinUnit(y) {
		return true
	}
	if t.asked.Load() < joinsAfter && t.asked.Add(1) <= joinsAfter {
		return true // "may": the caller segments, which is always right
	}
	return t.joins().holds(runes, p)
}

// latinUnit reports a rune grouped with its neighbours into one unit: a
// letter or digit of at most two bytes in UTF-8.
func latinUnit(r rune) bool {
	return utf8.RuneLen(r) <= 2 && (unicode.IsLetter(r) || unicode.IsNumber(r))
}

// span is a half-open range of rune offsets.
type span struct{ start, end int }

// tokens segments runes[from:to] and returns the tokens in runes' offsets.
func (t *tokenizer) tokens(runes []rune, from, to int) []token {
	return t.seg().segment(runes[from:to], from)
}

// longTerm is the length from which a term is never an accidental sequence
// of characters: 互联网保险经纪 segments as 互联网|保险经纪, but it is still a
// use of 互联网保险. Short terms (金融, 理财, 交易所) are the ones that arise
// by accident (资金|融通, 办理|财产, 交易|所需).
const longTerm = 4

// maxWindow bounds how far around a hit the tokeniser looks: runs of words
// in registration text are short, and segmenting only near hits keeps the
// tokeniser off the hot path. A path of least distance rarely changes
// more than a few words away, so this agrees with segmenting the whole
// field (the differential test measures it).
const maxWindow = 16

func isWordRune(r rune) bool {
	if cjkFirst <= r && r <= cjkLast {
		return true // the CJK Unified Ideographs, all letters (TestCJKAreLetters): most runes
	}
	return unicode.IsLetter(r) || unicode.IsNumber(r)
}

// cjkFirst and cjkLast bound the block of CJK Unified Ideographs.
const cjkFirst, cjkLast = 0x4E00, 0x9FFF

func isASCIIAlnum(r rune) bool {
	return r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

func isOpen(r rune) bool {
	switch r {
	case '(', '[', '{', '【', '〔', '〖', '「', '『':
		return true
	}
	return false
}

func isClose(r rune) bool {
	switch r {
	case ')', ']', '}', '】', '〕', '〗', '」', '』':
		return true
	}
	return false
}

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
	// explain, when set, makes judge segment every hit and note each step
	// in expl (check --explain); screening leaves it off.
	explain bool
	expl    []Explanation
	notes   []string // cues read as no cue, for check --explain
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

// adjacent reports whether normalised runes k-1 and k were side by side in
// the original: a space dropped as noise between Latin words (p2p lending)
// still separates them.
func (fc *fieldContext) adjacent(k int) bool {
	return fc.nt == nil || fc.nt.orig[k] == fc.nt.orig[k-1]+1
}

// boundaryVerdict is what the tokens say about one occurrence.
type boundaryVerdict struct {
	straddles bool
	covering  []span  // the tokens over the occurrence, for the reason
	tokens    []token // the window's best reading, when segmented
	// whole and without are the best readings with the term one word and
	// with a word boundary inside it, when compared (check --explain).
	whole, without reading
	compared       bool    // whether a word runs over the end, so d is set
	d              float32 // whole.cost − without.cost
	rule           string  // the rule that decided, for check --explain
}

// explained is the rule with the readings' difference, for check --explain
// (formatted only there: screening never needs it).
func (v *boundaryVerdict) explained() string {
	if !v.compared {
		return v.rule
	}
	more := "多"
	if v.d < 0 {
		more = "少"
	}
	return fmt.Sprintf("%s（整词读法比不含该词的读法%s %.1f，阈值 %d）", v.rule, more, max(v.d, -v.d), margin)
}

// reading is one segmentation of a window with its total distance.
type reading struct {
	toks []token
	cost float32
}

// onBoundaries decides whether the occurrence [start,end) is a word of its
// own rather than an accidental sequence of characters.
func (fc *fieldContext) onBoundaries(start, end int) boundaryVerdict {
	r := fc.runes
	if isASCIIAlnum(r[start]) && start > 0 && isASCIIAlnum(r[start-1]) && fc.adjacent(start) ||
		isASCIIAlnum(r[end-1]) && end < len(r) && isASCIIAlnum(r[end]) && fc.adjacent(end) {
		ws, we := start, end
		for ws > 0 && isASCIIAlnum(r[ws-1]) && fc.adjacent(ws) {
			ws--
		}
		for we < len(r) && isASCIIAlnum(r[we]) && fc.adjacent(we) {
			we++
		}
		return boundaryVerdict{straddles: true, covering: []span{{ws, we}},
			rule: "字母数字串“" + string(r[ws:we]) + "”比该词长，该词只是其中一段"}
	}
	t := fc.tokenizer()
	if !fc.explain && !particleAfter(r, end) && (end == len(r) || !t.mayJoin(r, end-1)) {
		return boundaryVerdict{rule: "结尾处必是词的边界"} // no word of the list runs on past it
	}
	ws, we := fc.window(start, end)
	return decide(t.seg(), r, ws, we, start, end, fc.explain)
}

// particleAfter reports whether the term at [,e) ends in 所 with a word
// after it: whether 所 may be the particle 所 of 所V.
func particleAfter(r []rune, e int) bool {
	return r[e-1] == '所' && e < len(r) && isWordRune(r[e])
}

// functionVerbs are the one-character copulas and modals that follow a
// subject, not the 所 of 所V: 交易所是会员制法人, 交易所可开展现货交易.
const functionVerbs = "是有在为会能可应要将已"

// margin is how much likelier (in bits of distance, 2^5 = 32 times) one
// reading must be than the other to decide alone; between the two, the
// characters at the term's end decide, and in doubt the term is used.
const margin = 5

// competingRare reports whether every word of the list that begins where
// the crossing word does and runs over the term's end at e is rare: 所运
// is, while 财产险 holds 财产 and 金属制品 holds 金属.
func competingRare(sg *segmenter, r []rune, cross token, e int) bool {
	for k2 := e + 1; k2 <= cross.end; k2++ {
		if w := string(r[cross.start:k2]); !sg.rare(w) {
			return false
		}
	}
	return true
}

// wordAt reports whether a token of two or more characters starts at p.
func wordAt(toks []token, p int) bool {
	for _, tk := range toks {
		if tk.start == p {
			return tk.end-tk.start > 1
		}
	}
	return false
}

// decide judges the occurrence [s,e) of a term in the window [ws,we) of r
// on more than one reading of it. 所 followed by a verb of one character
// (not a copula or modal: 交易所是…), or by any verb and 的/之/者, is the
// particle (交易|所需, 交易|所涉及的).
// Otherwise it compares the best reading with the term one word (whole)
// and the best in which a word runs over the term's end (without):
//   - no such word: the end is a boundary and the term is used (a word
//     over its start is a trade name before it: 合|金融);
//   - the whole reading clearly better (by margin): used;
//   - the crossing word rare (所运) beside a word in the whole reading
//     (运维): used;
//   - a short term, the reading without it clearly better: a straddle
//     (资金|融通);
//   - the whole reading leaving a lone character that makes a common word
//     with the term's last character (交易中心|态 beside 心态): a straddle;
//   - otherwise, in doubt, used.
//
// Long terms are never an accident of characters but by a lone character:
// 资产|管理费 and 交易|中心店 are uses. The differential test applies the
// same rules with gse's full dictionary.
func decide(sg *segmenter, r []rune, ws, we, s, e int, explain bool) boundaryVerdict {
	var v boundaryVerdict
	if explain {
		v.tokens, _ = sg.path(r[ws:we], ws) // the best reading, to show
	}
	word := func(sp span) string { return string(r[sp.start:sp.end]) }
	after, ca := sg.path(r[e:we], e)
	if particleAfter(r, e) {
		if len(after) > 0 && strings.HasPrefix(after[0].pos, "v") {
			nx := after[0]
			one := nx.end-nx.start == 1 && !strings.ContainsRune(functionVerbs, r[nx.start])
			if one || nx.end < len(r) && strings.ContainsRune("的之者", r[nx.end]) {
				v.straddles = true
				v.covering = []span{{s, e - 1}, {e - 1, nx.end}} // 交易|所涉及
				v.rule = "“所”后接动词“" + word(nx.span) + "”，是助词“所”（交易|所V），不是“交易所”"
				return v
			}
		}
	}
	// The whole reading: the term one word between the best readings of
	// what comes before and after it.
	before, cb := sg.path(r[ws:s], ws)
	v.whole = reading{toks: append(append(slices.Clip(before), token{span{s, e}, "nz"}), after...), cost: cb + sg.wordDist(string(r[s:e])) + ca}
	// The reading without it: the best in which a word runs over the
	// term's end, beginning inside it (a word over its start is a trade
	// name before the term, 合|金融, and decides nothing).
	var cross *token
	for k := s + 1; k < e; k++ {
		if latinUnit(r[k-1]) && latinUnit(r[k]) || latinUnit(r[e-1]) && latinUnit(r[e]) {
			continue // gse never cuts a run of Latin letters and digits
		}
		longest := sg.maxAny
		if r[k] < 0x10000 {
			longest = int(sg.maxUnits[r[k]])
		}
		var left []token
		var cl float32
		leftDone := false
		for k2 := e + 1; k2 <= we && k2-k <= longest; k2++ {
			w, ok := sg.words[string(r[k:k2])]
			if !ok || k2 < len(r) && latinUnit(r[k2-1]) && latinUnit(r[k2]) {
				continue
			}
			if !leftDone {
				left, cl = sg.path(r[ws:k], ws)
				leftDone = true
			}
			right, cr := sg.path(r[k2:we], k2)
			if c := cl + sg.dist(w) + cr; cross == nil || c < v.without.cost {
				v.without = reading{toks: append(append(slices.Clip(left), token{span{k, k2}, w.pos}), right...), cost: c}
				cross = &token{span{k, k2}, w.pos}
			}
		}
	}
	d := v.whole.cost - v.without.cost
	v.compared, v.d = cross != nil, d
	long := e-s >= longTerm
	switch {
	case cross == nil:
		v.rule = "不含该词的读法中也没有词越过该词的结尾：结尾处是词的边界（开头被前面的字号占用时仍算使用）"
		return v
	case d < -margin:
		v.rule = "整词读法明显更好"
		return v
	case competingRare(sg, r, *cross, e) && wordAt(v.whole.toks, e):
		// 交易所|运维 against 交易|所运|维: a rare word against the term,
		// beside a common word on the other side, is no evidence.
		v.rule = "越过该词结尾的词“" + word(cross.span) + "”是生僻词，整词读法在另一边是常用词：不是跨词"
		return v
	case !long && d > margin:
		v.straddles = true
		v.covering = []span{cross.span}
		for _, tk := range v.without.toks {
			if tk.end > s && tk.start < e && tk.span != cross.span {
				v.covering = append([]span{tk.span}, v.covering...)
			}
		}
		v.rule = "不含该词的读法明显更好，词“" + word(cross.span) + "”越过了该词的结尾"
		return v
	}
	lone := false
	for _, tk := range v.whole.toks {
		lone = lone || tk.start == e && tk.end == e+1
	}
	if pair := string(r[e-1 : e+1]); lone {
		_, ok := sg.words[pair]
		if ok && !sg.rare(pair) {
			v.straddles = true
			v.covering = []span{{s, e - 1}, {e - 1, e + 1}}
			v.rule = "整词读法留下单字“" + string(r[e]) + "”，它与该词的末字组成常用词“" + pair + "”：跨词"
			return v
		}
		if ok {
			v.rule = "整词读法留下单字“" + string(r[e]) + "”，但它与该词末字组成的“" + pair + "”是生僻词，不足以说明是跨词"
			return v
		}
	}
	if long && d > margin {
		v.rule = "长词（四字及以上）不会是偶然字串，整词读法也没有留下与末字成词的单字"
	} else {
		v.rule = "两种读法相差不大，整词读法没有留下与末字成词的单字：按使用处理"
	}
	return v
}

// isException reports whether the cue at i (n runes) sits inside one of
// its exception words (除尘, 清除, 不得不): then it is no cue.
func (fc *fieldContext) isException(c *cue, i int) bool {
	for _, x := range c.except {
		for k := 0; k+len(c.r) <= len(x); k++ {
			if hasRunesAt(x, k, c.r) && i-k >= 0 && hasRunesAt(fc.runes, i-k, x) {
				return true
			}
		}
	}
	return false
}

// computeDenials finds every denial cue on the text (not on tokens: 除开 is
// one word, but its 除 is the cue) and the stretch of text it denies. A cue
// is read by its grammar, not only as a string: a word may stand between
// 不 and its verb (不再从事); a cue inside a noun (禁止吸烟标识牌, 除外责任)
// or negated again (不得拒绝) denies nothing; a denial inside a 除…外 frame
// ends with the frame.
func (fc *fieldContext) computeDenials() {
	fc.done = true
	r := fc.runes
	// Where any cue could start, found in one pass: the cue-by-cue loop
	// below (longer cues claim their characters first) then visits only these.
	var at []int
	if fc.nt != nil {
		at = fc.nt.cueAt[:0]
	}
	for i, x := range r {
		if fc.s.cueFirst(x) {
			at = append(at, i)
		}
	}
	if len(at) == 0 {
		return
	}
	var taken []bool
	if fc.nt != nil {
		fc.nt.cueAt = at
		taken = fc.nt.taken
	}
	if cap(taken) < len(r) {
		taken = make([]bool, len(r))
	} else {
		taken = taken[:len(r)]
		clear(taken)
	}
	if fc.nt != nil {
		fc.nt.taken = taken
	}
	var frames []span // the 除…外 frames, for the denials inside them
	for ci := range fc.s.cues {
		c := &fc.s.cues[ci]
		cr := c.r
		if len(cr) == 0 {
			continue
		}
	next:
		for _, i := range at {
			if r[i] != cr[0] || taken[i] {
				continue
			}
			end := i + len(cr) // the end of the cue phrase
			if !hasRunesAt(r, i, cr) {
				if end = fc.gapCue(c, i); end < 0 {
					continue
				}
			}
			for k := i; k < end; k++ {
				if taken[k] {
					continue next
				}
			}
			if fc.isException(c, i) {
				continue // 除 inside 除尘, 不得 inside 不得不: no cue
			}
			for k := i; k < end; k++ {
				taken[k] = true
			}
			var d span
			var why string
			switch c.Reach {
			case dict.ReachBefore:
				if end < len(r) && isWordRune(r[end]) && r[end] != '的' && r[end] != '之' {
					// A postfix cue ends its phrase (…除外的 too): 除外责任 is a noun, unless
					// 除 opens a frame that a later 外 closes (除外汇、…业务外):
					// that is for 除 to say.
					for k := i; k < end; k++ {
						taken[k] = false
					}
					if fc.explain {
						fc.note("“" + string(r[i:end]) + "”后面紧接着词语（" + string(r[end:min(len(r), end+2)]) + "…），不是后置的“…除外”")
					}
					continue
				}
				d = span{fc.reachBack(i), end}
			case dict.ReachUntil:
				e, closed := fc.reachForward(end, c.until)
				if !closed && len(c.until) > 0 && hasRunesAt(r, end, c.until) && end+len(c.until) < len(r) && isWordRune(r[end+len(c.until)]) {
					// 除外责任: no 外 closes a frame, so 除外 is part of a noun.
					if fc.explain {
						fc.note("“" + string(r[i:end+len(c.until)]) + "”之后没有结束框架的“" + string(c.until) + "”，“" + string(r[i:end+len(c.until)+1]) + "…”是名词的一部分，不是否定")
					}
					continue
				}
				d = span{i, e}
				frames = append(frames, d)
			default:
				if why = fc.deniesNothing(i, end); why != "" {
					fc.note(why)
					continue
				}
				e, _ := fc.reachForward(end, nil)
				d = span{i, e}
			}
			fc.denials = append(fc.denials, denial{d, c.shown})
		}
	}
	// 除不得从事的金融业务外，可从事理财咨询: the 不得 ends with its frame.
	for k := range fc.denials {
		d := &fc.denials[k]
		for _, f := range frames {
			if f.start < d.start && d.start < f.end && d.end > f.end {
				d.end = f.end
			}
		}
	}
}

// note keeps a remark for check --explain.
func (fc *fieldContext) note(s string) {
	if fc.explain {
		fc.notes = append(fc.notes, s)
	}
}

// maxCueGap is how many characters may stand between 不 and the verb of a
// cue (不以任何形式从事).
const maxCueGap = 5

// notNegating are words that begin with 不 but negate nothing that follows
// (不断经营 is "keeps running").
var notNegating = runeLists("不断", "不停", "不仅", "不但", "不光", "不只", "不止", "不管", "不论")

func runeLists(words ...string) [][]rune {
	out := make([][]rune, len(words))
	for i, w := range words {
		out[i] = []rune(w)
	}
	return out
}

// gapCue finds a 不 cue with words between 不 and its verb (不再从事,
// 不直接经营) at i and returns where the cue phrase ends, or -1. The
// tokens must bear it out: 不 stands alone or begins an adverb (不再), and
// the verb begins a word — 不动产经营 and 不同经营 are no cue.
func (fc *fieldContext) gapCue(c *cue, i int) int {
	r := fc.runes
	if len(c.r) < 2 || c.r[0] != '不' || c.r[1] == '得' || i+1 < len(r) && r[i+1] == '得' {
		return -1 // 不得 is a cue of its own, and 不得从事 its
	}
	verb := c.r[1:]
	for j := i + 2; j <= i+1+maxCueGap && j+len(verb) <= len(r); j++ {
		if !isWordRune(r[j-1]) {
			return -1
		}
		if !hasRunesAt(r, j, verb) {
			continue
		}
		for _, w := range notNegating {
			if hasRunesAt(r, i, w) {
				return -1
			}
		}
		_, we := fc.window(j, j+len(verb))
		toks := fc.tokenizer().tokens(r, i, we)
		if len(toks) == 0 || toks[0].end > i+1 && !strings.HasPrefix(toks[0].pos, "d") {
			return -1
		}
		for _, tk := range toks {
			if tk.start < j && j < tk.end {
				return -1 // the verb's first character belongs to the word before it
			}
			if tk.start == j {
				return j + len(verb)
			}
		}
		return -1
	}
	return -1
}

// signHeads are the nouns that make a cue phrase the name of a thing
// (禁止吸烟标识牌 is a sign, not a prohibition in the scope).
var signHeads = runeLists("牌", "标识", "标志", "标签", "标贴", "贴纸", "标语", "告示", "提示", "警示", "标记")

// negatingVerbs begin a verb that negates again: 不得拒绝 (must not
// refuse) affirms what follows. Not 禁 or 限制: 不含限制类、禁止类项目 is
// a denial of those categories.
var negatingVerbs = runeLists("拒", "阻", "妨", "排斥", "抵制", "刁难")

// deniesNothing says why a cue at [i,end) denies nothing, or "": the cue
// is part of a noun (its phrase, up to the next separator, names a sign
// and holds no term), or the word after it negates again.
func (fc *fieldContext) deniesNothing(i, end int) string {
	r := fc.runes
	k := end
	for k < len(r) && isWordRune(r[k]) {
		k++
	}
	for _, h := range signHeads {
		if k-len(h) >= end && hasRunesAt(r, k-len(h), h) && !fc.holdsTerm(end, k-len(h)) {
			return "“" + string(r[i:k]) + "”是一样东西的名称（以“" + string(h) + "”结尾），提示词是名词的一部分，不是否定"
		}
	}
	for _, v := range negatingVerbs {
		if hasRunesAt(r, end, v) {
			_, we := fc.window(end, end+1)
			toks := fc.tokenizer().tokens(r, end, we)
			if len(toks) > 0 && (toks[0].pos == "" || toks[0].pos[0] == 'v' || toks[0].end == end+1) {
				return "“" + string(r[i:end]) + "”后接“" + string(r[toks[0].start:toks[0].end]) + "”，两次否定相互抵消，不是否定"
			}
		}
	}
	return ""
}

// holdsTerm reports whether runes [from,to) hold a term: 不得使用金融标志
// denies 金融, though it ends in a sign noun.
func (fc *fieldContext) holdsTerm(from, to int) bool {
	text := string(fc.runes[from:to])
	for i := range fc.s.patterns {
		if strings.Contains(text, fc.s.patterns[i].norm) {
			return true
		}
	}
	return false
}

// closesFrame reports whether the closing word of a frame (外 of 除…外) at
// j stands as a word of its own, or as 以外/之外: the 外 of 境外, 外汇,
// 对外 inside the frame does not close it.
func (fc *fieldContext) closesFrame(j int, until []rune) bool {
	r := fc.runes
	t := fc.tokenizer()
	if (j == 0 || !t.mayJoin(r, j-1)) && (j+len(until) == len(r) || !t.mayJoin(r, j+len(until)-1)) {
		return true // no word of the list holds it with a neighbour: a word of its own
	}
	ws, we := fc.window(j, j+len(until))
	for _, tk := range t.tokens(r, ws, we) {
		if tk.start <= j && j < tk.end {
			if tk.start == j && tk.end == j+len(until) {
				return true
			}
			return tk.start == j-1 && tk.end == j+len(until) && (r[j-1] == '以' || r[j-1] == '之')
		}
	}
	return true
}

// reachForward returns where a denial starting at from ends: at the end of
// its clause or of the bracket that encloses the cue, skipping nested
// brackets; with until, just after that word if it comes first and stands
// as a word. A cue whose clause opens a list with a colon (不得从事下列业务：
// 1、…；2、… or 以下业务：发放贷款；代客理财) reaches over every item, to the
// bracket's end or 。.
func (fc *fieldContext) reachForward(from int, until []rune) (end int, closed bool) {
	r := fc.runes
	depth := 0
	list := false
	for j := from; j < len(r); j++ {
		switch {
		case isOpen(r[j]):
			depth++
		case isClose(r[j]):
			if depth == 0 {
				return j, false
			}
			depth--
		case depth == 0 && r[j] == ':':
			list = true
		case depth == 0 && (r[j] == '。' || r[j] == ';' && !list):
			return j, false
		case depth == 0 && len(until) > 0 && hasRunesAt(r, j, until) && fc.closesFrame(j, until):
			return j + len(until), true
		}
	}
	return len(r), false
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
	if i < 0 || i+len(w) > len(r) {
		return false
	}
	for k := range w {
		if r[i+k] != w[k] {
			return false
		}
	}
	return true
}

// benignAt finds a benign phrase around the occurrence with which a word
// of the text ends (基金会 but not 基金|会计; 二手房产交易中心 too) and
// that is not part of one of its exceptions (工程款支付担保). It returns the
// phrase and what decided.
func (fc *fieldContext) benignAt(o occurrence, pat string) (*benign, string) {
	r := fc.runes
	for bi := range fc.s.benign {
		b := &fc.s.benign[bi]
		if !strings.Contains(b.norm, pat) {
			continue
		}
	starts:
		for st := max(0, o.end-len(b.r)); st <= o.start; st++ {
			if !hasRunesAt(r, st, b.r) {
				continue
			}
			en := st + len(b.r)
			for _, x := range b.except {
				for k := 0; k+len(b.r) <= len(x); k++ {
					if hasRunesAt(x, k, b.r) && hasRunesAt(r, st-k, x) {
						return nil, "常见用语“" + b.Text + "”在较长用语“" + string(x) + "”之中，仍属使用"
					}
				}
			}
			// The text's word must end with the phrase (基金会 but not
			// 基金|会计); what stands in front does not matter, whatever
			// the tokeniser makes of it (二手|房产交易中心, 非|机动车交易中心).
			t := fc.tokenizer()
			if !fc.explain && (en == len(r) || !t.mayJoin(r, en-1)) {
				return b, "常见用语“" + b.Text + "”的结尾必是词的边界"
			}
			ws, we := fc.window(st, en)
			for _, tk := range t.tokens(r, ws, we) {
				if tk.start < en && en < tk.end {
					continue starts // 基金会 in 基金|会计: not the phrase
				}
			}
			return b, "文中的词以常见用语“" + b.Text + "”结尾（前面的字不影响）"
		}
	}
	return nil, ""
}

// termException returns the exception of the occurrence's term (互联网保险箱)
// that the occurrence sits in, or "".
func (fc *fieldContext) termException(o occurrence) (string, span) {
	p := &fc.s.patterns[o.pat]
	for _, x := range p.except {
		for k := 0; k+(o.end-o.start) <= len(x); k++ {
			if hasRunesAt(x, k, fc.runes[o.start:o.end]) && hasRunesAt(fc.runes, o.start-k, x) {
				return string(x), span{o.start - k, o.start - k + len(x)}
			}
		}
	}
	return "", span{}
}

// show writes tokens as a|b|c.
func (fc *fieldContext) show(toks []token) string {
	words := make([]string, len(toks))
	for i, tk := range toks {
		words[i] = string(fc.runes[tk.start:tk.end])
	}
	return strings.Join(words, "|")
}

// judge decides what an occurrence is and writes the reason.
func (fc *fieldContext) judge(h *Hit, o occurrence) {
	if !fc.done {
		fc.computeDenials()
	}
	var ex *Explanation
	if fc.explain {
		ws, we := fc.window(o.start, o.end)
		fc.expl = append(fc.expl, Explanation{Window: string(fc.runes[ws:we])})
		ex = &fc.expl[len(fc.expl)-1]
		defer func() { ex.Hit = *h }()
	}
	for _, d := range fc.denials {
		if d.start <= o.start && o.end <= d.end {
			h.Denied = true
			h.Cue = d.cue
			h.Reason = FieldLabel(h.Field) + "中的“" + h.Text + "”位于否定/排除表述“" + d.cue + "”之内，并非使用该词"
			if ex != nil {
				ex.Cue, ex.Reach = d.cue, string(fc.runes[d.start:d.end])
				ex.Rule = "否定：位于提示词的作用范围之内"
			}
			return
		}
	}
	if ex != nil {
		ex.Cue = "无：该处不在任何否定/排除提示词的作用范围之内"
		for _, d := range fc.denials {
			ex.Cue += "（本字段的“" + d.cue + "”只作用于“" + string(fc.runes[d.start:d.end]) + "”）"
		}
		for _, n := range fc.notes {
			ex.Cue += "（" + n + "）"
		}
	}
	pat := fc.s.patterns[o.pat].norm
	b, benignRule := fc.benignAt(o, pat)
	if b != nil {
		h.Benign = true
		h.Context = b.Text
	}
	bv := fc.onBoundaries(o.start, o.end)
	if x, at := fc.termException(o); x != "" {
		bv.straddles = true
		bv.rule = "该处是词典所列的例外“" + x + "”，不是使用该词"
		bv.covering = []span{at}
	}
	if bv.straddles {
		h.Straddling = true
		if !h.Benign {
			words := make([]string, len(bv.covering))
			for i, c := range bv.covering {
				words[i] = string(fc.runes[c.start:c.end])
			}
			h.Context = strings.Join(words, "|")
		}
	}
	if ex != nil {
		for _, tk := range bv.tokens {
			ex.Tokens = append(ex.Tokens, string(fc.runes[tk.start:tk.end]))
		}
		for _, rd := range []struct {
			name string
			rd   reading
		}{{"整词读法", bv.whole}, {"不含该词的读法", bv.without}} {
			if rd.rd.toks != nil {
				ex.Readings = append(ex.Readings, fmt.Sprintf("%s：%s（距离 %.1f）", rd.name, fc.show(rd.rd.toks), rd.rd.cost))
			}
		}
		ex.Rule = "词边界：" + bv.explained()
		if benignRule != "" {
			ex.Rule += "；" + benignRule
		}
	}
	// Reasons are concatenated, not formatted: one is written for every hit.
	switch {
	case h.Benign:
		note := ""
		if b.Note != "" {
			note = "（" + b.Note + "）"
		}
		h.Reason = FieldLabel(h.Field) + "中的“" + h.Text + "”出现在常见用语“" + h.Context + "”" + note + "中，仍属使用该词但风险不同，请人工复核"
	case h.Straddling:
		h.Reason = FieldLabel(h.Field) + "中的“" + h.Text + "”横跨词语边界（" + h.Context + "），可能只是字面巧合，请人工复核"
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
		h.Reason = FieldLabel(h.Field) + "使用限制性用语“" + h.Term + "”" + ev + "，属" + h.Group + "类，" + referClause + reg
	}
}
