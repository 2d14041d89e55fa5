package screen_test

import (
	"testing"

	"github.com/regscreen/regscreen/dict"
	"github.com/regscreen/regscreen/screen"
)

// Benchmarks per record, and per hit where there are hits: a typical clean
// record (the common case), a record with the standard disclaimer (denied
// hits), and one with used terms.
var benchRecords = map[string][]screen.Field{
	"clean": {
		{Name: "name", Text: "宁波江北恒达五金贸易有限公司"},
		{Name: "scope", Text: "五金交电、建材、日用品、服装鞋帽、针纺织品、办公用品批发、零售；企业管理咨询；商务信息咨询；会议及展览服务。（依法须经批准的项目，经相关部门批准后方可开展经营活动）"},
	},
	"disclaimer": {
		{Name: "name", Text: "宁波江北汇金实业有限公司"},
		{Name: "scope", Text: "实业投资；投资咨询（未经金融等监管部门批准不得从事吸收存款、融资担保、代客理财、向社会公众集（融）资等金融业务）。"},
	},
	"used": {
		{Name: "name", Text: "宁波江北汇金投资管理有限公司"},
		{Name: "scope", Text: "投资管理；资产管理；理财咨询；资金融通咨询（不含金融业务）。"},
	},
}

func BenchmarkScreen(b *testing.B) {
	s := newScreener(b)
	for name, rec := range benchRecords {
		b.Run(name, func(b *testing.B) {
			n := 0
			for _, f := range rec {
				n += len(f.Text)
			}
			b.SetBytes(int64(n))
			hits := len(s.Screen(rec).Hits) // the tokeniser loads outside the timing
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				s.Screen(rec)
			}
			if hits > 0 {
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*hits), "ns/hit")
			}
		})
	}
}

func BenchmarkScreenParallel(b *testing.B) {
	s := newScreener(b)
	rec := benchRecords["clean"]
	s.Screen(benchRecords["used"])
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			s.Screen(rec)
		}
	})
}

// BenchmarkFirstHit is what `check` pays on its first name with a hit,
// beyond start-up: a new Screener, whose matcher and tokeniser load on
// that hit, then the screening. 宁波某某理財咨询有限公司's boundary is certain
// without segmenting; the other two must be segmented.
func BenchmarkFirstHit(b *testing.B) {
	d := dict.Default()
	for _, name := range []string{"宁波某某理財咨询有限公司", "资金融通", "宁波甬江交易所运营管理有限公司"} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				s, err := screen.New(d)
				if err != nil {
					b.Fatal(err)
				}
				if s.ScreenText(name).Verdict == screen.Clear {
					b.Fatal("no hit")
				}
			}
		})
	}
}
