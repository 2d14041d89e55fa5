package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"github.com/regscreen/regscreen/internal/fixture"
)

// TestCheckReadsAnyEncodingOnStdin pipes the sample's names (column 2, as
// `cut -d, -f2` gives them) to check in the encodings clerks' tools write:
// the verdicts are those of the UTF-8 pipe, line for line.
func TestCheckReadsAnyEncodingOnStdin(t *testing.T) {
	f, err := os.Open(fixture.Path("sample.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	var names strings.Builder
	for _, r := range rows {
		names.WriteString(r[1] + "\r\n")
	}
	utf8In := names.String()
	base := checkVerdicts(t, runCLI(t, utf8In, "check", "--format", "jsonl"))
	if len(base) != 31 || strings.Count(strings.Join(base, " "), "refer") != 11 {
		t.Fatalf("UTF-8 pipe: %v", base)
	}
	enc := func(e interface{ Bytes([]byte) ([]byte, error) }) string {
		b, err := e.Bytes([]byte(utf8In))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	for _, tc := range []struct {
		what string
		in   string
		args []string
	}{
		{"GB18030", enc(simplifiedchinese.GB18030.NewEncoder()), nil},
		{"GBK given", enc(simplifiedchinese.GBK.NewEncoder()), []string{"--encoding", "gbk"}},
		{"UTF-16LE with BOM", enc(unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder()), nil},
		{"UTF-16BE with BOM", enc(unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewEncoder()), nil},
		{"UTF-16LE without BOM", enc(unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewEncoder()), nil},
		{"UTF-8 with BOM", "\uFEFF" + utf8In, nil},
	} {
		r := runCLI(t, tc.in, append([]string{"check", "--format", "jsonl"}, tc.args...)...)
		got := checkVerdicts(t, r)
		if strings.Join(got, "\n") != strings.Join(base, "\n") {
			t.Errorf("%s: exit %d, verdicts differ from UTF-8:\n%v\n%v\n%s", tc.what, r.code, got, base, r.err)
		}
		if r.code != exitFlagged || strings.Contains(r.out, "\\ufeff") || strings.Contains(r.out, "\uFFFD") {
			t.Errorf("%s: exit %d, BOM or U+FFFD in the names", tc.what, r.code)
		}
	}
}

// checkVerdicts is each JSONL answer's line, name and verdict.
func checkVerdicts(t *testing.T, r result) []string {
	t.Helper()
	var out []string
	for _, l := range strings.Split(strings.TrimSpace(r.out), "\n") {
		var m struct {
			Line    int
			Name    string
			Verdict string
		}
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("bad JSONL %q: %v (stderr %s)", l, err, r.err)
		}
		out = append(out, strings.Join([]string{strings.Repeat("·", m.Line), m.Name, m.Verdict}, " "))
	}
	return out
}

// A line check cannot decode gets no verdict: it is an error with its
// line number, and the run says so in its exit status.
func TestCheckNeverClearsUndecodableText(t *testing.T) {
	in := "宁波江北恒达五金贸易有限公司\n宁波\xff\xfe理财咨询有限公司\n宁波江北明远信息技术有限公司\n宁波江北甬信理财咨询有限公司\n"
	r := runCLI(t, in, "check", "--format", "jsonl")
	if r.code != exitFlagged || !strings.Contains(r.err, "<标准输入>:2: 含不合法的 UTF-8 字节") || !strings.Contains(r.err, "有 1 行无法按 utf-8 编码读取") {
		t.Errorf("exit %d, stderr %q", r.code, r.err)
	}
	if strings.Contains(r.out, `"line":2`) || strings.Count(r.out, "\n") != 3 {
		t.Errorf("the bad line must get no verdict:\n%s", r.out)
	}
	gb, _ := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte("宁波江北恒达五金贸易有限公司\n宁波江北明远信息技术有限公司\n"))
	r = runCLI(t, string(gb)+"\x81\x20理财\n", "check")
	if r.code != exitFlagged || !strings.Contains(r.err, "<标准输入>:3: 含 gb18030 编码下不合法的字节") || strings.Contains(r.out, "\uFFFD") {
		t.Errorf("GB18030: exit %d, stderr %q, out %q", r.code, r.err, r.out)
	}
	for _, in := range []string{"", "\n\n  \n"} {
		r = runCLI(t, in, "check")
		if r.code != exitError || !strings.Contains(r.err, "没有从标准输入读到任何文本") {
			t.Errorf("stdin %q: exit %d, stderr %q", in, r.code, r.err)
		}
	}
}
