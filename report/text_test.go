package report

import (
	"fmt"
	"strings"
	"testing"

	"github.com/regscreen/regscreen/store"
)

// A part of a name that matches many companies lists the first few, each
// with its name, and says how many there are.
func TestWriteMatchesListsAFewWithTheirNames(t *testing.T) {
	var keys []string
	names := map[string]string{}
	for i := range 30 {
		k := fmt.Sprintf("9133020500000%05d", i)
		keys = append(keys, k)
		names[k] = fmt.Sprintf("宁波第%d五金有限公司", i)
	}
	keys = append([]string{"名称:无代码五金店"}, keys...)
	var b strings.Builder
	WriteMatches(&b, "五金", keys, names)
	out := b.String()
	if !strings.Contains(out, "对应 31 家企业（名称:无代码五金店、913302050000000000 宁波第0五金有限公司、") ||
		!strings.Contains(out, "等 31 家）") || strings.Contains(out, "宁波第19五金") {
		t.Errorf("matches: %s", out)
	}
}

// history lists a company's names, and says where a run's name was not
// kept (a store upgraded from one that kept only fingerprints).
func TestWriteHistoryListsNames(t *testing.T) {
	entries := []store.HistoryEntry{
		{Run: 1, Started: "2026-11-01T17:00:00Z", Present: true},
		{Run: 2, Started: "2026-11-02T17:00:00Z", Present: true, Name: "福州昌武包装材料有限公司"},
		{Run: 3, Started: "2026-11-03T17:00:00Z", Present: true, Name: "福州昌武财富管理有限公司",
			Record: &store.Snapshot{Name: "福州昌武财富管理有限公司", Verdict: "refer", Terms: "财富管理"}},
	}
	var b strings.Builder
	WriteHistory(&b, "91330205MA2FHUFR52", entries, nil, nil)
	out := b.String()
	for _, want := range []string{"历次名称：福州昌武包装材料有限公司（运行 2 起） → 福州昌武财富管理有限公司（运行 3 起）",
		"名称未记录", "无需处理  福州昌武包装材料有限公司"} {
		if !strings.Contains(out, want) {
			t.Errorf("history lacks %q:\n%s", want, out)
		}
	}
}
