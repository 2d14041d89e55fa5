package input

import (
	"bufio"
	"encoding/csv"
	"math/rand"
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

// repeatedHeaderCase is one labelled row of fixtures/repeated-header.tsv.
type repeatedHeaderCase struct {
	header, row []string
	repeated    bool
	note        string
}

func readRepeatedHeaderCases(t *testing.T) []repeatedHeaderCase {
	t.Helper()
	f, err := os.Open("../fixtures/repeated-header.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []repeatedHeaderCase
	sc := bufio.NewScanner(f)
	first := true
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if first { // the column names
			first = false
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 4 || f[2] != "yes" && f[2] != "no" {
			t.Fatalf("bad case line %q", line)
		}
		cases = append(cases, repeatedHeaderCase{strings.Split(f[0], "|"), strings.Split(f[1], "|"), f[2] == "yes", f[3]})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(cases) < 10 {
		t.Fatalf("only %d cases", len(cases))
	}
	return cases
}

// Each labelled row, under its header and a record, is read as the
// fixture says: rejected as a repeated header, or read as a record.
func TestRepeatedHeaderCases(t *testing.T) {
	for _, c := range readRepeatedHeaderCases(t) {
		var b strings.Builder
		w := csv.NewWriter(&b)
		w.Write(c.header)
		rec := make([]string, len(c.header))
		rec[0] = "宁波甲五金有限公司"
		w.Write(rec)
		w.Write(c.row)
		w.Flush()
		got := readAll(t, openCSV(t, b.String(), csvOptions{}))
		if len(got) != 2 || got[0] != "2:宁波甲五金有限公司" {
			t.Fatalf("%s: %q", c.note, got)
		}
		isHeader := strings.HasPrefix(got[1], "3:重复的表头行")
		if isHeader != c.repeated {
			t.Errorf("%s: row %q read as %q", c.note, strings.Join(c.row, ","), got[1])
		}
	}
}

// foldsTo is normHeader's comparison without the folded string: it agrees
// with it on text made of what normHeader folds (full-width letters,
// spaces of every kind, capitals, a BOM, invalid bytes, letters whose
// lower case is longer or shorter in UTF-8) and on the header words; and
// mayFoldTo, its quick first look, never rules out a cell it would match.
func TestFoldsToAgreesWithNormHeader(t *testing.T) {
	pieces := []string{"企业", "名称", "经营", "范围", "A", "a", "Ｚ", "ｚ", "Ｕ", "u", " ", "\u3000", "\t", "\ufeff", "\xff", "\xe4\xb8",
		"Ⱥ", "ⱥ", "K", "\v", "Q", "q", "2001-07-16", "k", "İ", "ｶ", "カ", "１", "1", "（", "(", "\u00a0", "\u2028", "¢", "￠", "ß"}
	for _, hs := range [][]string{nameHeaders, scopeHeaders, idHeaders, addressHeaders} {
		pieces = append(pieces, hs...)
	}
	r := rand.New(rand.NewSource(1))
	gen := func() string {
		var b strings.Builder
		for n := r.Intn(6); n > 0; n-- {
			b.WriteString(pieces[r.Intn(len(pieces))])
		}
		return b.String()
	}
	for i := 0; i < 200000; i++ {
		s, h := gen(), gen()
		if r.Intn(4) == 0 { // often a variant of the same text
			h = strings.ToUpper(strings.ReplaceAll(s, " ", "\u3000"))
		}
		norm := normHeader(h)
		if got, want := foldsTo(s, norm), normHeader(s) == norm; got != want {
			t.Fatalf("foldsTo(%q, normHeader(%q) = %q) = %v, want %v (normHeader(s) = %q)", s, h, norm, got, want, normHeader(s))
		}
		if w, _ := utf8.DecodeRuneInString(norm); norm != "" && !mayFoldTo(s, w) && foldsTo(s, norm) {
			t.Fatalf("mayFoldTo(%q, %q) rules out a cell that folds to it", s, norm)
		}
	}
}

// The cue finder answers as strings.Contains does, before and after it
// has chosen the byte it looks for, wherever the cue stands and however
// often its bytes repeat.
func TestCueFinderMatchesContains(t *testing.T) {
	pieces := []string{"统一社会信用代码", "统一", "代码", "码", "社会", "a", "一", ",", "\xe7", "\xbb"}
	r := rand.New(rand.NewSource(1))
	for _, cue := range []string{"统一社会信用代码", "企业名称", "ab", "码码码"} {
		f := newCueFinder(cue)
		for n := 0; n < 20000; n++ {
			var b strings.Builder
			for k := r.Intn(12); k > 0; k-- {
				b.WriteString(pieces[r.Intn(len(pieces))])
			}
			if text := b.String(); f.in(text) != strings.Contains(text, cue) {
				t.Fatalf("cue %q in %q: %v (looking for byte %d)", cue, text, !strings.Contains(text, cue), f.k)
			}
		}
		if f.k < 0 {
			t.Fatalf("cue %q: no byte chosen after the sample", cue)
		}
	}
}
