package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/unicode"

	"github.com/regscreen/regscreen/internal/fixture"
)

// verdicts returns each JSONL record without its file and line, which
// legitimately differ between exports of the same records.
func verdicts(t *testing.T, out string) []string {
	t.Helper()
	var recs []string
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("bad JSONL %q: %v", l, err)
		}
		delete(m, "file")
		delete(m, "line")
		b, _ := json.Marshal(m)
		recs = append(recs, string(b))
	}
	return recs
}

func TestSameVerdictsWhateverTheExport(t *testing.T) {
	want := runCLI(t, "", "scan", "--all", "--format", "jsonl", fixture.Path("sample.csv"))
	base := verdicts(t, want.out)
	if len(base) != 30 {
		t.Fatalf("sample gives %d records", len(base))
	}
	for _, tc := range []struct{ file, info string }{
		{"exports/gbk-title.csv", "gb18030"},
		{"exports/utf16.tsv", "utf-16le"},
		{"exports/two-sheets.xlsx", "工作表 登记信息"},
		{"exports/sample.jsonl", "jsonl"},
		{"exports/sample.xls", "（xls，工作表 登记信息）"},
		{"exports/excel95.xls", "（xls，gbk，工作表 登记信息）"},
	} {
		r := runCLI(t, "", "scan", "--all", "--format", "jsonl", fixture.Path(tc.file))
		if r.code != exitFlagged || !strings.Contains(r.err, tc.info) {
			t.Errorf("%s: exit %d, summary %q lacks %q", tc.file, r.code, r.err, tc.info)
			continue
		}
		got := verdicts(t, r.out)
		if strings.Join(got, "\n") != strings.Join(base, "\n") {
			t.Errorf("%s: verdicts differ from the UTF-8 CSV", tc.file)
		}
		if tc.file != "exports/sample.jsonl" && !strings.Contains(r.err, "标题行 1 行") {
			t.Errorf("%s: the title row should be reported: %q", tc.file, r.err)
		}
	}
}

func TestDamagedRowsAreRejectedAndCounted(t *testing.T) {
	rej := filepath.Join(t.TempDir(), "rejects.csv")
	r := runCLI(t, "", "scan", "--all", "--format", "jsonl", "--rejects", rej, fixture.Path("exports/damaged.csv"))
	if r.code != exitFlagged {
		t.Fatalf("a run with rejected rows completes and exits 1, got %d", r.code)
	}
	if !strings.Contains(r.err, "读取 10 行：送会商 2，待复核 0，无需处理 2，豁免 0，拒收 6") {
		t.Errorf("summary %q", r.err)
	}
	lines := map[int]bool{}
	for _, rec := range strings.Split(strings.TrimSpace(r.out), "\n") {
		var m struct{ Line int }
		json.Unmarshal([]byte(rec), &m)
		lines[m.Line] = true
	}
	if !lines[2] || !lines[5] || !lines[9] || !lines[11] || len(lines) != 4 {
		t.Errorf("good rows around the damage must be screened; got lines %v", lines)
	}
	data, err := os.ReadFile(rej)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{",3,0,字段数为 10", ",4,0,字段数为 5", ",6,23,CSV 格式错误：未加引号的字段中出现引号",
		",7,20,第 2 列含 NUL 字节", ",8,20,第 2 列含不合法的 UTF-8 字节", ",10,20,CSV 格式错误：引号未闭合"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("rejects file lacks %q", want)
		}
	}
	r = runCLI(t, "", "scan", "-q", "--max-rejects", "6", fixture.Path("exports/damaged.csv"))
	if r.code != exitFlagged {
		t.Errorf("--max-rejects 6 allows them: exit %d", r.code)
	}
	out := filepath.Join(t.TempDir(), "out.csv")
	r = runCLI(t, "", "scan", "-q", "--max-rejects", "5", "-o", out, fixture.Path("exports/damaged.csv"))
	if _, err := os.Stat(out); r.code != exitError || !strings.Contains(r.err, "超过 --max-rejects 5") || err == nil {
		t.Errorf("beyond --max-rejects the run fails and writes nothing: exit %d %q, output %v", r.code, r.err, err)
	}
}

