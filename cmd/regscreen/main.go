// Command regscreen screens company registrations (企业名称, 经营范围) for the
// restricted financial terms and refers the companies that use them to the
// registration consultation process (注册登记会商).
package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/regscreen/regscreen/dict"
	"github.com/regscreen/regscreen/screen"
)

// version is set at build time with -ldflags "-X main.version=…".
var version string // empty: filled from the build info by build_version.go

// Exit statuses, as documented in the README.
const (
	exitClean   = 0 // ran and referred or flagged nothing
	exitFlagged = 1 // ran and referred or flagged something
	exitError   = 2 // could not run, or rejected rows beyond --max-rejects
)

// IOStreams are the command's standard streams, replaced by buffers in tests.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
	// ErrTTY says stderr is a terminal (progress is shown only then).
	ErrTTY bool
}

// DictOptions are the dictionary flags every command shares.
type DictOptions struct {
	Files     []string
	NoDefault bool
}

func (o *DictOptions) load() (*screen.Screener, error) {
	d, err := dict.Load(o.Files, o.NoDefault)
	if err != nil {
		return nil, err
	}
	return screen.New(d)
}

// exitCode carries a command's exit status through cobra.
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit %d", int(e)) }

func newRootCmd(ios *IOStreams) *cobra.Command {
	dictOpts := &DictOptions{}
	root := &cobra.Command{
		Use:   "regscreen",
		Short: "企业名称与经营范围限制性金融用语筛查",
		Long: `regscreen 按《互联网金融风险专项整治工作实施方案》“严格准入管理”的要求，
筛查企业名称和经营范围中的“交易所”“金融”“理财”“P2P”“支付”等限制性用语，
列出须提交注册登记会商的企业，并说明每一处命中的理由。

能识别否定/排除表述（如“不含金融业务”“未经金融等监管部门批准不得从事…”）、
变形写法（全角、大小写、繁体、插入空格或符号）和跨词的偶然字串（如“资金融通”）。

退出状态：0 = 无命中；1 = 有送会商或待复核的记录；2 = 出错（或拒收行超过 --max-rejects）。`,
		Version:       version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	// The default dictionary's version is worked out only when --version asks.
	cobra.AddTemplateFunc("defaultDictVersion", func() string { return dict.Default().Version() })
	root.SetVersionTemplate("regscreen {{.Version}}（默认词典版本 {{defaultDictVersion}}）\n")
	root.SetIn(ios.In)
	root.SetOut(ios.Out)
	root.SetErr(ios.ErrOut)
	root.PersistentFlags().StringArrayVar(&dictOpts.Files, "dict", nil, "合并自己的词典文件（可多次指定）")
	root.PersistentFlags().BoolVar(&dictOpts.NoDefault, "no-default-dict", false, "不使用内置默认词典，只用 --dict 给出的词典")
	root.AddCommand(newScanCmd(ios, dictOpts, nil), newCheckCmd(ios, dictOpts, nil), newDictCmd(ios, dictOpts),
		newChangesCmd(ios), newReportCmd(ios), newHistoryCmd(ios), newDBCmd(ios))
	root.InitDefaultCompletionCmd()
	localizeCobra(root)
	return root
}

// localizeCobra puts cobra's own help and completion texts into Chinese.
func localizeCobra(root *cobra.Command) {
	root.SetHelpCommand(&cobra.Command{
		Use:   "help [命令]",
		Short: "显示任一命令的帮助",
		Run: func(c *cobra.Command, args []string) {
			cmd, _, e := c.Root().Find(args)
			if cmd == nil || e != nil {
				c.Printf("未知的帮助主题 %q\n", args)
				cobra.CheckErr(c.Root().Usage())
				return
			}
			cobra.CheckErr(cmd.Help())
		},
	})
	root.Flags().BoolP("help", "h", false, "显示帮助")
	root.Flags().BoolP("version", "v", false, "显示版本（含默认词典版本）")
	for _, c := range root.Commands() {
		if c.Name() == "completion" {
			c.Short = "生成 shell 自动补全脚本（bash、zsh、fish、powershell）"
		}
	}
	root.SetUsageTemplate(usageTemplate)
}

const usageTemplate = `用法：{{if .Runnable}}
  {{.UseLine}}{{end}}{{if .HasAvailableSubCommands}}
  {{.CommandPath}} [命令]{{end}}{{if gt (len .Aliases) 0}}

别名：
  {{.NameAndAliases}}{{end}}{{if .HasExample}}

示例：
{{.Example}}{{end}}{{if .HasAvailableSubCommands}}

命令：{{range .Commands}}{{if (or .IsAvailableCommand (eq .Name "help"))}}
  {{rpad .Name .NamePadding }} {{.Short}}{{end}}{{end}}{{end}}{{if .HasAvailableLocalFlags}}

选项：
{{.LocalFlags.FlagUsages | trimTrailingWhitespaces}}{{end}}{{if .HasAvailableInheritedFlags}}

全局选项：
{{.InheritedFlags.FlagUsages | trimTrailingWhitespaces}}{{end}}{{if .HasAvailableSubCommands}}

用 "{{.CommandPath}} [命令] --help" 查看某个命令的详细说明。{{end}}
`

// Run runs the CLI with the given arguments and streams and returns the exit
// status; main and the tests share it.
func Run(args []string, ios *IOStreams) int {
	root := newRootCmd(ios)
	root.SetArgs(args)
	err := root.Execute()
	var code exitCode
	switch {
	case err == nil:
		return exitClean
	case errors.As(err, &code):
		return int(code)
	default:
		fmt.Fprintln(ios.ErrOut, "regscreen:", err)
		return exitError
	}
}

// exitAtStart, set only by `make bench` (-X main.exitAtStart=1), makes
// the binary exit before doing anything: its run time is this binary's
// start-up floor (loading plus every package's initialisation).
var exitAtStart string

func main() {
	if exitAtStart != "" {
		return
	}
	ios := &IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr, ErrTTY: isTerminal(os.Stderr)}
	os.Exit(Run(os.Args[1:], ios))
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
