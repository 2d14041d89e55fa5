package screen_test

import (
	"reflect"
	"slices"
	"sort"
	"sync"
	"testing"

	"github.com/regscreen/regscreen/dict"
	"github.com/regscreen/regscreen/internal/fixture"
	"github.com/regscreen/regscreen/screen"
)

func newScreener(t testing.TB) *screen.Screener {
	t.Helper()
	s, err := screen.New(dict.Default())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestLabelled requires every verdict, every used term, every evasion and
// every hit's status (in order) in fixtures/labelled.tsv to match.
func TestLabelled(t *testing.T) {
	cases, err := fixture.Labelled()
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) < 150 {
		t.Fatalf("only %d labelled cases; want at least 150", len(cases))
	}
	s := newScreener(t)
	for _, c := range cases {
		t.Run(c.ID+"-"+c.Category, func(t *testing.T) {
			res := s.Screen([]screen.Field{{Name: "name", Text: c.Name}, {Name: "scope", Text: c.Scope}})
			var used, evasions, hits []string
			for _, h := range res.Hits {
				hits = append(hits, h.Term+":"+h.State())
				if h.Used() {
					used = append(used, h.Term)
					for _, e := range h.Evasions {
						evasions = append(evasions, string(e))
					}
				}
			}
			if string(res.Verdict) != c.Verdict || !sameSet(used, c.Used) || !sameSet(evasions, c.Evasions) || !slices.Equal(hits, c.Hits) {
				t.Errorf("fixtures/labelled.tsv:%d %s|%s\n got  %s used=%v evasions=%v hits=%v\n want %s used=%v evasions=%v hits=%v\n hits: %+v",
					c.Line, c.Name, c.Scope, res.Verdict, uniq(used), uniq(evasions), hits, c.Verdict, c.Used, c.Evasions, c.Hits, res.Hits)
			}
		})
	}
}

func uniq(s []string) []string {
	s = slices.Clone(s)
	sort.Strings(s)
	return slices.Compact(s)
}

func sameSet(a, b []string) bool { return slices.Equal(uniq(a), uniq(b)) }

// TestHitsPointIntoOriginal checks the span invariant on every labelled case.
func TestHitsPointIntoOriginal(t *testing.T) {
	cases, err := fixture.Labelled()
	if err != nil {
		t.Fatal(err)
	}
	s := newScreener(t)
	for _, c := range cases {
		for _, f := range []screen.Field{{Name: "name", Text: c.Name}, {Name: "scope", Text: c.Scope}} {
			res := s.Screen([]screen.Field{f})
			r := []rune(f.Text)
			for _, h := range res.Hits {
				if got := string(r[h.Start:h.End]); got != h.Text {
					t.Errorf("case %s: hit %s span [%d,%d) is %q, Text says %q", c.ID, h.Term, h.Start, h.End, got, h.Text)
				}
			}
		}
	}
}

// TestSharedBetweenGoroutines: one Screener, many goroutines, the same
// results as screening one after another (run with -race in make test).
func TestSharedBetweenGoroutines(t *testing.T) {
	cases, err := fixture.Labelled()
	if err != nil {
		t.Fatal(err)
	}
	s := newScreener(t) // fresh: the tokeniser loads under contention
	want := make([]screen.Result, len(cases))
	got := make([]screen.Result, len(cases))
	fields := func(c fixture.Case) []screen.Field {
		return []screen.Field{{Name: "name", Text: c.Name}, {Name: "scope", Text: c.Scope}}
	}
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < len(cases); i += 8 {
				got[i] = s.Screen(fields(cases[i]))
			}
		}(w)
	}
	wg.Wait()
	for i, c := range cases {
		want[i] = s.Screen(fields(c))
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("case %s differs when screened concurrently", c.ID)
		}
	}
}
