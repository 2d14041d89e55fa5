package main

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/regscreen/regscreen/internal/fixture"
)

// hasRawControl reports a control character other than newline and tab
// (C0, DEL, or a C1 such as U+009B) in text meant for a terminal.
func hasRawControl(s string) bool {
	for _, r := range s {
		if r != '\n' && r != '\t' && (r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f) {
			return true
		}
	}
	return false
}

// Record text that holds terminal escape sequences is shown with them
// visible (\x1b …) in every output for a person: scan --format text, to
// the terminal and to -o x.txt, check, history and changes --format text.
func TestTerminalEscapesAreShown(t *testing.T) {
	input := fixture.Path("damage/terminal-escapes.csv")
	dir := t.TempDir()
	txt := filepath.Join(dir, "结果.txt")
	db := filepath.Join(dir, "s.db")
	outputs := map[string]string{}
	r := runCLI(t, "", "scan", "-q", "--all", "--format", "text", input)
	outputs["scan --format text"] = r.out
	runCLI(t, "", "scan", "-q", "--all", "-o", txt, input)
	b, _ := os.ReadFile(txt)
	outputs["scan -o x.txt"] = string(b)
	data, _ := os.ReadFile(input)
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, row := range rows[1:] {
		if hasRawControl(row[1]) {
			names = append(names, row[1])
		}
	}
	if len(names) < 3 {
		t.Fatalf("the fixture has %d names with escapes", len(names))
	}
	outputs["check"] = runCLI(t, strings.Join(names, "\n")+"\n", "check").out
	outputs["check args"] = runCLI(t, "", append([]string{"check", "--explain"}, names...)...).out
	runCLI(t, "", "scan", "-q", "--db", db, fixture.Path("sample.csv"))
	// The run that brings the names with escapes: changed names are changes.
	runCLI(t, "", "scan", "-q", "--db", db, input)
	outputs["changes --format text"] = runCLI(t, "", "changes", "--db", db, "--format", "text").out
	for _, row := range rows[1:] {
		if hasRawControl(row[1]) {
			h := runCLI(t, "", "history", "--db", db, row[0])
			outputs["history "+row[0]] = h.out
		}
	}
	for what, out := range outputs {
		if !strings.Contains(out, `\x1b`) && !strings.Contains(out, `\u009b`) && !strings.Contains(out, `\x08`) {
			t.Errorf("%s: no escape shown:\n%s", what, out)
		}
		if hasRawControl(out) {
			t.Errorf("%s: a control character reached the output: %q", what, out)
		}
	}
}

// Cells a spreadsheet would run as a formula get a leading apostrophe in a
// CSV file a person opens: in the header row too, and when they start
// with a full-width ＝ or a small ﹣.
func TestFormulaCellsAreNeutralised(t *testing.T) {
	out := filepath.Join(t.TempDir(), "结果.csv")
	r := runCLI(t, "", "scan", "-q", "--all", "-o", out, fixture.Path("damage/formula-leaders.csv"))
	if r.code != exitFlagged {
		t.Fatalf("exit %d: %s", r.code, r.err)
	}
	data, _ := os.ReadFile(out)
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\uFEFF")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	leaders := 0
	for _, row := range rows {
		for _, c := range row {
			for _, lead := range []string{"=", "＝", "﹣"} {
				if strings.HasPrefix(c, lead) {
					t.Errorf("a cell starts with %s: %q", lead, c)
				}
				if strings.HasPrefix(c, "'"+lead) {
					leaders++
				}
			}
		}
	}
	if leaders != 3 {
		t.Errorf("%d cells neutralised, want 3 (the header's and two records')", leaders)
	}
}

// -o with a name of 244 bytes, legal on every common file system, is
// written: the temporary name beside it no longer adds to its length.
func TestALongOutputNameIsWritten(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the whole path counts against Windows' limit")
	}
	out := filepath.Join(t.TempDir(), strings.Repeat("名", 80)+".csv")
	r := runCLI(t, "", "scan", "-q", "-o", out, fixture.Path("sample.csv"))
	if _, err := os.Stat(out); r.code != exitFlagged || err != nil {
		t.Errorf("exit %d, %v: %s", r.code, err, r.err)
	}
}
