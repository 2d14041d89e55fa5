package input

import (
	"fmt"
	"strconv"
	"strings"

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

func findHeader(header []string, names []string) int {
	for _, want := range names {
		for i, h := range header {
			if normHeader(h) == normHeader(want) {
				return i
			}
		}
	}
	return -1
}

func findAll(header []string, names []string) []int {
	var out []int
	for i, h := range header {
		for _, want := range names {
			if normHeader(h) == normHeader(want) {
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
	return -1, fmt.Errorf("找不到名为 %q 的列", spec)
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
		return c, fmt.Errorf("--name-col: %w", err)
	}
	if spec.Scope != "" {
		i, err := resolve(header, spec.Scope, nil, w)
		if err != nil {
			return c, fmt.Errorf("--scope-col: %w", err)
		}
		c.Scopes = []int{i}
	} else if !spec.NoHeader {
		c.Scopes = findAll(header, scopeHeaders)
	}
	if c.ID, err = resolve(header, spec.ID, idHeaders, w); err != nil {
		return c, fmt.Errorf("--id-col: %w", err)
	}
	if !spec.NoHeader {
		c.Address = findHeader(header, addressHeaders)
		c.Authority = findHeader(header, authorityHeaders)
		c.Date = findHeader(header, dateHeaders)
	}
	for _, t := range spec.Texts {
		i, err := resolve(header, t, nil, w)
		if err != nil {
			return c, fmt.Errorf("--text-col: %w", err)
		}
		c.Texts = append(c.Texts, i)
	}
	if c.Name < 0 && len(c.Scopes) == 0 && len(c.Texts) == 0 {
		if spec.NoHeader {
			return c, fmt.Errorf("无表头时须用 --name-col / --scope-col 指定列号")
		}
		if len(header) == 0 {
			return c, fmt.Errorf("找不到表头：开头 %d 行都无法读取（文件可能已损坏或不是文本）", headerSearchRows)
		}
		return c, fmt.Errorf("找不到企业名称或经营范围列；看到的表头为：%s。请用 --name-col、--scope-col 指定（表头文字或从 1 起的列号）",
			strings.Join(header, "、"))
	}
	return c, nil
}
