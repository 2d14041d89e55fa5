package run

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/regscreen/regscreen/dict"
	"github.com/regscreen/regscreen/output"
	"github.com/regscreen/regscreen/record"
	"github.com/regscreen/regscreen/report"
	"github.com/regscreen/regscreen/screen"
	"github.com/regscreen/regscreen/searcher"
	"github.com/regscreen/regscreen/store"
)

var (
	scrOnce sync.Once
	scr     *screen.Screener
)

func screener(t *testing.T) *screen.Screener {
	scrOnce.Do(func() {
		var err error
		if scr, err = screen.New(dict.Default()); err != nil {
			t.Fatal(err)
		}
	})
	return scr
}

const export = "统一社会信用代码,企业名称,经营范围\n" +
	"91330205AY4CL12THT,宁波某某理财咨询有限公司,理财咨询\n" +
	"91330205MA2AAAAA1X,宁波某某五金有限公司,五金销售\n" +
	"91330205MA2BBBBB2X,宁波\x00某某有限公司,五金\n" // a NUL byte: rejected

// events records the order in which the run's parts are told to act.
type events struct{ list []string }

func (e *events) add(s string) { e.list = append(e.list, s) }

func (e *events) String() string { return strings.Join(e.list, " ") }

// writer is a results writer that records what it is told.
type writer struct {
	ev        *events
	records   int
	finishErr error
	onFinish  func()
}

func (w *writer) Write(*record.Record) error { w.records++; return nil }

func (w *writer) Finish(output.RunInfo) error {
	w.ev.add("finish")
	if w.onFinish != nil {
		w.onFinish()
	}
	return w.finishErr
}

func (w *writer) Abort() { w.ev.add("abort-writer") }

// files stands for output.Files: it records the commit and the abort, and
// at the commit looks at what the store holds.
type files struct {
	ev        *events
	commitErr error
	atCommit  func()
}

func (f *files) Commit() error {
	if f.atCommit != nil {
		f.atCommit()
	}
	f.ev.add("rename")
	return f.commitErr
}

func (f *files) Abort() { f.ev.add("abort-files") }

func openStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "s.db"), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// lastRun is the store's newest run.
func lastRun(t *testing.T, st *store.Store) store.RunInfo {
	t.Helper()
	runs, err := st.Runs(context.Background())
	if err != nil || len(runs) == 0 {
		t.Fatalf("runs: %v %v", runs, err)
	}
	return runs[0]
}

func plan(t *testing.T, ev *events, w *writer, f *files, st *store.Store) Plan {
	return Plan{Screener: screener(t), Results: w, Files: f, Store: st, MaxRejects: -1,
		Search: searcher.Options{Inputs: []searcher.Input{searcher.Stream("导出.csv", strings.NewReader(export))}, Workers: 2}}
}

func TestCommitOrderIsOutputsThenStoreThenRename(t *testing.T) {
	ev := &events{}
	st := openStore(t)
	w := &writer{ev: ev}
	f := &files{ev: ev}
	f.atCommit = func() {
		if r := lastRun(t, st); r.Status != "complete" || r.Read != 3 || r.Refer != 1 || r.Rejected != 1 {
			t.Errorf("at the rename the store must hold the complete run: %+v", r)
		}
	}
	out, err := Execute(context.Background(), plan(t, ev, w, f, st))
	if err != nil {
		t.Fatal(err)
	}
	if got := ev.String(); got != "finish rename" {
		t.Errorf("order %q, want the writer finished, then (the store committed) the rename, and nothing aborted", got)
	}
	if !out.Stored || out.RunID == 0 || out.Read != 3 || !out.Flagged() || w.records != 2 {
		t.Errorf("outcome %+v, records %d", out, w.records)
	}
}

func TestAWriterThatFailsLeavesNothing(t *testing.T) {
	ev := &events{}
	st := openStore(t)
	w := &writer{ev: ev, finishErr: errors.New("磁盘已满")}
	out, err := Execute(context.Background(), plan(t, ev, w, &files{ev: ev}, st))
	if err == nil || !strings.Contains(err.Error(), "磁盘已满") || out.Stored {
		t.Fatalf("err %v, outcome %+v", err, out)
	}
	if got := ev.String(); got != "finish abort-writer abort-files" {
		t.Errorf("order %q: nothing renamed, the writer and the files given up", got)
	}
	if r := lastRun(t, st); r.Status != "failed" || !strings.Contains(r.Error, "磁盘已满") || r.Read != 0 {
		t.Errorf("the store's run must be rolled back and failed with the reason: %+v", r)
	}
}

func TestAStoreThatCannotCommitLeavesNoFile(t *testing.T) {
	ev := &events{}
	st := openStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Interrupted after the outputs are complete, before the store commits.
	w := &writer{ev: ev, onFinish: cancel}
	_, err := Execute(ctx, plan(t, ev, w, &files{ev: ev}, st))
	if err == nil {
		t.Fatal("a store commit under a cancelled context must fail")
	}
	if got := ev.String(); got != "finish abort-writer abort-files" {
		t.Errorf("order %q: no rename without a store commit", got)
	}
	if r := lastRun(t, st); r.Status != "failed" || r.Read != 0 {
		t.Errorf("the run must be rolled back and failed: %+v", r)
	}
}

