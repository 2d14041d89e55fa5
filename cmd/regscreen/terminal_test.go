package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/regscreen/regscreen/run"
)

// A night with many bad rows shows the first run.ShownLines rejects and then how
// many more, and where they are; the rejects file has them all.
func TestRejectLinesAreCapped(t *testing.T) {
	var in strings.Builder
	in.WriteString("企业名称,经营范围\n")
	for i := 0; i < run.ShownLines+5; i++ {
		fmt.Fprintf(&in, "坏行%d,理财,多余\n", i) // one field too many
	}
	in.WriteString("宁波某某理财咨询有限公司,理财咨询\n")
	rejects := filepath.Join(t.TempDir(), "拒收.csv")
	r := runCLI(t, in.String(), "scan", "--rejects", rejects, "-")
	if got := strings.Count(r.err, "拒收 <标准输入>:"); got != run.ShownLines {
		t.Errorf("%d reject lines printed, want %d:\n%s", got, run.ShownLines, r.err)
	}
	if !strings.Contains(r.err, "…另有 5 行拒收，见 --rejects 文件 "+rejects) {
		t.Errorf("no line saying how many more and where:\n%s", r.err)
	}
	data, _ := os.ReadFile(rejects)
	if got := strings.Count(string(data), "坏行"); got != run.ShownLines+5 {
		t.Errorf("the rejects file holds %d rows, want all %d", got, run.ShownLines+5)
	}
	r = runCLI(t, in.String(), "scan", "-")
	if !strings.Contains(r.err, "…另有 5 行拒收未显示；用 --rejects 文件") {
		t.Errorf("without --rejects the line says how to keep them:\n%s", r.err)
	}
}

// On a terminal, a reject clears the progress line before it is printed,
// and the writing of the workbook and the store is shown, then cleared.
func TestTerminalPhasesAndClearedLines(t *testing.T) {
	dir := t.TempDir()
	in := "企业名称,经营范围\n坏,理财,多余\n宁波某某理财咨询有限公司,理财咨询\n"
	var out, errb bytes.Buffer
	code := Run([]string{"scan", "--db", filepath.Join(dir, "t.db"), "-o", filepath.Join(dir, "会商名单.xlsx"), "-"},
		&IOStreams{In: strings.NewReader(in), Out: &out, ErrOut: &errb, ErrTTY: true})
	if code != exitFlagged {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	e := errb.String()
	if !strings.Contains(e, "\r\033[K拒收 <标准输入>:2") {
		t.Errorf("the reject line does not clear the progress line first: %q", e)
	}
	for _, phase := range []string{"正在写出工作簿…", "正在记入存储…"} {
		i := strings.Index(e, phase)
		if i < 0 || !strings.Contains(e[i:], "\r\033[K") {
			t.Errorf("phase %s not shown and cleared: %q", phase, e)
		}
	}
	if i, j := strings.Index(e, "正在写出工作簿…"), strings.Index(e, "读取 2 行"); i < 0 || j < i {
		t.Errorf("the phases come before the summary: %q", e)
	}
	// Not on a terminal (a log): no phases.
	r := runCLI(t, in, "scan", "-o", filepath.Join(dir, "二.xlsx"), "-")
	if strings.Contains(r.err, "正在") || strings.Contains(r.err, "\033") {
		t.Errorf("a log gets phases or escapes: %q", r.err)
	}
}

// The help and the README name the same notice, and the help of
// import-status says what it reads.
func TestHelpAndReadmeAgree(t *testing.T) {
	const notice = "《江北区互联网金融风险专项整治工作实施方案》（北区政办发〔2016〕54号）"
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if r := runCLI(t, "", "--help"); !strings.Contains(r.out, notice) || !strings.Contains(r.out, "REGSCREEN_DISTRICT") {
		t.Errorf("--help does not name %s or REGSCREEN_DISTRICT:\n%s", notice, r.out)
	}
	if !strings.Contains(string(readme), notice) || !strings.Contains(string(readme), "REGSCREEN_DISTRICT") {
		t.Errorf("README does not name %s or REGSCREEN_DISTRICT", notice)
	}
	r := runCLI(t, "", "db", "import-status", "--help")
	for _, want := range []string{"会商排除", "会商已排除", "经办人", "日期", "处理状态", "会商意见"} {
		if !strings.Contains(r.out, want) {
			t.Errorf("db import-status --help lacks %s:\n%s", want, r.out)
		}
	}
}
