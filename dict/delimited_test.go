package dict

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/regscreen/regscreen/internal/fixture"
)

// A CSV or workbook given to --dict by mistake is named for what it is on
// its first line, instead of being loaded as terms until one holds a space.
func TestATableIsNotADictionary(t *testing.T) {
	dir := t.TempDir()
	tsv := filepath.Join(dir, "名单.tsv")
	os.WriteFile(tsv, []byte("# 导出\n企业名称\t经营范围\n宁波理财有限公司\t咨询\n"), 0o644)
	semi := filepath.Join(dir, "名单.txt")
	os.WriteFile(semi, []byte("信托;期货\n"), 0o644)
	for _, tc := range []struct {
		file, want string
		line       int
	}{
		{fixture.Path("sample.csv"), "这是逗号分隔的表格（如导出的 CSV），不是词典：第一行为“统一社会信用代码,企业名称", 1},
		{fixture.Path("exports/exempt.csv"), "这是逗号分隔的表格", 1},
		{tsv, "这是制表符分隔的表格", 2},
		{semi, "这是分号分隔的表格", 1},
		{fixture.Path("exports/sample.xls"), "这是 Excel 工作簿，不是词典文件", 1},
		{fixture.Path("exports/two-sheets.xlsx"), "这是 Excel 工作簿，不是词典文件", 1},
	} {
		_, err := Load([]string{tc.file}, false)
		pe, ok := err.(*ParseError)
		if !ok || pe.Line != tc.line || !strings.Contains(pe.Msg, tc.want) || !strings.Contains(pe.Msg, "--exempt") {
			t.Errorf("%s: %v, want line %d %q", tc.file, err, tc.line, tc.want)
		}
	}
	// Commas are fine where a dictionary has fields, and in later lines.
	ok := filepath.Join(dir, "ok.dict")
	os.WriteFile(ok, []byte("[terms]\n信托 | 信托 | 银保监局 | 国办发〔2016〕21号, 三(一)\n"), 0o644)
	if _, err := Load([]string{ok}, false); err != nil {
		t.Errorf("a comma in a field: %v", err)
	}
	for _, f := range []string{fixture.Path("custom.dict"), fixture.Path("plain-list.txt"), fixture.Path("gbk.dict")} {
		if _, err := Load([]string{f}, false); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}
