package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/regscreen/regscreen/output"
)

// resolve checks scan's flags against each other and fills in what they
// imply, before anything is opened or written.
func (o *ScanOptions) resolve() error {
	if len(o.Inputs) == 0 {
		if o.IO.InTTY {
			return fmt.Errorf("没有给出要筛查的文件；用法：regscreen scan 登记导出.csv（从管道读取时写 -）")
		}
		o.Inputs = []string{"-"}
	}
	if o.Workers < 1 {
		return fmt.Errorf("--workers 至少为 1（现为 %d）", o.Workers)
	}
	if _, err := parseDelimiter(o.Delimiter); err != nil {
		return err
	}
	if st, err := os.Stat(o.Output); err == nil && st.IsDir() && o.SplitBy == "" {
		return fmt.Errorf("-o %s 是目录；请给出文件名，如 -o %s", o.Output, filepath.Join(o.Output, "结果.csv"))
	}
	if err := o.resolveFormat(); err != nil {
		return err
	}
	switch strings.ToLower(o.OutEncoding) {
	case "utf-8", "utf8", "":
		o.OutEncoding = "utf-8"
	case "gb18030", "gbk":
		o.OutEncoding = "gb18030"
	default:
		return fmt.Errorf("不支持的输出编码 %q（可用：utf-8、gb18030）", o.OutEncoding)
	}
	return o.checkPaths()
}

func (o *ScanOptions) resolveFormat() error {
	ext := strings.ToLower(filepath.Ext(o.Output))
	byExt, known := output.FormatOf(o.Output)
	if o.SplitBy != "" {
		if o.SplitBy != "street" {
			return fmt.Errorf("--split-by 只支持 street（按街道/镇分文件）")
		}
		if o.Output == "" {
			return fmt.Errorf("--split-by street 须用 -o 指定输出目录")
		}
		if known {
			return fmt.Errorf("--split-by street 的 -o 是目录，不能是 %s 文件名；请给一个目录名，如 -o 分街道", ext)
		}
		if o.Format != "" && o.Format != "xlsx" {
			return fmt.Errorf("--split-by street 只写会商工作簿（xlsx），不能用 --format %s", o.Format)
		}
		o.Format = "xlsx"
		return nil
	}
	switch {
	case o.Format == "" && o.Output == "":
		o.Format = "csv"
	case o.Format == "" && known:
		o.Format = byExt
	case o.Format == "":
		return fmt.Errorf("无法从文件名 %s 判断输出格式；请用 .csv、.jsonl、.txt 或 .xlsx 结尾，或用 --format 指定", o.Output)
	case o.Output != "" && known && byExt != o.Format:
		return fmt.Errorf("--format %s 与输出文件名 %s 的扩展名不符", o.Format, o.Output)
	}
	switch o.Format {
	case "csv", "jsonl", "text", "xlsx":
	default:
		return fmt.Errorf("不支持的输出格式 %q（可用：csv、jsonl、text、xlsx）", o.Format)
	}
	if o.Format == "xlsx" && o.Output == "" && o.IO.OutTTY {
		return fmt.Errorf("工作簿不能显示在终端上；请用 -o 指定文件，如 -o 会商名单.xlsx")
	}
	return nil
}

// checkPaths refuses an output that would overwrite an input or another
// output of the same run.
func (o *ScanOptions) checkPaths() error {
	outs := map[string]string{}
	for flag, p := range map[string]string{"-o": o.Output, "--rejects": o.Rejects, "--cpuprofile": o.CPUProfile, "--memprofile": o.MemProfile} {
		if p == "" {
			continue
		}
		for _, in := range append(append([]string{}, o.Inputs...), o.Exempt) {
			if in != "" && in != "-" && samePath(in, p) {
				return fmt.Errorf("%s %s 就是输入文件 %s；会覆盖输入，请换一个输出文件名", flag, p, in)
			}
		}
		for other, q := range outs {
			if samePath(p, q) {
				return fmt.Errorf("%s 与 %s 是同一个文件 %s；请分别指定", flag, other, p)
			}
		}
		outs[flag] = p
	}
	if o.Output != "" && o.SplitBy == "" {
		if st, err := os.Stat(filepath.Dir(o.Output)); err != nil || !st.IsDir() {
			return fmt.Errorf("-o %s：目录 %s 不存在；请先创建它", o.Output, filepath.Dir(o.Output))
		}
	}
	return nil
}

// samePath reports whether two paths name the same file, existing or not.
func samePath(a, b string) bool {
	if sa, err := os.Stat(a); err == nil {
		if sb, err := os.Stat(b); err == nil {
			return os.SameFile(sa, sb)
		}
	}
	aa, err1 := filepath.Abs(a)
	bb, err2 := filepath.Abs(b)
	return err1 == nil && err2 == nil && aa == bb
}

func parseDelimiter(s string) (rune, error) {
	switch s {
	case "":
		return 0, nil
	case ",", ";", "|":
		return rune(s[0]), nil
	case "tab", "\\t", "\t":
		return '\t', nil
	}
	return 0, fmt.Errorf("不支持的分隔符 %q（可用：, tab ; |）", s)
}
