package screen

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"

	"github.com/regscreen/regscreen/dict"
	"github.com/regscreen/regscreen/internal/fixture"
)

// realRecords reads the registrations of ../shared/realdata as records of
// name and scope: the clean file alone, or the files with terms.
func realRecords(tb testing.TB, hits bool) [][]Field {
	root := filepath.Join(fixture.Dir(), "..")
	names := []string{"erd_registrations_no_hits.csv"}
	if hits {
		names = []string{"erd_registrations_restricted_hits.csv", "erd_scope_disclaimers.csv"}
	}
	var recs [][]Field
	for _, dir := range []string{os.Getenv("REGSCREEN_SHARED"), filepath.Join(root, "..", "shared"), filepath.Join(root, "..", "..", "shared")} {
		if dir == "" {
			continue
		}
		for _, n := range names {
			f, err := os.Open(filepath.Join(dir, "realdata", n))
			if err != nil {
				break
			}
			rows, err := csv.NewReader(f).ReadAll()
			f.Close()
			if err != nil || len(rows) < 2 {
				tb.Fatalf("%s: %v", n, err)
			}
			name, scope := -1, -1
			for i, h := range rows[0] {
				switch h {
				case "企业名称":
					name = i
				case "经营范围":
					scope = i
				}
			}
			for _, r := range rows[1:] {
				recs = append(recs, []Field{{Name: "name", Text: r[name]}, {Name: "scope", Text: r[scope]}})
			}
		}
		if len(recs) > 0 {
			return recs
		}
	}
	tb.Skip("no ../shared/realdata (or set REGSCREEN_SHARED)")
	return nil
}

// BenchmarkScreenRealText screens the real registrations, per record: the
// clean ones (97% of the real-text export) and those with terms.
func BenchmarkScreenRealText(b *testing.B) {
	s, err := New(dict.Default())
	if err != nil {
		b.Fatal(err)
	}
	for _, kind := range []string{"clean", "hits"} {
		recs := realRecords(b, kind == "hits")
		for _, r := range recs { // matcher, table and tokeniser load outside the timing
			s.Screen(r)
		}
		b.Run(kind, func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				s.Screen(recs[i%len(recs)])
			}
		})
	}
}

// TestPrefilterExactOnRealText holds the prefilter to the full path on
// every name and scope of the real registrations: it passes exactly the
// fields that have a hit, and its automaton finds the same occurrences as
// the cloudflare matcher. It logs how many pass (go test -v).
func TestPrefilterExactOnRealText(t *testing.T) {
	s, err := New(dict.Default())
	if err != nil {
		t.Fatal(err)
	}
	for _, kind := range []string{"clean", "hits"} {
		var fields, pass, used int
		for _, r := range realRecords(t, kind == "hits") {
			for _, f := range r {
				fields++
				full, _ := s.screenFieldFull(f, false)
				if got := s.pre.mayMatch(f.Text); got != (len(full) > 0) {
					t.Errorf("prefilter says %v, full path finds %d hits: %q", got, len(full), f.Text)
				}
				if !sameOccurrences(s, f.Text) {
					t.Errorf("the prefilter's automaton and the cloudflare matcher find different occurrences in %q", f.Text)
				}
				if len(full) > 0 {
					pass++
				}
				if verdictOf(full) == Refer {
					used++
				}
			}
		}
		t.Logf("%s: %d fields, %d with hits, %d with a used one", kind, fields, pass, used)
	}
}
