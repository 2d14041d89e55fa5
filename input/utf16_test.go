package input

import (
	"os"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"github.com/regscreen/regscreen/internal/fixture"
)

func TestUTF16WithoutBOM(t *testing.T) {
	sample, err := os.ReadFile(fixture.Path("sample.csv"))
	if err != nil {
		t.Fatal(err)
	}
	le, _ := unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewEncoder().Bytes(sample)
	be, _ := unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewEncoder().Bytes(sample)
	name, _ := unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewEncoder().Bytes([]byte("宁波理财有限公司\n"))
	gbk, _ := simplifiedchinese.GBK.NewEncoder().Bytes([]byte("企业名称,经营范围\n宁波理财有限公司,咨\x00询\n"))
	for _, tc := range []struct {
		what string
		in   []byte
		want string
	}{
		{"UTF-16LE CSV", le[:1024], EncUTF16LE},
		{"UTF-16BE CSV", be[:1024], EncUTF16BE},
		{"UTF-16LE cut inside a character", le[:1023], EncUTF16LE},
		{"one Chinese name, UTF-16LE", name, EncUTF16LE},
		{"GBK with a NUL", gbk, EncGB18030},
		{"UTF-8 with a NUL", []byte("企业名称,经营范围\n宁波理财有限公司,咨\x00询\n"), EncUTF8},
		{"UTF-8 with NULs on one side", []byte("a\x00b\x00宁波理财有限公司\n"), EncUTF8},
	} {
		if got := detectEncoding(tc.in); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.what, got, tc.want)
		}
	}
}
