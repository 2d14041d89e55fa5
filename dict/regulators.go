package dict

import "strings"

// renamed maps a regulator as the 2016 notice names it to the body that
// does its work today: the banking and insurance regulators merged in
// 2018 (银保监会) and became the 国家金融监督管理总局 in 2023, whose local
// offices are named 金融监管局 (宁波金融监管局). The notice's
// wording stays, since it is the rule being applied; today's body is added
// after it. Longer names first, so 银保监局 is not read as its 保监局.
var renamed = []struct{ then, now string }{
	{"一行三局", "现为人民银行、金融监管局、证监局"},
	{"银保监局", "现为金融监管局"},
	{"银监局", "现为金融监管局"},
	{"保监局", "现为金融监管局"},
}

// RegulatorNow is a regulator's wording with today's body in brackets
// after each name that has changed since the notice, after the notice's
// own bracket when it has one: 一行三局（人民银行、银监、证监、保监）〔现为…〕.
// A name given once is annotated once.
func RegulatorNow(s string) string {
	var b strings.Builder
	done := map[string]bool{}
	for i := 0; i < len(s); {
		hit := -1
		for j, r := range renamed {
			if strings.HasPrefix(s[i:], r.then) {
				hit = j
				break
			}
		}
		if hit < 0 {
			b.WriteByte(s[i])
			i++
			continue
		}
		r := renamed[hit]
		end := i + len(r.then)
		if strings.HasPrefix(s[end:], "（") {
			if k := strings.Index(s[end:], "）"); k > 0 {
				end += k + len("）")
			}
		}
		b.WriteString(s[i:end])
		if !done[r.now] && !strings.HasPrefix(s[end:], "〔") {
			b.WriteString("〔" + r.now + "〕")
			done[r.now] = true
		}
		i = end
	}
	return b.String()
}
