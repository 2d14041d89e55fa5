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

// TestCompletionShowsCleanTextAndValues: shell completion describes flags
// without the backquotes that name their values in the help, and offers
// the values of the flags that have a fixed few.
func TestCompletionShowsCleanTextAndValues(t *testing.T) {
	r := runCLI(t, "", "__complete", "scan", "--")
	if strings.Contains(r.out, "`") || !strings.Contains(r.out, "--format\t输出格式：csv") || !strings.Contains(r.out, "--db\t把本次运行记入存储（SQLite 文件）") {
		t.Errorf("flag descriptions:\n%s", r.out)
	}
	// The help still names each value.
	if h := runCLI(t, "", "scan", "--help"); !strings.Contains(h.out, "--format 格式") || !strings.Contains(h.out, "--output 文件") {
		t.Errorf("help lost the value names:\n%s", h.out)
	}
	for _, tc := range []struct{ args, want []string }{
		{[]string{"scan", "--format", ""}, []string{"csv", "jsonl", "text", "xlsx"}},
		{[]string{"scan", "--out-encoding", ""}, []string{"utf-8", "gb18030"}},
		{[]string{"changes", "--format", ""}, []string{"csv", "jsonl", "text", "xlsx"}},
		{[]string{"report", "monthly", "--format", ""}, []string{"csv", "text", "xlsx"}},
		{[]string{"check", "--format", ""}, []string{"text", "jsonl"}},
	} {
		r := runCLI(t, "", append([]string{"__complete"}, tc.args...)...)
		lines := strings.Split(strings.TrimSpace(r.out), "\n")
		if got := strings.Join(lines[:len(lines)-1], " "); got != strings.Join(tc.want, " ") {
			t.Errorf("%v: completions %q, want %q", tc.args, got, tc.want)
		}
	}
}

// TestRootHelpExitStatus: the root help says, as README does, that
// rejected rows give exit status 1.
func TestRootHelpExitStatus(t *testing.T) {
	if r := runCLI(t, "", "--help"); !strings.Contains(r.out, "1 = 有送会商、待复核或拒收") {
		t.Errorf("root help:\n%s", r.out)
	}
}
