// Package dict holds the screening dictionary: the restricted terms with
// their group, lead regulator and source; the denial cues; the benign
// contexts; and the street/town list. The default is a human-readable data
// file embedded in the binary; a clerk's own file merges onto it.
package dict

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	xunicode "golang.org/x/text/encoding/unicode"
)

//go:embed default.dict
var defaultDict string

// Term is one restricted word.
type Term struct {
	Text      string   // as written in the rule, e.g. "P2P"
	Group     string   // report group, e.g. "网络借贷"
	Regulator string   // lead regulator to consult
	Source    string   // document and section
	Variants  []string // other spellings that count as this term (网路借贷)
	// Except lists longer words that hold the term and are no use of it
	// (互联网保险箱: a safe, not insurance): an occurrence inside one of them
	// is an accidental sequence, for a human to look at.
	Except []string
}

// CueReach says which way a denial cue reaches.
type CueReach int

const (
	ReachAfter  CueReach = iota // denies the list after the cue
	ReachBefore                 // denies the list before the cue (…除外)
	ReachUntil                  // denies what follows up to a closing word (除…外)
)

// Cue is a denial or exclusion word.
type Cue struct {
	Text  string
	Reach CueReach
	Until string // closing word for ReachUntil
	// Except lists words that contain the cue but mean something else
	// (除尘, 清除, 不得不): the cue inside one of them is no cue.
	Except []string
}

// Benign is a phrase in which a term is used in another, common sense.
type Benign struct {
	Text string
	Note string
	// Except lists longer phrases that hold this one and are uses after all
	// (工程款支付担保 holds 工程款支付).
	Except []string
}

// Dictionary is a merged, validated set of rules.
type Dictionary struct {
	Terms   []Term
	Cues    []Cue
	Benign  []Benign
	Streets []string
	Sources []string // where the rules came from: "默认词典", file paths
}

// ParseError names the file and line of a malformed dictionary entry.
type ParseError struct {
	File string
	Line int
	Msg  string
}

func (e *ParseError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

// Default returns the embedded default dictionary.
func Default() *Dictionary {
	d, err := Parse(strings.NewReader(defaultDict), "默认词典")
	if err != nil {
		panic("embedded default dictionary is invalid: " + err.Error())
	}
	return d
}

// StandingEnv names the environment variable that lists the office's
// standing local dictionaries (separated as PATH is): merged on by every
// command before any --dict, so that a nightly job cannot forget them and
// report a dictionary change as changed companies.
const StandingEnv = "REGSCREEN_DICT"

// Standing returns the files StandingEnv lists.
func Standing() []string {
	var out []string
	for _, p := range filepath.SplitList(os.Getenv(StandingEnv)) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Load builds the dictionary in force: the default (unless noDefault) with
// the standing dictionaries (Standing) and then each file merged on in
// order.
func Load(files []string, noDefault bool) (*Dictionary, error) {
	d := &Dictionary{}
	if !noDefault {
		d = Default()
	}
	standing := Standing()
	for i, path := range append(standing, files...) {
		data, err := os.ReadFile(path)
		if err != nil && i < len(standing) {
			return nil, fmt.Errorf("环境变量 %s 指定的词典文件 %s 无法读取；请检查该变量（本地常用词典）的路径", StandingEnv, path)
		}
		if err != nil {
			return nil, fmt.Errorf("打开词典文件: %w", err)
		}
		if bytes.HasPrefix(data, []byte("PK\x03\x04")) || bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0}) {
			return nil, &ParseError{File: path, Line: 1, Msg: "这是 Excel 工作簿，不是词典文件；" + dictFormatHint}
		}
		text, err := decode(data)
		if err != nil {
			return nil, &ParseError{File: path, Line: 1, Msg: err.Error()}
		}
		own, err := Parse(strings.NewReader(text), path)
		if err != nil {
			return nil, err
		}
		d.Merge(own)
	}
	if len(d.Terms) == 0 {
		return nil, fmt.Errorf("词典中没有任何限制词")
	}
	if n := d.termChars(); n > MaxTermChars {
		return nil, fmt.Errorf("词典的限制词（含变体写法）共 %d 字，超过上限 %d 字（约 %d 个四字词）：匹配表每字约占 %d KB 内存，上限处约 %d MB；请精简词典",
			n, MaxTermChars, MaxTermChars/4, termCharKB, MaxTermChars*termCharKB/1000)
	}
	return d, nil
}

