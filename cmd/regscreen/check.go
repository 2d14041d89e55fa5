package main

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/regscreen/regscreen/input"
	"github.com/regscreen/regscreen/output"
	"github.com/regscreen/regscreen/record"
	"github.com/regscreen/regscreen/screen"
	"github.com/regscreen/regscreen/searcher"
)

// CheckOptions are check's flags.
type CheckOptions struct {
	IO       *IOStreams
	Dict     *DictOptions
	Texts    []string
	Format   string // text | jsonl
	Explain  bool   // say, for each hit, what decided it
	Encoding string // of standard input; "" detects it
}

func newCheckCmd(ios *IOStreams, dictOpts *DictOptions, runF func(*CheckOptions) error) *cobra.Command {
	opts := &CheckOptions{IO: ios, Dict: dictOpts}
	cmd := &cobra.Command{
		Use:   "check [文本…]",
		Short: "检查一个名称或一段经营范围：结论、每处命中及理由",
		Long: `检查一个或多个企业名称/经营范围文本，给出结论（送会商/待复核/无需处理）、每一处命中的位置和理由。
不给文本时，从标准输入逐行读取；编码自动识别（UTF-8、GBK/GB18030、带或不带 BOM 的 UTF-16），也可用 --encoding 指定。
无法按该编码解码的行不检查，在标准错误上报出行号（退出状态 1）。

退出状态：0 = 无命中；1 = 有送会商或待复核；2 = 出错。`,
		Example: `  regscreen check "宁波某某理財咨询有限公司"
  regscreen check --explain "宁波甬江交易所运营管理有限公司"
  regscreen check "投资咨询（不含金融业务）" "资金融通"
  cut -d, -f2 名单.csv | regscreen check --format jsonl`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Texts = args
			if runF != nil {
				return runF(opts)
			}
			code, err := runCheck(opts)
			if err != nil {
				return err
			}
			if code != exitClean {
				return exitCode(code)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&opts.Format, "format", "text", "输出格式：text（便于阅读）或 jsonl")
	completeValues(cmd, "format", "text", "jsonl")
	cmd.Flags().StringVar(&opts.Encoding, "encoding", "", "标准输入的`编码`："+input.EncodingHelp+"（默认自动识别）")
	cmd.Flags().BoolVar(&opts.Explain, "explain", false, "逐处说明判定过程：规范化后的上下文、分词结果、否定提示词及其作用范围、起决定作用的规则（仅 text 格式）")
	return cmd
}

// validate refuses flags that contradict each other.
func (o *CheckOptions) validate() error {
	if o.Format != "text" && o.Format != "jsonl" {
		return fmt.Errorf("不支持的输出格式 %q（可用：text、jsonl）", o.Format)
	}
	if o.Explain && o.Format != "text" {
		return fmt.Errorf("--explain 只用于 text 格式")
	}
	return nil
}

func runCheck(opts *CheckOptions) (int, error) {
	if err := opts.validate(); err != nil {
		return exitError, err
	}
	scr, err := opts.Dict.load()
	if err != nil {
		return exitError, err
	}
	// Output is buffered, and flushed whenever check is about to wait for
	// more input: a pipe of many names costs few writes, and a name typed
	// (or arriving through tail -f) is answered at once.
	var jw *output.JSONLWriter
	tw := bufio.NewWriter(opts.IO.Out)
	vis := output.VisibleWriter(tw) // the text checked may hold terminal escapes
	flush := tw.Flush
	if opts.Format == "jsonl" {
		jw = output.NewJSONL(opts.IO.Out, scr.DictVersion())
		flush = jw.Flush
	}
	flagged := false
	one := func(n int, text string) error {
		if opts.Explain {
			res, expl := scr.Explain(text)
			flagged = flagged || res.Verdict == screen.Refer || res.Verdict == screen.Review
			output.WriteExplained(vis, text, &res, expl)
			return nil
		}
		res := scr.ScreenText(text)
		flagged = flagged || res.Verdict == screen.Refer || res.Verdict == screen.Review
		if jw != nil {
			return jw.Write(&record.Record{File: "-", Line: n, Name: text, Result: res})
		}
		output.WriteResult(vis, text, &res)
		return nil
	}
	for i, t := range opts.Texts {
		if err := one(i+1, t); err != nil {
			return exitError, err
		}
	}
	if len(opts.Texts) == 0 {
		if opts.IO.InTTY {
			// A terminal waiting in silence looks hung.
			fmt.Fprintln(opts.IO.ErrOut, checkPrompt)
		}
		bad, err := checkLines(opts.IO.In, opts.Encoding, opts.IO.ErrOut, flush, one)
		if err != nil {
			return exitError, err
		}
		flagged = flagged || bad > 0
	}
	if err := flush(); err != nil {
		return exitError, fmt.Errorf("写出结果: %w", err)
	}
	if flagged {
		return exitFlagged, nil
	}
	return exitClean, nil
}

// checkPrompt is said when check reads names typed at a terminal.
var checkPrompt = "请输入企业名称或经营范围，每行一条；" + endOfInput + " 结束"

// checkLines checks each non-blank line of in, decoded as enc (""
// detects it), flushing the answers before each read that may wait. A
// line that cannot be decoded is not checked — no verdict for text that
// was not read — but reported on errOut with its number and counted.
func checkLines(r io.Reader, enc string, errOut io.Writer, flush func() error, one func(n int, text string) error) (bad int, err error) {
	in := &output.FlushBeforeRead{R: r, Flush: flush}
	lines, err := input.NewTextLines(in, enc)
	if err != nil {
		return 0, fmt.Errorf("读取标准输入: %w", err)
	}
	checked := 0
	for {
		n, text, why, err := lines.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			if in.FlushErr != nil {
				return bad, fmt.Errorf("写出结果: %w", in.FlushErr)
			}
			return bad, fmt.Errorf("标准输入%w", err)
		}
		if why != "" {
			bad++
			fmt.Fprintf(errOut, "%s:%d: %s；该行未检查\n", searcher.StdinName, n, why)
			continue
		}
		if strings.TrimSpace(text) == "" {
			continue
		}
		checked++
		if err := one(n, text); err != nil {
			return bad, err
		}
	}
	if in.FlushErr != nil {
		return bad, fmt.Errorf("写出结果: %w", in.FlushErr)
	}
	switch {
	case bad > 0:
		fmt.Fprintf(errOut, "有 %d 行无法按 %s 编码读取，未检查；检查了 %d 行\n", bad, lines.Encoding(), checked)
	case checked == 0:
		return 0, fmt.Errorf("没有从标准输入读到任何文本；请在命令后给出名称，或一行一个地从管道输入")
	}
	return bad, nil
}
