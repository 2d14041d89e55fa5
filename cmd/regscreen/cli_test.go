package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/regscreen/regscreen/dict"
	"github.com/regscreen/regscreen/internal/fixture"
)

type result struct {
	code     int
	out, err string
}

func runCLI(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(args, &IOStreams{In: strings.NewReader(stdin), Out: &out, ErrOut: &errb})
	return result{code, out.String(), errb.String()}
}

func TestScanSampleCSV(t *testing.T) {
	r := runCLI(t, "", "scan", fixture.Path("sample.csv"))
	if r.code != exitFlagged {
		t.Fatalf("exit %d, stderr %s", r.code, r.err)
	}
	rows, err := csv.NewReader(strings.NewReader(r.out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	head := rows[0]
	if head[1] != "企业名称" || head[len(head)-6] != "结论" || head[len(head)-1] != "词典版本" {
		t.Fatalf("header %v", head)
	}
	refer, review := 0, 0
	for _, row := range rows[1:] {
		switch row[len(head)-6] {
		case "送会商":
			refer++
		case "待复核":
			review++
		default:
			t.Errorf("default output should hold only refer and review rows, got %v", row)
		}
	}
	if refer == 0 || review == 0 {
		t.Fatalf("sample should have both referred and review rows: %d %d", refer, review)
	}
	all := runCLI(t, "", "scan", "--all", fixture.Path("sample.csv"))
	n := strings.Count(all.out, "\n") - 1
	if !strings.Contains(r.err, "读取 30 行") || n != 30 {
		t.Errorf("--all wrote %d rows; summary %q", n, r.err)
	}
	if want := "送会商 " + strconv.Itoa(refer) + "，待复核 " + strconv.Itoa(review); !strings.Contains(r.err, want) {
		t.Errorf("summary %q does not say %q", r.err, want)
	}
}

func TestScanJSONLFromStdin(t *testing.T) {
	data, err := os.ReadFile(fixture.Path("sample.csv"))
	if err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, string(data), "scan", "--all", "--format", "jsonl", "-")
	if r.code != exitFlagged {
		t.Fatalf("exit %d: %s", r.code, r.err)
	}
	lines := strings.Split(strings.TrimSpace(r.out), "\n")
	if len(lines) != 30 {
		t.Fatalf("%d lines", len(lines))
	}
	var sawTraditional bool
	for i, l := range lines {
		var rec struct {
			File    string `json:"file"`
			Line    int    `json:"line"`
			ID      string `json:"id"`
			Verdict string `json:"verdict"`
			Hits    []struct {
				Term, Group, Field, Text, Reason string
				Start, End                       int
				Denied, Straddling, Benign       bool
				Evasions                         []string
			} `json:"hits"`
		}
		if err := json.Unmarshal([]byte(l), &rec); err != nil {
			t.Fatal(err)
		}
		if rec.Line != i+2 || len(rec.ID) != 18 || rec.File != "<标准输入>" {
			t.Errorf("record %d: file %q line %d id %q", i, rec.File, rec.Line, rec.ID)
		}
		for _, h := range rec.Hits {
			if h.Reason == "" || h.Group == "" || h.End <= h.Start {
				t.Errorf("incomplete hit %+v", h)
			}
			for _, e := range h.Evasions {
				sawTraditional = sawTraditional || e == "繁体"
			}
		}
	}
	if !sawTraditional {
		t.Error("sample's traditional spelling should be reported as an evasion")
	}
}

func TestCheck(t *testing.T) {
	r := runCLI(t, "", "check", "宁波某某理財咨询有限公司")
	if r.code != exitFlagged || !strings.Contains(r.out, "结论：送会商") || !strings.Contains(r.out, "繁体") {
		t.Fatalf("exit %d out %q", r.code, r.out)
	}
	r = runCLI(t, "", "check", "宁波某某五金有限公司")
	if r.code != exitClean || !strings.Contains(r.out, "无需处理") {
		t.Fatalf("exit %d out %q", r.code, r.out)
	}
	r = runCLI(t, "资金融通\n\n投资咨询（不含金融业务）\n", "check", "--format", "jsonl")
	lines := strings.Split(strings.TrimSpace(r.out), "\n")
	if r.code != exitFlagged || len(lines) != 2 || !strings.Contains(lines[0], `"verdict":"review"`) || !strings.Contains(lines[1], `"verdict":"clear"`) {
		t.Fatalf("exit %d out %q", r.code, r.out)
	}
}

func TestDictList(t *testing.T) {
	r := runCLI(t, "", "dict", "list")
	if r.code != exitClean || strings.Count(r.out, "北区政办发〔2016〕54号") != 16 {
		t.Fatalf("exit %d out %q", r.code, r.out)
	}
	r = runCLI(t, "", "dict", "list", "--all", "--dict", fixture.Path("custom.dict"))
	for _, want := range []string{"信托", "虚拟币、数字货币", "不开展", "二手车交易中心", "湾头街道"} {
		if !strings.Contains(r.out, want) {
			t.Errorf("dict list --all lacks %s", want)
		}
	}
	r = runCLI(t, "", "dict", "list", "--dict", fixture.Path("bad.dict"))
	if r.code != exitError || !strings.Contains(r.err, "bad.dict:4:") {
		t.Errorf("bad dictionary: exit %d err %q", r.code, r.err)
	}
}

func TestOwnDictionaryChangesVerdict(t *testing.T) {
	r := runCLI(t, "", "check", "--dict", fixture.Path("custom.dict"), "宁波某某虚拟币交易有限公司")
	if r.code != exitFlagged || !strings.Contains(r.out, "虚拟货币") {
		t.Fatalf("exit %d out %q", r.code, r.out)
	}
	r = runCLI(t, "", "check", "--no-default-dict", "--dict", fixture.Path("plain-list.txt"), "宁波某某理财咨询有限公司")
	if r.code != exitClean {
		t.Fatalf("without the default, 理财 is no term: exit %d out %q", r.code, r.out)
	}
}

func TestVersionAndCompletion(t *testing.T) {
	r := runCLI(t, "", "--version")
	if !strings.Contains(r.out, "默认词典版本 "+dict.Default().Version()) {
		t.Errorf("--version: %q", r.out)
	}
	r = runCLI(t, "", "completion", "bash")
	if r.code != exitClean || !strings.Contains(r.out, "regscreen") {
		t.Errorf("completion bash: exit %d", r.code)
	}
}

func TestMissingColumnsIsAnError(t *testing.T) {
	r := runCLI(t, "编号,地址\n1,宁波\n", "scan", "-")
	if r.code != exitError || !strings.Contains(r.err, "编号、地址") || !strings.Contains(r.err, "--name-col") {
		t.Fatalf("exit %d err %q", r.code, r.err)
	}
	r = runCLI(t, "编号,字号\n1,宁波某某理财有限公司\n", "scan", "--name-col", "2", "-")
	if r.code != exitFlagged {
		t.Fatalf("--name-col 2: exit %d err %q", r.code, r.err)
	}
}

func TestOutputFileIsWrittenWhole(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "结果.csv")
	r := runCLI(t, "", "scan", "-o", out, fixture.Path("sample.csv"))
	if r.code != exitFlagged || r.out != "" {
		t.Fatalf("exit %d, stdout %q", r.code, r.out)
	}
	data, err := os.ReadFile(out)
	if err != nil || !strings.HasPrefix(string(data), "\uFEFF统一社会信用代码") {
		t.Fatalf("output file (UTF-8 with a BOM, for Excel): %v %q", err, data)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
	// A failing run leaves no file at all.
	bad := filepath.Join(dir, "bad.csv")
	r = runCLI(t, "a,b\n1,2\n", "scan", "-o", bad, "-")
	if _, err := os.Stat(bad); r.code != exitError || err == nil {
		t.Errorf("failed run: exit %d, file exists: %v", r.code, err == nil)
	}
}

func TestProgressOnlyOnATerminal(t *testing.T) {
	var out, errb bytes.Buffer
	code := Run([]string{"scan", fixture.Path("sample.csv")}, &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errb, ErrTTY: true})
	if code != exitFlagged || !strings.Contains(errb.String(), "\r\033[K") {
		t.Errorf("a terminal should get the progress line's clearing: %q", errb.String())
	}
	r := runCLI(t, "", "scan", fixture.Path("sample.csv"))
	if strings.Contains(r.err, "\r") {
		t.Errorf("no progress when stderr is not a terminal: %q", r.err)
	}
	errb.Reset()
	Run([]string{"scan", "-q", fixture.Path("sample.csv")}, &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errb, ErrTTY: true})
	if errb.Len() != 0 {
		t.Errorf("--quiet prints nothing: %q", errb.String())
	}
}

