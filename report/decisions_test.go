package report

import "testing"

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
