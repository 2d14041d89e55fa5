package store

import (
	"reflect"
	"testing"

	"github.com/regscreen/regscreen/record"
)

// view makes a run as classify sees it: seen maps each key the run saw to
// its name and scope; recs are the records with an occurrence (verdict
// and terms) and quiet the known companies seen without one.
func view(kind int, seen map[string][2]string, recs map[string][2]string, quiet ...string) runView {
	v := runView{kind: kind, recs: map[string]*Snapshot{}, quiet: map[string]*Snapshot{}}
	var es []entry
	for key, text := range seen {
		es = append(es, entry{keyHash(key), fingerprintOf(kind, text[0], text[1])})
		if r, ok := recs[key]; ok {
			v.recs[key] = &Snapshot{Name: text[0], Scope: text[1], Verdict: r[0], Terms: r[1]}
		}
	}
	for _, key := range quiet {
		v.quiet[key] = &Snapshot{Name: seen[key][0], Scope: seen[key][1], Verdict: verdictClear}
	}
	v.seen = sortDedupe(es)
	return v
}

func TestClassify(t *testing.T) {
	const x = fpKind
	text := [2]string{"甲理财", "理财咨询"}
	other := [2]string{"甲理财", "理财咨询；五金"}
	refer, review, clear := [2]string{"refer", "理财"}, [2]string{"review", "交易所"}, [2]string{"clear", ""}
	cases := []struct {
		name       string
		a, b       runView
		want       string // kind, or "" for nothing listed
		before     *Snapshot
		afterClear bool // the after side is a blank 无需处理
	}{
		{"clear, then referred", view(x, map[string][2]string{"K": text}, nil), view(x, map[string][2]string{"K": text}, map[string][2]string{"K": refer}),
			NewlyReferred, &Snapshot{Verdict: verdictClear, untexted: true}, false},
		{"review, then referred", view(x, map[string][2]string{"K": text}, map[string][2]string{"K": review}), view(x, map[string][2]string{"K": text}, map[string][2]string{"K": refer}),
			NewlyReferred, nil, false},
		{"new with a hit", view(x, nil, nil), view(x, map[string][2]string{"K": text}, map[string][2]string{"K": review}), NewWithHits, nil, false},
		{"new, every hit denied", view(x, nil, nil), view(x, map[string][2]string{"K": text}, map[string][2]string{"K": clear}), "", nil, false},
		{"referred, then clear", view(x, map[string][2]string{"K": text}, map[string][2]string{"K": refer}), view(x, map[string][2]string{"K": text}, nil),
			NoLongerReferred, nil, true},
		{"referred, then review (not listed again as changed)", view(x, map[string][2]string{"K": text}, map[string][2]string{"K": refer}),
			view(x, map[string][2]string{"K": text}, map[string][2]string{"K": review}), NoLongerReferred, nil, false},
		{"referred, then gone", view(x, map[string][2]string{"K": text}, map[string][2]string{"K": refer}), view(x, nil, nil), Gone, nil, false},
		{"denied only, then gone", view(x, map[string][2]string{"K": text}, map[string][2]string{"K": clear}), view(x, nil, nil), "", nil, false},
		{"scope changed", view(x, map[string][2]string{"K": text}, map[string][2]string{"K": refer}),
			view(x, map[string][2]string{"K": other}, map[string][2]string{"K": refer}), Changed, nil, false},
		{"terms changed", view(x, map[string][2]string{"K": text}, map[string][2]string{"K": refer}),
			view(x, map[string][2]string{"K": text}, map[string][2]string{"K": {"refer", "理财、基金"}}), Changed, nil, false},
		{"nothing changed", view(x, map[string][2]string{"K": text}, map[string][2]string{"K": refer}),
			view(x, map[string][2]string{"K": text}, map[string][2]string{"K": refer}), "", nil, false},
		{"old fingerprints, same text", view(fpKindFNV, map[string][2]string{"K": text}, map[string][2]string{"K": refer}),
			view(x, map[string][2]string{"K": text}, map[string][2]string{"K": refer}), "", nil, false},
		{"old fingerprints, text changed", view(fpKindFNV, map[string][2]string{"K": text}, map[string][2]string{"K": refer}),
			view(x, map[string][2]string{"K": other}, map[string][2]string{"K": refer}), Changed, nil, false},
		{"a quiet company's text shows after", view(x, map[string][2]string{"K": text}, map[string][2]string{"K": refer}),
			view(x, map[string][2]string{"K": other}, nil, "K"), NoLongerReferred, nil, false},
	}
	for _, tc := range cases {
		got := classify(tc.a, tc.b, nil)
		if tc.want == "" {
			if len(got) != 0 {
				t.Errorf("%s: listed %+v", tc.name, got)
			}
			continue
		}
		if len(got) != 1 || got[0].Kind != tc.want || got[0].Key != "K" {
			t.Errorf("%s: %+v, want one %s", tc.name, got, tc.want)
			continue
		}
		if tc.before != nil && !reflect.DeepEqual(got[0].Before, tc.before) {
			t.Errorf("%s: before %+v, want %+v", tc.name, got[0].Before, tc.before)
		}
		if tc.afterClear && !reflect.DeepEqual(got[0].After, &Snapshot{Verdict: verdictClear, untexted: true}) {
			t.Errorf("%s: after %+v, want a blank 无需处理", tc.name, got[0].After)
		}
	}
}