// TestSaysWhereItWrote: after -o the last line of stderr names the file,
// which is there; -q says nothing.
func TestSaysWhereItWrote(t *testing.T) {
	dir := t.TempDir()
	out, rejects := filepath.Join(dir, "会商名单.csv"), filepath.Join(dir, "拒收.csv")
	r := runCLI(t, "", "scan", "-o", out, "--rejects", rejects, fixture.Path("sample.csv"))
	if !strings.HasSuffix(r.err, "已写出 "+out+"\n已写出拒收的行 "+rejects+"\n") {
		t.Errorf("stderr does not end naming the files: %q", r.err)
	}
	if _, err := os.Stat(out); err != nil {
		t.Error(err)
	}
	if r := runCLI(t, "", "scan", "-q", "-o", out, fixture.Path("sample.csv")); r.err != "" {
		t.Errorf("-q: %q", r.err)
	}
	db := filepath.Join(dir, "s.db")
	runCLI(t, "", "scan", "-q", "--db", db, fixture.Path("sample.csv"))
	runCLI(t, "", "scan", "-q", "--db", db, fixture.Path("sample.csv"))
	table := filepath.Join(dir, "变动.csv")
	if r := runCLI(t, "", "changes", "--db", db, "-o", table); !strings.HasSuffix(r.err, "已写出 "+table+"\n") {
		t.Errorf("changes -o: %q", r.err)
	}
}
