package dict

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/regscreen/regscreen/internal/fixture"
)

func TestDefaultHasTheSixteenTerms(t *testing.T) {
	d := Default()
	want := []string{"交易所", "交易中心", "金融", "资产管理", "理财", "基金", "基金管理", "投资管理",
		"财富管理", "股权投资基金", "网贷", "网络借贷", "P2P", "股权众筹", "互联网保险", "支付"}
	if len(d.Terms) != len(want) {
		t.Fatalf("default has %d terms, want %d", len(d.Terms), len(want))
	}
	for _, w := range want {
		term := d.Term(w)
		if term == nil {
			t.Fatalf("default lacks %s", w)
		}
		if term.Group == "" || term.Regulator == "" || !strings.Contains(term.Source, "54号") {
			t.Errorf("%s lacks group, regulator or source: %+v", w, term)
		}
	}
	for _, b := range []string{"二手车交易中心", "旧机动车交易中心", "机动车交易中心", "房地产交易中心", "房产交易中心", "基金会"} {
		found := false
		for _, x := range d.Benign {
			found = found || x.Text == b
		}
		if !found {
			t.Errorf("default benign contexts lack %s", b)
		}
	}
	if len(d.Streets) != 8 {
		t.Errorf("default has %d streets, want the district's 8", len(d.Streets))
	}
}

func TestLoadMergesOwnFile(t *testing.T) {
	d, err := Load([]string{fixture.Path("custom.dict")}, false)
	if err != nil {
		t.Fatal(err)
	}
	if d.Term("信托") == nil || d.Term("金融") == nil {
		t.Fatal("merged dictionary should hold both default and own terms")
	}
	if got := d.Term("支付").Regulator; got != "人民银行宁波市中心支行" {
		t.Errorf("own file should re-assign 支付's regulator, got %q", got)
	}
	if v := d.Term("虚拟货币").Variants; len(v) != 2 {
		t.Errorf("variants = %v", v)
	}
	if d.Version() == Default().Version() {
		t.Error("merging rules must change the version")
	}
	if len(d.Streets) != 9 {
		t.Errorf("streets = %v", d.Streets)
	}
}

func TestPlainListAndNoDefault(t *testing.T) {
	d, err := Load([]string{fixture.Path("plain-list.txt")}, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Terms) != 3 || d.Terms[0].Text != "信托" || d.Terms[2].Text != "私募" || d.Terms[1].Group != "自定义" {
		t.Fatalf("plain list parsed as %+v", d.Terms)
	}
	if d.Term("金融") != nil {
		t.Error("--no-default-dict must leave the default out")
	}
}

func TestMalformedNamesFileAndLine(t *testing.T) {
	_, err := Load([]string{fixture.Path("bad.dict")}, false)
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("want a ParseError, got %v", err)
	}
	if pe.Line != 4 || !strings.HasSuffix(pe.File, "bad.dict") || !strings.Contains(pe.Msg, "sideways") {
		t.Errorf("got %v", err)
	}
	for _, bad := range []struct{ text, want string }{
		{"[terms]\n金\n", "至少两个字"},
		{"[terms]\n理财\n理财\n", "重复"},
		{"[nope]\n", "未知的节"},
		{"[terms]\n理 财\n", "空白"},
		{"[cues]\n除 | until\n", "未知的作用范围"},
		{"[terms]\na|b|c|d|e|f|g\n", "最多 6 个字段"},
		{"信托\n理财|基金\n", "不能有 |"}, // a plain list: one term a line, never split
	} {
		_, err := Parse(strings.NewReader(bad.text), "x.dict")
		if err == nil || !strings.Contains(err.Error(), bad.want) || !strings.HasPrefix(err.Error(), "x.dict:") {
			t.Errorf("Parse(%q) = %v, want error containing %q", bad.text, err, bad.want)
		}
	}
}

func TestVersionIgnoresComments(t *testing.T) {
	a, _ := Parse(strings.NewReader("[terms]\n理财 | 理财\n"), "a")
	b, _ := Parse(strings.NewReader("# note\n[terms]\n\n理财 | 理财   \n"), "a")
	c, _ := Parse(strings.NewReader("[terms]\n理财 | 资管\n"), "c")
	if a.Version() != b.Version() {
		t.Error("comments and spacing must not change the version")
	}
	if a.Version() == c.Version() {
		t.Error("a changed group must change the version")
	}
}

func TestTraditionalMap(t *testing.T) {
	m := TraditionalToSimplified()
	for from, to := range map[rune]rune{'財': '财', '資': '资', '網': '网', '貸': '贷', '權': '权', '眾': '众'} {
		if got, ok := m.Lookup(from); !ok || got != to {
			t.Errorf("%c -> %c, want %c", from, got, to)
		}
	}
	if _, ok := m.Lookup('财'); ok {
		t.Error("a simplified character has no mapping")
	}
	n := 0
	for range m.All {
		n++
	}
	if n < 2500 {
		t.Errorf("only %d pairs", n)
	}
}