// MaxTermChars bounds the characters of the terms and their variants
// together. The matcher (cloudflare/ahocorasick) keeps a 256-way table per
// byte of every pattern, about 4 KB a byte, 12 KB a Chinese character.
// Measured with /usr/bin/time -f %M on regscreen check --dict with N
// random terms of 2-5 characters: 1,000 terms (3,550 characters) 59 MB,
// 2,000 (7,054) 95 MB, 5,000 (17,423) 201 MB, against 20 MB without;
// 1,000 terms of 12 characters 166 MB. The limit keeps the matcher near
// 150 MB, far above any real list (the default holds 59 characters).
const (
	MaxTermChars = 12000
	termCharKB   = 12
)

// termChars counts the characters the matcher is built from.
func (d *Dictionary) termChars() int {
	n := 0
	for _, t := range d.Terms {
		n += utf8.RuneCountInString(t.Text)
		for _, v := range t.Variants {
			n += utf8.RuneCountInString(v)
		}
	}
	return n
}

// decode turns a dictionary file's bytes into text the way input/ reads an
// export: a BOM decides (UTF-8, UTF-16 LE/BE); otherwise valid UTF-8 is
// UTF-8 and anything else is GB18030 (a superset of GBK, what Notepad
// writes when saving as "ANSI" on a Chinese Windows).
func decode(data []byte) (string, error) {
	var enc encoding.Encoding
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return string(data[3:]), nil
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		enc = xunicode.UTF16(xunicode.LittleEndian, xunicode.ExpectBOM)
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		enc = xunicode.UTF16(xunicode.BigEndian, xunicode.ExpectBOM)
	case utf8.Valid(data):
		return string(data), nil
	default:
		enc = simplifiedchinese.GB18030
	}
	out, err := enc.NewDecoder().Bytes(data)
	if err != nil {
		return "", fmt.Errorf("文件既不是 UTF-8 也不是 GB18030/GBK 或带 BOM 的 UTF-16，无法读取：%v", err)
	}
	if !utf8.Valid(out) || bytes.ContainsRune(out, utf8.RuneError) {
		return "", fmt.Errorf("文件既不是 UTF-8 也不是 GB18030/GBK 或带 BOM 的 UTF-16，无法读取")
	}
	return strings.TrimPrefix(string(out), "\ufeff"), nil
}

