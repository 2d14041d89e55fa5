package input

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/regscreen/regscreen/record"
)

// ErrEmpty is returned by Open for an input without a single row.
var ErrEmpty = errors.New("文件是空的")

type pendingRow struct {
	row Row
	err error
}

// headed finds the header row above the records (title rows may stand
// over it) and checks each record's width against it; CSV, XLSX and JSON
// Lines sources share it.
type headed struct {
	name        string
	raw         func() (Row, error)
	header      []string
	headerLine  int
	pending     []pendingRow // rows read while looking for the header
	titleRows   int
	strictWidth bool // short rows are damage (CSV), not trimmed empty cells (XLSX)
	noHeader    bool // header holds made-up names (第1列…) as wide as the first rows
	// headerNorm is each header cell as normHeader folds it ("" for an
	// empty cell), and headerNeed how many of them a row must repeat to be
	// the header again (0: no row can).
	headerNorm  []string
	headerFirst []rune // the first character of each headerNorm
	headerNamed int
	headerNeed  int
	// rewind, when set, undoes the last record read if it spanned several
	// lines, so that they are read again (see csvParser.Rewind).
	rewind func() bool
	// split cuts the cells of a row left unsplit (CSV), when the reading
	// goroutine must look at them.
	split func(*Row)
	// cue is the longest named header cell: only a row whose text holds
	// it can be the header again in another order (a cheap look on the
	// reading goroutine). remap applies to the rows under such a header.
	cue     string
	cueFind *cueFinder
	// cueRoom is the longest line that can be a header again: a header is
	// short cells, so a line past twice the header's bytes (a long scope)
	// is a record, known without searching it for the cue.
	cueRoom int
	remap   *remap
	// guessed: no row looked like a header and the first good one stands
	// in for it; damagedFirst says why a row above it could not be read.
	guessed      bool
	damagedFirst string
}

// HeaderNote says, when no row looked like a header, that the header line
// is a stand-in, and why the rows above it (a damaged first line, say)
// could not be it; "" when the header was found.
func (h *headed) HeaderNote() string {
	if !h.guessed {
		return ""
	}
	if h.damagedFirst != "" {
		return fmt.Sprintf("找不到表头：%s，其后的第 %d 行也不是表头", h.damagedFirst, h.headerLine)
	}
	return ""
}

// remap is a header met again with its columns in another order (two
// exports concatenated): perm[j] is the column of the first header's
// column j in the rows under it; nil perm: they cannot be matched.
type remap struct {
	line int // the header row it came from
	perm []int
}

func (h *headed) findHeader(noHeader bool) error {
	if noHeader {
		return h.madeUpHeader()
	}
	found := false
	err := h.readAhead(func(row Row) bool {
		if !looksLikeHeader(row.Cells) {
			h.pending = append(h.pending, pendingRow{row: row})
			return false
		}
		h.setHeader(row)
		// Rows above the header are titles, but damaged ones still count,
		// and so does a record (one sorted above its header in Excel).
		var kept []pendingRow
		for _, p := range h.pending {
			switch {
			case p.err != nil:
				kept = append(kept, p)
			case recordAboveHeader(p.row.Cells, len(row.Cells)):
				kept = append(kept, pendingRow{err: &RowError{File: h.name, Line: p.row.Line,
					Reason: fmt.Sprintf("表头（第 %d 行）上方的企业记录（可能排序时把表头一起排了）：未筛查，请把表头移回第一行后重新检查", row.Line),
					Raw:    strings.Join(p.row.Cells, ",")}})
			default:
				h.titleRows++
			}
		}
		h.pending, found = kept, true
		return true
	})
	if err != nil || found {
		return err
	}
	// No recognisable header: treat the first row as the header so that
	// MapColumns can name what it saw.
	h.guessed = true
	for i, p := range h.pending {
		if re, ok := IsRowError(p.err); ok && h.damagedFirst == "" {
			h.damagedFirst = fmt.Sprintf("第 %d 行无法读取（%s）", re.Line, re.Reason)
		}
		if p.err == nil {
			h.setHeader(p.row)
			h.pending = append(h.pending[:i:i], h.pending[i+1:]...)
			break
		}
	}
	return nil
}

