package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/regscreen/regscreen/output"
	"github.com/regscreen/regscreen/screen"
)

// CheckOptions are check's flags.
type CheckOptions struct {
	IO      *IOStreams
	Dict    *DictOptions
	Texts   []string
	Format  string // text | jsonl
	Explain bool   // say, for each hit, what decided it
}

func newCheckCmd(ios *IOStreams, dictOpts *DictOptions, runF func(*CheckOptions) error) *cobra.Command {
	opts := &CheckOptions{IO: ios, Dict: dictOpts}
	cmd := &cobra.Command{
		Use:   "check [文本…]",
		Short: "检查一个名称或一段经营范围：结论、每处命中及理由",
		Long: `检查一个或多个企业名称/经营范围文本，给出结论（送会商/待复核/无需处理）、每一处命中的位置和理由。
不给文本时，从标准输入逐行读取。

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
	cmd.Flags().BoolVar(&opts.Explain, "explain", false, "逐处说明判定过程：规范化后的上下文、分词结果、否定提示词及其作用范围、起决定作用的规则（仅 text 格式）")
	return cmd
}

func runCheck(opts *CheckOptions) (int, error) {
	if opts.Format != "text" && opts.Format != "jsonl" {
		return exitError, fmt.Errorf("不支持的输出格式 %q（可用：text、jsonl）", opts.Format)
	}
	if opts.Explain && opts.Format != "text" {
		return exitError, fmt.Errorf("--explain 只用于 text 格式")
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
			if res.Verdict == screen.Refer || res.Verdict == screen.Review {
				flagged = true
			}
			writeExplained(vis, text, &res, expl)
			return nil
		}
		res := scr.ScreenText(text)
		if res.Verdict == screen.Refer || res.Verdict == screen.Review {
			flagged = true
		}
		if jw != nil {
			return jw.Write(&output.Record{File: "-", Line: n, Name: text, Result: res})
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
		if err := checkLines(opts.IO.In, flush, one); err != nil {
			return exitError, err
		}
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

// checkLines checks each non-blank line of in, flushing the answers
// before each read that may wait.
func checkLines(r io.Reader, flush func() error, one func(n int, text string) error) error {
	in := &flushBeforeRead{r: r, flush: flush}
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	n := 0
	for sc.Scan() {
		n++
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		if err := one(n, sc.Text()); err != nil {
			return err
		}
	}
	if in.flushErr != nil {
		return fmt.Errorf("写出结果: %w", in.flushErr)
	}
	if errors.Is(sc.Err(), bufio.ErrTooLong) {
		return fmt.Errorf("标准输入第 %d 行超过 4 MiB；请一行给一个名称或一段经营范围", n+1)
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("读取标准输入第 %d 行之后: %w", n, err)
	}
	return nil
}

// flushBeforeRead flushes the output before each read of the input that
// may block: the scanner reads only when its buffer is used up.
type flushBeforeRead struct {
	r        io.Reader
	flush    func() error
	flushErr error
}

func (f *flushBeforeRead) Read(p []byte) (int, error) {
	if err := f.flush(); err != nil {
		f.flushErr = err
		return 0, err
	}
	return f.r.Read(p)
}

// writeExplained writes a result as check does, then how each hit was
// judged: the normalised text around it, its tokens, the denial cue and its
// reach (or why none applies), and the rule that decided.
func writeExplained(w io.Writer, text string, res *screen.Result, expl []screen.Explanation) {
	output.WriteResult(w, text, res)
	for i, e := range expl {
		h := &e.Hit
		fmt.Fprintf(w, "  ▸ 第 %d 处“%s”（%s第 %d–%d 字）判定过程\n", i+1, h.Text, screen.FieldLabel(h.Field), h.Start+1, h.End)
		fmt.Fprintf(w, "    规范化后的上下文：%s\n", e.Window)
		if len(e.Tokens) > 0 {
			fmt.Fprintf(w, "    分词：%s\n", strings.Join(e.Tokens, "|"))
		}
		if e.Reach != "" {
			fmt.Fprintf(w, "    否定提示词：“%s”，作用范围：“%s”\n", e.Cue, e.Reach)
		} else {
			fmt.Fprintf(w, "    否定提示词：%s\n", e.Cue)
		}
		fmt.Fprintf(w, "    判定：%s → %s\n", e.Rule, h.State())
	}
	fmt.Fprintln(w)
}
