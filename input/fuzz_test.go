package input

import (
	"bytes"
	"io"
	"os"
	"testing"

	"github.com/regscreen/regscreen/internal/fixture"
)

// drain reads a source to the end and checks the accounting: every item is
// a row or a rejected row, each at a line that exists, in order.
func drain(t *testing.T, src Source, data []byte) {
	// A lone CR ends a line too, as in Excel (a CRLF ends one).
	lines := bytes.Count(data, []byte("\n")) + bytes.Count(data, []byte("\r")) - bytes.Count(data, []byte("\r\n")) + 1
	last := 0
	for i := 0; ; i++ {
		if i > lines+1 {
			t.Fatalf("more items (%d) than lines (%d)", i, lines)
		}
		row, err := src.Next()
		if err == io.EOF {
			return
		}
		line := row.Line
		if re, ok := IsRowError(err); ok {
			line = re.Line
		} else if err != nil {
			return // a file that cannot be read further ends the run with a message
		}
		if line < 1 || line > lines || line < last {
			t.Fatalf("item at line %d (previous %d, file has %d lines)", line, last, lines)
		}
		last = line
	}
}

func FuzzReaders(f *testing.F) {
	for _, name := range []string{"sample.csv", "exports/damaged.csv", "exports/gbk-title.csv", "exports/utf16.tsv", "exports/sample.jsonl"} {
		data, err := os.ReadFile(fixture.Path(name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("企业名称,经营范围\n\"a\n"))
	f.Add([]byte("{\"企业名称\":1}\n{\"企业名称\":[1]}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if src, err := OpenCSV(bytes.NewReader(data), "f.csv", csvOptions{}); err == nil {
			drain(t, src, data)
		}
		if src, err := openJSONL(bytes.NewReader(data), "f.jsonl"); err == nil {
			drain(t, src, data)
		}
	})
}

func TestDetectEncoding(t *testing.T) {
	for _, tc := range []struct {
		in   []byte
		want string
	}{
		{[]byte("企业名称,经营范围\n"), EncUTF8},
		{[]byte("\xEF\xBB\xBF企业名称"), EncUTF8BOM},
		{[]byte("\xFF\xFE\x01\x02"), EncUTF16LE},
		{[]byte("\xFE\xFF\x01\x02"), EncUTF16BE},
		{[]byte("\xc6\xf3\xd2\xb5\xc3\xfb\xb3\xc6"), EncGB18030}, // 企业名称 in GBK
		{[]byte("\x84\x31\x95\x33\xc6\xf3"), EncGB18030},         // GB18030's BOM
		{append([]byte("企业名称,经营范围,理财咨询服务有限公司\n"), 0xff), EncUTF8},
		{[]byte("企业名称")[:5], EncUTF8}, // cut mid-rune
	} {
		if got := detectEncoding(tc.in); got != tc.want {
			t.Errorf("DetectEncoding(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}
