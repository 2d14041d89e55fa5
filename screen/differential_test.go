package screen

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-ego/gse"

	"github.com/regscreen/regscreen/dict"
	"github.com/regscreen/regscreen/internal/fixture"
)

// TestDifferentialFullDictionary compares the engine's word-boundary
// decision on every term occurrence with the same rules applied to gse's
// tokens under its complete dictionary (s_1.txt, with the extra words and
// the terms the generator adds to both), over fixtures/, every file of
// ../shared/realdata and the first 100,000 rows of the bench generator.
// The trimmed list must agree on at least 99.5% of the occurrences; the
// disagreements are logged for the record (go test -v -run Differential).
func TestDifferentialFullDictionary(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the full dictionary takes seconds to load")
	}
	root := filepath.Join(fixture.Dir(), "..")
	// ../shared beside the module root (as in CI); a git worktree one level
	// further down finds it one level further up; REGSCREEN_SHARED overrides.
	shared := ""
	for _, dir := range []string{os.Getenv("REGSCREEN_SHARED"), filepath.Join(root, "..", "shared"), filepath.Join(root, "..", "..", "shared")} {
		if st, err := os.Stat(filepath.Join(dir, "realdata")); dir != "" && err == nil && st.IsDir() {
			shared = dir
			break
		}
	}
	if shared == "" {
		t.Skipf("%s is absent (CI has it beside the repository; or set REGSCREEN_SHARED): no real data or bench generator to compare on", filepath.Join(root, "..", "shared"))
	}
	gseDir, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/go-ego/gse").Output()
	if err != nil {
		t.Fatalf("locate gse's module: %v", err)
	}
	s1, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(gseDir)), "data/dict/zh/s_1.txt"))
	if err != nil {
		t.Fatal(err)
	}
	extra, err := os.ReadFile(filepath.Join(root, "dict/internal/gendata/extra_words.txt"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(dict.Default())
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.Write(extra)
	b.WriteString("\n")
	b.Write(s1)
	for _, p := range s.patterns {
		b.WriteString("\n" + p.norm + " 100 nz")
	}
	full := &gse.Segmenter{SkipLog: true, NotLoadHMM: true}
	if err := full.LoadDictStr(b.String()); err != nil {
		t.Fatal(err)
	}

	files, _ := filepath.Glob(filepath.Join(fixture.Dir(), "*.tsv"))
	more, _ := filepath.Glob(filepath.Join(fixture.Dir(), "*.csv"))
	files = append(files, more...)
	more, _ = filepath.Glob(filepath.Join(fixture.Dir(), "evolving", "*.csv"))
	files = append(files, more...)
	more, _ = filepath.Glob(filepath.Join(shared, "realdata", "*.csv"))
	files = append(files, more...)
	bench := filepath.Join(t.TempDir(), "bench.csv")
	gen := exec.Command("go", "run", filepath.Join(shared, "bench", "gen", "main.go"), "-n", "100000", "-seed", "1", "-o", bench)
	if out, err := gen.CombinedOutput(); err != nil {
		t.Fatalf("bench generator: %v\n%s", err, out)
	}
	files = append(files, bench)

	total, agree, ascii, long := 0, 0, 0, 0
	var disagreements []string
	for _, path := range files {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<24)
		for sc.Scan() {
			line := sc.Text()
			if !s.pre.mayMatch(line) {
				continue
			}
			nt := s.fold.normalize(line)
			r := nt.r
			var occs []occurrence
			for _, id := range s.matcher().MatchThreadSafe(nt.b) {
				p := []rune(s.patterns[id].norm)
				for i := 0; i+len(p) <= len(r); i++ {
					if hasRunesAt(r, i, p) {
						occs = append(occs, occurrence{pat: id, start: i, end: i + len(p)})
					}
				}
			}
			occs = mostSpecific(occs)
			if len(occs) == 0 {
				continue
			}
			fc := &fieldContext{s: s, nt: nt, runes: r}
			ref := gseTokens(full, r)
			for _, o := range occs {
				mine := fc.onBoundaries(o.start, o.end)
				if len(mine.covering) == 1 && strings.HasPrefix(mine.rule, "字母数字串") {
					ascii++ // decided on the characters, not on tokens
					continue
				}
				if o.end-o.start >= longTerm {
					long++ // long terms are not judged on tokens
					continue
				}
				particle := r[o.end-1] == '所' && o.end < len(r) && isWordRune(r[o.end])
				want := decide(r, ref, o.start, o.end, particle)
				total++
				if mine.straddles == want.straddles {
					agree++
					continue
				}
				ws, we := max(0, o.start-12), min(len(r), o.end+12)
				var seg []token
				for _, tk := range ref {
					if tk.end > ws && tk.start < we {
						seg = append(seg, tk)
					}
				}
				mineToks := s.tok().tokens(r, ws, we)
				disagreements = append(disagreements, filepath.Base(path)+": "+string(r[o.start:o.end])+
					"\n    engine: straddles="+boolWord(mine.straddles)+" "+show(r, mineToks)+
					"\n    full:   straddles="+boolWord(want.straddles)+" "+show(r, seg))
			}
		}
		f.Close()
		if err := sc.Err(); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	}
	rate := float64(agree) / float64(total)
	t.Logf("agreement with gse's full dictionary: %d of %d occurrences of short terms (%.3f%%); not judged on tokens: %d inside longer runs of Latin letters and digits, %d of long terms",
		agree, total, 100*rate, ascii, long)
	for _, d := range disagreements {
		t.Log(d)
	}
	if total < 1000 || rate < 0.995 {
		t.Errorf("agreement %.3f%% over %d occurrences; want ≥ 99.5%% over at least 1000", 100*rate, total)
	}
}

func boolWord(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