// Parse reads a dictionary file. A file without section headers is a plain
// list: one term per line.
func Parse(r io.Reader, name string) (*Dictionary, error) {
	d := &Dictionary{Sources: []string{name}}
	section := "terms"
	sectioned := false // a section header or a term came before
	plain := true      // no section header: a plain list, one term a line
	seen := map[string]int{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	lineNo := 0
	fail := func(format string, args ...any) error {
		return &ParseError{File: name, Line: lineNo, Msg: fmt.Sprintf(format, args...)}
	}
	for sc.Scan() {
		lineNo++
		line := strings.TrimSpace(sc.Text())
		if lineNo == 1 {
			line = strings.TrimPrefix(line, "\ufeff")
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "[") {
			if !strings.HasSuffix(line, "]") {
				return nil, fail("节标题缺少右括号 ]：%q", line)
			}
			sectioned, plain = true, false
			section = strings.TrimSpace(line[1 : len(line)-1])
			switch section {
			case "terms", "cues", "benign", "streets":
			default:
				return nil, fail("未知的节 [%s]（可用：terms、cues、benign、streets）", section)
			}
			continue
		}
		if !sectioned && !strings.Contains(line, "|") {
			if sep := delimiterIn(line); sep != "" {
				return nil, fail("这是%s分隔的表格（如导出的 CSV），不是词典：第一行为“%s”；%s", sep, clipLine(line), dictFormatHint)
			}
		}
		sectioned = true // only the first line that holds a term is looked at
		if plain && strings.Contains(line, "|") {
			// Split, it would make a term of the part before | and
			// a group of the rest, without a word.
			return nil, fail("不带节标题的词典一行一个词，词中不能有 |：%q；要写类别、牵头部门等字段，请在文件开头加一行 [terms]", line)
		}
		fields := splitFields(line)
		if fields[0] == "" {
			return nil, fail("第一个字段为空")
		}
		if strings.ContainsAny(fields[0], " \t") {
			return nil, fail("词中不能含空白：%q", fields[0])
		}
		key := section + "\x00" + fields[0]
		if prev, dup := seen[key]; dup {
			return nil, fail("%q 与第 %d 行重复", fields[0], prev)
		}
		seen[key] = lineNo
		switch section {
		case "terms":
			if len(fields) > 6 {
				return nil, fail("词条最多 6 个字段（词 | 类别 | 牵头监管部门 | 依据 | 变体 | 例外），实有 %d 个", len(fields))
			}
			t := Term{Text: fields[0], Group: "自定义", Source: filepath.Base(name)}
			if len([]rune(t.Text)) < 2 {
				return nil, fail("限制词至少两个字：%q", t.Text)
			}
			if v := field(fields, 1); v != "" {
				t.Group = v
			}
			t.Regulator = field(fields, 2)
			if v := field(fields, 3); v != "" {
				t.Source = v
			}
			t.Variants = list(field(fields, 4))
			t.Except = list(field(fields, 5))
			for _, x := range t.Except {
				if !strings.Contains(x, t.Text) && !slices.ContainsFunc(t.Variants, func(v string) bool { return strings.Contains(x, v) }) {
					return nil, fail("例外 %q 不含限制词 %q", x, t.Text)
				}
			}
			d.Terms = append(d.Terms, t)
		case "cues":
			if len(fields) > 3 {
				return nil, fail("提示词最多 3 个字段（提示词 | 作用范围 | 例外词），实有 %d 个", len(fields))
			}
			c := Cue{Text: fields[0], Reach: ReachAfter, Except: list(field(fields, 2))}
			for _, x := range c.Except {
				if !strings.Contains(x, c.Text) {
					return nil, fail("例外词 %q 不含提示词 %q", x, c.Text)
				}
			}
			switch reach := field(fields, 1); {
			case reach == "" || reach == "after":
			case reach == "before":
				c.Reach = ReachBefore
			case strings.HasPrefix(reach, "until "):
				c.Reach = ReachUntil
				c.Until = strings.TrimSpace(strings.TrimPrefix(reach, "until "))
				if c.Until == "" {
					return nil, fail("until 后需给出结束词，如 “until 外”")
				}
			default:
				return nil, fail("未知的作用范围 %q（可用：after、before、until X）", reach)
			}
			d.Cues = append(d.Cues, c)
		case "benign":
			if len(fields) > 3 {
				return nil, fail("常见用语最多 3 个字段（用语 | 说明 | 例外），实有 %d 个", len(fields))
			}
			b := Benign{Text: fields[0], Note: field(fields, 1), Except: list(field(fields, 2))}
			for _, x := range b.Except {
				if !strings.Contains(x, b.Text) {
					return nil, fail("例外 %q 不含常见用语 %q", x, b.Text)
				}
			}
			d.Benign = append(d.Benign, b)
		case "streets":
			if len(fields) > 1 {
				return nil, fail("街道（镇）名单每行一个名称")
			}
			d.Streets = append(d.Streets, fields[0])
		}
	}
	if err := sc.Err(); err != nil {
		return nil, &ParseError{File: name, Line: lineNo + 1, Msg: "读取失败：" + err.Error()}
	}
	return d, nil
}

// dictFormatHint says what a dictionary is, for a file that is none.
const dictFormatHint = "词典是一行一个词的文本，或带 [terms] 等节、字段以 | 分隔的文件（见 README“词典格式”）；要豁免持牌机构请用 --exempt 名单.csv"

// delimiterIn names the delimiter of a line that is a row of a table —
// commas, tabs or semicolons between fields — or "". No term holds them.
func delimiterIn(line string) string {
	switch {
	case strings.Contains(line, "\t"):
		return "制表符"
	case strings.Count(line, ",") >= 1:
		return "逗号"
	case strings.Count(line, ";") >= 1:
		return "分号"
	}
	return ""
}

// clipLine shortens a line for a message.
func clipLine(line string) string {
	if r := []rune(line); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return line
}

func splitFields(line string) []string {
	parts := strings.Split(line, "|")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

// list splits a field of 、-separated items.
func list(v string) []string {
	var out []string
	for _, s := range strings.Split(v, "、") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func field(f []string, i int) string {
	if i < len(f) {
		return f[i]
	}
	return ""
}

// Merge adds other's entries; a term or benign phrase already present is
// replaced by other's version, so a clerk can re-group or re-assign a term.
func (d *Dictionary) Merge(other *Dictionary) {
	for _, t := range other.Terms {
		if i := indexOf(len(d.Terms), func(i int) bool { return d.Terms[i].Text == t.Text }); i >= 0 {
			d.Terms[i] = t
		} else {
			d.Terms = append(d.Terms, t)
		}
	}
	for _, c := range other.Cues {
		if i := indexOf(len(d.Cues), func(i int) bool { return d.Cues[i].Text == c.Text }); i >= 0 {
			d.Cues[i] = c
		} else {
			d.Cues = append(d.Cues, c)
		}
	}
	for _, b := range other.Benign {
		if i := indexOf(len(d.Benign), func(i int) bool { return d.Benign[i].Text == b.Text }); i >= 0 {
			d.Benign[i] = b
		} else {
			d.Benign = append(d.Benign, b)
		}
	}
	for _, s := range other.Streets {
		if indexOf(len(d.Streets), func(i int) bool { return d.Streets[i] == s }) < 0 {
			d.Streets = append(d.Streets, s)
		}
	}
	d.Sources = append(d.Sources, other.Sources...)
}

func indexOf(n int, match func(int) bool) int {
	for i := 0; i < n; i++ {
		if match(i) {
			return i
		}
	}
	return -1
}

// Version is a short hash of the rules' content (not of file names or
// comments), so a result can be traced to the rules that produced it.
func (d *Dictionary) Version() string {
	var lines []string
	for _, t := range d.Terms {
		lines = append(lines, "t|"+strings.Join([]string{t.Text, t.Group, t.Regulator, t.Source, strings.Join(t.Variants, "、"), strings.Join(t.Except, "、")}, "|"))
	}
	for _, c := range d.Cues {
		lines = append(lines, fmt.Sprintf("c|%s|%d|%s|%s", c.Text, c.Reach, c.Until, strings.Join(c.Except, "、")))
	}
	for _, b := range d.Benign {
		lines = append(lines, "b|"+b.Text+"|"+b.Note+"|"+strings.Join(b.Except, "、"))
	}
	for _, s := range d.Streets {
		lines = append(lines, "s|"+s)
	}
	sort.Strings(lines)
	sum := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	return hex.EncodeToString(sum[:6])
}

// Term returns the term with the given text, or nil.
func (d *Dictionary) Term(text string) *Term {
	for i := range d.Terms {
		if d.Terms[i].Text == text {
			return &d.Terms[i]
		}
	}
	return nil
}

// StreetOf finds the street or town (街道/镇/乡) in an address: first one of
// the dictionary's streets, else the words before the first 街道/镇/乡 after
// the district. It returns "" when the address names none.
func (d *Dictionary) StreetOf(address string) string {
	for _, s := range d.Streets {
		if strings.Contains(address, s) {
			return s
		}
	}
	r := []rune(address)
	for i := 0; i < len(r); i++ {
		var suffix int
		switch {
		case r[i] == '街' && i+1 < len(r) && r[i+1] == '道':
			suffix = 2
		case r[i] == '镇' || r[i] == '乡':
			suffix = 1
		default:
			continue
		}
		start := i
		for start > 0 && i-start < 5 && unicode.Is(unicode.Han, r[start-1]) && !strings.ContainsRune("省市区县州盟旗", r[start-1]) {
			start--
		}
		if i-start >= 2 {
			return string(r[start : i+suffix])
		}
	}
	return ""
}
