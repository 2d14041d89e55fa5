package main

import (
	"bufio"
	"bytes"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/regscreen/regscreen/internal/fixture"
	"github.com/regscreen/regscreen/internal/xlsxdamage"
)

// damageWant is a case's NAME.want (format: prompts' damage-format, in
// short: rows/read/rejected counts, reject lines, a refusal, extra args).
type damageWant struct {
	rows, read, rejected int
	hasRows, hasRead     bool
	hasRejected          bool
	rejects              []wantReject
	refuse               string
	args                 []string
	verdicts             string // a fixture whose records must get the same verdicts
	mangled              int    // records whose credit code Excel turned into a number
	hasMangled           bool
}

type wantReject struct {
	line   int
	reason string
}

func parseWant(text string) (damageWant, error) {
	var w damageWant
	sc := bufio.NewScanner(strings.NewReader(text))
	for n := 1; sc.Scan(); n++ {
		l := strings.TrimSpace(sc.Text())
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		key, val, ok := strings.Cut(l, ":")
		if !ok {
			return w, fmt.Errorf("line %d: no key: %q", n, l)
		}
		val = strings.TrimSpace(val)
		if i := strings.Index(val, " #"); i >= 0 && key != "note" {
			val = strings.TrimSpace(val[:i])
		}
		var err error
		switch strings.TrimSpace(key) {
		case "rows":
			w.rows, err = strconv.Atoi(val)
			w.hasRows = true
		case "read":
			w.read, err = strconv.Atoi(val)
			w.hasRead = true
		case "rejected":
			w.rejected, err = strconv.Atoi(val)
			w.hasRejected = true
		case "reject":
			num, reason, _ := strings.Cut(val, " ")
			var r wantReject
			r.line, err = strconv.Atoi(num)
			r.reason = strings.TrimSpace(reason)
			w.rejects = append(w.rejects, r)
		case "refuse":
			w.refuse = val
		case "args":
			// {dir} is the corpus's directory, for files a case names.
			w.args = strings.Fields(strings.ReplaceAll(val, "{dir}", fixture.Path("damage")))
		case "verdicts":
			w.verdicts = val
		case "mangled":
			w.mangled, err = strconv.Atoi(val)
			w.hasMangled = true
		case "note":
		default:
			return w, fmt.Errorf("line %d: unknown key %q", n, key)
		}
		if err != nil {
			return w, fmt.Errorf("line %d: %v", n, err)
		}
	}
	if w.refuse == "" && !w.hasRows {
		return w, fmt.Errorf("neither rows: nor refuse:")
	}
	if !w.hasRead {
		w.read = w.rows
	}
	return w, sc.Err()
}

// TestDamageCorpus runs every case in fixtures/damage (each data file with
// a NAME.want beside it, whatever its extension) and the few too large to
// commit, generated here, through the CLI, and checks that every row of
// the source is accounted for: screened into the output or rejected with
// its line and reason, or the whole file refused with a message.
func TestDamageCorpus(t *testing.T) {
	dir := fixture.Path("damage")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	data := map[string][]string{} // base name -> data files
	var wants []string
	for _, e := range entries {
		name := e.Name()
		base := strings.TrimSuffix(name, filepath.Ext(name))
		if filepath.Ext(name) == ".want" {
			wants = append(wants, base)
		} else if !strings.HasPrefix(name, ".") {
			data[base] = append(data[base], name)
		}
	}
	if len(wants) < 20 {
		t.Fatalf("only %d cases in %s", len(wants), dir)
	}
	for _, base := range wants {
		t.Run(base, func(t *testing.T) {
			files := data[base]
			if len(files) != 1 {
				t.Fatalf("%s.want needs exactly one data file beside it, found %v", base, files)
			}
			text, err := os.ReadFile(filepath.Join(dir, base+".want"))
			if err != nil {
				t.Fatal(err)
			}
			w, err := parseWant(string(text))
			if err != nil {
				t.Fatalf("%s.want: %v", base, err)
			}
			runDamageCase(t, filepath.Join(dir, files[0]), w)
		})
	}
	for _, c := range generatedDamage(t) {
		t.Run(c.name, func(t *testing.T) {
			w, err := parseWant(c.want)
			if err != nil {
				t.Fatal(err)
			}
			runDamageCase(t, c.path, w)
		})
	}
}

type generatedCase struct{ name, path, want string }

