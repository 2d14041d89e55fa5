package main

import (
	"bytes"
	"strings"
	"testing"
)

// The command constructors take a run function, so flag parsing is tested
// without running anything.
func TestScanFlagsFillTheOptions(t *testing.T) {
	var got *ScanOptions
	ios := &IOStreams{In: strings.NewReader(""), Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}
	cmd := newScanCmd(ios, &DictOptions{}, func(o *ScanOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"--all", "-o", "会商名单.xlsx", "--name-col", "3", "--text-col", "经营场所", "--text-col", "5",
		"--workers", "3", "--max-rejects", "10", "--db", "auto", "a.csv", "b.xlsx"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if !got.All || got.Output != "会商名单.xlsx" || got.Columns.Name != "3" || strings.Join(got.Columns.Texts, "|") != "经营场所|5" ||
		got.Workers != 3 || got.MaxRejects != 10 || got.DB != "auto" || strings.Join(got.Inputs, "|") != "a.csv|b.xlsx" || got.Format != "" {
		t.Errorf("options: %+v", got)
	}
	if err := got.resolve(); err != nil || got.Format != "xlsx" {
		t.Errorf("-o *.xlsx means a workbook: %q %v", got.Format, err)
	}
}

func TestCheckFlagsFillTheOptions(t *testing.T) {
	var got *CheckOptions
	ios := &IOStreams{In: strings.NewReader(""), Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}
	cmd := newCheckCmd(ios, &DictOptions{}, func(o *CheckOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"--format", "jsonl", "宁波某某理财有限公司", "资金融通"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.Format != "jsonl" || len(got.Texts) != 2 {
		t.Errorf("options: %+v", got)
	}
}
