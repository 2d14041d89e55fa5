package input

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

// IDNote checks a registration identifier and returns a data-quality note,
// or "" when it is a valid 18-character credit code or a 15-digit
// registration number (the pre-2015 kind). An empty id is noted too.
func IDNote(id string) string {
	id = strings.ToUpper(strings.TrimSpace(id))
	switch {
	case id == "":
		return "缺少统一社会信用代码/注册号"
	case len(id) == 15 && allDigits(id):
		return ""
	case len(id) == 18:
		want, ok := usccCheck(id[:17])
		if !ok {
			return fmt.Sprintf("统一社会信用代码 %s 含不允许的字符", id)
		}
		if id[17] != want {
			return fmt.Sprintf("统一社会信用代码 %s 校验位应为 %c", id, want)
		}
		return ""
	}
	return fmt.Sprintf("标识 %s 既不是 18 位统一社会信用代码，也不是 15 位注册号", id)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
