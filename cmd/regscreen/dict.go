package main

import (
	"bufio"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/regscreen/regscreen/dict"
)

// DictListOptions are `dict list`'s flags.
type DictListOptions struct {
	IO   *IOStreams
	Dict *DictOptions
	All  bool
}

func newDictCmd(ios *IOStreams, dictOpts *DictOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "dict",
		Short: "查看词典",
	}
	opts := &DictListOptions{IO: ios, Dict: dictOpts}
	list := &cobra.Command{
		Use:   "list",
		Short: "列出生效的限制词：类别、牵头监管部门、依据",
		Example: `  regscreen dict list
  regscreen dict list --all --dict 本局词典.dict`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runDictList(opts) },
	}
	list.Flags().BoolVar(&opts.All, "all", false, "同时列出否定提示词、常见用语和街道（镇）名单")
	cmd.AddCommand(list)
	return cmd
}

func runDictList(opts *DictListOptions) error {
	d, err := dict.Load(opts.Dict.Files, opts.Dict.NoDefault)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(opts.IO.Out) // tab-separated: CJK widths defeat column padding
	fmt.Fprintf(w, "# 词典版本 %s（来源：%s）\n", d.Version(), strings.Join(d.Sources, "、"))
	fmt.Fprintln(w, "词\t类别\t牵头监管部门\t依据\t变体写法")
	for _, t := range d.Terms {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", t.Text, t.Group, t.Regulator, t.Source, strings.Join(t.Variants, "、"))
	}
	if opts.All {
		fmt.Fprintln(w, "\n否定提示词\t作用范围")
		for _, c := range d.Cues {
			reach := map[dict.CueReach]string{dict.ReachAfter: "否定其后的列表", dict.ReachBefore: "否定其前的列表", dict.ReachUntil: "否定至“" + c.Until + "”"}[c.Reach]
			fmt.Fprintf(w, "%s\t%s\n", c.Text, reach)
		}
		fmt.Fprintln(w, "\n常见用语\t说明")
		for _, b := range d.Benign {
			fmt.Fprintf(w, "%s\t%s\n", b.Text, b.Note)
		}
		fmt.Fprintln(w, "\n街道（镇）")
		for _, s := range d.Streets {
			fmt.Fprintln(w, s)
		}
	}
	return w.Flush()
}
