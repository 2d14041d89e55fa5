package input

import (
	"errors"
	"io"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// repeatReader yields pattern over and over, n bytes in all, without ever
// holding more than the pattern: a huge input that is never a file.
type repeatReader struct {
	pattern []byte
	n, off  int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, io.EOF
	}
	k := 0
	for k < len(p) && r.n > 0 {
		c := copy(p[k:min(len(p), k+r.n)], r.pattern[r.off:])
		r.off = (r.off + c) % len(r.pattern)
		k += c
		r.n -= c
	}
	return k, nil
}

// readAll drains a source into a list of "line:ok" or "line:reason".
func readAll(t *testing.T, src Source) []string {
	t.Helper()
	var out []string
	for {
		row, err := src.Next()
		if err == io.EOF {
			return out
		}
		if re, ok := IsRowError(err); ok {
			out = append(out, strings.Join([]string{itoa(re.Line), re.Reason}, ":"))
			continue
		}
		if err != nil {
			t.Fatalf("after %v: %v", out, err)
		}
		out = append(out, itoa(row.Line)+":"+row.Cell(0))
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// countRows drains a source that must read whole: any error fails the test.
func countRows(t *testing.T, src Source) int {
	t.Helper()
	n := 0
	for {
		_, err := src.Next()
		if err == io.EOF {
			return n
		}
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
}

// A 500 MB line is rejected as it streams past, naming the limit, and the
// rows after it are read: memory stays bounded by the line limit, far
// below the line's size.
func TestLongLineBoundedMemory(t *testing.T) {
	const size = 500 << 20
	for _, tc := range []struct{ name, head, tail string }{
		{"x.csv", "企业名称,经营范围\n宁波甲理财咨询有限公司,理财咨询\n宁波乙有限公司,", "\n宁波丙五金有限公司,五金\n"},
		{"x.jsonl", `{"企业名称":"宁波甲理财咨询有限公司","经营范围":"理财咨询"}` + "\n" + `{"企业名称":"宁波乙有限公司","经营范围":"`,
			`"}` + "\n" + `{"企业名称":"宁波丙五金有限公司","经营范围":"五金"}` + "\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := io.MultiReader(strings.NewReader(tc.head), &repeatReader{pattern: []byte("五金交电"), n: size}, strings.NewReader(tc.tail))
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			src, err := Open(tc.name, r, tc.name, Options{})
			if err != nil {
				t.Fatal(err)
			}
			got := readAll(t, src)
			runtime.ReadMemStats(&after)
			first := 2
			if strings.HasSuffix(tc.name, ".jsonl") {
				first = 1
			}
			if len(got) != 3 || !strings.HasSuffix(got[0], "宁波甲理财咨询有限公司") || !strings.Contains(got[1], "单行上限") ||
				!strings.HasPrefix(got[1], itoa(first+1)+":") || !strings.HasSuffix(got[2], "宁波丙五金有限公司") {
				t.Fatalf("rows %q", got)
			}
			t.Logf("allocated %d KiB, heap in use %d KiB", (after.TotalAlloc-before.TotalAlloc)>>10, after.HeapInuse>>10)
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20 {
				t.Errorf("allocated %d MiB reading a %d MiB line", alloc>>20, size>>20)
			}
			if after.HeapInuse > 64<<20 {
				t.Errorf("heap in use %d MiB", after.HeapInuse>>20)
			}
		})
	}
}

func openCSV(t *testing.T, data string, opts csvOptions) *csvSource {
	t.Helper()
	src, err := OpenCSV(strings.NewReader(data), "f.csv", opts)
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// A quoted field that runs onto the next line and then fails costs its
// first line only: the lines it took in are read again.
func TestQuoteRecoveryReplaysLines(t *testing.T) {
	head := "企业名称,经营范围\n"
	for _, tc := range []struct {
		name, data string
		want       []string
	}{
		{"stray leading quote on every row", head + "\"甲公司,理财\n\"乙公司,五金\n\"丙公司,金融\n",
			[]string{"2:CSV 格式错误：带引号的字段跨到下一行", "3:CSV 格式错误：带引号的字段跨到下一行", "4:CSV 格式错误：引号未闭合"}},
		{"quote-all, one closing quote missing", head + "\"甲公司\",\"理财\n\"乙交易所有限公司\",\"交易\"\n\"丙公司\",\"五金\"\n",
			[]string{"2:CSV 格式错误：带引号的字段跨到下一行", "3:乙交易所有限公司", "4:丙公司"}},
		{"multi-line record of the wrong width", head + "甲公司,\"理财\n\",多出的字段\n乙公司,五金\n",
			[]string{"2:字段数为 3，与表头的 2 列不符；带引号的字段跨了多行", "3:CSV 格式错误：引号未闭合", "4:乙公司"}},
		{"a legitimate multi-line cell", head + "甲公司,\"理财\n咨询\"\n乙公司,五金\n", []string{"2:甲公司", "4:乙公司"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := readAll(t, openCSV(t, tc.data, csvOptions{}))
			if len(got) != len(tc.want) {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tc.want[i]) {
					t.Errorf("item %d: %q, want %q…", i, got[i], tc.want[i])
				}
			}
		})
	}
}

// A runaway quote stopped by the 200-line limit rejects its row and reads
// every line after it, the one at the limit included.
func TestRunawayQuoteKeepsEveryLine(t *testing.T) {
	var b strings.Builder
	b.WriteString("企业名称,经营范围\n")
	for i := 2; i <= 1001; i++ {
		if i == 101 {
			b.WriteString("\"")
		}
		b.WriteString("公司" + itoa(i) + ",五金\n")
	}
	got := readAll(t, openCSV(t, b.String(), csvOptions{}))
	if len(got) != 1000 || got[99] != "101:CSV 格式错误：引号未闭合" || got[299] != "301:公司301" {
		t.Fatalf("%d items; 101: %q; 301: %q", len(got), got[99], got[min(299, len(got)-1)])
	}
}

func TestCROnlyLineEndings(t *testing.T) {
	got := readAll(t, openCSV(t, "企业名称\t经营范围\r甲公司\t理财\r乙公司\t\"五金\r交电\"\r", csvOptions{}))
	if strings.Join(got, "|") != "2:甲公司|3:乙公司" {
		t.Fatalf("%q", got)
	}
	// A lone CR ends a line wherever it appears: an LF header over a body
	// in CR, and a CR line among CRLF ones.
	got = readAll(t, openCSV(t, "企业名称,经营范围\n甲公司,理财\r乙公司,五金\r\n丙公司,支付\r丁公司,咨询", csvOptions{}))
	if strings.Join(got, "|") != "2:甲公司|3:乙公司|4:丙公司|5:丁公司" {
		t.Fatalf("%q", got)
	}
}

func TestRepeatedHeaderAndTotalsRows(t *testing.T) {
	data := "标题行\n企业名称,经营范围\n甲公司,理财\n企业名称,经营范围\n乙公司,五金\n合计：2 户,\n"
	got := readAll(t, openCSV(t, data, csvOptions{}))
	want := []string{"3:甲公司", "4:重复的表头行", "5:乙公司", "6:合计/总计行"}
	if len(got) != len(want) {
		t.Fatalf("%q", got)
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("%q, want %q…", got[i], want[i])
		}
	}
	for cells, want := range map[string]bool{
		"合计：232 户":    true,
		"总计,232,,":    true,
		",共计 232 家企业": true,
		"小计,,":        true,
		"合计(宁波)贸易有限公司,五金": false,
		"总计划咨询有限公司,企业管理":  false,
		"宁波合计有限公司,合计：1 户": false,
		"共计,宁波甲有限公司":      false,
		"":                false,
	} {
		if got := isTotalsRow(strings.Split(cells, ",")); got != want {
			t.Errorf("isTotalsRow(%q) = %v", cells, got)
		}
	}
}

// --no-header: the column numbers are checked against the first row's
// width, and every row is a record.
func TestNoHeader(t *testing.T) {
	src, err := Open("-", strings.NewReader("91330205AY4CL12THT,甲理财咨询有限公司,理财\n913302053JJL6B3HNM,乙公司,五金\n"), "f.csv",
		Options{NoHeader: true})
	if err != nil {
		t.Fatal(err)
	}
	cols, err := MapColumns(src.Header(), ColumnSpec{Name: "2", Scope: "3", ID: "1", NoHeader: true})
	if err != nil {
		t.Fatal(err)
	}
	if cols.Name != 1 || len(cols.Scopes) != 1 || cols.Scopes[0] != 2 || cols.ID != 0 || src.HeaderLine() != 0 {
		t.Fatalf("%+v, header line %d", cols, src.HeaderLine())
	}
	if got := readAll(t, src); strings.Join(got, "|") != "1:91330205AY4CL12THT|2:913302053JJL6B3HNM" {
		t.Fatalf("%q", got)
	}
	if _, err := MapColumns([]string{"第1列", "第2列"}, ColumnSpec{Name: "4", NoHeader: true}); err == nil || !strings.Contains(err.Error(), "共 2 列") {
		t.Fatalf("out of range: %v", err)
	}
}

func TestOpenRefusals(t *testing.T) {
	dir := t.TempDir()
	utf8File := "企业名称,经营范围\n甲公司,理财\n"
	for _, tc := range []struct {
		name, path, data, want string
		opts                   Options
	}{
		{"directory", dir, "", "是目录，不是文件", Options{}},
		{"empty", "-", "", "文件是空的", Options{}},
		{"blank lines", "-", "\r\n\r\n", "文件是空的", Options{}},
		{"empty with --no-header", "-", "", "文件是空的", Options{NoHeader: true}},
		{"empty JSON Lines", "-", "\n", "文件是空的", Options{Format: "jsonl"}},
		{"unknown encoding", "-", utf8File, "可用：utf-8", Options{Encoding: "big5"}},
		{"utf16 on UTF-8", "-", utf8File, "不像是 UTF-16", Options{Encoding: "utf16"}},
		{"utf-16le on UTF-8", "-", utf8File, "不像是 UTF-16", Options{Encoding: "UTF-16LE"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Open(tc.path, strings.NewReader(tc.data), "f", tc.opts)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want %q", err, tc.want)
			}
		})
	}
}

