// Package cobrazh puts what cobra and pflag say to a user into Chinese:
// help and usage, flag listings, completion, and the errors for flags,
// arguments and commands that are not there. Cobra words these in English
// and builds most of its errors with fmt.Errorf; pflag's flag errors are
// typed and read as such.
package cobrazh

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Localize puts cobra's own help, usage, flag and completion texts into
// Chinese, for root and every command under it.
func Localize(root *cobra.Command) {
	root.SetHelpCommand(&cobra.Command{
		Use:   "help [命令]",
		Short: "显示任一命令的帮助",
		Args:  cobra.ArbitraryArgs,
		RunE: func(c *cobra.Command, args []string) error {
			cmd, _, err := c.Root().Find(args)
			if cmd == nil || err != nil {
				return fmt.Errorf("没有命令 “%s”；用 %s --help 查看全部命令", strings.Join(args, " "), c.Root().Name())
			}
			return cmd.Help()
		},
	})
	root.SetUsageTemplate(usageTemplate)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		if msg, ok := flagMessage(err); ok {
			return errors.New(msg + "；用 “" + c.CommandPath() + " --help” 查看用法")
		}
		return err
	})
	cobra.AddTemplateFunc("useLine", func(c *cobra.Command) string {
		return strings.Replace(c.UseLine(), "[flags]", "[选项]", 1)
	})
	cobra.AddTemplateFunc("flagsZh", flagUsages)
	localizeCompletion(root)
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Flags().Lookup("help") == nil {
			c.Flags().BoolP("help", "h", false, "显示帮助")
		}
		c.Flags().VisitAll(unquoteUsage)
		c.PersistentFlags().VisitAll(unquoteUsage)
		if c.HasParent() && c.HasSubCommands() && !c.Runnable() {
			refuseUnknownSubcommands(c)
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// refuseUnknownSubcommands makes a command group (db, dict, report …)
// refuse a word that is none of its commands: cobra checks that only
// for the root, and a group without a run function would show its help
// and exit 0, as if `regscreen db frob` had done something.
func refuseUnknownSubcommands(c *cobra.Command) {
	c.Args = cobra.ArbitraryArgs
	if c.SuggestionsMinimumDistance <= 0 {
		c.SuggestionsMinimumDistance = 2 // what cobra uses for the root
	}
	c.RunE = func(c *cobra.Command, args []string) error {
		if len(args) == 0 {
			return c.Help()
		}
		msg := "未知的命令 “" + args[0] + "”；"
		if s := closest(c.SuggestionsFor(args[0]), args[0]); len(s) > 0 {
			msg = "未知的命令 “" + args[0] + "”，是不是 " + strings.Join(s, "、") + "？"
		}
		return fmt.Errorf("%s用 “%s --help” 查看全部命令", msg, c.CommandPath())
	}
}

// closest keeps, of cobra's suggestions, those the typed word begins
// (a word cut short: "run" is runs, not prune too), if there are any.
func closest(suggestions []string, typed string) []string {
	var prefixed []string
	for _, s := range suggestions {
		if strings.HasPrefix(s, strings.ToLower(typed)) {
			prefixed = append(prefixed, s)
		}
	}
	if len(prefixed) > 0 {
		return prefixed
	}
	return suggestions
}

// localizeCompletion words cobra's completion command in Chinese.
func localizeCompletion(root *cobra.Command) {
	for _, c := range root.Commands() {
		if c.Name() != "completion" {
			continue
		}
		c.Short = "生成 shell 自动补全脚本（bash、zsh、fish、powershell）"
		c.Long = "生成 " + root.Name() + " 的自动补全脚本。各 shell 的装法见其子命令的帮助。"
		for _, sh := range c.Commands() {
			name := sh.Name()
			sh.Short = "生成 " + name + " 的自动补全脚本"
			sh.Long = strings.ReplaceAll(completionHelp[name], "PROGRAM", root.Name())
			if f := sh.Flags().Lookup("no-descriptions"); f != nil {
				f.Usage = "补全时不显示说明"
			}
		}
	}
}

var completionHelp = map[string]string{
	"bash": `生成 bash 的自动补全脚本（需要 bash-completion 软件包）。

在当前会话中启用：
  source <(PROGRAM completion bash)
为以后的每个会话启用（执行一次）：
  PROGRAM completion bash > /etc/bash_completion.d/PROGRAM`,
	"zsh": `生成 zsh 的自动补全脚本。

为以后的每个会话启用（执行一次）：
  PROGRAM completion zsh > "${fpath[1]}/_PROGRAM"
若尚未启用补全，先在 ~/.zshrc 中加入：autoload -U compinit; compinit`,
	"fish": `生成 fish 的自动补全脚本。

为以后的每个会话启用（执行一次）：
  PROGRAM completion fish > ~/.config/fish/completions/PROGRAM.fish`,
	"powershell": `生成 PowerShell 的自动补全脚本。

在当前会话中启用：
  PROGRAM completion powershell | Out-String | Invoke-Expression
为以后的每个会话启用：把上面这一行加入 PowerShell 配置文件（$PROFILE）。`,
}

// flagUsages lists flags the way the rest of the help reads: the value a
// flag takes named in Chinese, and its default when it has one worth
// saying.
func flagUsages(fs *pflag.FlagSet) string {
	type line struct{ left, usage string }
	var lines []line
	width := 0
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		left := "      --" + f.Name
		if f.Shorthand != "" {
			left = "  -" + f.Shorthand + ", --" + f.Name
		}
		name, usage := pflag.UnquoteUsage(f)
		if v := f.Annotations[valueNameKey]; len(v) == 1 {
			name = v[0]
		}
		if f.Value.Type() != "bool" {
			left += " " + valueName(name, f.Value.Type())
		}
		if d := f.DefValue; d != "" && d != "false" && d != "[]" && d != "0" {
			usage += "（默认 " + d + "）"
		}
		width = max(width, displayWidth(left))
		lines = append(lines, line{left, usage})
	})
	var b strings.Builder
	for _, l := range lines {
		fmt.Fprintf(&b, "%s%s   %s\n", l.left, strings.Repeat(" ", width-displayWidth(l.left)), l.usage)
	}
	return strings.TrimRight(b.String(), "\n")
}

