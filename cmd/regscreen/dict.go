package main

import (
	"github.com/spf13/cobra"

	"github.com/regscreen/regscreen/dict"
	"github.com/regscreen/regscreen/report"
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
	return report.WriteDictionary(opts.IO.Out, d, opts.All)
}