func TestEncodingAliases(t *testing.T) {
	for in, want := range map[string]string{
		"utf8": EncUTF8, "UTF-8": EncUTF8, "utf-8-sig": EncUTF8BOM, "utf16": EncUTF16LE, "UTF-16": EncUTF16LE,
		"utf_16le": EncUTF16LE, "unicode": EncUTF16LE, "utf-16be": EncUTF16BE, "gbk": EncGB18030, "GB2312": EncGB18030,
		"cp936": EncGB18030, "ANSI": EncGB18030, "gb18030": EncGB18030,
	} {
		if got, ok := CanonicalEncoding(in); !ok || got != want {
			t.Errorf("CanonicalEncoding(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"big5", "latin1", ""} {
		if _, ok := CanonicalEncoding(in); ok {
			t.Errorf("CanonicalEncoding(%q) accepted", in)
		}
	}
	// A forced alias reads the file: GBK named cp936.
	src, err := Open("-", strings.NewReader("\xc6\xf3\xd2\xb5\xc3\xfb\xb3\xc6\n\xc0\xed\xb2\xc6\n"), "f.csv", Options{Encoding: "cp936"})
	if err != nil {
		t.Fatal(err)
	}
	if got := readAll(t, src); strings.Join(got, "|") != "2:理财" || src.Info.Encoding != EncGB18030 {
		t.Fatalf("%q %s", got, src.Info.Encoding)
	}
}

// A file whose first rows are all damaged has no header to list.
func TestNoReadableHeader(t *testing.T) {
	src, err := Open("-", strings.NewReader(strings.Repeat("a\x00,\"b\n", 3)), "f.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := MapColumns(src.Header(), ColumnSpec{}); err == nil || !strings.Contains(err.Error(), "找不到表头") {
		t.Fatalf("%v", err)
	}
}

// A CSV that stops mid-line inside a quoted field was cut short: the file
// is refused. One that ends with a line break inside the quotes is a stray
// quote: its line is rejected and nothing else lost.
func TestCSVEndsInsideQuote(t *testing.T) {
	head := "企业名称,经营范围\n宁波甲有限公司,五金\n"
	src := openCSV(t, head+"宁波乙有限公司,\"理财咨询；企业", csvOptions{})
	var err error
	for err == nil {
		_, err = src.Next()
	}
	var ie *IncompleteError
	if !errors.As(err, &ie) || ie.Line != 3 || !strings.Contains(err.Error(), "带引号的字段中途结束") {
		t.Fatalf("cut file: %v", err)
	}
	got := readAll(t, openCSV(t, head+"宁波乙有限公司,\"理财咨询\n宁波丙有限公司,五金\n", csvOptions{}))
	if len(got) != 3 || !strings.HasPrefix(got[1], "3:CSV 格式错误：引号未闭合") || !strings.HasSuffix(got[2], "宁波丙有限公司") {
		t.Fatalf("stray quote: %q", got)
	}
}