// generatedDamage writes the cases too large to commit into a temporary
// directory: lines past the line limit and a runaway quote past the cell
// limit, a few megabytes each.
func generatedDamage(t *testing.T) []generatedCase {
	dir := t.TempDir()
	filler := func(n int) string { return strings.Repeat("五金交电", n/12+1) }
	var out []generatedCase
	add := func(name, content, want string) {
		p := filepath.Join(dir, name)
		if content != "" || !strings.HasSuffix(name, "/") {
			if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		out = append(out, generatedCase{name, p, want})
	}
	head := "企业名称,经营范围\n"
	add("csv-long-line.csv", head+"宁波甲理财咨询有限公司,理财咨询\n宁波乙有限公司,"+filler(5<<20)+"\n宁波丙五金有限公司,五金\n",
		"rows: 3\nrejected: 1\nreject: 3 单行上限\n")
	add("jsonl-long-line.jsonl", `{"企业名称":"宁波甲理财咨询有限公司","经营范围":"理财咨询"}`+"\n"+
		`{"企业名称":"宁波乙有限公司","经营范围":"`+filler(5<<20)+`"}`+"\n"+`{"企业名称":"宁波丙五金有限公司","经营范围":"五金"}`+"\n",
		"rows: 3\nrejected: 1\nreject: 2 单行上限\n")
	// JSON Lines holds cells to CSV's rules: a value past MaxField (in a
	// line under the line limit) rejects its row.
	add("jsonl-big-cell.jsonl", `{"企业名称":"宁波甲理财咨询有限公司","经营范围":"理财咨询"}`+"\n"+
		`{"企业名称":"宁波乙有限公司","经营范围":"`+filler(1100<<10)+`"}`+"\n"+`{"企业名称":"宁波丙五金有限公司","经营范围":"五金"}`+"\n",
		"rows: 3\nrejected: 1\nreject: 2 单元格超过\n")
	// An unclosed quote whose field passes MaxField on its third line: the
	// line after that used to be read and dropped.
	add("runaway-past-cell-limit.csv", head+"宁波甲有限公司,\"理财咨询\n宁波乙有限公司,"+filler(700<<10)+"\n宁波丙有限公司,"+filler(700<<10)+
		"\n宁波丁交易所有限公司,交易场所服务\n", "rows: 4\nrejected: 1\nreject: 2 引号未闭合\n")
	// A NUL run past the line limit (3 GB in the field) before a record:
	// rejected once, the record after it on the same line read.
	add("nul-run-past-line-limit.csv", head+"宁波甲理财咨询有限公司,理财咨询\n"+strings.Repeat("\x00", 6<<20)+"宁波乙交易所有限公司,交易场所服务\n宁波丙五金有限公司,五金\n",
		"rows: 3\nread: 4\nrejected: 1\nreject: 3 连续 NUL\n")
	add("jsonl-nul-run-past-line-limit.jsonl", `{"企业名称":"宁波甲理财咨询有限公司","经营范围":"理财咨询"}`+"\n"+strings.Repeat("\x00", 6<<20)+
		`{"企业名称":"宁波乙交易所有限公司","经营范围":"交易场所服务"}`+"\n"+`{"企业名称":"宁波丙五金有限公司","经营范围":"五金"}`+"\n",
		"rows: 3\nread: 4\nrejected: 1\nreject: 2 连续 NUL\n")
	// Empty cells past the limit (a few MB holding gigabytes of <c/>):
	// refused once, not read for tens of seconds.
	flood := xlsxdamage.EmptyCells("xlsx-empty-cells-past-limit", 65<<20)
	var book bytes.Buffer
	if err := flood.Write(&book); err != nil {
		t.Fatal(err)
	}
	add(flood.Name+".xlsx", book.String(), flood.Want)
	// A shared-strings table whose text is under the limit but not with
	// its entries' index: refused, holding no more than the limit.
	bomb := xlsxdamage.SharedStringsBomb("xlsx-shared-strings-past-limit", 255<<20)
	book.Reset()
	if err := bomb.Write(&book); err != nil {
		t.Fatal(err)
	}
	add(bomb.Name+".xlsx", book.String(), bomb.Want)
	if err := os.Mkdir(filepath.Join(dir, "some-folder"), 0o755); err != nil {
		t.Fatal(err)
	}
	out = append(out, generatedCase{"directory", filepath.Join(dir, "some-folder"), "refuse: 是目录\n"})
	return out
}

func runDamageCase(t *testing.T, file string, w damageWant) {
	t.Helper()
	tmp := t.TempDir()
	outPath, rejPath := filepath.Join(tmp, "out.jsonl"), filepath.Join(tmp, "rejects.csv")
	args := append([]string{"scan", "--all", "--format", "jsonl", "-q", "--rejects", rejPath, "-o", outPath}, w.args...)
	args = append(args, file)
	var stdout, stderr bytes.Buffer
	code := Run(args, &IOStreams{In: strings.NewReader(""), Out: &stdout, ErrOut: &stderr})
	msg := stderr.String()
	if strings.Contains(msg, "panic") || strings.Contains(msg, "goroutine") {
		t.Fatalf("crashed: %s", msg)
	}
	if stdout.Len() > 0 {
		t.Errorf("stdout holds %d bytes although -o was given", stdout.Len())
	}
	left, err := os.ReadDir(tmp)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range left {
		if e.Name() != "out.jsonl" && e.Name() != "rejects.csv" {
			t.Errorf("stray file left behind: %s", e.Name())
		}
	}
	if w.refuse != "" {
		if code != exitError || !strings.Contains(msg, w.refuse) {
			t.Fatalf("want refusal (exit 2) saying %q; exit %d, stderr %q", w.refuse, code, msg)
		}
		if _, err := os.Stat(outPath); err == nil {
			t.Errorf("refused run left an output file")
		}
		checkStoreUnchanged(t, file, w.args)
		return
	}
	if code != exitClean && code != exitFlagged && code != exitError {
		t.Fatalf("exit %d: %s", code, msg)
	}
	outData, err := os.ReadFile(outPath)
	if err != nil {
		t.Fatalf("exit %d, no output (%v): %s", code, err, msg)
	}
	records, flagged, mangled := 0, false, 0
	verdicts := map[string]string{} // credit code → verdict
	for _, l := range strings.Split(strings.TrimSpace(string(outData)), "\n") {
		if l == "" {
			continue
		}
		var rec struct {
			ID      string   `json:"id"`
			Verdict string   `json:"verdict"`
			Notes   []string `json:"notes"`
		}
		if err := json.Unmarshal([]byte(l), &rec); err != nil {
			t.Fatalf("output line %q: %v", l, err)
		}
		records++
		if slices.ContainsFunc(rec.Notes, func(n string) bool { return strings.Contains(n, "被 Excel 存成了数字") }) {
			mangled++
		}
		verdicts[rec.ID] = rec.Verdict
		switch rec.Verdict {
		case "refer", "review":
			flagged = true
		case "clear", "exempt":
		default:
			t.Errorf("unknown verdict %q", rec.Verdict)
		}
	}
	if w.verdicts != "" {
		compareVerdicts(t, verdicts, w.verdicts)
	}
	if w.hasMangled && mangled != w.mangled {
		t.Errorf("%d records say their credit code was turned into a number by Excel, want %d", mangled, w.mangled)
	}
	rf, err := os.Open(rejPath)
	if err != nil {
		t.Fatalf("no rejects file: %v", err)
	}
	rejData, _ := io.ReadAll(rf)
	rf.Close()
	if bytes.IndexByte(rejData, 0) >= 0 {
		t.Errorf("a NUL byte reached the rejects file")
	}
	rejRows, err := csv.NewReader(bytes.NewReader(rejData)).ReadAll()
	if err != nil {
		t.Fatalf("rejects file: %v", err)
	}
	if len(rejRows) == 0 {
		t.Fatalf("rejects file without its header row")
	}
	rejRows = rejRows[1:] // 文件,行,列,原因,原始内容
	read := records + len(rejRows)
	if read != w.read {
		t.Errorf("read %d (%d screened + %d rejected), want %d\n%s", read, records, len(rejRows), w.read, msg)
	}
	if w.hasRejected && len(rejRows) != w.rejected {
		t.Errorf("rejected %d, want %d: %v", len(rejRows), w.rejected, rejRows)
	}
	// Nothing lost: every record of the source is read; rows read beyond
	// them (a repeated header, a totals row) must be among the rejected.
	if w.read < w.rows || w.read-w.rows > len(rejRows) {
		t.Errorf("read %d of %d records with %d rejected", w.read, w.rows, len(rejRows))
	}
	for _, want := range w.rejects {
		found := false
		for _, r := range rejRows {
			if len(r) >= 4 && r[1] == strconv.Itoa(want.line) && strings.Contains(r[3], want.reason) {
				found = true
			}
		}
		if !found {
			t.Errorf("no reject at line %d with %q; rejects: %v", want.line, want.reason, rejectSummary(rejRows))
		}
	}
	wantCode := exitClean
	if flagged {
		wantCode = exitFlagged
	}
	// Rejected rows may raise the status (to 1 or, past --max-rejects, 2).
	if code != wantCode && !(len(rejRows) > 0 && code > wantCode) {
		t.Errorf("exit %d, want %d (flagged %v, %d rejected): %s", code, wantCode, flagged, len(rejRows), msg)
	}
}

// compareVerdicts checks that every record screened got the verdict the
// same company gets in an undamaged fixture: the damage lost no text.
func compareVerdicts(t *testing.T, got map[string]string, fixtureName string) {
	t.Helper()
	r := runCLI(t, "", "scan", "-q", "--all", "--format", "jsonl", fixture.Path(fixtureName))
	want := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(r.out), "\n") {
		var rec struct {
			ID      string `json:"id"`
			Verdict string `json:"verdict"`
		}
		if err := json.Unmarshal([]byte(l), &rec); err != nil {
			t.Fatalf("%s: %v", fixtureName, err)
		}
		want[rec.ID] = rec.Verdict
	}
	for id, v := range got {
		if want[id] != v {
			t.Errorf("%s: verdict %s, in %s %s", id, v, fixtureName, want[id])
		}
	}
}

