package input

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/width"
)

// Columns says where each field of interest is (0-based; -1 when absent).
type Columns struct {
	Name      int
	Scopes    []int // 经营范围, or 一般经营项目 and 许可经营项目 together
	ID        int
	Address   int
	Authority int
	Date      int
	Texts     []int // further columns to screen (--text-col)
	// Notes say what the clerk should know of the mapping (a second
	// name column, screened as a further column).
	Notes []string
}

// ColumnSpec is what the clerk said about columns; empty means "find it".
type ColumnSpec struct {
	Name, Scope, ID string
	Texts           []string
	NoHeader        bool
}

var (
	nameHeaders      = []string{"企业名称", "名称", "企业(机构)名称", "市场主体名称", "公司名称", "字号名称", "主体名称", "单位名称", "企业名称(中文)"}
	scopeHeaders     = []string{"经营范围", "业务范围", "一般经营项目", "许可经营项目", "经营范围(中文)"}
	idHeaders        = []string{"统一社会信用代码", "信用代码", "社会信用代码", "注册号", "uscc", "统一代码"}
	addressHeaders   = []string{"住所", "地址", "经营场所", "注册地址", "住所(经营场所)"}
	authorityHeaders = []string{"登记机关", "管辖单位", "管辖机关"}
	dateHeaders      = []string{"成立日期", "注册日期", "设立日期"}
)

// normHeader folds a header cell for comparison: widths, case, spaces.
func normHeader(s string) string {
	s = width.Fold.String(strings.TrimPrefix(s, "\ufeff"))
	s = strings.ToLower(strings.Join(strings.Fields(s), ""))
	return s
}

// foldsTo reports whether normHeader(s) == norm, for norm a normHeader
// result, without building the folded string: rune by rune, stopping at
// the first that differs. Han characters (nearly every cell) have no
// width or case to fold and skip the table lookups.
func foldsTo(s, norm string) bool {
	s = strings.TrimPrefix(s, "\ufeff")
	j := 0
	for _, r := range s {
		if r < 0x4E00 || r > 0x9FFF {
			if f := width.LookupRune(r).Folded(); f != 0 {
				r = f
			}
			if unicode.IsSpace(r) {
				continue
			}
			r = unicode.ToLower(r)
		}
		if j >= len(norm) {
			return false
		}
		want, n := utf8.DecodeRuneInString(norm[j:])
		if r != want {
			return false
		}
		j += n
	}
	return j == len(norm)
}

func findHeader(header []string, names []string) int {
	norm := normCells(header)
	for _, want := range names {
		w := normHeader(want)
		for i, h := range norm {
			if h == w {
				return i
			}
		}
	}
	return -1
}

// maxHeaderCell is the longest cell that can name a column: a longer one
// is not folded (each row looked at for the header used to fold every
// cell once per header word: a title row of a million empty cells took
// seconds, fifteen of them minutes).
const maxHeaderCell = 256

// normCells folds each cell once, as normHeader does ("" for an empty or
// over-long cell).
func normCells(cells []string) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		if c != "" && len(c) <= maxHeaderCell {
			out[i] = normHeader(c)
		}
	}
	return out
}

func findAll(header []string, names []string) []int {
	var out []int
	norm := normCells(header)
	for i, h := range norm {
		if h == "" {
			continue
		}
		for _, want := range names {
			if h == normHeader(want) {
				out = append(out, i)
				break
			}
		}
	}
	return out
}

// looksLikeHeader reports whether a row names a name or scope column; used
// to skip title rows above the header.
func looksLikeHeader(row []string) bool {
	return findHeader(row, nameHeaders) >= 0 || findHeader(row, scopeHeaders) >= 0
}

// resolve finds one column by the clerk's spec (header text or 1-based
// index) or, when spec is empty, by the usual headers.
func resolve(header []string, spec string, usual []string, width int) (int, error) {
	if spec == "" {
		return findHeader(header, usual), nil
	}
	if n, err := strconv.Atoi(spec); err == nil {
		if n < 1 || n > width {
			return -1, fmt.Errorf("列号 %d 超出范围（共 %d 列）", n, width)
		}
		return n - 1, nil
	}
	if i := findHeader(header, []string{spec}); i >= 0 {
		return i, nil
	}
	if header == nil {
		return -1, fmt.Errorf("找不到名为“%s”的列：没有表头（--no-header）时只能用从 1 起的列号", spec)
	}
	return -1, fmt.Errorf("找不到名为“%s”的列；表头各列为：%s%s", spec, listColumns(header), encodingHint(header))
}

// listColumns names a header's columns for a message, the first few
// dozen of a very wide one.
func listColumns(header []string) string {
	const most = 30
	if len(header) > most {
		return strings.Join(header[:most], "、") + fmt.Sprintf(" 等 %d 列", len(header))
	}
	return strings.Join(header, "、")
}

