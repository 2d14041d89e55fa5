// Command mkdamage writes the CSV, TSV and JSON Lines cases of the damage
// corpus in fixtures/damage (see cmd/regscreen/damage_test.go) from
// fixtures/sample.csv: each case NAME.EXT beside NAME.want, whose counts
// come from what was written, not from running the tool. Run from the
// module root:
//
//	go run ./internal/cmd/mkdamage
//
// With -big DIR it writes instead the hostile files too large to commit,
// for measuring peak memory by hand (/usr/bin/time -v regscreen scan …):
// a CSV with one 500 MB line, and a JSON Lines file with one 500 MB line.
package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

const dir = "fixtures/damage"

func main() {
	big := flag.String("big", "", "write the large hostile files into this directory instead")
	flag.Parse()
	var err error
	if *big != "" {
		err = writeBig(*big)
	} else {
		err = run()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "mkdamage:", err)
		os.Exit(1)
	}
}

// sample is fixtures/sample.csv: a header and 30 records without quotes.
func sample() ([][]string, error) {
	f, err := os.Open("fixtures/sample.csv")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return csv.NewReader(f).ReadAll()
}

type kase struct {
	name string
	data []byte
	want string
}

func run() error {
	rows, err := sample()
	if err != nil {
		return err
	}
	head, recs := rows[0], rows[1:]
	n := len(recs)
	line := func(r []string) string { return strings.Join(r, ",") }
	lines := func(rs [][]string) []string {
		var out []string
		for _, r := range rs {
			out = append(out, line(r))
		}
		return out
	}
	join := func(ls []string, eol string) []byte { return []byte(strings.Join(ls, eol) + eol) }
	plain := append([]string{line(head)}, lines(recs)...)
	quoteAll := func(r []string) string {
		q := make([]string, len(r))
		for i, c := range r {
			q[i] = `"` + strings.ReplaceAll(c, `"`, `""`) + `"`
		}
		return strings.Join(q, ",")
	}
	gb := func(b []byte) []byte {
		out, err := simplifiedchinese.GB18030.NewEncoder().Bytes(b)
		if err != nil {
			panic(err)
		}
		return out
	}
	utf16 := func(e unicode.Endianness, b []byte) []byte {
		out, err := unicode.UTF16(e, unicode.UseBOM).NewEncoder().Bytes(b)
		if err != nil {
			panic(err)
		}
		return out
	}
	var cases []kase
	add := func(name string, data []byte, want string) { cases = append(cases, kase{name, data, want}) }

	// Quote damage: each used to lose rows without a word.
	stray := []string{line(head)}
	for _, r := range recs {
		stray = append(stray, `"`+line(r))
	}
	add("stray-leading-quote.csv", join(stray, "\r\n"), fmt.Sprintf(
		"note: a stray quote opens every row; each row's quote closed on the next row (read 15 before)\nrows: %d\nrejected: %d\nreject: 2 引号\nreject: %d 引号\n", n, n, n+1))

	thousand := []string{line(head)}
	for i := 0; len(thousand) <= 1000; i++ {
		r := append([]string(nil), recs[i%n]...)
		r[1] = fmt.Sprintf("%s（第%d号）", r[1], i+1)
		if len(thousand) == 100 { // line 101
			r[1] = `"` + r[1]
		}
		thousand = append(thousand, line(r))
	}
	add("unclosed-quote-1000.csv", join(thousand, "\n"), "note: an unclosed quote at line 101 ran 200 lines; line 301 was dropped (999 read before)\n"+
		"rows: 1000\nrejected: 1\nreject: 101 引号未闭合\n")

	qa := []string{quoteAll(head)}
	var exchange int
	for i, r := range recs {
		if strings.Contains(r[1], "交易所") && exchange == 0 && i > 0 {
			exchange = i
		}
	}
	if exchange == 0 {
		return fmt.Errorf("sample.csv has no 交易所 company after its first record")
	}
	for i, r := range recs {
		l := quoteAll(r)
		if i == exchange-1 {
			l = strings.TrimSuffix(l, `"`) // the closing quote of its last field is lost
		}
		qa = append(qa, l)
	}
	add("quote-all-missing-close.csv", join(qa, "\r\n"), fmt.Sprintf(
		"note: every field quoted; line %d lost its last closing quote and swallowed the 交易所 company on line %d (29 read before)\nrows: %d\nrejected: 1\nreject: %d 引号\n",
		exchange+1, exchange+2, n, exchange+1))

	// A quote-all export whose download stopped inside record 20's scope:
	// the rows after the cut are unknown, so the file is refused.
	var cut []string
	for _, r := range append([][]string{head}, recs...) {
		cut = append(cut, quoteAll(r))
	}
	cutData := join(cut, "\r\n")
	cutAt := bytes.Index(cutData, []byte(quoteAll(recs[19])))
	cutAt += len(quoteAll(recs[19])) - len(recs[19][len(recs[19])-1])/2 - 1
	add("csv-ends-in-quote.csv", cutData[:cutAt], fmt.Sprintf(
		"note: a quote-all export cut inside line %d's last field (no line break at the end): 19 read before, and the run was stored as complete\nrefuse: 第 %d 行起：文件在带引号的字段中途结束\n", 21, 21))

	mid := append([]string(nil), plain...)
	mid[6] = strings.Replace(mid[6], "宁波", `宁"波`, 1) // plain[k] is line k+1
	add("stray-quote-inside.csv", join(mid, "\n"), fmt.Sprintf("note: a bare quote inside an unquoted field\nrows: %d\nrejected: 1\nreject: 7 引号\n", n))

	// Line endings and encodings.
	add("cr-only.csv", join(plain, "\r"), fmt.Sprintf("note: Excel for Mac's CSV (Macintosh): lines end in CR alone (read 0 before)\nrows: %d\nrejected: 0\n", n))
	add("utf8-bom.csv", append([]byte{0xEF, 0xBB, 0xBF}, join(plain, "\r\n")...), fmt.Sprintf("note: UTF-8 with a BOM, CRLF\nrows: %d\n", n))
	add("utf16le.csv", utf16(unicode.LittleEndian, join(plain, "\r\n")), fmt.Sprintf("note: UTF-16LE with a BOM\nrows: %d\n", n))
	tsv := strings.ReplaceAll(string(join(plain, "\r\n")), ",", "\t")
	add("utf16be.tsv", utf16(unicode.BigEndian, []byte(tsv)), fmt.Sprintf("note: UTF-16BE tab-separated with a BOM\nrows: %d\n", n))
	add("gbk.csv", gb(join(plain, "\r\n")), fmt.Sprintf("note: GBK as Windows Excel saves it, named by an alias\nargs: --encoding cp936\nrows: %d\n", n))
	gbBad := gb(join(plain, "\r\n"))
	second := bytes.Index(gbBad, gb([]byte(recs[4][1])))
	gbBad = append(gbBad[:second+2:second+2], append([]byte{0xFF, 0x30}, gbBad[second+2:]...)...)
	add("gb18030-invalid-bytes.csv", gbBad, fmt.Sprintf("note: GB18030 with two bytes invalid in it on line 6\nrows: %d\nrejected: 1\nreject: 6 gb18030\n", n))
	nul := append([]string(nil), plain...)
	nul[8] = strings.Replace(nul[8], "宁波", "宁\x00波", 1)
	add("nul-byte.csv", join(nul, "\n"), fmt.Sprintf("note: a NUL byte in one row\nrows: %d\nrejected: 1\nreject: 9 NUL\n", n))
	nulRun := append([]string(nil), plain...)
	nulRun[8] = strings.Repeat("\x00", 4096) + nulRun[8]
	add("nul-run-before-row.csv", join(nulRun, "\n"), fmt.Sprintf("note: 4 KiB of NUL (a block zeroed by a crash) before line 9's record: the run is rejected once, the record after it read (it was lost with the run)\nverdicts: sample.csv\nrows: %d\nread: %d\nrejected: 1\nreject: 9 连续 NUL\n", n, n+1))
	badUTF8 := append([]string(nil), plain...)
	badUTF8[9] = strings.Replace(badUTF8[9], "宁波", "宁\xff\xfe波", 1)
	add("invalid-utf8.csv", join(badUTF8, "\n"), fmt.Sprintf("note: bytes invalid in UTF-8 in one row\nrows: %d\nrejected: 1\nreject: 10 UTF-8\n", n))

	// Shape: ragged rows, titles, header only, empty.
	ragged := append([]string(nil), plain...)
	ragged[3] += ",多出来的字段"
	ragged[4] = line(recs[3][:5])
	add("ragged.csv", join(ragged, "\n"), fmt.Sprintf("note: one row too wide, one too short\nrows: %d\nrejected: 2\nreject: 4 字段数\nreject: 5 字段数\n", n))
	add("title-row.csv", join(append([]string{"宁波市江北区企业登记信息导出（2026年11月）"}, plain...), "\r\n"),
		fmt.Sprintf("note: a title row above the header\nrows: %d\n", n))
	// Sorted in Excel with the header among the records: the five records
	// above it were dropped as title rows.
	sorted := append(append(append([]string(nil), plain[1:6]...), plain[0]), plain[6:]...)
	add("records-above-header.csv", join(sorted, "\r\n"), fmt.Sprintf("note: the sheet was sorted with its header row: 5 records above the header were dropped as 标题行 before\n"+
		"rows: %d\nrejected: 5\nreject: 1 表头（第 6 行）上方的企业记录\nreject: 5 上方的企业记录\n", n))
	// 企业名称 twice: the second column was never screened. Record 1's
	// second name is a P2P one; TestDuplicateNameColumn checks it is referred.
	dup := []string{line(head) + ",企业名称"}
	for i, r := range recs {
		second := r[1]
		if i == 0 {
			second = "宁波江北众联P2P网络借贷信息中介有限公司"
		}
		dup = append(dup, line(r)+","+second)
	}
	add("duplicate-name-column.csv", join(dup, "\r\n"), fmt.Sprintf("note: 企业名称 twice; record 1's second name (P2P) went unscreened, without a word\nrows: %d\nrejected: 0\n", n))
	add("html-page.csv", []byte("<!DOCTYPE html>\n<html><head><title>登录</title></head><body>会话已过期，请重新登录</body></html>\n"),
		"note: a login page saved as the export; said 第 1 行（表头）：找不到企业名称或经营范围列 with the HTML as the header\nrefuse: 找不到表头：文件是网页（HTML）\n")
	nulHead := append([]string{strings.Replace(plain[0], "企业名称", "企业\x00名称", 1)}, plain[1:]...)
	add("damaged-header-line.csv", join(nulHead, "\r\n"), "note: a NUL in the header line; the refusal named the first record as 第 2 行（表头）\n"+
		"refuse: 找不到表头：第 1 行无法读取\n")
	// Pipe-separated, with commas in the scopes: the delimiter was sniffed
	// as a comma and the refusal gave no hint.
	piped := []string{strings.Join(head, "|")}
	for _, r := range recs {
		piped = append(piped, strings.Join(r, "|")+"|"+strings.Repeat("备注,", 12)+"完")
	}
	piped[0] += "|备注"
	add("mis-sniffed-delimiter.csv", join(piped, "\r\n"), "note: pipe-separated with commas in a note column: read as comma-separated, no word of --delimiter\n"+
		"refuse: --delimiter '|'\n")
	add("header-only.csv", join(plain[:1], "\r\n"), "note: a header and no records\nrows: 0\n")
	add("empty.csv", nil, "note: a 0-byte file (said 看到的表头为：。 before)\nrefuse: 文件是空的\n")
	add("bom-only.csv", []byte{0xEF, 0xBB, 0xBF, '\r', '\n'}, "note: a BOM and a blank line, nothing else\nrefuse: 文件是空的\n")

	// Rows that are not companies.
	twice := append(append([]string(nil), plain...), plain...)
	// The second export's columns in another order: remapped by its header
	// (its names were screened as credit codes before).
	perm := make([]int, len(head))
	for i := range perm {
		perm[i] = (i + 1) % len(head) // each column one place to the left
	}
	permute := func(r []string) []string {
		out := make([]string, len(r))
		for i, j := range perm {
			out[i] = r[j]
		}
		return out
	}
	reordered := append(append([]string(nil), plain...), line(permute(head)))
	for _, r := range recs {
		reordered = append(reordered, line(permute(r)))
	}
	add("two-exports-reordered.csv", join(reordered, "\r\n"), fmt.Sprintf("note: two exports concatenated, the second with its columns in another order: its rows are put back in the first header's order\n"+
		"rows: %d\nread: %d\nrejected: 1\nreject: %d 列的顺序\nverdicts: sample.csv\n", 2*n, 2*n+1, n+2))
	// The second export lacks a column: its rows cannot be matched.
	other := append([]string(nil), plain...)
	for _, r := range append([][]string{head}, recs...) {
		other = append(other, line(permute(r)[1:]))
	}
	add("two-exports-other-columns.csv", join(other, "\r\n"), fmt.Sprintf("note: two exports concatenated, the second with a column fewer and the rest in another order: its header and rows are rejected, never read with the first mapping\n"+
		"rows: %d\nread: %d\nrejected: %d\nreject: %d 列与第 1 行的表头不同\nreject: %d 无法对列\n", 2*n, 2*n+1, n+1, n+2, n+3))
	add("two-exports.csv", join(twice, "\r\n"), fmt.Sprintf("note: two exports concatenated; the second header was screened as a company before\nrows: %d\nread: %d\nrejected: 1\nreject: %d 重复的表头行\n", 2*n, 2*n+1, n+2))
	footer := append(append([]string(nil), plain...), fmt.Sprintf("合计：%d 户", n))
	add("footer.csv", join(footer, "\r\n"), fmt.Sprintf("note: a totals row under the records (screened as a company before)\nrows: %d\nread: %d\nrejected: 1\nreject: %d 合计\n", n, n+1, n+2))
	wide := make([]string, len(head))
	wide[0], wide[1] = "总计", fmt.Sprintf("%d家企业", n)
	footer2 := append(append([]string(nil), plain...), line(wide))
	add("footer-wide.csv", join(footer2, "\n"), fmt.Sprintf("note: a totals row as wide as the records\nrows: %d\nread: %d\nrejected: 1\nreject: %d 合计\n", n, n+1, n+2))

	// Flags.
	add("no-header.csv", join(plain[1:], "\n"), fmt.Sprintf("note: --no-header with column numbers (failed for every input before)\nargs: --no-header --name-col 2 --scope-col 9 --id-col 1\nrows: %d\n", n))
	add("encoding-big5.csv", join(plain, "\n"), "note: an encoding we do not read (panicked before)\nargs: --encoding big5\nrefuse: 不支持的编码\n")
	add("encoding-utf16-on-utf8.csv", join(plain, "\n"), "note: --encoding utf16 on a UTF-8 file (panicked before)\nargs: --encoding utf16\nrefuse: 不像是 UTF-16\n")
	add("encoding-utf16le-on-utf8.csv", join(plain, "\n"), "note: --encoding utf-16le on a UTF-8 file (panicked before)\nargs: --encoding utf-16le\nrefuse: 不像是 UTF-16\n")

	// JSON Lines: the sample as mkfixtures writes it, damaged.
	sampleJS, err := os.ReadFile("fixtures/exports/sample.jsonl")
	if err != nil {
		return err
	}
	js := strings.Split(strings.TrimSuffix(string(sampleJS), "\n"), "\n")
	if len(js) != n {
		return fmt.Errorf("fixtures/exports/sample.jsonl has %d lines, sample.csv %d records", len(js), n)
	}
	badJS := append([]string(nil), js...)
	badJS[4] = strings.TrimSuffix(badJS[4], "}")
	add("jsonl-bad-line.jsonl", join(badJS, "\n"), fmt.Sprintf("note: one object cut short\nrows: %d\nrejected: 1\nreject: 5 JSON\n", n))
	add("jsonl-empty.jsonl", []byte("\n\n"), "note: blank lines only\nargs: --input-format jsonl\nrefuse: 文件是空的\n")

	// Round two (issue 27): line ends, terminal escapes, formula leaders.
	mixed := []string{plain[0] + "\n"}
	for _, l := range plain[1:] {
		mixed = append(mixed, l+"\r")
	}
	add("mixed-eol-lf-header-cr-body.csv", []byte(strings.Join(mixed, "")), fmt.Sprintf(
		"note: an LF header over a body whose lines end in CR alone (read 1 row before)\nverdicts: sample.csv\nrows: %d\nrejected: 0\n", n))
	crlf := append([]string(nil), plain...)
	crlf[10] += "\r" + crlf[11] // line 11 ends in a lone CR among CRLF lines
	crlf = append(crlf[:11], crlf[12:]...)
	add("mixed-eol-lone-cr.csv", join(crlf, "\r\n"), fmt.Sprintf(
		"note: one lone CR among CRLF line ends (two records read as one, rejected, before)\nverdicts: sample.csv\nrows: %d\nrejected: 0\n", n))
	esc := append([]string(nil), plain...)
	esc[3] = strings.Replace(esc[3], "宁波", "宁波\x1b[2J\x1b]0;已完成\x07", 1)
	esc[5] = strings.Replace(esc[5], "宁波", "宁波\u009b31m", 1)
	esc[7] = strings.Replace(esc[7], "宁波", "宁波\b\b\x7f", 1)
	add("terminal-escapes.csv", join(esc, "\n"), fmt.Sprintf(
		"note: terminal escape sequences in names (went raw to the terminal in text outputs; TestTerminalEscapesAreShown)\nverdicts: sample.csv\nrows: %d\nrejected: 0\n", n))
	formula := append([]string(nil), plain...)
	formula[0] += ",=SUM(1+1)"
	for i := 1; i < len(formula); i++ {
		formula[i] += ","
	}
	formula[2] = strings.Replace(formula[2], "宁波", "＝1+1 宁波", 1)
	formula[3] = strings.Replace(formula[3], ",宁波", ",﹣2+3 宁波", 1)
	add("formula-leaders.csv", join(formula, "\r\n"), fmt.Sprintf(
		"note: a formula in the header row and full-width ＝ and small ﹣ starting cells (TestFormulaCellsAreNeutralised)\nverdicts: sample.csv\nrows: %d\nrejected: 0\n", n))

	// JSON Lines mapped by each object's own keys.
	var scopeIdx = -1
	for i, h := range head {
		if h == "经营范围" {
			scopeIdx = i
		}
	}
	if scopeIdx < 0 {
		return fmt.Errorf("sample.csv has no 经营范围 column")
	}
	object := func(r []string, skip func(key string) bool, rename map[string]string) string {
		var parts []string
		for i, h := range head {
			if skip != nil && skip(h) {
				continue
			}
			k := h
			if rename[h] != "" {
				k = rename[h]
			}
			kj, _ := json.Marshal(k)
			vj, _ := json.Marshal(r[i])
			parts = append(parts, string(kj)+":"+string(vj))
		}
		return "{" + strings.Join(parts, ",") + "}"
	}
	var nullFirst []string
	for i, r := range recs {
		var skip func(string) bool
		if i == 0 {
			skip = func(k string) bool { return k == "经营范围" || k == "法定代表人" } // null, left out by the exporter
		}
		nullFirst = append(nullFirst, object(r, skip, nil))
	}
	add("jsonl-first-omits-scope.jsonl", join(nullFirst, "\n"), fmt.Sprintf(
		"note: the first object has no 经营范围 (null, left out): no scope was screened before\nverdicts: sample.csv\nrows: %d\nrejected: 0\n", n))
	var renamed []string
	for i, r := range recs {
		var rename map[string]string
		if i == 6 {
			rename = map[string]string{"企业名称": "名称"}
		}
		renamed = append(renamed, object(r, nil, rename))
	}
	add("jsonl-unmappable-key.jsonl", join(renamed, "\n"), fmt.Sprintf(
		"note: one object names the company under 名称, the others 企业名称 (its name went unscreened before)\nverdicts: sample.csv\nrows: %d\nrejected: 1\nreject: 7 名称\n", n))
	nulJS := append([]string(nil), js...)
	nulJS[8] = strings.Replace(nulJS[8], "宁波", `宁\u0000波`, 1)
	add("jsonl-nul-escape.jsonl", join(nulJS, "\n"), fmt.Sprintf(
		"note: a NUL written as \\u0000 in one value (screened before; CSV rejects NUL)\nverdicts: sample.csv\nrows: %d\nrejected: 1\nreject: 9 NUL\n", n))
	nulRunJS := append([]string(nil), js...)
	nulRunJS[8] = strings.Repeat("\x00", 4096) + nulRunJS[8]
	add("jsonl-nul-run-before-row.jsonl", join(nulRunJS, "\n"), fmt.Sprintf(
		"note: 4 KiB of NUL (a block zeroed by a crash) before line 9's object: the run is rejected once, the object after it read, as in CSV (it was lost with the run)\nverdicts: sample.csv\nrows: %d\nread: %d\nrejected: 1\nreject: 9 连续 NUL\n", n, n+1))

	// A plain-list dictionary (no section headers: one term a line) with
	// a | in a term: split without a word before, now refused. The list
	// sits beside the case under a name that is no case of its own.
	if err := os.WriteFile(filepath.Join(dir, "dict-pipe-in-term.list.txt"), []byte("信托\n理财|基金\n"), 0o644); err != nil {
		return err
	}
	add("dict-pipe-in-term.csv", join(plain, "\n"), "note: --dict with a plain list whose line holds | (read as term 理财, group 基金 before)\n"+
		"args: --dict {dir}/dict-pipe-in-term.list.txt\nrefuse: 不能有 |\n")

	// A dictionary past the matcher's size limit (12 KB of memory a
	// character: 10,000 terms took 440 MB without a word before): 3,001
	// four-character terms, refused with the figure.
	var big strings.Builder
	for i := range 3001 {
		big.WriteString(string([]rune{0x4e00 + rune(i/64), 0x5000 + rune(i%64), '理', '财'}) + "\n")
	}
	if err := os.WriteFile(filepath.Join(dir, "dict-too-large.list.txt"), []byte(big.String()), 0o644); err != nil {
		return err
	}
	add("dict-too-large.csv", join(plain, "\n"), "note: --dict with 3,001 terms (12,004 characters), past the 12,000 limit (40 KB a term unbounded before)\n"+
		"args: --dict {dir}/dict-too-large.list.txt\nrefuse: 超过上限 12000 字\n")

	for _, c := range cases {
		if err := os.WriteFile(filepath.Join(dir, c.name), c.data, 0o644); err != nil {
			return err
		}
		want := strings.TrimSuffix(c.name, filepath.Ext(c.name)) + ".want"
		text := "# written by go run ./internal/cmd/mkdamage\n" + c.want
		if err := os.WriteFile(filepath.Join(dir, want), []byte(text), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// writeBig writes the files too large to commit: one line of 500 MB in a
// CSV and in a JSON Lines file, each between good records.
func writeBig(out string) error {
	rows, err := sample()
	if err != nil {
		return err
	}
	const size = 500 << 20
	for _, name := range []string{"long-line.csv", "long-line.jsonl"} {
		f, err := os.Create(filepath.Join(out, name))
		if err != nil {
			return err
		}
		w := bufio.NewWriterSize(f, 1<<20)
		if strings.HasSuffix(name, ".csv") {
			fmt.Fprintln(w, strings.Join(rows[0], ","))
			fmt.Fprintln(w, strings.Join(rows[1], ","))
			fmt.Fprint(w, "宁波江北超长有限公司,")
			writeFiller(w, size)
			fmt.Fprintln(w)
			fmt.Fprintln(w, strings.Join(rows[2], ","))
		} else {
			fmt.Fprintf(w, "{\"企业名称\":%q,\"经营范围\":%q}\n", rows[1][1], rows[1][8])
			fmt.Fprint(w, "{\"企业名称\":\"宁波江北超长有限公司\",\"经营范围\":\"")
			writeFiller(w, size)
			fmt.Fprintln(w, "\"}")
			fmt.Fprintf(w, "{\"企业名称\":%q,\"经营范围\":%q}\n", rows[2][1], rows[2][8])
		}
		if err := w.Flush(); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	return nil
}

func writeFiller(w *bufio.Writer, size int) {
	chunk := bytes.Repeat([]byte("五金交电"), 1<<14)
	for n := 0; n < size; n += len(chunk) {
		w.Write(chunk)
	}
}
