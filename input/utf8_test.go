package input

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzValidUTF8(f *testing.F) {
	for _, s := range []string{"", "a", "理财咨询", "\xe0\x80\x80", "\xed\xa0\x80", "\xef\xbf\xbd", "金\xff融", "\xe4\xb8", "𠀀"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if validUTF8(s) != utf8.ValidString(s) {
			t.Fatalf("validUTF8(%q) = %v, utf8.ValidString says %v", s, validUTF8(s), utf8.ValidString(s))
		}
	})
}

var scope = strings.Repeat("一般项目：以自有资金从事投资活动；企业管理咨询；信息咨询服务（不含许可类信息咨询服务）；", 4)

func BenchmarkValidUTF8(b *testing.B) {
	b.SetBytes(int64(len(scope)))
	for i := 0; i < b.N; i++ {
		validUTF8(scope)
	}
}

func BenchmarkStdValidString(b *testing.B) {
	b.SetBytes(int64(len(scope)))
	for i := 0; i < b.N; i++ {
		utf8.ValidString(scope)
	}
}
