package report

import (
	"fmt"
	"strings"
	"testing"
)

// Only the case sheets as the tool names them are read back: the sheet
// and its continuations past Excel's row limit, not Excel's copy of it.
func TestCaseSheetNames(t *testing.T) {
	for name, want := range map[string]bool{
		"送会商": true, "送会商(2)": true, "待复核(12)": true, "会商排除(3)": true, "会商已排除(3)": true, "会商已排除": true, "送会商(10)": true,
		"送会商 (2)": false, "送会商(1)": false, "送会商（2）": false, "送会商副本": false, "Sheet1": false, "汇总": false,
	} {
		if got := caseSheet.MatchString(name); got != want {
			t.Errorf("%q read back: %v, want %v", name, got, want)
		}
	}
}

// A part of a name that matches many companies lists the first few, each
// with its name, and says how many there are.
func TestWriteMatchesListsAFewWithTheirNames(t *testing.T) {
	var keys []string
	names := map[string]string{}
	for i := range 30 {
		k := fmt.Sprintf("9133020500000%05d", i)
		keys = append(keys, k)
		names[k] = fmt.Sprintf("宁波第%d五金有限公司", i)
	}
	keys = append([]string{"名称:无代码五金店"}, keys...)
	var b strings.Builder
	WriteMatches(&b, "五金", keys, names)
	out := b.String()
	if !strings.Contains(out, "对应 31 家企业（名称:无代码五金店、913302050000000000 宁波第0五金有限公司、") ||
		!strings.Contains(out, "等 31 家）") || strings.Contains(out, "宁波第19五金") {
		t.Errorf("matches: %s", out)
	}
}
