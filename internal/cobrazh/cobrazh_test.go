package cobrazh

import (
	"io"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

func root() *cobra.Command {
	r := &cobra.Command{Use: "prog", SilenceErrors: true, SilenceUsage: true}
	scan := &cobra.Command{Use: "scan", Args: ExactArgs(1), RunE: func(*cobra.Command, []string) error { return nil }}
	scan.Flags().IntP("workers", "w", 1, "线程数")
	scan.Flags().StringP("output", "o", "", "输出`文件`")
	scan.Flags().Bool("all", false, "全部")
	r.AddCommand(scan)
	Localize(r)
	r.SetOut(io.Discard)
	r.SetErr(io.Discard)
	return r
}

// Cobra's and pflag's English reach the user in Chinese, saying where to
// look.
func TestMessagesInChinese(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"scan", "--frob", "x"}, "未知的选项 --frob；用 “prog scan --help” 查看用法"},
		{[]string{"scan", "-x", "x"}, "未知的选项 -x"},
		{[]string{"scan", "x", "-o"}, "选项 -o 需要一个值"},
		{[]string{"scan", "x", "--output"}, "选项 --output 需要一个值"},
		{[]string{"scan", "-w", "abc", "x"}, "选项 -w, --workers 的值 “abc” 无效（应为整数）"},
		{[]string{"scan", "--all=maybe", "x"}, "选项 --all 的值 “maybe” 无效（应为 true 或 false）"},
		{[]string{"scna"}, "未知的命令 “scna”，是不是 scan？用 “prog --help” 查看全部命令"},
		{[]string{"frobnicate"}, "未知的命令 “frobnicate”；用 “prog --help” 查看全部命令"},
		{[]string{"scan"}, "需要 1 个参数，收到 0 个；用 “prog scan --help” 查看用法"},
	} {
		r := root()
		r.SetArgs(tc.args)
		cmd, err := r.ExecuteC()
		if err == nil {
			t.Errorf("%v: no error", tc.args)
			continue
		}
		msg := err.Error()
		if zh, ok := Message(err, cmd.CommandPath()); ok {
			msg = zh
		}
		if !strings.Contains(msg, tc.want) {
			t.Errorf("%v: %q, want %q", tc.args, msg, tc.want)
		}
	}
}

func TestSingleDashHint(t *testing.T) {
	r := root()
	scan, _, _ := r.Find([]string{"scan"})
	for arg, want := range map[string]string{
		"-output":     "是不是 --output？",
		"-output=x":   "是不是 --output=x？",
		"-workers":    "是不是 --workers？",
		"-o":          "",
		"-frobnicate": "",
		"--output":    "",
		"-2x":         "",
	} {
		got := SingleDashHint(scan, []string{arg})
		if want == "" && got != "" || want != "" && !strings.Contains(got, want) {
			t.Errorf("%s: %q, want %q", arg, got, want)
		}
	}
}
