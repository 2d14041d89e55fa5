package run

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/regscreen/regscreen/report"
	"github.com/regscreen/regscreen/searcher"
	"github.com/regscreen/regscreen/store"
)

// night runs one scan --db of an export through the code the CLI uses.
func night(t *testing.T, st *store.Store, export string) int64 {
	t.Helper()
	ev := &events{}
	p := Plan{Screener: screener(t), Results: &writer{ev: ev}, Store: st, MaxRejects: -1,
		Search: searcher.Options{Inputs: []searcher.Input{searcher.Stream("导出.csv", strings.NewReader(export))}, Workers: 2}}
	out, err := Execute(context.Background(), p)
	if err != nil || !out.Stored {
		t.Fatalf("night: %+v %v", out, err)
	}
	return out.RunID
}

// A company never referred that is renamed into a restricted name keeps
// both names (issue 21): the change shows the name before, and history
// finds it by its old name or part of it.
func TestARenameIntoARestrictedNameKeepsBothNames(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	const code, old, renamed = "91330205MA2FHUFR52", "福州昌武包装材料有限公司", "福州昌武财富管理有限公司"
	head := "统一社会信用代码,企业名称,经营范围\n"
	other := "91330205MA2TKLXT0C,宁波某某五金有限公司,五金销售\n"
	first := night(t, st, head+code+","+old+",包装材料销售\n"+other)
	second := night(t, st, head+other+code+","+renamed+",包装材料销售\n")

	cs, err := st.Changes(ctx, first, second)
	if err != nil || len(cs) != 1 {
		t.Fatalf("changes: %+v %v", cs, err)
	}
	c := cs[0]
	if c.Kind != store.NewlyReferred || c.Key != code || c.Before == nil || c.Before.Name != old || c.After.Name != renamed {
		t.Errorf("change %+v before %+v after %+v; want 新增送会商 from %s to %s", c, c.Before, c.After, old, renamed)
	}
	row := report.Changes(cs).Rows[0]
	if i := slices.Index(report.ChangesHeader, "变动前名称"); row[i] != old {
		t.Errorf("变动前名称 %q, want %q", row[i], old)
	}
	for _, arg := range []string{old, "昌武包装", renamed, "昌武"} {
		if keys, err := st.FindKeys(ctx, arg); err != nil || !reflect.DeepEqual(keys, []string{code}) {
			t.Errorf("FindKeys(%q) = %v, %v; want [%s]", arg, keys, err, code)
		}
	}
	names, err := st.Names(ctx, code)
	if want := []store.NameAt{{Run: first, Name: old}, {Run: second, Name: renamed}}; err != nil || !reflect.DeepEqual(names, want) {
		t.Errorf("names %+v %v, want %+v", names, err, want)
	}
	h, _, err := st.History(ctx, code)
	if err != nil || len(h) != 2 || h[0].Name != old || h[1].Name != renamed {
		t.Errorf("history %+v %v", h, err)
	}
	// A third night with nothing renamed writes no name.
	third := night(t, st, head+other+code+","+renamed+",包装材料销售\n")
	if names, _ := st.Names(ctx, code); len(names) != 2 {
		t.Errorf("night %d added a name: %+v", third, names)
	}
}
