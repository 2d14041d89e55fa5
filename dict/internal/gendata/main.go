// Command gendata regenerates the tokeniser word list and the
// traditional→simplified character map that the engine embeds.
//
// Inputs, all pinned:
//   - words: github.com/go-ego/gse's data/dict/zh/s_1.txt (the version in
//     go.mod, so go.sum pins it), the hand-written extra_words.txt beside
//     this file, and the terms and benign phrases of dict/default.dict;
//   - t2s: github.com/liuzl/gocc's dictionary/TSCharacters.txt at the
//     version pinned below (fetched through the module proxy and checked
//     against the checksum database, but not in go.sum: it is no
//     dependency of the binary).
//
// Run it with `go generate ./dict`; `make generate-check` fails when the
// committed data differ from what it writes.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

const goccModule = "github.com/liuzl/gocc@v0.0.0-20231231122217-0372e1059ca5"

// Balancer is the word that carries the frequency of every word of s_1.txt
// left out, so that the trimmed list has the full list's total and each
// word costs the tokeniser exactly what it costs with the full list. Its
// characters are private-use ones that registration text never holds.
const Balancer = "\ue000\ue001"

func main() {
	top := flag.Int("top", 30000, "most frequent words of several characters to keep")
	out := flag.String("o", "data", "output directory")
	dictFile := flag.String("dict", "default.dict", "the default dictionary, whose terms and benign phrases seed the list")
	extra := flag.String("extra", "internal/gendata/extra_words.txt", "words s_1.txt lacks")
	flag.Parse()
	if err := run(*top, *out, *dictFile, *extra); err != nil {
		fmt.Fprintln(os.Stderr, "gendata:", err)
		os.Exit(1)
	}
}

func run(top int, out, dictFile, extra string) error {
	terms, phrases, err := readDefaultDict(dictFile)
	if err != nil {
		return err
	}
	gseDir, err := goCmd("list", "-m", "-f", "{{.Dir}}", "github.com/go-ego/gse")
	if err != nil {
		return err
	}
	extras, err := readWords(extra)
	if err != nil {
		return err
	}
	full, err := readWords(filepath.Join(gseDir, "data/dict/zh/s_1.txt"))
	if err != nil {
		return err
	}
	if err := writeWords(extras, full, terms, phrases, top, filepath.Join(out, "zhwords.txt")); err != nil {
		return err
	}
	dl, err := goCmd("mod", "download", "-json", goccModule)
	if err != nil {
		return err
	}
	var mod struct{ Dir string }
	if err := json.Unmarshal([]byte(dl), &mod); err != nil {
		return fmt.Errorf("parse go mod download output: %w", err)
	}
	return writeT2S(filepath.Join(mod.Dir, "dictionary/TSCharacters.txt"), filepath.Join(out, "t2s.txt"))
}

func goCmd(args ...string) (string, error) {
	out, err := exec.Command("go", args...).Output()
	if err != nil {
		return "", fmt.Errorf("go %s: %w", strings.Join(args, " "), err)
	}
	return strings.TrimSpace(string(out)), nil
}

// readDefaultDict returns the terms (with their variants) and the benign
// phrases of the dictionary file, lower-cased as the tokeniser sees them.
// It reads only what it needs of the format, so that it does not depend on
// the package it generates data for.
func readDefaultDict(path string) (terms, phrases []string, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	section := ""
	for line := range strings.Lines(string(data)) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "[") {
			section = strings.Trim(line, "[] ")
			continue
		}
		f := strings.Split(line, "|")
		first := strings.ToLower(strings.TrimSpace(f[0]))
		switch section {
		case "terms":
			terms = append(terms, first)
			if len(f) > 4 {
				for _, v := range strings.Split(f[4], "、") {
					if v = strings.ToLower(strings.TrimSpace(v)); v != "" {
						terms = append(terms, v)
					}
				}
			}
		case "benign":
			phrases = append(phrases, first)
			if len(f) > 2 {
				for _, v := range strings.Split(f[2], "、") {
					if v = strings.ToLower(strings.TrimSpace(v)); v != "" {
						phrases = append(phrases, v)
					}
				}
			}
		}
	}
	if len(terms) == 0 {
		return nil, nil, fmt.Errorf("%s: no [terms]", path)
	}
	return terms, phrases, nil
}

type word struct {
	text string
	freq float64
	pos  string
}

func readWords(path string) ([]word, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var words []word
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "#") {
			continue
		}
		p := strings.Fields(sc.Text())
		if len(p) < 3 {
			continue
		}
		freq, err := strconv.ParseFloat(p[1], 64)
		if err != nil {
			continue
		}
		words = append(words, word{strings.ToLower(p[0]), freq, p[2]})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return words, nil
}