func TestOversizedFieldIsRejected(t *testing.T) {
	big := strings.Repeat("金", 400_000) // 1.2 MB
	in := "企业名称,经营范围\n宁波理财有限公司,咨询\n宁波某有限公司," + big + "\n宁波某某五金有限公司,五金\n"
	r := runCLI(t, in, "scan", "--all", "--format", "jsonl", "--max-rejects", "1", "-")
	if r.code != exitFlagged || !strings.Contains(r.err, "拒收 1") || !strings.Contains(r.err, "超过 1048576 字节") {
		t.Fatalf("exit %d err %q", r.code, r.err)
	}
}

func TestExemptAndCreditCodes(t *testing.T) {
	r := runCLI(t, "", "scan", "--all", "--format", "jsonl", "--exempt", fixture.Path("exports/exempt.csv"), fixture.Path("sample.csv"))
	if !strings.Contains(r.err, "豁免 2") {
		t.Fatalf("two listed institutions should be exempt: %q", r.err)
	}
	n := strings.Count(r.out, `"verdict":"exempt"`)
	if n != 2 || !strings.Contains(r.out, `"exemption":{"kind":"licensed","source":"exempt.csv"}`) {
		t.Errorf("exempt records: %d", n)
	}
	in := "统一社会信用代码,企业名称\n91330205AY4CL12THT,宁波理财有限公司\n91330205AY4CL12THX,宁波理财咨询有限公司\n330205000012345,宁波某某金融有限公司\n"
	r = runCLI(t, in, "scan", "--all", "--format", "jsonl", "-")
	lines := strings.Split(strings.TrimSpace(r.out), "\n")
	if len(lines) != 3 || strings.Contains(lines[0], "notes") || !strings.Contains(lines[1], "校验位应为 T") || strings.Contains(lines[2], "notes") {
		t.Errorf("credit code notes wrong:\n%s", r.out)
	}
	if !strings.Contains(r.err, "其中 1 条记录的信用代码") || !strings.Contains(r.err, "送会商 3") {
		t.Errorf("an invalid code is a note, never a reason to drop: %q", r.err)
	}
}

// Codes a spreadsheet took for numbers: registration numbers read back
// whole, a credit code that lost its last digits is a data-quality note.
func TestXLSCodesStoredAsNumbers(t *testing.T) {
	r := runCLI(t, "", "scan", "--all", "--format", "jsonl", fixture.Path("exports/codes-as-numbers.xls"))
	if r.code != exitFlagged || !strings.Contains(r.err, "读取 4 行：送会商 2，待复核 0，无需处理 2") {
		t.Fatalf("exit %d %q", r.code, r.err)
	}
	for _, want := range []string{`"id":"330205000012345"`, `"id":"330205000067890"`, `"id":"9.13302051234568E+017"`,
		`"notes":["统一社会信用代码 9.13302051234568E+017 无效：信用代码被 Excel 存成了数字，末几位已丢失：请把该列设为文本后重新导出"`} {
		if !strings.Contains(r.out, want) {
			t.Errorf("output lacks %s:\n%s", want, r.out)
		}
	}
	if !strings.Contains(r.err, "其中 1 条记录的信用代码/注册号有问题") {
		t.Errorf("the mangled code is counted: %q", r.err)
	}
}

// UTF-16 without a BOM, as some Windows tools write it, is recognised.
func TestScanUTF16WithoutBOM(t *testing.T) {
	data, _ := os.ReadFile(fixture.Path("sample.csv"))
	le, _ := unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewEncoder().Bytes(data)
	f := filepath.Join(t.TempDir(), "导出.csv")
	os.WriteFile(f, le, 0o644)
	want := verdicts(t, runCLI(t, "", "scan", "--all", "--format", "jsonl", fixture.Path("sample.csv")).out)
	r := runCLI(t, "", "scan", "--all", "--format", "jsonl", f)
	if r.code != exitFlagged || !strings.Contains(r.err, "utf-16le") || strings.Join(verdicts(t, r.out), "\n") != strings.Join(want, "\n") {
		t.Errorf("exit %d %q", r.code, r.err)
	}
}