// readAhead reads up to headerSearchRows rows before the records, handing
// each good one to take until take says stop; a damaged row is kept in
// pending, to be rejected in turn. A source with no row at all is ErrEmpty.
func (h *headed) readAhead(take func(Row) (stop bool)) error {
	seen := false
	for i := 0; i < headerSearchRows; i++ {
		row, err := h.raw()
		if err == io.EOF {
			break
		}
		seen = true
		if err != nil {
			if _, ok := IsRowError(err); !ok {
				return err
			}
			h.pending = append(h.pending, pendingRow{err: err})
			continue
		}
		if take(row) {
			break
		}
	}
	if !seen {
		return fmt.Errorf("%s: %w（没有任何数据行）", h.name, ErrEmpty)
	}
	return nil
}

func (h *headed) setHeader(row Row) {
	h.header = row.Cells
	h.headerLine = row.Line
	h.headerNorm = make([]string, len(row.Cells))
	h.headerFirst = make([]rune, len(row.Cells))
	named := 0
	for i, c := range row.Cells {
		if h.headerNorm[i] = normHeader(c); h.headerNorm[i] != "" {
			named++
			h.headerFirst[i], _ = utf8.DecodeRuneInString(h.headerNorm[i])
		}
	}
	// Most named cells, and never one alone: a company called
	// 某某项目管理有限公司, a scope of 一般经营项目 or the workbook's 出现位置
	// cell "名称" each equal one header word, and are records.
	h.headerNamed, h.headerNeed = named, 0
	if named >= 2 {
		h.headerNeed = max(2, named/2+1)
	}
	h.cue, h.cueRoom = "", 64
	for _, c := range row.Cells {
		h.cueRoom += 2 * (len(c) + 3) // the cell, a delimiter, quotes
		if normHeader(c) != "" && len(c) > len(h.cue) {
			h.cue = c
		}
	}
	h.cueFind = newCueFinder(h.cue)
}

// reordered looks at a row read under the header: if it is the header
// again with its columns in another order, the rows after it are put back
// in the first header's order (or, when its columns are not the same set,
// rejected) and it is rejected itself, saying so. Otherwise the row gets
// the remap in force. On the reading goroutine: it holds the order state.
func (h *headed) reordered(row *Row) *RowError {
	if h.cue == "" || h.headerNeed == 0 || h.noHeader {
		return nil
	}
	cells := row.Cells
	if row.unsplit {
		if len(row.text) > h.cueRoom || !h.cueFind.in(row.text) {
			row.remap = h.remap
			return nil
		}
		if h.split != nil {
			// A copy for the call through the func value, which would
			// otherwise move every row Next reads to the heap.
			r := *row
			h.split(&r)
			*row = r
			cells = row.Cells
		}
	} else if !slices.Contains(cells, h.cue) {
		row.remap = h.remap
		return nil
	}
	// A header: most named cells are header words, wherever they stand.
	pos := map[string]int{}
	for i, c := range cells {
		if n := normHeader(c); n != "" {
			if _, dup := pos[n]; !dup {
				pos[n] = i
			}
		}
	}
	found := 0
	for _, n := range h.headerNorm {
		if _, ok := pos[n]; ok && n != "" {
			found++
		}
	}
	if found < h.headerNeed {
		row.remap = h.remap
		return nil
	}
	if h.repeatedHeader(cells) {
		h.remap = nil // the first order again (most columns in place)
		row.remap = nil
		return nil // checkRow rejects it as a repeated header
	}
	perm := make([]int, len(h.headerNorm))
	for j, n := range h.headerNorm {
		i, ok := pos[n]
		if n == "" || !ok || len(cells) != len(h.headerNorm) {
			perm = nil
			break
		}
		perm[j] = i
	}
	h.remap = &remap{line: row.Line, perm: perm}
	reason := "表头行再次出现，但列的顺序与第 %d 行的表头不同（可能是两个导出文件拼接在一起）：其后的行已按此行的顺序对列"
	if perm == nil {
		reason = "表头行再次出现，但列与第 %d 行的表头不同（可能是两个导出文件拼接在一起）：无法对列，其后的行全部拒收"
	}
	return &RowError{File: h.name, Line: row.Line, Reason: fmt.Sprintf(reason, h.headerLine), Raw: strings.Join(cells, ",")}
}