func TestStreetOf(t *testing.T) {
	d := Default()
	for addr, want := range map[string]string{
		"浙江省宁波市江北区白沙街道人民路296号": "白沙街道",
		"宁波市江北区慈城镇解放路1号":       "慈城镇",
		"浙江省宁波市鄞州区姜山镇东路8号":     "姜山镇",
		"浙江省宁波市海曙区南门街道柳汀街1号":   "南门街道",
		"宁波市江北区人民路296号":        "",
		"":                     "",
	} {
		if got := d.StreetOf(addr); got != want {
			t.Errorf("StreetOf(%q) = %q, want %q", addr, got, want)
		}
	}
}

// TestLoadGBKFile: a dictionary saved by Notepad as "ANSI" (GBK) is read as
// GBK, not as raw bytes: its terms match and list as written. UTF-16 with a
// BOM reads too, and a malformed line in a GBK file is named by file:line.
func TestLoadGBKFile(t *testing.T) {
	d, err := Load([]string{fixture.Path("gbk.dict")}, false)
	if err != nil {
		t.Fatal(err)
	}
	if d.Term("信托") == nil || d.Term("虚拟货币") == nil || d.Term("虚拟货币").Variants[0] != "虚拟币" {
		t.Fatalf("GBK terms not read as GBK: %+v", d.Terms[len(d.Terms)-2:])
	}
	dir := t.TempDir()
	utf16 := []byte{0xFF, 0xFE}
	for _, r := range "[terms]\n信托\n" {
		utf16 = append(utf16, byte(r), byte(r>>8))
	}
	bad := append([]byte("[terms]\n"), 0xD0, 0xC5, 0xCD, 0xD0, '\n') // 信托 in GBK
	bad = append(bad, []byte("[oops\n")...)
	for name, data := range map[string][]byte{"u16.dict": utf16, "bad-gbk.dict": bad} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	d, err = Load([]string{filepath.Join(dir, "u16.dict")}, true)
	if err != nil || d.Term("信托") == nil {
		t.Fatalf("UTF-16 dictionary: %v %+v", err, d)
	}
	_, err = Load([]string{filepath.Join(dir, "bad-gbk.dict")}, true)
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Line != 3 || !strings.Contains(pe.Msg, "右括号") {
		t.Fatalf("bad GBK dictionary: %v", err)
	}
}

func TestCueAndBenignExceptions(t *testing.T) {
	d := Default()
	for _, c := range d.Cues {
		if c.Text == "除" && !slices.Contains(c.Except, "除尘") {
			t.Errorf("除 should not be a cue inside 除尘: %+v", c)
		}
	}
	for _, b := range d.Benign {
		if b.Text == "工程款支付" && !slices.Contains(b.Except, "工程款支付担保") {
			t.Errorf("工程款支付担保 should be an exception to 工程款支付: %+v", b)
		}
		if b.Text == "农产品交易中心" {
			t.Error("commodity trading venues are never benign (DOMAIN.md)")
		}
	}
	for _, bad := range []struct{ text, want string }{
		{"[cues]\n除 | until 外 | 清洁\n", "不含提示词"},
		{"[benign]\n工程款支付 | 说明 | 担保\n", "不含常见用语"},
	} {
		_, err := Parse(strings.NewReader(bad.text), "x.dict")
		if err == nil || !strings.Contains(err.Error(), bad.want) || !strings.HasPrefix(err.Error(), "x.dict:2:") {
			t.Errorf("Parse(%q) = %v, want x.dict:2: …%s", bad.text, err, bad.want)
		}
	}
}

// A dictionary past MaxTermChars is refused with the figure, in Chinese:
// the matcher costs about 12 KB a character.
func TestDictionaryPastTheSizeLimitIsRefused(t *testing.T) {
	dir := t.TempDir()
	write := func(chars int) string {
		var b strings.Builder
		for i := 0; i < chars/4; i++ {
			b.WriteString(string([]rune{0x4e00 + rune(i/64), 0x5000 + rune(i%64), '理', '财'}) + "\n")
		}
		path := filepath.Join(dir, fmt.Sprintf("%d.txt", chars))
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	if d, err := Load([]string{write(MaxTermChars)}, true); err != nil || len(d.Terms) != MaxTermChars/4 {
		t.Fatalf("a dictionary at the limit: %v", err)
	}
	_, err := Load([]string{write(MaxTermChars + 4)}, true)
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("共 %d 字，超过上限 %d 字", MaxTermChars+4, MaxTermChars)) ||
		!strings.Contains(err.Error(), "MB") {
		t.Errorf("past the limit: %v", err)
	}
	if _, err := Load([]string{write(MaxTermChars)}, false); err == nil {
		t.Errorf("the limit counts the default dictionary's terms too")
	}
}
