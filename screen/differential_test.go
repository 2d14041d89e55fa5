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
// decision on every term occurrence with the same rules applied over gse's
// complete dictionary (s_1.txt, with the extra words and the terms the
// generator adds to both), over fixtures/, every file of ../shared/realdata
// and the first 100,000 rows of the bench generator. The trimmed list must
// agree on at least 99.5% of the occurrences. It also applies the old rule
// — the verdict of gse's single best path — and logs where the engine now
// disagrees with it on purpose (docs/accuracy-changes.md says why); go
// test -v -run Differential shows both.
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
	// The engine's own segmenter over the full list: held to gse token for
	// token (TestSegmenterAgreesWithGse), and it gives the readings' costs.
	var terms []string
	for _, p := range s.patterns {
		terms = append(terms, p.norm)
	}
	fullSeg := newSegmenter(string(extra)+"\n"+string(s1), terms, termFreq)

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

	total, agree, ascii, old := 0, 0, 0, 0
	var disagreements, onPurpose []string
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
			for _, id := range s.matcher().MatchThreadSafe([]byte(string(r))) {
				p := []rune(s.patterns[id].norm)
				for i := 0; i+len(p) <= len(r); i++ {
					if hasRunesAt(r, i, p) {
						occs = append(occs, occurrence{pat: id, start: i, end: i + len(p)})
					}
				}
			}
			occs = mostSpecific(occs, nil)
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
				ws, we := fc.window(o.start, o.end)
				want := decide(fullSeg, r, ws, we, o.start, o.end, true)
				total++
				show12 := func(toks []token) string {
					var seg []token
					for _, tk := range toks {
						if tk.end > max(0, o.start-12) && tk.start < min(len(r), o.end+12) {
							seg = append(seg, tk)
						}
					}
					return show(r, seg)
				}
				where := filepath.Base(path) + ": " + string(r[max(0, o.start-6):min(len(r), o.end+6)]) + " (" + string(r[o.start:o.end]) + ")"
				if was := bestPathDecision(r, ref, o.start, o.end); was != want.straddles {
					old++
					onPurpose = append(onPurpose, where+"\n    best path: straddles="+boolWord(was)+" "+show12(ref)+
						"\n    now:       straddles="+boolWord(want.straddles)+" "+want.explained())
				}
				if mine.straddles == want.straddles {
					agree++
					continue
				}
				disagreements = append(disagreements, where+
					"\n    engine: straddles="+boolWord(mine.straddles)+" "+show12(s.tok().tokens(r, ws, we))+" "+mine.explained()+
					"\n    full:   straddles="+boolWord(want.straddles)+" "+show12(ref)+" "+want.explained())
			}
		}
		f.Close()
		if err := sc.Err(); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	}
	rate := float64(agree) / float64(total)
	t.Logf("agreement with gse's full dictionary: %d of %d occurrences (%.3f%%); decided on characters, not tokens: %d inside longer runs of Latin letters and digits",
		agree, total, 100*rate, ascii)
	for _, d := range disagreements {
		t.Log(d)
	}
	t.Logf("where the rules now differ from the full dictionary's single best path (on purpose): %d of %d", old, total)
	for _, d := range onPurpose {
		t.Log(d)
	}
	if total < 1000 || rate < 0.995 {
		t.Errorf("agreement %.3f%% over %d occurrences; want ≥ 99.5%% over at least 1000", 100*rate, total)
	}
}

// bestPathDecision is the rule before issue 24, on one reading: the
// term straddles when a token of the best path runs over its end, or, for
// a short term, when the path splits it with a clean start; 所V的 is the
// particle. Long terms were not judged on tokens.
func bestPathDecision(r []rune, toks []token, s, e int) bool {
	if e-s >= longTerm {
		return false
	}
	var next *token
	lastEnd := -1
	var covering []span
	for i := range toks {
		tk := &toks[i]
		if tk.end > s && tk.start < e {
			covering = append(covering, tk.span)
			lastEnd = tk.end
		}
		if tk.start == e {
			next = tk
		}
	}
	if particleAfter(r, e) && next != nil && lastEnd == e && next.pos == "v" && next.end < len(r) && r[next.end] == '的' {
		return true
	}
	for _, c := range covering {
		if c.start <= s && e <= c.end {
			return false
		}
	}
	for _, c := range covering {
		if c.start < e && e < c.end {
			return true
		}
	}
	startClean := true
	for _, tk := range toks {
		startClean = startClean && !(tk.start < s && s < tk.end)
	}
	return startClean && len(covering) > 1
}

func boolWord(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
