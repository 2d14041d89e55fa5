// Command regscreen screens company registrations (企业名称, 经营范围) for the
// restricted financial terms and refers the companies that use them to the
// registration consultation process (注册登记会商).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/regscreen/regscreen/dict"
	"github.com/regscreen/regscreen/internal/cobrazh"
	"github.com/regscreen/regscreen/internal/interrupt"
	"github.com/regscreen/regscreen/internal/version"
	"github.com/regscreen/regscreen/output"
	"github.com/regscreen/regscreen/screen"
)

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
	// ErrTTY says stderr is a terminal (progress is shown only then);
	// InTTY that stdin is (scan then needs a file), OutTTY that stdout is
	// (a workbook is not written there).
	ErrTTY, InTTY, OutTTY bool
	// Ctx is cancelled when the user interrupts (Ctrl-C, SIGTERM): a run
	// then removes its temporary files and leaves the store as it was.
	Ctx context.Context
	// Unwatched, if set, is called before running a command that does not
	// watch Ctx (all but scan): main makes an interrupt end those at once.
	Unwatched func()
	// Now is the clock (nil: time.Now); StoreWait is how long a command
	// waits for another regscreen holding the store (0: 10 minutes).
	// Tests set them.
	Now       func() time.Time
	StoreWait time.Duration
}

func (ios *IOStreams) context() context.Context {
	if ios.Ctx != nil {
		return ios.Ctx
	}
	return context.Background()
}

func (ios *IOStreams) now() time.Time {
	if ios.Now != nil {
		return ios.Now()
	}
	return time.Now()
}

func (ios *IOStreams) storeWait() time.Duration {
	if ios.StoreWait > 0 {
		return ios.StoreWait
	}
	return 10 * time.Minute
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

// versionDetails is what --version says after the release number: the
// commit and the default dictionary's version.
func versionDetails() string {
	d := "默认词典版本 " + defaultDictVersion()
	if version.Commit != "" {
		d = "提交 " + version.Commit + "，" + d
	}
	return d
}

// defaultDictVersion is worked out only when asked for.
func defaultDictVersion() string { return dict.Default().Version() }

// exitCode carries a command's exit status through cobra.
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit %d", int(e)) }

// exitWith turns a run function's status and error into cobra's error.
func exitWith(code int, err error) error {
	if err != nil {
		return err
	}
	if code != exitClean {
		return exitCode(code)
	}
	return nil
}

func newRootCmd(ios *IOStreams) *cobra.Command {
	dictOpts := &DictOptions{}
	root := &cobra.Command{
		Use:   "regscreen",
		Short: "企业名称与经营范围限制性金融用语筛查",
		Long: `regscreen 按《江北区互联网金融风险专项整治工作实施方案》（北区政办发〔2016〕54号）三(一)“严格准入管理”的要求，
筛查企业名称和经营范围中的“交易所”“金融”“理财”“P2P”“支付”等限制性用语，
列出须提交注册登记会商的企业，并说明每一处命中的理由。

能识别否定/排除表述（如“不含金融业务”“未经金融等监管部门批准不得从事…”）、
变形写法（全角、大小写、繁体、插入空格或符号）和跨词的偶然字串（如“资金融通”）。

退出状态：0 = 无命中；1 = 有送会商、待复核或拒收（无法筛查）的行；2 = 出错（或拒收行超过 --max-rejects）。

环境变量：REGSCREEN_DB = --db auto 所指的存储文件；REGSCREEN_DISTRICT = 打印的会商名单、变动表和月报上的单位名称
（如 江北区市场监督管理局）。`,
		Version:       version.Number,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	// The default dictionary's version is worked out only when --version asks.
	cobra.AddTemplateFunc("defaultDictVersion", defaultDictVersion)
	cobra.AddTemplateFunc("versionDetails", versionDetails)
	root.SetVersionTemplate("regscreen {{.Version}}（{{versionDetails}}）\n")
	root.SetIn(ios.In)
	root.SetOut(ios.Out)
	root.SetErr(ios.ErrOut)
	scan, check, dicts, serve := newScanCmd(ios, dictOpts, nil), newCheckCmd(ios, dictOpts, nil), newDictCmd(ios, dictOpts), newServeCmd(ios, dictOpts)
	reports := newReportCmd(ios, dictOpts)
	root.AddCommand(scan, check, dicts, newChangesCmd(ios), reports, newHistoryCmd(ios), newDBCmd(ios), newVersionCmd(ios), serve)
	// Only the commands that screen or list terms take a dictionary, and
	// the monthly return (its streets' order).
	for _, c := range append(append([]*cobra.Command{scan, check, serve}, dicts.Commands()...), reports.Commands()...) {
		c.Flags().StringArrayVar(&dictOpts.Files, "dict", nil, "合并自己的词典`文件`（可多次指定；UTF-8 或 GBK 均可）")
		c.Flags().BoolVar(&dictOpts.NoDefault, "no-default-dict", false, "不使用内置默认词典，只用 --dict 给出的词典")
	}
	root.InitDefaultCompletionCmd()
	cobrazh.Localize(root)
	root.Flags().BoolP("version", "v", false, "显示版本（含默认词典版本）")
	return root
}

// Run runs the CLI with the given arguments and streams and returns the exit
// status; main and the tests share it.
func Run(args []string, ios *IOStreams) int {
	root := newRootCmd(ios)
	root.SetArgs(args)
	c, _, err := root.Find(args)
	if ios.Unwatched != nil && (err != nil || c.Name() != "scan" && c.Name() != "serve" || c.Parent() != root) {
		ios.Unwatched()
	}
	if err == nil {
		if msg := cobrazh.SingleDashHint(c, args); msg != "" {
			fmt.Fprintln(ios.ErrOut, "regscreen: "+msg)
			return exitError
		}
	}
	cmd, err := root.ExecuteC()
	var code exitCode
	switch {
	case err == nil:
		return exitClean
	case errors.As(err, &code):
		return int(code)
	default:
		path := "regscreen"
		if cmd != nil {
			path = cmd.CommandPath()
		}
		fmt.Fprintln(ios.ErrOut, "regscreen: "+output.Visible(userMessage(err, path))) // it may quote the file
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
	// Signals are caught from package initialisation on (a Ctrl-C in the
	// first milliseconds still gets scan's message); a second one kills.
	ios := &IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr, Ctx: interrupt.Context(), Unwatched: interrupt.ExitAtOnce,
		ErrTTY: isTerminal(os.Stderr), InTTY: isTerminal(os.Stdin), OutTTY: isTerminal(os.Stdout)}
	os.Exit(Run(os.Args[1:], ios))
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
