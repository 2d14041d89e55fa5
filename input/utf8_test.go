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

// A record as the generator writes it: codes, dates, amounts and Chinese text.
var scope = "91330205MA228PWB8J,越成悦企业管理有限责任公司,有限责任公司（自然人投资或控股）,陆霞,300万元人民币,2021-01-15,宁波市江北区市场监督管理局,存续,宁波市江北区甬江街道清河路323号一楼," +
	strings.Repeat("一般项目：以自有资金从事投资活动；企业管理咨询；信息咨询服务（不含许可类信息咨询服务）；", 3)

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