// loaded is the frequency gse gives a word it loads, 0 when it drops it:
// below 2 is dropped, a single character counts 2.
func loaded(w word) float64 {
	if w.freq < 2 {
		return 0
	}
	if utf8.RuneCountInString(w.text) < 2 {
		return 2
	}
	return w.freq
}

// writeWords writes the list the engine's tokeniser loads. It keeps, from
// the extra words and s_1.txt in that order (the first of duplicates wins,
// as in gse):
//   - every extra word, term and benign phrase, and every single character;
//   - the most frequent words, which are the ones that compete anywhere;
//   - every word that crosses an edge of a term or benign phrase: one that
//     begins with the end of it and runs on (交易|所需, 资金|融通, 理|财会),
//     or ends with the start of it (资金 before 金融).
//
// Words that contain a whole term are left out: a compound must never hide
// the term in it. The last line carries the frequency of all the rest, so
// each word costs what it costs with the full list.
func writeWords(extras, full []word, terms, phrases []string, top int, dst string) error {
	all := append(append([]word{}, extras...), full...)
	seen := map[string]bool{}
	var uniq []word
	total := 0.0
	for _, w := range all {
		if seen[w.text] || loaded(w) == 0 {
			continue
		}
		seen[w.text] = true
		uniq = append(uniq, w)
		total += loaded(w)
	}
	isExtra := map[string]bool{}
	for _, w := range extras {
		isExtra[w.text] = true
	}
	special := map[string]bool{}
	for _, p := range append(append([]string{}, terms...), phrases...) {
		special[p] = true
	}
	for p := range special {
		if !seen[p] {
			return fmt.Errorf("%q has no frequency: add it to extra_words.txt", p)
		}
	}
	edges := append(append([]string{}, terms...), phrases...)
	crosses := func(w string) bool {
		for _, p := range edges {
			r := []rune(p)
			for k := 1; k < len(r); k++ {
				tail, head := string(r[k:]), string(r[:k])
				if len(w) > len(tail) && strings.HasPrefix(w, tail) || len(w) > len(head) && strings.HasSuffix(w, head) {
					return true
				}
			}
		}
		return false
	}
	containsTerm := func(w string) bool {
		for _, t := range terms {
			if strings.Contains(w, t) {
				return true
			}
		}
		return false
	}
	byFreq := make([]int, len(uniq))
	for i := range byFreq {
		byFreq[i] = i
	}
	sort.SliceStable(byFreq, func(i, j int) bool { return uniq[byFreq[i]].freq > uniq[byFreq[j]].freq })
	rank := make([]int, len(uniq))
	n := 0
	for _, i := range byFreq {
		if utf8.RuneCountInString(uniq[i].text) > 1 {
			n++
		}
		rank[i] = n
	}
	var b strings.Builder
	b.WriteString("# Generated by dict/internal/gendata from gse's s_1.txt, extra_words.txt and default.dict; do not edit.\n")
	kept := 0.0
	for i, w := range uniq {
		multi := utf8.RuneCountInString(w.text) > 1
		keep := isExtra[w.text] || special[w.text] || !multi ||
			!containsTerm(w.text) && (rank[i] <= top || crosses(w.text))
		if !keep {
			continue
		}
		kept += loaded(w)
		fmt.Fprintf(&b, "%s %s %s\n", w.text, strconv.FormatFloat(w.freq, 'g', -1, 64), w.pos)
	}
	rest := math.Round(total - kept)
	if rest >= 2 {
		fmt.Fprintf(&b, "%s %s x\n", Balancer, strconv.FormatFloat(rest, 'f', -1, 64))
	}
	return os.WriteFile(dst, []byte(b.String()), 0o644)
}

// writeT2S keeps single-character mappings whose first candidate differs.
func writeT2S(src, dst string) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString("# Generated by dict/internal/gendata from OpenCC's TSCharacters.txt (via gocc); do not edit.\n")
	for _, line := range strings.Split(string(data), "\n") {
		p := strings.Split(line, "\t")
		if len(p) != 2 {
			continue
		}
		from := []rune(p[0])
		to := []rune(strings.Fields(p[1])[0])
		if len(from) != 1 || len(to) != 1 || from[0] == to[0] {
			continue
		}
		fmt.Fprintf(&b, "%c\t%c\n", from[0], to[0])
	}
	return os.WriteFile(dst, []byte(b.String()), 0o644)
}
