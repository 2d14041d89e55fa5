package report

import (
	"github.com/regscreen/regscreen/screen"
	"github.com/regscreen/regscreen/store"
)

// ChangesHeader is the header of the changes table.
var ChangesHeader = []string{"变动", "统一社会信用代码/标识", "街道（镇）", "变动前名称", "变动后名称", "变动前结论", "变动后结论",
	"变动前命中词", "变动后命中词", "变动前经营范围", "变动后经营范围", "处理状态", "会商意见"}

// Changes is the table of changes between two runs.
func Changes(cs []store.Change) *Table {
	t := &Table{Sheet: "变动", Header: ChangesHeader, Records: make([]any, len(cs))}
	for i, c := range cs {
		t.Records[i] = c
		b, a := c.Before, c.After
		if b == nil {
			b = &store.Snapshot{}
		}
		if a == nil {
			a = &store.Snapshot{}
		}
		t.Rows = append(t.Rows, []any{c.Kind, c.Key, c.Street(), b.Name, a.Name, VerdictLabel(b.Verdict), VerdictLabel(a.Verdict),
			b.Terms, a.Terms, b.Scope, a.Scope, c.Status, c.Opinion})
	}
	return t
}

// VerdictLabel is a stored verdict as a clerk reads it ("" stays "").
func VerdictLabel(v string) string {
	if v == "" {
		return ""
	}
	return screen.Verdict(v).Label()
}
