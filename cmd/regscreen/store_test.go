package main

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/regscreen/regscreen/internal/fixture"
	"github.com/regscreen/regscreen/store"
)

func night(n string) string { return fixture.Path("evolving/night" + n + ".csv") }

// changesOf runs `changes` and returns kind → keys.
func changesOf(t *testing.T, db string, args ...string) map[string][]string {
	t.Helper()
	r := runCLI(t, "", append([]string{"changes", "--db", db}, args...)...)
	if r.code != exitClean {
		t.Fatalf("changes: exit %d err %q", r.code, r.err)
	}
	out := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(r.out), "\n")[1:] {
		f := strings.Split(line, ",")
		out[f[0]] = append(out[f[0]], f[1])
	}
	return out
}

func TestNightlyScansTrackChanges(t *testing.T) {
	db := filepath.Join(t.TempDir(), "全区.db")
	for _, n := range []string{"1", "2"} {
		if r := runCLI(t, "", "scan", "-q", "--db", db, night(n)); r.code != exitFlagged {
			t.Fatalf("night %s: exit %d err %q", n, r.code, r.err)
		}
	}
	got := changesOf(t, db)
	want := map[string][]string{
		store.NewlyReferred: {"91330205PE9K23GD5E"}, // scope gained 金融信息服务
		store.NewWithHits:   {"91330205JRWTAANBK0"}, // new 网贷 company
		store.Changed:       {"91330205JC171HU490"}, // scope changed (绿源's change shows in its 新增送会商 row)
		store.Gone:          {"91330205QAEJXEB974"}, // 基金销售 left the export
	}
	for kind, keys := range want {
		if strings.Join(got[kind], " ") != strings.Join(keys, " ") {
			t.Errorf("%s: got %v, want %v", kind, got[kind], keys)
		}
	}
	if len(got[store.NoLongerReferred]) != 0 {
		t.Errorf("nothing stopped being referred: %v", got[store.NoLongerReferred])
	}
	// The changed row shows before → after.
	r := runCLI(t, "", "changes", "--db", db, "--format", "jsonl")
	if !strings.Contains(r.out, `"terms":"投资管理"`) || !strings.Contains(r.out, `"terms":"投资管理、资产管理"`) {
		t.Errorf("changed terms should show before and after: %s", r.out)
	}

	// The office returns the workbook: 甬信 ruled 排除, 绿源 put under supervision.
	book := filepath.Join(t.TempDir(), "会商名单.xlsx")
	if r := runCLI(t, "", "scan", "-q", "-o", book, night("2")); r.code != exitFlagged {
		t.Fatalf("workbook: exit %d %q", r.code, r.err)
	}
	f, err := excelize.OpenFile(book)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("送会商") // a title line, then the header
	status, id := indexOf(rows[1], "处理状态"), indexOf(rows[1], "统一社会信用代码")
	for i, row := range rows[2:] {
		cellName, _ := excelize.CoordinatesToCellName(status+1, i+3)
		if len(row) <= id {
			continue
		}
		switch row[id] {
		case "91330205AY4CL12THT":
			f.SetCellValue("送会商", cellName, "排除")
		case "91330205PE9K23GD5E":
			f.SetCellValue("送会商", cellName, "列入重点监管")
		}
	}
	f.Save()
	f.Close()
	if r := runCLI(t, "", "db", "import-status", "--db", db, book); r.code != exitClean || !strings.Contains(r.err, "导入会商结论 2 条") {
		t.Fatalf("import-status: exit %d err %q", r.code, r.err)
	}

	// Night 3: 甬信 unchanged, so not re-referred; 汇金 renamed and no longer uses a term.
	r = runCLI(t, "", "scan", "--all", "--format", "jsonl", "--db", db, night("3"))
	if !strings.Contains(r.out, `"verdict":"exempt","exemption":{"kind":"consultation"`) {
		t.Errorf("a company ruled 排除 and unchanged must not be re-referred: %s", r.out)
	}
	got = changesOf(t, db)
	if strings.Join(got[store.NoLongerReferred], " ") != "91330205JC171HU490" {
		t.Errorf("no longer referred: %v", got[store.NoLongerReferred])
	}
	// 甬信, ruled 排除, reads 会商排除 (issue 21: one word for it).
	if strings.Join(got[store.ConsultExcluded], " ") != "91330205AY4CL12THT" {
		t.Errorf("会商排除: %v", got[store.ConsultExcluded])
	}
	// Each company once: the two no longer referred are not listed again as changed.
	if len(got[store.Changed]) != 0 {
		t.Errorf("changed (verdict or name/scope): %v", got[store.Changed])
	}
	// 汇金's row shows the name and scope it has now, though it no longer has a hit.
	if r := runCLI(t, "", "changes", "--db", db, "--format", "jsonl"); !strings.Contains(r.out,
		`"after":{"name":"宁波江北汇金企业管理有限公司","scope":"企业管理咨询；实业投资。","verdict":"clear"`) {
		t.Errorf("no longer referred without its scope now: %s", r.out)
	}

	// history shows the company across the three runs with its status.
	r = runCLI(t, "", "history", "--db", db, "91330205PE9K23GD5E")
	if r.code != exitClean || strings.Count(r.out, "运行 ") != 3 || !strings.Contains(r.out, "列入重点监管") || !strings.Contains(r.out, "有变更") {
		t.Errorf("history: exit %d\n%s", r.code, r.out)
	}
	// A run without a hit is worded as the verdict is everywhere else, with
	// the name the company has now.
	r = runCLI(t, "", "history", "--db", db, "91330205JC171HU490")
	if lines := strings.Split(strings.TrimSpace(r.out), "\n"); r.code != exitClean || !strings.HasPrefix(lines[len(lines)-1], "运行 3 ") ||
		!strings.Contains(lines[len(lines)-1], "  无需处理  宁波江北汇金企业管理有限公司") || strings.Contains(r.out, "无命中") {
		t.Errorf("history of a company no longer referred: exit %d\n%s", r.code, r.out)
	}
	// Neither a code nor a name in the store: a clear error.
	if r = runCLI(t, "", "history", "--db", db, "宁波某某不存在有限公司"); r.code != exitError || !strings.Contains(r.err, "存储中没有") {
		t.Errorf("history of an unknown company: exit %d %q", r.code, r.err)
	}
	// The monthly return by street: this month's runs, from an empty start.
	r = runCLI(t, "", "report", "monthly", "--db", db, "--month", time.Now().Format("2006-01"))
	if r.code != exitClean {
		t.Fatalf("monthly: exit %d %q", r.code, r.err)
	}
	for _, want := range []string{"庄桥街道,1,1,0,0,1,", "洪塘街道,1,1,0,0,0,", "合计,2,2,0,0,1,"} {
		if !strings.Contains(r.out, want) {
			t.Errorf("monthly lacks %q:\n%s", want, r.out)
		}
	}
	month := filepath.Join(t.TempDir(), "月报.xlsx")
	if r := runCLI(t, "", "report", "monthly", "--db", db, "-o", month, "--month", time.Now().Format("2006-01")); r.code != exitClean {
		t.Fatalf("monthly xlsx: %q", r.err)
	}
	if mf := openBook(t, month); len(rowsOf(t, mf, mf.GetSheetList()[0])) < 3 {
		t.Errorf("monthly workbook is empty")
	}
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

// tableCounts snapshots how many rows each table holds.
func tableCounts(t *testing.T, db string) map[string]int {
	t.Helper()
	conn, err := sql.Open("sqlite", "file:"+db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	out := map[string]int{}
	for _, tbl := range []string{"seen", "records", "companies"} {
		var n int
		if err := conn.QueryRow("SELECT COUNT(*) FROM " + tbl).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out[tbl] = n
	}
	var status string
	conn.QueryRow("SELECT status FROM runs ORDER BY id DESC LIMIT 1").Scan(&status)
	out["last:"+status] = 1
	return out
}

func TestCancelledScanLeavesTheStoreAsItWas(t *testing.T) {
	db := filepath.Join(t.TempDir(), "s.db")
	if r := runCLI(t, "", "scan", "-q", "--db", db, night("1")); r.code != exitFlagged {
		t.Fatalf("first scan: %q", r.err)
	}
	before := tableCounts(t, db)
	ctx, cancel := context.WithCancel(context.Background())
	var errb strings.Builder
	opts := &ScanOptions{IO: &IOStreams{In: strings.NewReader(""), Out: &strings.Builder{}, ErrOut: &errb}, Dict: &DictOptions{},
		Inputs: []string{night("2")}, Format: "csv", DB: db, Workers: 2, Quiet: true,
		ctx: ctx, afterRecord: func(n int) {
			if n == 3 {
				cancel() // killed at the third row
			}
		}}
	code, err := runScan(opts)
	if code != exitError || err == nil || err.Error() != "已中断：未写出任何结果，存储未改动" {
		t.Fatalf("cancelled scan: exit %d err %v", code, err)
	}
	// Listed as failed, saying how far it got (the store keeps no counts
	// for a failed run: 读取 is 0).
	runs := runCLI(t, "", "db", "runs", "--db", db)
	m := regexp.MustCompile(`\t运行被中断（此前已筛查 (\d+) 行，均未记入）\n`).FindStringSubmatch(runs.out)
	if n := 0; !strings.Contains(runs.out, "失败") || m == nil {
		t.Errorf("the interrupted run must be listed as failed, 运行被中断 with the rows screened:\n%s", runs.out)
	} else if n, _ = strconv.Atoi(m[1]); n < 3 {
		t.Errorf("interrupted at the third row, recorded as %d rows screened", n)
	}
	after := tableCounts(t, db)
	delete(before, "last:complete")
	if after["last:failed"] != 1 {
		t.Errorf("the cancelled run must be recorded as failed: %v", after)
	}
	delete(after, "last:failed")
	for k, v := range before {
		if after[k] != v {
			t.Errorf("%s: %d rows before, %d after the cancelled run", k, v, after[k])
		}
	}
}

func TestSecondScanWaitsThenFailsClearly(t *testing.T) {
	db := filepath.Join(t.TempDir(), "s.db")
	st, err := store.Open(context.Background(), db, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var errb bytes.Buffer
	code := Run([]string{"scan", "-q", "--db", db, night("1")}, &IOStreams{In: strings.NewReader(""), Out: io.Discard, ErrOut: &errb,
		StoreWait: 300 * time.Millisecond})
	r := result{code: code, err: errb.String()}
	if r.code != exitError || !strings.Contains(r.err, "正被另一个 regscreen 使用") {
		t.Errorf("exit %d err %q", r.code, r.err)
	}
	// The wait is said the Chinese way, not as Go's "300ms" / "10m0s".
	for _, want := range []string{"等待其结束（最多 0.3 秒）", "（已等待 0.3 秒）"} {
		if !strings.Contains(r.err, want) {
			t.Errorf("stderr %q lacks %q", r.err, want)
		}
	}
}

func TestMonthlyRefusesJSONL(t *testing.T) {
	db := filepath.Join(t.TempDir(), "m.db")
	runCLI(t, "", "scan", "-q", "--db", db, night("1"))
	r := runCLI(t, "", "report", "monthly", "--db", db, "--format", "jsonl")
	if r.code != exitError || !strings.Contains(r.err, "不支持 \"jsonl\"") || r.out != "" {
		t.Errorf("exit %d out %q err %q", r.code, r.out, r.err)
	}
}

// The store contract: 0 and 1 mean the run is stored whole, 2 means the
// store is as it was; re-running the same input after any status is
// harmless.
func TestExitStatusSaysWhetherTheRunWasStored(t *testing.T) {
	db := filepath.Join(t.TempDir(), "s.db")
	damaged := fixture.Path("exports/damaged.csv")
	for i := 0; i < 2; i++ {
		if r := runCLI(t, "", "scan", "-q", "--db", db, damaged); r.code != exitFlagged {
			t.Fatalf("a run with rejected rows completes: exit %d %q", r.code, r.err)
		}
	}
	before := tableCounts(t, db)
	if before["last:complete"] != 1 {
		t.Fatalf("the run is stored as complete: %v", before)
	}
	if r := runCLI(t, "", "scan", "-q", "--max-rejects", "0", "--db", db, damaged); r.code != exitError {
		t.Fatalf("beyond --max-rejects: exit %d", r.code)
	}
	after := tableCounts(t, db)
	delete(before, "last:complete")
	delete(after, "last:failed")
	for k, v := range before {
		if after[k] != v {
			t.Errorf("%s: %d before, %d after a failed run", k, v, after[k])
		}
	}
	r := runCLI(t, "", "changes", "--db", db)
	if r.code != exitClean || strings.Count(strings.TrimSpace(r.out), "\n") != 0 {
		t.Errorf("the same input twice, with a failed run between, changes nothing: exit %d %q", r.code, r.out)
	}
}

// TestTimesShownInLocalTime: the store keeps UTC, a clerk reads the
// local clock without the ISO T and Z.
func TestTimesShownInLocalTime(t *testing.T) {
	defer func(loc *time.Location) { time.Local = loc }(time.Local)
	time.Local = time.FixedZone("CST", 8*3600)
	db := filepath.Join(t.TempDir(), "全区.db")
	now := func() time.Time { return time.Date(2026, 11, 30, 22, 42, 45, 0, time.UTC) }
	if code := Run([]string{"scan", "-q", "--db", db, night("1")}, &IOStreams{In: strings.NewReader(""), Out: io.Discard, ErrOut: io.Discard,
		Now: now}); code != exitFlagged {
		t.Fatalf("scan: exit %d", code)
	}
	for _, args := range [][]string{{"db", "runs"}, {"history", "91330205PE9K23GD5E"}} {
		r := runCLI(t, "", append(args, "--db", db)...)
		if r.code != exitClean || !strings.Contains(r.out, "2026-12-01 06:42:45") || strings.Contains(r.out, "T22:42:45Z") {
			t.Errorf("%v: exit %d, want the local 2026-12-01 06:42:45:\n%s", args, r.code, r.out)
		}
	}
}

// Found in review: when the run is stored but its output file cannot be
// put in place (here a directory appears where the file goes), the error
// says the run was stored, even if an interrupt came too.
func TestOutputFailingAfterTheStoreCommitSaysTheRunIsStored(t *testing.T) {
	dir := t.TempDir()
	db, out := filepath.Join(dir, "s.db"), filepath.Join(dir, "结果.csv")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opts := &ScanOptions{IO: &IOStreams{In: strings.NewReader(""), Out: &strings.Builder{}, ErrOut: &strings.Builder{}}, Dict: &DictOptions{},
		Inputs: []string{night("1")}, Output: out, Format: "csv", DB: db, Workers: 2, Quiet: true,
		ctx: ctx, afterRecord: func(n int) {
			if n == 1 {
				os.Mkdir(out, 0o755)
			}
		}}
	code, err := runScan(opts)
	if code != exitError || err == nil || !strings.Contains(err.Error(), "运行已记入存储（运行 1）") {
		t.Fatalf("exit %d err %v", code, err)
	}
	if runs := runCLI(t, "", "db", "runs", "--db", db); !strings.Contains(runs.out, "完成") {
		t.Errorf("the run must be stored:\n%s", runs.out)
	}
}

// What the store quotes from itself reaches the clerk in Chinese: a run's
// status ("failed") and a stored time (RFC 3339).
func TestStoredStatusAndTimeInChinese(t *testing.T) {
	db := filepath.Join(t.TempDir(), "s.db")
	runCLI(t, "", "scan", "-q", "--db", db, night("1"))
	if r := runCLI(t, "", "scan", "-q", "--db", db, "--max-rejects", "0", fixture.Path("exports/damaged.csv")); r.code != exitError {
		t.Fatalf("the failing run: exit %d %q", r.code, r.err)
	}
	r := runCLI(t, "", "changes", "--db", db, "--from", "1", "--to", "2")
	if r.code != exitError || !strings.Contains(r.err, "运行 2 没有完成（失败），不能用于比较；用 regscreen db runs 查看已完成的运行") ||
		strings.Contains(r.err, "failed") {
		t.Errorf("changes with a failed run: exit %d err %q", r.code, r.err)
	}
	r = runCLI(t, "", "changes", "--db", db, "--since", "2000-01-01")
	if r.code != exitError || !strings.Contains(r.err, "最早的一次开始于 ") || regexp.MustCompile(`\d{2}T\d{2}`).MatchString(r.err) {
		t.Errorf("changes --since before the first run: exit %d err %q", r.code, r.err)
	}
}

// scan --db says what it read, then that the run is stored, then what it
// wrote: the summary first, the outcome where the eye lands.
func TestScanIntoTheStoreSaysTheSummaryFirst(t *testing.T) {
	dir := t.TempDir()
	db, out := filepath.Join(dir, "s.db"), filepath.Join(dir, "结果.csv")
	r := runCLI(t, "", "scan", "--db", db, "-o", out, night("1"))
	if r.code != exitFlagged {
		t.Fatalf("exit %d %q", r.code, r.err)
	}
	last := -1
	for _, want := range []string{"输入 ", "读取 ", "已记入存储 " + db + "（运行 1）", "已写出 " + out} {
		i := strings.Index(r.err, want)
		if i <= last {
			t.Fatalf("stderr lacks %q after what came before, or has it too early:\n%s", want, r.err)
		}
		last = i
	}
}