func TestARenameThatFailsAfterTheStoreCommitSaysTheRunIsStored(t *testing.T) {
	ev := &events{}
	st := openStore(t)
	out, err := Execute(context.Background(), plan(t, ev, &writer{ev: ev}, &files{ev: ev, commitErr: errors.New("重命名失败")}, st))
	if err == nil || !strings.Contains(err.Error(), "运行已记入存储") || !out.Stored {
		t.Fatalf("err %v, outcome %+v", err, out)
	}
	if r := lastRun(t, st); r.Status != "complete" {
		t.Errorf("the committed run stays: %+v", r)
	}
	if got := ev.String(); got != "finish rename abort-writer abort-files" {
		t.Errorf("order %q", got)
	}
}

func TestAnInterruptedSearchSaysHowFarItGot(t *testing.T) {
	ev := &events{}
	st := openStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p := plan(t, ev, &writer{ev: ev}, &files{ev: ev}, st)
	long := export + strings.Repeat("91330205MA2CCCCC3X,宁波某某五金有限公司,五金销售\n", 5000) // many batches
	p.Search.Inputs = []searcher.Input{searcher.Stream("导出.csv", strings.NewReader(long))}
	p.OnRow = func(n int) {
		if n == 2 {
			cancel()
		}
	}
	if _, err := Execute(ctx, p); !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v", err)
	}
	if got := ev.String(); got != "abort-writer abort-files" {
		t.Errorf("order %q", got)
	}
	if r := lastRun(t, st); r.Status != "failed" || !strings.HasPrefix(r.Error, "运行被中断（此前已筛查 ") || !strings.HasSuffix(r.Error, " 行，均未记入）") {
		t.Errorf("the run must be failed as interrupted, with the rows screened: %+v", r)
	}
}

func TestTooManyRejectsFailTheRunBeforeAnythingIsWritten(t *testing.T) {
	ev := &events{}
	st := openStore(t)
	p := plan(t, ev, &writer{ev: ev}, &files{ev: ev}, st)
	p.MaxRejects = 0
	out, err := Execute(context.Background(), p)
	var limit *RejectLimitError
	if !errors.As(err, &limit) || limit.Rejected != 1 || out.Summary == nil || out.Rejected != 1 {
		t.Fatalf("err %v, outcome %+v", err, out)
	}
	if got := ev.String(); got != "abort-writer abort-files" {
		t.Errorf("order %q: the writer is not even finished", got)
	}
	if r := lastRun(t, st); r.Status != "failed" {
		t.Errorf("run %+v", r)
	}
}

// A caller that is not a CLI (a server) streams an export in and a
// workbook out, with no files and no store.
func TestAStreamInAWorkbookOut(t *testing.T) {
	var buf bytes.Buffer
	w, err := NewWriter(Output{Format: "xlsx", To: &buf, Meta: report.Meta{Tool: "test"}}, screener(t))
	if err != nil {
		t.Fatal(err)
	}
	out, err := Execute(context.Background(), Plan{Screener: screener(t), Results: w, Workbook: true, MaxRejects: -1,
		Search: searcher.Options{Inputs: []searcher.Input{searcher.Stream("上传.csv", strings.NewReader(export))}}})
	if err != nil || out.Refer != 1 || out.Stored {
		t.Fatalf("err %v, outcome %+v", err, out)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows(report.SheetRefer)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for i, row := range rows {
		if col := slices.Index(row, report.ColName); col >= 0 {
			for _, r := range rows[i+1:] {
				if col < len(r) && r[col] != "" {
					names = append(names, r[col])
				}
			}
			break
		}
	}
	if len(names) != 1 || names[0] != "宁波某某理财咨询有限公司" {
		t.Errorf("送会商 lists %q", names)
	}
}

// Past Plan.ListedRejects the rejects file lists no more rows: the rest
// are counted, and a last line says how many.
func TestRejectFileIsCapped(t *testing.T) {
	var b strings.Builder
	b.WriteString("企业名称,经营范围\n")
	for i := 0; i < 5; i++ {
		b.WriteString("坏行\n") // one field under a two-column header
	}
	var rejects bytes.Buffer
	rw, err := output.NewRejectWriter(&rejects, true)
	if err != nil {
		t.Fatal(err)
	}
	ev := &events{}
	p := Plan{Screener: screener(t), Results: &writer{ev: ev}, Rejects: rw, MaxRejects: -1, ListedRejects: 2,
		Search: searcher.Options{Inputs: []searcher.Input{searcher.Stream("e.csv", strings.NewReader(b.String()))}, Workers: 2}}
	out, err := Execute(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(rejects.String()), "\n")
	if out.Rejected != 5 || len(lines) != 1+2+1 || !strings.Contains(lines[3], "其余 3 行拒收未逐行列出") {
		t.Errorf("rejected %d; rejects file:\n%s", out.Rejected, rejects.String())
	}
}
