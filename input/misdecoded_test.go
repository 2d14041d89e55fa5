package input

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// TestLooksMisdecoded: a header read in the wrong encoding is told from
// one that simply names no column we know.
func TestLooksMisdecoded(t *testing.T) {
	header := []string{"统一社会信用代码", "企业名称", "经营范围"}
	// UTF-8 bytes read as GBK.
	asGBK, err := simplifiedchinese.GB18030.NewDecoder().String(strings.Join(header, ","))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		header []string
		want   bool
	}{
		{strings.Split(asGBK, ","), true},
		{[]string{"\ufffd\ufffd\u04b5\ufffd\ufffd\ufffd", "ס\ufffd\ufffd"}, true}, // GBK read as UTF-8
		{[]string{"本工作簿由登记系统导出，数据见“登记信息”表。"}, false},
		{[]string{"甲", "乙", "丙"}, false},
		{[]string{"name", "address"}, false},
	}
	for _, tc := range cases {
		if got := looksMisdecoded(tc.header); got != tc.want {
			t.Errorf("looksMisdecoded(%q) = %v, want %v", tc.header, got, tc.want)
		}
	}
}
