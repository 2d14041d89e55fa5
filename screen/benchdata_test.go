package screen

import (
	"encoding/csv"
	"os"
	"testing"

	"github.com/regscreen/regscreen/dict"
)

// BenchmarkFullPathBenchData times the full path (normalise, match, judge)
// on the first 5,000 fields of the make bench export that the prefilter
// passes: real names and scopes rather than three hand-picked records. It
// is skipped until make bench has generated bench/data.
func BenchmarkFullPathBenchData(b *testing.B) {
	f, err := os.Open("../bench/data/reg1000000.csv")
	if err != nil {
		b.Skip("no bench/data/reg1000000.csv (make bench generates it)")
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	s, err := New(dict.Default())
	if err != nil {
		b.Fatal(err)
	}
	header, err := r.Read()
	if err != nil {
		b.Fatal(err)
	}
	name, scope := -1, -1
	for i, h := range header {
		switch h {
		case "企业名称":
			name = i
		case "经营范围":
			scope = i
		}
	}
	var fields []Field
	for len(fields) < 5000 {
		rec, err := r.Read()
		if err != nil {
			break
		}
		for _, fl := range []Field{{Name: "name", Text: rec[name]}, {Name: "scope", Text: rec[scope]}} {
			if s.pre.mayMatch(fl.Text) {
				fields = append(fields, fl)
			}
		}
	}
	for _, fl := range fields { // the matcher, table and tokeniser load outside the timing
		s.screenFieldFull(fl, false)
	}
	for i := 0; b.Loop(); i++ {
		s.screenFieldFull(fields[i%len(fields)], false)
	}
}