func rejectSummary(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		if len(r) >= 4 {
			out = append(out, r[1]+" "+r[3])
		}
	}
	return out
}

// checkStoreUnchanged runs a refused file with --db against a store that
// holds one complete run: the refusal must leave it as it was, never a
// half-read night that would mark the companies after the damage as gone.
func checkStoreUnchanged(t *testing.T, file string, args []string) {
	t.Helper()
	dir := t.TempDir()
	db := filepath.Join(dir, "s.db")
	if r := runCLI(t, "", "scan", "-q", "--db", db, "-o", filepath.Join(dir, "first.csv"), fixture.Path("sample.csv")); r.code == exitError {
		t.Fatalf("first night: %s", r.err)
	}
	before := runCLI(t, "", "db", "runs", "--db", db)
	r := runCLI(t, "", append(append([]string{"scan", "-q", "--db", db, "-o", filepath.Join(dir, "out.csv")}, args...), file)...)
	if r.code != exitError {
		t.Errorf("with --db: exit %d, want 2", r.code)
	}
	// The store may note the refusal as a failed run (so `db runs` shows the
	// night went wrong) and keeps the complete ones as they were.
	after := runCLI(t, "", "db", "runs", "--db", db)
	if runsNotFailed(after.out) != runsNotFailed(before.out) || completeRuns(t, db) != 1 {
		t.Errorf("refused file changed the store's complete runs:\n%s\n→\n%s", before.out, after.out)
	}
	if _, err := os.Stat(filepath.Join(dir, "out.csv")); err == nil {
		t.Errorf("refused run with --db left an output file")
	}
}