// applyRemap puts a row under a reordered header back in the first
// header's order, or rejects it.
func (h *headed) applyRemap(row *Row) *RowError {
	m := row.remap
	if m == nil {
		return nil
	}
	if m.perm == nil {
		return &RowError{File: h.name, Line: row.Line,
			Reason: fmt.Sprintf("在第 %d 行列不同的表头之下，无法对列（请把两个导出分开检查）", m.line), Raw: strings.Join(row.Cells, ",")}
	}
	out := make([]string, len(m.perm))
	for j, i := range m.perm {
		out[j] = row.Cells[i]
	}
	row.Cells = out
	return nil
}

// madeUpHeader reads ahead to the first good rows, without taking one as
// the header, and names as many columns as they have (第1列, 第2列, …): the
// clerk's column numbers are checked against that width.
func (h *headed) madeUpHeader() error {
	h.noHeader = true
	width := 0
	err := h.readAhead(func(row Row) bool {
		h.pending = append(h.pending, pendingRow{row: row})
		width = max(width, len(row.Cells))
		return h.strictWidth // every row must be as wide as the first
	})
	if err != nil {
		return err
	}
	if width > 0 {
		h.header = make([]string, width)
		for i := range h.header {
			h.header[i] = fmt.Sprintf("第%d列", i+1)
		}
	}
	return nil
}

// Header is the header row; with NoHeader, made-up column names.
func (h *headed) Header() []string { return h.header }

// HeaderLine is the line of the header row (0 if none).
func (h *headed) HeaderLine() int { return h.headerLine }

// TitleRows counts rows skipped above the header.
func (h *headed) TitleRows() int { return h.titleRows }

// Next returns the next row; a row with the wrong number of fields is a
// *RowError (ragged rows are never silently padded or cut), and so are a
// repeated header row and a totals row under the records: they are not
// companies, but they are accounted for.
func (h *headed) Next() (Row, error) {
	var row Row
	fresh := false // read just now, not while looking for the header
	if len(h.pending) > 0 {
		var p pendingRow
		p, h.pending = h.pending[0], h.pending[1:]
		if p.err != nil {
			return Row{}, p.err
		}
		row = p.row
	} else {
		var err error
		if row, err = h.raw(); err != nil {
			return row, err
		}
		fresh = true
	}
	if h.header != nil && fresh {
		if re := h.reordered(&row); re != nil {
			return Row{}, re
		}
	}
	if h.header == nil || fresh && row.deferred {
		return row, nil // (deferred: CheckRow does the rest, on a worker)
	}
	if re := h.checkRow(&row, fresh); re != nil {
		return Row{}, re
	}
	return row, nil
}

// checkRow holds a record to the header: a repeated header row, a totals
// row and a row of the wrong width are rejected; XLSX rows are trimmed or
// padded to the header's width, in place. fresh is a record just read, which may be
// rewound (see rewind).
func (h *headed) checkRow(row *Row, fresh bool) *RowError {
	if !h.noHeader {
		if h.repeatedHeader(row.Cells) {
			return &RowError{File: h.name, Line: row.Line,
				Reason: "重复的表头行（可能是两个导出文件拼接在一起），不是企业记录", Raw: strings.Join(row.Cells, ",")}
		}
		if isTotalsRow(row.Cells) {
			return &RowError{File: h.name, Line: row.Line,
				Reason: "合计/总计行（表尾的统计），不是企业记录", Raw: strings.Join(row.Cells, ",")}
		}
	}
	n := len(row.Cells)
	if !h.strictWidth {
		if h.noHeader {
			return nil // XLSX cuts empty cells at a row's end: no width to hold rows to
		}
		for n > len(h.header) && row.Cells[n-1] == "" {
			n--
		}
		row.Cells = row.Cells[:n]
		for len(row.Cells) < len(h.header) {
			row.Cells = append(row.Cells, "")
		}
	}
	if row.remap != nil && (row.remap.perm == nil || len(row.Cells) == len(h.header)) {
		return h.applyRemap(row)
	}
	if len(row.Cells) != len(h.header) {
		what := "表头"
		if h.noHeader {
			what = "第一行"
		}
		re := &RowError{File: h.name, Line: row.Line,
			Reason: fmt.Sprintf("字段数为 %d，与%s的 %d 列不符", len(row.Cells), what, len(h.header)),
			Raw:    strings.Join(row.Cells, ",")}
		if fresh && h.rewind != nil && h.rewind() {
			re.Reason += "；带引号的字段跨了多行（可能缺少结束引号），其后的行已逐行重新读取"
			if i := strings.IndexByte(row.text, '\n'); i >= 0 {
				re.Raw = row.text[:i]
			}
		}
		return re
	}
	return nil
}

