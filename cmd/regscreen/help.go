package main

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// localizeCobra puts cobra's own help, usage, flag and completion texts
// into Chinese, for every command.
func localizeCobra(root *cobra.Command) {
	root.SetHelpCommand(&cobra.Command{
		Use:   "help [命令]",
		Short: "显示任一命令的帮助",
		Args:  cobra.ArbitraryArgs,
		RunE: func(c *cobra.Command, args []string) error {
			cmd, _, err := c.Root().Find(args)
			if cmd == nil || err != nil {
				return fmt.Errorf("没有命令 “%s”；用 regscreen --help 查看全部命令", strings.Join(args, " "))
			}
			return cmd.Help()
		},
	})
	root.SetUsageTemplate(usageTemplate)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return fmt.Errorf("%s", userMessage(err, c.CommandPath()))
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
	root.Flags().BoolP("version", "v", false, "显示版本（含默认词典版本）")
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
		c.Long = "生成 regscreen 的自动补全脚本。各 shell 的装法见其子命令的帮助。"
		for _, sh := range c.Commands() {
			name := sh.Name()
			sh.Short = "生成 " + name + " 的自动补全脚本"
			sh.Long = completionHelp[name]
			if f := sh.Flags().Lookup("no-descriptions"); f != nil {
				f.Usage = "补全时不显示说明"
			}
		}
	}
}

var completionHelp = map[string]string{
	"bash": `生成 bash 的自动补全脚本（需要 bash-completion 软件包）。

在当前会话中启用：
  source <(regscreen completion bash)
为以后的每个会话启用（执行一次）：
  regscreen completion bash > /etc/bash_completion.d/regscreen`,
	"zsh": `生成 zsh 的自动补全脚本。

为以后的每个会话启用（执行一次）：
  regscreen completion zsh > "${fpath[1]}/_regscreen"
若尚未启用补全，先在 ~/.zshrc 中加入：autoload -U compinit; compinit`,
	"fish": `生成 fish 的自动补全脚本。

为以后的每个会话启用（执行一次）：
  regscreen completion fish > ~/.config/fish/completions/regscreen.fish`,
	"powershell": `生成 PowerShell 的自动补全脚本。

在当前会话中启用：
  regscreen completion powershell | Out-String | Invoke-Expression
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

// completeValues gives a flag's values to shell completion.
func completeValues(c *cobra.Command, flag string, values ...string) {
	c.RegisterFlagCompletionFunc(flag, cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp))
}

// singleDashLong matches a long flag's name given after one dash.
var singleDashLong = regexp.MustCompile(`^-([a-z][a-z0-9]*(?:-[a-z0-9]+)+|[a-z]{2,}[a-z0-9]*)(=.*)?$`)

// singleDashHint catches a long flag typed with one dash: pflag reads
// -format as -f -o -r… and fails on an unknown letter, or, worse, reads
// -output x.csv as -o utput. Empty when args have none.
func singleDashHint(c *cobra.Command, args []string) string {
	for _, a := range args {
		if a == "--" {
			break
		}
		m := singleDashLong.FindStringSubmatch(a)
		if m == nil {
			continue
		}
		if c.Flags().Lookup(m[1]) != nil || c.InheritedFlags().Lookup(m[1]) != nil {
			return fmt.Sprintf("未知的选项 %s，是不是 --%s？长选项要用两个短横；用 “%s --help” 查看用法", a, m[1]+m[2], c.CommandPath())
		}
	}
	return ""
}

// valueNameKey annotates a flag with the name of its value, taken out of
// its usage text: the help shows it ("--format 格式"), while shell
// completion shows the usage as is and would show the backquotes.
const valueNameKey = "regscreen_value_name"

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

// newVersionCmd answers `regscreen version`, which clerks type as often
// as --version.
func newVersionCmd(ios *IOStreams) *cobra.Command {
	return &cobra.Command{
		Use:    "version",
		Short:  "显示版本（含默认词典版本）",
		Args:   cobra.NoArgs,
		Hidden: true,
		Run: func(c *cobra.Command, args []string) {
			fmt.Fprintf(ios.Out, "regscreen %s（%s）\n", releaseVersion, versionDetails())
		},
	}
}

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
