package record

import (
	"strings"
	"testing"
)

func TestUSCCCheck(t *testing.T) {
	// The worked example printed in GB 32100-2015.
	if c, ok := usccCheck("91350100M000100Y4"); !ok || c != '3' {
		t.Fatalf("check = %c %v, want 3", c, ok)
	}
	for _, tc := range []struct{ id, want string }{
		{"330205000012345", ""},
		{"", "缺少"},
		{"12345", "既不是"},
		{"9133020IAY4CL12TH0", "不允许的字符"},
	} {
		if got := IDNote(tc.id); tc.want == "" && got != "" || tc.want != "" && !strings.Contains(got, tc.want) {
			t.Errorf("IDNote(%q) = %q, want %q", tc.id, got, tc.want)
		}
	}
}

// A code a spreadsheet stored as a number is noted with its cause and is
// never a key: the company falls back to its name.
func TestExcelMangledCodes(t *testing.T) {
	for _, id := range []string{"9.13301851437765E+017", "9.1330205123456794E+17", "9.1532900918673e+17",
		"913301851437765000", "913302051234567940", "913301851437765000.0"} {
		if got := IDNote(id); !strings.Contains(got, ExcelMangledNote) {
			t.Errorf("IDNote(%q) = %q, want the Excel note", id, got)
		}
		if ValidID(id) {
			t.Errorf("ValidID(%q) = true", id)
		}
		if got := Key(id, "甲银行宁波分行"); got != "名称:甲银行宁波分行" {
			t.Errorf("Key(%q) = %q, want the name", id, got)
		}
	}
	for _, id := range []string{"91350100M000100Y43", "330205000012345", " 91350100m000100y43 "} {
		if !ValidID(id) || IDNote(id) != "" {
			t.Errorf("%q: valid %v, note %q", id, ValidID(id), IDNote(id))
		}
		if got := Key(id, "甲"); got != strings.ToUpper(strings.TrimSpace(id)) {
			t.Errorf("Key(%q) = %q, want the code", id, got)
		}
	}
	// A typo'd check digit is no Excel damage, but is no key either.
	if got := IDNote("91350100M000100Y44"); strings.Contains(got, "Excel") || !strings.Contains(got, "校验位") {
		t.Errorf("typo: %q", got)
	}
	if got := Key("91350100M000100Y44", "乙"); got != "名称:乙" {
		t.Errorf("Key(typo) = %q", got)
	}
}

// The fast path for a code written as it should be answers as the
// general path does, for codes in any case, with spaces, or one
// character off.
func TestCanonicalCodeAgreesWithGeneralPath(t *testing.T) {
	general := func(id string) bool {
		id = strings.ToUpper(strings.TrimSpace(id))
		want, ok := usccCheck(id[:min(17, len(id))])
		return len(id) == 18 && ok && id[17] == want
	}
	for _, base := range []string{"91350100M000100Y43", "913300000000000004", "91330001000000001M"} {
		for _, id := range []string{base, strings.ToLower(base), " " + base, base + " ", base[:17] + "0", base[:17] + "m", base[:5] + "I" + base[6:]} {
			if canonicalCode(id) && !general(id) {
				t.Errorf("%q: fast path valid, general path not", id)
			}
			if got, want := ValidID(id), general(id); got != want {
				t.Errorf("ValidID(%q) = %v, want %v", id, got, want)
			}
			if note := IDNote(id); (note == "") != general(id) {
				t.Errorf("IDNote(%q) = %q", id, note)
			}
		}
	}
}