// runsNotFailed are the lines of `db runs` other than failed runs.
func runsNotFailed(runs string) string {
	var out []string
	for _, l := range strings.Split(runs, "\n") {
		if f := strings.Split(l, "\t"); len(f) > 1 && f[1] != "失败" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// A second 企业名称 column is screened too, and the summary says so.
func TestDuplicateNameColumn(t *testing.T) {
	path := filepath.Join(fixture.Path("damage"), "duplicate-name-column.csv")
	r := runCLI(t, "", "scan", "--all", "--format", "jsonl", path)
	if !strings.Contains(r.err, "都是企业名称列") {
		t.Errorf("no note of the second name column: %s", r.err)
	}
	first := strings.SplitN(r.out, "\n", 2)[0]
	if !strings.Contains(first, `"term":"P2P","group":"网络借贷"`) || !strings.Contains(first, `"field":"企业名称"`) {
		t.Errorf("record 1's second name was not screened: %s", first)
	}
}

// completeRuns counts the runs the store holds as complete (here, not
// in kill_test.go, which only unix builds: the damage test needs it on
// every platform).
func completeRuns(t *testing.T, db string) int {
	t.Helper()
	conn, err := sql.Open("sqlite", "file:"+db+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var n int
	conn.QueryRow("SELECT COUNT(*) FROM runs WHERE status = 'complete'").Scan(&n)
	return n
}