func TestClassifyOrdersByKindThenKeyAndAddsTheDecision(t *testing.T) {
	text := [2]string{"名称", "理财"}
	refer := [2]string{"refer", "理财"}
	a := view(fpKind, map[string][2]string{"B": text, "C": text, "D": text}, map[string][2]string{"B": refer, "C": refer})
	b := view(fpKind, map[string][2]string{"A": text, "B": text, "D": text, "E": text},
		map[string][2]string{"A": refer, "B": refer, "D": refer, "E": refer})
	got := classify(a, b, map[string][2]string{"D": {record.StatusSupervised, "季度回访"}})
	var kinds []string
	for _, c := range got {
		kinds = append(kinds, c.Kind+":"+c.Key)
	}
	want := []string{NewlyReferred + ":D", NewWithHits + ":A", NewWithHits + ":E", Gone + ":C"}
	if !reflect.DeepEqual(kinds, want) {
		t.Errorf("%v, want %v", kinds, want)
	}
	if got[0].Status != record.StatusSupervised || got[0].Opinion != "季度回访" {
		t.Errorf("the decision in force goes with the change: %+v", got[0])
	}
}

// A consultation's exclusion reads 会商排除 whether the company was
// referred or to review; a dictionary that changed between the runs
// makes a verdict change of an unchanged company 词典变更导致的变动.
func TestClassifyExclusionsAndDictionaryChanges(t *testing.T) {
	text := [2]string{"甲理财", "理财咨询"}
	other := [2]string{"甲理财", "理财咨询；五金"}
	excluded := map[string][2]string{"K": {record.StatusExcluded, ""}}
	exempt := map[string][2]string{"K": {"exempt", "理财"}}
	for _, was := range []string{"refer", "review"} {
		a := view(fpKind, map[string][2]string{"K": text}, map[string][2]string{"K": {was, "理财"}})
		b := view(fpKind, map[string][2]string{"K": text}, exempt)
		if got := classify(a, b, excluded); len(got) != 1 || got[0].Kind != ConsultExcluded {
			t.Errorf("%s, then ruled 排除: %+v", was, got)
		}
	}
	a := view(fpKind, map[string][2]string{"K": text}, nil)
	b := view(fpKind, map[string][2]string{"K": text}, map[string][2]string{"K": {"refer", "信托"}})
	a.dict, b.dict = "v1", "v2"
	if got := classify(a, b, nil); len(got) != 1 || got[0].Kind != DictChanged {
		t.Errorf("new dictionary, same text: %+v", got)
	}
	b = view(fpKind, map[string][2]string{"K": other}, map[string][2]string{"K": {"refer", "信托"}})
	b.dict = "v2"
	if got := classify(a, b, nil); len(got) != 1 || got[0].Kind != NewlyReferred {
		t.Errorf("new dictionary, changed text: %+v", got)
	}
}