func TestUnreadableInputs(t *testing.T) {
	dir := t.TempDir()
	fake := filepath.Join(dir, "假的.xlsx")
	os.WriteFile(fake, []byte("这不是一个 zip 文件"), 0o644)
	r := runCLI(t, "", "scan", fake)
	if r.code != exitError || !strings.Contains(r.err, "不是有效的 XLSX") {
		t.Errorf("not a zip: exit %d err %q", r.code, r.err)
	}
	r = runCLI(t, "", "scan", filepath.Join(dir, "没有这个文件.csv"))
	if r.code != exitError || !strings.Contains(r.err, "没有这个文件.csv") {
		t.Errorf("missing file: exit %d err %q", r.code, r.err)
	}
	r = runCLI(t, "", "scan", "--sheet", "不存在", fixture.Path("exports/two-sheets.xlsx"))
	if r.code != exitError || !strings.Contains(r.err, "说明、登记信息") {
		t.Errorf("missing sheet: exit %d err %q", r.code, r.err)
	}
}

func TestForcedEncodingWarnsInsteadOfRejecting(t *testing.T) {
	in := "企业名称,经营范围\n宁波理财有限公司,咨询\n宁\xff波某某有限公司,五金\n"
	r := runCLI(t, in, "scan", "--all", "--format", "jsonl", "-")
	if r.code != exitFlagged || !strings.Contains(r.err, "拒收 1") {
		t.Fatalf("detected encoding: the bad row is rejected: exit %d %q", r.code, r.err)
	}
	r = runCLI(t, in, "scan", "--all", "--format", "jsonl", "--encoding", "utf-8", "-")
	if r.code != exitFlagged || !strings.Contains(r.err, "拒收 0") || !strings.Contains(r.err, "其中 1 行读取时有警告") ||
		!strings.Contains(r.err, "警告 <标准输入>:3:") || !strings.Contains(r.out, "强制读取") {
		t.Fatalf("forced encoding: counted and warned, not rejected: exit %d err %q out %q", r.code, r.err, r.out)
	}
}

// A CSV written for another system in GB18030 reads back through the
// input reader as the same records; one for Excel starts with a BOM.
func TestCSVOutputEncodingsRoundTrip(t *testing.T) {
	dir := t.TempDir()
	base := runCLI(t, "", "scan", "--all", "--format", "jsonl", fixture.Path("sample.csv"))
	for _, enc := range []string{"gb18030", "utf-8"} {
		out := filepath.Join(dir, enc+".csv")
		if r := runCLI(t, "", "scan", "-q", "--all", "--out-encoding", enc, "-o", out, fixture.Path("sample.csv")); r.code != exitFlagged {
			t.Fatalf("%s: exit %d %q", enc, r.code, r.err)
		}
		data, _ := os.ReadFile(out)
		if bom := strings.HasPrefix(string(data), "\uFEFF"); bom != (enc == "utf-8") || (enc == "gb18030" && utf8.Valid(data)) {
			t.Errorf("%s: BOM %v, valid UTF-8 %v", enc, bom, utf8.Valid(data))
		}
		back := runCLI(t, "", "scan", "--all", "--format", "jsonl", "--name-col", "企业名称", "--scope-col", "经营范围", out)
		if !strings.Contains(back.err, "读取 30 行") {
			t.Fatalf("%s read back: %q", enc, back.err)
		}
		if got, want := verdicts(t, back.out), verdicts(t, base.out); len(got) != len(want) || got[3] != want[3] || got[29] != want[29] {
			t.Errorf("%s: verdicts differ after the round trip:\n%s\n%s", enc, got[3], want[3])
		}
	}
}