// CompleteValues gives a flag's values to shell completion.
func CompleteValues(c *cobra.Command, flag string, values ...string) {
	c.RegisterFlagCompletionFunc(flag, cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp))
}

// singleDashLong reads a long flag's name given after one dash (-format,
// -out-encoding=x): lower-case letters and digits, either with a dash
// inside or starting with two letters; value is "=…" if given.
func singleDashLong(arg string) (name, value string, ok bool) {
	rest, ok := strings.CutPrefix(arg, "-")
	if !ok || rest == "" || rest[0] < 'a' || rest[0] > 'z' {
		return "", "", false
	}
	name, value, eq := strings.Cut(rest, "=")
	if eq {
		value = "=" + value
	}
	parts := strings.Split(name, "-")
	for _, p := range parts {
		if p == "" || strings.Trim(p, "abcdefghijklmnopqrstuvwxyz0123456789") != "" {
			return "", "", false
		}
	}
	if len(parts) == 1 && (len(name) < 2 || name[1] < 'a' || name[1] > 'z') {
		return "", "", false
	}
	return name, value, true
}

// SingleDashHint catches a long flag typed with one dash: pflag reads
// -format as -f -o -r… and fails on an unknown letter, or, worse, reads
// -output x.csv as -o utput. Empty when args have none.
func SingleDashHint(c *cobra.Command, args []string) string {
	for _, a := range args {
		if a == "--" {
			break
		}
		name, value, ok := singleDashLong(a)
		if !ok {
			continue
		}
		if c.Flags().Lookup(name) != nil || c.InheritedFlags().Lookup(name) != nil {
			return fmt.Sprintf("未知的选项 %s，是不是 --%s？长选项要用两个短横；用 “%s --help” 查看用法", a, name+value, c.CommandPath())
		}
	}
	return ""
}

// valueNameKey annotates a flag with the name of its value, taken out of
// its usage text: the help shows it ("--format 格式"), while shell
// completion shows the usage as is and would show the backquotes.
const valueNameKey = "cobrazh_value_name"

// unquoteUsage moves a flag's `value name` out of its usage text.
func unquoteUsage(f *pflag.Flag) {
	if !strings.Contains(f.Usage, "`") {
		return
	}
	name, usage := pflag.UnquoteUsage(f)
	if f.Annotations == nil {
		f.Annotations = map[string][]string{}
	}
	f.Annotations[valueNameKey] = []string{name}
	f.Usage = usage
}