// encodingHint, for a header that could not be matched, suggests the
// encoding when the header looks misdecoded: the wrong encoding, forced or
// guessed, is then the problem, not the column names.
func encodingHint(header []string) string {
	if !looksMisdecoded(header) {
		return ""
	}
	return "；表头像是乱码，文件的编码可能不对：用了 --encoding 的请检查或去掉它（不给时自动识别），否则请用 --encoding 指定正确的编码"
}

// looksMisdecoded reports whether a header row reads like text decoded in
// the wrong encoding: it has replacement characters (bytes invalid in the
// encoding used), or it is UTF-8 read as GB18030 (encoded back to bytes,
// those are UTF-8 naming a column we know).
func looksMisdecoded(header []string) bool {
	joined := strings.Join(header, "\t")
	if strings.ContainsRune(joined, utf8.RuneError) {
		return true
	}
	raw, err := simplifiedchinese.GB18030.NewEncoder().String(joined)
	if err != nil || raw == joined || !utf8.ValidString(raw) {
		return false
	}
	return looksLikeHeader(strings.Split(raw, "\t"))
}

// MapColumns finds the columns in a header row. It fails, listing the
// headers it saw and the flags to use, when neither name nor scope is found.
func MapColumns(header []string, spec ColumnSpec) (Columns, error) {
	c := Columns{Name: -1, ID: -1, Address: -1, Authority: -1, Date: -1}
	var err error
	w := len(header)
	if spec.NoHeader {
		header = nil
	}
	if c.Name, err = resolve(header, spec.Name, nameHeaders, w); err != nil {
		return c, fmt.Errorf("--name-col：%w", err)
	}
	if spec.Scope != "" {
		i, err := resolve(header, spec.Scope, nil, w)
		if err != nil {
			return c, fmt.Errorf("--scope-col：%w", err)
		}
		c.Scopes = []int{i}
	} else if !spec.NoHeader {
		c.Scopes = findAll(header, scopeHeaders)
	}
	if c.ID, err = resolve(header, spec.ID, idHeaders, w); err != nil {
		return c, fmt.Errorf("--id-col：%w", err)
	}
	if !spec.NoHeader {
		c.Address = findHeader(header, addressHeaders)
		c.Authority = findHeader(header, authorityHeaders)
		c.Date = findHeader(header, dateHeaders)
	}
	for _, t := range spec.Texts {
		i, err := resolve(header, t, nil, w)
		if err != nil {
			return c, fmt.Errorf("--text-col：%w", err)
		}
		c.Texts = append(c.Texts, i)
	}
	if spec.Name == "" && !spec.NoHeader && c.Name >= 0 {
		// A second name column (企业名称 twice, say) was never screened:
		// it is screened as a further column, and the summary says so.
		for _, i := range findAll(header, nameHeaders) {
			if i != c.Name && !slices.Contains(c.Texts, i) {
				c.Texts = append(c.Texts, i)
				c.Notes = append(c.Notes, fmt.Sprintf("表头中第 %d 列“%s”与第 %d 列“%s”都是企业名称列：以第 %d 列为企业名称，第 %d 列作为另一列一并筛查",
					c.Name+1, header[c.Name], i+1, header[i], c.Name+1, i+1))
			}
		}
	}
	if c.Name < 0 && len(c.Scopes) == 0 && len(c.Texts) == 0 {
		if spec.NoHeader {
			return c, fmt.Errorf("无表头时须用 --name-col / --scope-col 指定列号")
		}
		if len(header) == 0 {
			return c, fmt.Errorf("找不到表头：开头 %d 行都无法读取（文件可能已损坏或不是文本）", headerSearchRows)
		}
		if hint := encodingHint(header); hint != "" {
			return c, fmt.Errorf("找不到企业名称或经营范围列；看到的表头为：%s%s", strings.TrimRight(listColumns(header), "。"), hint)
		}
		if d := delimiterHint(header); d != "" {
			return c, fmt.Errorf("找不到企业名称或经营范围列；看到的表头为：%s；表头像是用“%s”分隔的，分隔符识别错了：请加 --delimiter '%s' 重新运行",
				strings.TrimRight(listColumns(header), "。"), d, d)
		}
		return c, fmt.Errorf("找不到企业名称或经营范围列；看到的表头为：%s；请用 --name-col、--scope-col 指定（表头文字或从 1 起的列号）",
			strings.TrimRight(listColumns(header), "。"))
	}
	return c, nil
}

// delimiterHint is the delimiter a header cell is split by into a
// recognisable header (the file was cut by the wrong one), or "".
func delimiterHint(header []string) string {
	for _, cell := range header {
		for _, d := range []string{",", ";", "|", "\t", "，", "；"} {
			if strings.Contains(cell, d) && looksLikeHeader(strings.Split(cell, d)) {
				if d == "\t" {
					return `\t`
				}
				return d
			}
		}
	}
	return ""
}
