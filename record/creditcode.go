package record

import (
	"fmt"
	"strings"
)

// GB 32100-2015: the 18-character unified social credit code uses these 31
// characters (no I, O, Z, S, V) and ends in a check character.
const usccChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// usccValue maps a byte to its value in usccChars, or -1.
var usccValue = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for i := 0; i < len(usccChars); i++ {
		t[usccChars[i]] = int8(i)
	}
	return t
}()

// usccCheck returns the check character for the first 17 characters, or
// false if one of them is not allowed.
func usccCheck(body string) (byte, bool) {
	if len(body) != 17 {
		return 0, false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := usccValue[body[i]]
		if v < 0 {
			return 0, false
		}
		sum += int(v) * usccWeights[i]
	}
	c := 31 - sum%31
	if c == 31 {
		c = 0
	}
	return usccChars[c], true
}

// canonicalCode reports a valid credit code written as it should be (18
// characters of usccChars, no spaces, upper case): nearly every row's, so
// it is checked before anything is trimmed or upper-cased, twice, as the
// general path does.
func canonicalCode(id string) bool {
	if len(id) != 18 {
		return false
	}
	want, ok := usccCheck(id[:17])
	return ok && id[17] == want
}

// ExcelMangledNote is the data-quality note for a credit code that a
// spreadsheet stored as a number: the digits after the 15th are gone, so
// the code no longer tells companies apart.
const ExcelMangledNote = "信用代码被 Excel 存成了数字，末几位已丢失：请把该列设为文本后重新导出"

// ValidID reports whether id (any case, spaces around) is a valid
// 18-character credit code or a 15-digit registration number: only such an
// identifier is a company's key.
func ValidID(id string) bool {
	if canonicalCode(id) {
		return true
	}
	id = strings.ToUpper(strings.TrimSpace(id))
	switch len(id) {
	case 15:
		return allDigits(id)
	case 18:
		want, ok := usccCheck(id[:17])
		return ok && id[17] == want
	}
	return false
}

// IDNote checks a registration identifier and returns a data-quality note,
// or "" when it is a valid 18-character credit code or a 15-digit
// registration number (the pre-2015 kind). An empty id is noted too.
func IDNote(id string) string {
	if canonicalCode(id) {
		return ""
	}
	id = strings.ToUpper(strings.TrimSpace(id))
	switch {
	case id == "":
		return "缺少统一社会信用代码/注册号"
	case ValidID(id):
		return ""
	case excelMangled(id):
		return fmt.Sprintf("统一社会信用代码 %s 无效：%s", id, ExcelMangledNote)
	case len(id) == 18:
		want, ok := usccCheck(id[:17])
		if !ok {
			return fmt.Sprintf("统一社会信用代码 %s 含不允许的字符", id)
		}
		return fmt.Sprintf("统一社会信用代码 %s 校验位应为 %c", id, want)
	}
	return fmt.Sprintf("标识 %s 既不是 18 位统一社会信用代码，也不是 15 位注册号", id)
}

// excelMangled recognises an invalid id (upper case) in the forms a
// spreadsheet gives a credit code it took for a number: scientific
// notation (9.13301851437765E+17), a decimal (913301851437765000.0), or
// 16 to 20 digits ending in a zero, the float's lost digits.
func excelMangled(id string) bool {
	if mant, exp, ok := strings.Cut(id, "E"); ok {
		exp = strings.TrimPrefix(exp, "+")
		whole, frac, _ := strings.Cut(mant, ".")
		return whole != "" && allDigits(whole) && allDigits(frac) && exp != "" && allDigits(exp)
	}
	if whole, frac, ok := strings.Cut(id, "."); ok {
		return len(whole) >= 15 && allDigits(whole) && allDigits(frac)
	}
	return len(id) >= 16 && len(id) <= 20 && allDigits(id) && id[len(id)-1] == '0'
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
