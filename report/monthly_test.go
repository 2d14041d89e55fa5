package report

import (
	"strings"
	"testing"

	"github.com/regscreen/regscreen/record"
	"github.com/regscreen/regscreen/store"
)

func TestMonthlyReturnCountsByStreet(t *testing.T) {
	snap := func(street, verdict, name string) *store.Snapshot {
		return &store.Snapshot{Street: street, Verdict: verdict, Name: name}
	}
	referred := []store.Change{
		{Key: "a", After: snap("中马街道", "refer", "甲"), Status: record.StatusSupervised},
		{Key: "b", After: snap("中马街道", "refer", "乙")},
		{Key: "c", After: snap("", "refer", "丙")},
	}
	changes := []store.Change{
		{Kind: store.NewlyReferred, Key: "b", After: snap("中马街道", "refer", "乙")},
		{Kind: store.NewWithHits, Key: "c", After: snap("", "refer", "丙")},
		{Kind: store.NewWithHits, Key: "d", After: snap("中马街道", "review", "丁")}, // review: not added
		{Kind: store.Gone, Key: "e", Before: snap("白沙街道", "refer", "戊")},
		{Kind: store.NoLongerReferred, Key: "f", Before: snap("白沙街道", "refer", "己"), After: snap("白沙街道", "clear", "己")},
		{Kind: store.Changed, Key: "a", Before: snap("中马街道", "refer", "甲"), After: snap("中马街道", "refer", "甲二")},
	}
	// The dictionary's order (白沙 before 中马 here), others by name, the
	// unidentified last.
	tbl := Monthly("2026-10", 3, 7, referred, changes, []string{"白沙街道", "中马街道"})
	want := [][]any{
		{"白沙街道", 0, 0, 2, 0, 0, "戊 已不在名录"},
		{"中马街道", 2, 1, 0, 1, 1, ""},
		{NoStreetLabel, 1, 1, 0, 0, 0, ""},
		{"合计", 3, 2, 2, 1, 1, "比较运行 3（上月末）与运行 7（本月末）"},
	}
	if len(tbl.Rows) != len(want) {
		t.Fatalf("rows: %v", tbl.Rows)
	}
	for i := range want {
		for j := range want[i] {
			if tbl.Rows[i][j] != want[i][j] {
				t.Errorf("row %d col %s: got %v, want %v", i, tbl.Header[j], tbl.Rows[i][j], want[i][j])
			}
		}
	}
	if p := tbl.Paper; p.Title != "2026年10月 注册登记会商变动情况" || len(p.Sections) != 2 ||
		len(p.Sections[0].Rows) != 2 || p.Sections[0].Rows[0][2] != "乙" || len(p.Sections[1].Rows) != 2 || p.Sections[1].Rows[0][2] != "戊" {
		t.Errorf("the return's title and lists of companies: %+v", p)
	}
	if got := Monthly("2026-10", 0, 7, nil, nil, nil).Rows[0][6]; got != "本月末运行 7；此前无运行，全部计为新增" {
		t.Errorf("no earlier run: %v", got)
	}
}

// 本月变更 counts only companies referred before or after (the return's
// definition), and a change the dictionary caused is added or removed
// with a note saying so.
func TestMonthlyReturnKeepsDictionaryChangesApart(t *testing.T) {
	snap := func(verdict, name string) *store.Snapshot {
		return &store.Snapshot{Street: "中马街道", Verdict: verdict, Name: name}
	}
	changes := []store.Change{
		{Kind: store.Changed, Key: "r", Before: snap("review", "甲"), After: snap("review", "甲二")}, // never referred
		{Kind: store.Changed, Key: "s", Before: snap("refer", "乙"), After: snap("refer", "乙二")},
		{Kind: store.DictChanged, Key: "t", Before: snap("clear", "丙"), After: snap("refer", "丙")},
		{Kind: store.DictChanged, Key: "u", Before: snap("refer", "丁"), After: snap("review", "丁")},
		{Kind: store.DictChanged, Key: "v", Before: snap("refer", "戊"), After: snap("refer", "戊")}, // terms only
	}
	tbl := Monthly("2026-10", 3, 7, nil, changes, []string{"中马街道"})
	row := tbl.Rows[0]
	if row[2] != 1 || row[3] != 1 || row[4] != 1 || !strings.Contains(row[6].(string), "丙 因词典变更新增") ||
		!strings.Contains(row[6].(string), "丁 因词典变更移出") {
		t.Errorf("row %v", row)
	}
}