// valueName is what a flag's value is called in the help.
func valueName(name, typ string) string {
	switch {
	case name != "" && name != typ && !strings.HasPrefix(typ, name):
		return name // named in the usage text with `backquotes`
	case typ == "int" || typ == "int64":
		return "数"
	}
	return "值"
}

const usageTemplate = `用法：{{if and .Runnable (not .HasAvailableSubCommands)}}
  {{useLine .}}{{end}}{{if .HasAvailableSubCommands}}
  {{.CommandPath}} [命令]{{end}}{{if gt (len .Aliases) 0}}

别名：
  {{.NameAndAliases}}{{end}}{{if .HasExample}}

示例：
{{.Example}}{{end}}{{if .HasAvailableSubCommands}}

命令：{{range .Commands}}{{if (or .IsAvailableCommand (eq .Name "help"))}}
  {{rpad .Name .NamePadding }} {{.Short}}{{end}}{{end}}{{end}}{{if .HasAvailableLocalFlags}}

选项：
{{flagsZh .LocalFlags}}{{end}}{{if .HasAvailableInheritedFlags}}

全局选项：
{{flagsZh .InheritedFlags}}{{end}}{{if .HasAvailableSubCommands}}

用 "{{.CommandPath}} [命令] --help" 查看某个命令的详细说明。{{end}}
`

// displayWidth counts a wide (CJK) character as two columns, as a
// terminal shows it.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r >= 0x1100 {
			n++
		}
	}
	return n
}

// flagMessage is pflag's error about a flag, in Chinese.
func flagMessage(err error) (string, bool) {
	var unknown *pflag.NotExistError
	var noValue *pflag.ValueRequiredError
	var invalid *pflag.InvalidValueError
	switch {
	case errors.As(err, &unknown) && unknown.GetSpecifiedShortnames() != "":
		return "未知的选项 -" + unknown.GetSpecifiedName(), true
	case errors.As(err, &unknown):
		return "未知的选项 --" + unknown.GetSpecifiedName(), true
	case errors.As(err, &noValue) && noValue.GetSpecifiedShortnames() != "":
		return "选项 -" + noValue.GetFlag().Shorthand + " 需要一个值", true
	case errors.As(err, &noValue):
		return "选项 --" + noValue.GetSpecifiedName() + " 需要一个值", true
	case errors.As(err, &invalid):
		f := invalid.GetFlag()
		name := "--" + f.Name
		if f.Shorthand != "" {
			name = "-" + f.Shorthand + ", " + name
		}
		zh := "选项 " + name + " 的值 “" + invalid.GetValue() + "” 无效"
		var num *strconv.NumError
		switch {
		case errors.As(err, &num) && num.Func == "ParseInt":
			zh += "（应为整数）"
		case errors.As(err, &num) && num.Func == "ParseBool":
			zh += "（应为 true 或 false）"
		}
		return zh, true
	}
	return "", false
}

// unknownCommand reads cobra's `unknown command "x" for "regscreen db"`
// and the suggestions after "Did you mean this?".
func unknownCommand(msg string) (name string, suggestions []string, ok bool) {
	rest, ok := strings.CutPrefix(msg, `unknown command "`)
	if !ok {
		return "", nil, false
	}
	name, rest, ok = strings.Cut(rest, `" for "`)
	if !ok {
		return "", nil, false
	}
	if _, did, found := strings.Cut(rest, "Did you mean this?"); found {
		suggestions = strings.Fields(did)
	}
	return name, suggestions, true
}

// ExactArgs is cobra.ExactArgs in Chinese.
func ExactArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return fmt.Errorf("需要 %d 个参数，收到 %d 个；用 “%s --help” 查看用法", n, len(args), cmd.CommandPath())
		}
		return nil
	}
}

// Message is the Chinese for an error cobra or pflag made (a flag that is
// not there or lacks its value, an invalid value, an unknown command),
// with the help to look at; false for any other error.
func Message(err error, cmdPath string) (string, bool) {
	if zh, ok := flagMessage(err); ok {
		return zh + "；用 “" + cmdPath + " --help” 查看用法", true
	}
	name, did, ok := unknownCommand(err.Error())
	switch {
	case !ok:
		return "", false
	case len(did) > 0:
		return "未知的命令 “" + name + "”，是不是 " + strings.Join(did, "、") + "？用 “" + cmdPath + " --help” 查看全部命令", true
	}
	return "未知的命令 “" + name + "”；用 “" + cmdPath + " --help” 查看全部命令", true
}