// repeatedHeader reports a row that is the header again, as where two
// exports were joined: it repeats most of the header's named cells (see
// setHeader), compared as normHeader folds them. This runs for every row
// (on scan's workers for CSV, else on the reading goroutine), so it costs
// a few comparisons: raw bytes first
// (a joined export repeats its header byte for byte), then a fold that
// stops at the first rune that differs, usually the first; it gives up as
// soon as too few cells are left to reach the count.
func (h *headed) repeatedHeader(cells []string) bool {
	need := h.headerNeed
	if need == 0 {
		return false
	}
	left := h.headerNamed // named header cells not yet looked at
	for i, n := range h.headerNorm {
		if n == "" {
			continue
		}
		if need > left {
			return false
		}
		left--
		if i < len(cells) && (cells[i] == h.header[i] || mayFoldTo(cells[i], h.headerFirst[i]) && foldsTo(cells[i], n)) {
			if need--; need == 0 {
				return true
			}
		}
	}
	return false
}

// mayFoldTo is false for a cell that is empty or starts with a Han or
// ASCII character that does not fold to w, the first of the text it is
// compared with (a name, a scope, a date), which foldsTo would take
// longer to say.
func mayFoldTo(c string, w rune) bool {
	if c == "" {
		return false
	}
	r, _ := utf8.DecodeRuneInString(c)
	switch {
	case r < utf8.RuneSelf: // no width to fold: a date, a number, N/A
		if r == ' ' || r >= '\t' && r <= '\r' {
			return true
		}
		if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		}
		return r == w
	case r >= 0x4E00 && r <= 0x9FFF:
		return r == w
	}
	return true
}

// totalsCues start a totals row under the records (合计：232 户).
var totalsCues = []string{"合计", "共计", "总计", "小计", "總計", "合計"}

// totalsCueStart holds the first character of each cue (a few: a slice
// looked through is cheaper than a map).
var totalsCueStart = func() (rs []rune) {
	for _, q := range totalsCues {
		if r, _ := utf8.DecodeRuneInString(q); !slices.Contains(rs, r) {
			rs = append(rs, r)
		}
	}
	return rs
}()

// totalsUnits may follow the count in a totals row.
var totalsUnits = strings.NewReplacer("家企业", "", "户企业", "", "条记录", "", "企业", "", "户", "", "家", "", "条", "",
	"行", "", "个", "", "项", "", "笔", "", "共", "", "计", "", "为", "", "数", "")

// isTotalsRow reports a row whose first non-empty cell starts with
// 合计/共计/总计/小计 and that holds nothing but counts: no company name.
func isTotalsRow(cells []string) bool {
	// Nearly every row: its first cell starts with a character that starts
	// no cue (and is no space, which TrimSpace below would skip).
	for _, c := range cells {
		if c == "" {
			continue
		}
		r, _ := utf8.DecodeRuneInString(c)
		if !slices.Contains(totalsCueStart, r) && !unicode.IsSpace(r) {
			return false
		}
		break
	}
	first := -1
	for i, c := range cells {
		if strings.TrimSpace(c) != "" {
			first = i
			break
		}
	}
	if first < 0 {
		return false
	}
	c := strings.TrimSpace(cells[first])
	cue := ""
	for _, q := range totalsCues {
		if strings.HasPrefix(c, q) {
			cue = q
			break
		}
	}
	if cue == "" {
		return false
	}
	for i, c := range cells[first:] {
		if i == 0 {
			c = strings.TrimPrefix(strings.TrimSpace(c), cue)
		}
		for _, q := range totalsCues {
			c = strings.ReplaceAll(c, q, "")
		}
		c = totalsUnits.Replace(c)
		for _, r := range c {
			if unicode.IsLetter(r) { // Han characters are letters: a name
				return false
			}
		}
	}
	return true
}

// recordAboveHeader reports a row above the header that is a company
// record, not a title: no wider than the header, two cells or more, one
// of them a valid 18-character credit code.
func recordAboveHeader(cells []string, width int) bool {
	n, code := 0, false
	last := 0
	for i, c := range cells {
		if c = strings.TrimSpace(c); c == "" {
			continue
		}
		n++
		last = i + 1
		if len(c) == 18 && record.ValidID(c) {
			code = true
		}
	}
	return code && n >= 2 && last <= width
}
