package searcher

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/cespare/xxhash/v2"

	"github.com/regscreen/regscreen/dict"
	"github.com/regscreen/regscreen/input"
	"github.com/regscreen/regscreen/record"
	"github.com/regscreen/regscreen/screen"
)

var (
	scrOnce sync.Once
	scr     *screen.Screener
)

func screener(t testing.TB) *screen.Screener {
	scrOnce.Do(func() {
		var err error
		if scr, err = screen.New(dict.Default()); err != nil {
			t.Fatal(err)
		}
	})
	return scr
}

// export makes a CSV of n rows; every third uses a term, every seventh is
// damaged (a NUL byte), so rejects interleave with records.
func export(n int) string {
	var b strings.Builder
	b.WriteString("统一社会信用代码,企业名称,经营范围\n")
	for i := 1; i <= n; i++ {
		name := fmt.Sprintf("宁波某某%d五金有限公司", i)
		if i%3 == 0 {
			name = fmt.Sprintf("宁波某某%d理财咨询有限公司", i)
		}
		if i%7 == 0 {
			name = "宁波\x00某某有限公司"
		}
		fmt.Fprintf(&b, "ID%06d,%s,五金销售\n", i, name)
	}
	return b.String()
}

// collect is a sink that keeps what it is given, in order.
type collect struct {
	lines   []int
	verdict map[int]screen.Verdict
	failAt  int // return an error at this many results
	after   func(n int)
}

func (c *collect) add(line int) error {
	c.lines = append(c.lines, line)
	if c.after != nil {
		c.after(len(c.lines))
	}
	if c.failAt > 0 && len(c.lines) == c.failAt {
		return errors.New("磁盘已满")
	}
	return nil
}

func (c *collect) Record(r *record.Record) error {
	if c.verdict == nil {
		c.verdict = map[int]screen.Verdict{}
	}
	c.verdict[r.Line] = r.Result.Verdict
	return c.add(r.Line)
}

func (c *collect) Reject(e *input.RowError) error { return c.add(e.Line) }

func run(t *testing.T, data string, workers int, sink *collect, ctx context.Context) (*Summary, error) {
	t.Helper()
	return Run(ctx, screener(t), Options{Inputs: []Input{Stream(StdinName, strings.NewReader(data))}, Workers: workers}, sink)
}

func TestResultsComeInInputOrderWhateverTheWorkers(t *testing.T) {
	const n = 3000 // several batches
	data := export(n)
	for _, workers := range []int{1, 2, 8} {
		var c collect
		sum, err := run(t, data, workers, &c, context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(c.lines) != n || sum.Read != n || !sum.Balanced() {
			t.Fatalf("workers %d: %d results, counts %+v", workers, len(c.lines), sum.Counts)
		}
		for i, line := range c.lines {
			if line != i+2 {
				t.Fatalf("workers %d: result %d is line %d, want %d", workers, i, line, i+2)
			}
		}
		if want := n / 7; sum.Rejected != want {
			t.Errorf("workers %d: rejected %d, want %d", workers, sum.Rejected, want)
		}
	}
}

func TestASinkErrorStopsTheRun(t *testing.T) {
	c := collect{failAt: 700}
	_, err := run(t, export(3000), 2, &c, context.Background())
	if err == nil || !strings.Contains(err.Error(), "磁盘已满") {
		t.Fatalf("the sink's error must come back: %v", err)
	}
	if len(c.lines) != 700 {
		t.Errorf("no result after the failing one: got %d", len(c.lines))
	}
}

func TestCancellingStopsTheRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	c := collect{after: func(n int) {
		if n == 500 {
			cancel()
		}
	}}
	_, err := run(t, export(20000), 2, &c, ctx)
	if err == nil || !errors.Is(err, context.Canceled) {
		t.Fatalf("a cancelled run must say so: %v", err)
	}
	if len(c.lines) >= 20000 {
		t.Errorf("the run went on after the cancel: %d results", len(c.lines))
	}
}

// failingReader returns its data, then an I/O error.
type failingReader struct{ r io.Reader }

func (f *failingReader) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err == io.EOF {
		return n, errors.New("设备错误")
	}
	return n, err
}

func TestAReadErrorMidStreamIsReturned(t *testing.T) {
	var c collect
	_, err := Run(context.Background(), screener(t), Options{Inputs: []Input{Stream(StdinName, &failingReader{strings.NewReader(export(2000))})}, Workers: 2}, &c)
	if err == nil || !strings.Contains(err.Error(), "设备错误") {
		t.Fatalf("a read error must end the run with it: %v", err)
	}
}

func TestEmptyRowsAreRejectedNotCleared(t *testing.T) {
	var c collect
	sum, err := run(t, "企业名称,经营范围,住所\n宁波某某五金有限公司,五金,\n,,宁波市江北区\n", 1, &c, context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if sum.Read != 2 || sum.Rejected != 1 || sum.Clear != 1 {
		t.Errorf("a row with neither name nor scope is rejected: %+v", sum.Counts)
	}
}

func TestExemptionsSayWhatTheyAre(t *testing.T) {
	name, scope := "宁波某某理财咨询有限公司", "理财咨询"
	key := record.Key("91330205AY4CL12THT", name)
	data := "统一社会信用代码,企业名称,经营范围\n91330205AY4CL12THT," + name + "," + scope + "\n"
	decided := func(fp int64) map[string]record.Decision {
		return map[string]record.Decision{key: {FP: fp, Status: record.StatusExcluded, Date: "2026-11-02", Handler: "王芳", Source: "会商名单.xlsx"}}
	}
	var got *record.Record
	sink := recordSink(func(r *record.Record) { c := *r; got = &c })
	opts := Options{Inputs: []Input{Stream(StdinName, strings.NewReader(data))}, Workers: 1, Identify: true, Decisions: decided(record.Fingerprint(name, scope))}
	if _, err := Run(context.Background(), screener(t), opts, sink); err != nil {
		t.Fatal(err)
	}
	reason := got.Result.Reasons()
	if got.Result.Verdict != screen.Exempt || got.Result.Exemption.Kind != screen.ExemptConsultation ||
		!strings.Contains(reason, "会商已排除") || !strings.Contains(reason, "2026-11-02") || strings.Contains(reason, "持牌") {
		t.Errorf("excluded by the consultation, on its date, never a licensed institution: %s %q", got.Result.Verdict, reason)
	}
	// The scope changed since: the ruling no longer holds.
	opts.Inputs, opts.Decisions = []Input{Stream(StdinName, strings.NewReader(data))}, decided(record.Fingerprint(name, "旧的经营范围"))
	if _, err := Run(context.Background(), screener(t), opts, sink); err != nil {
		t.Fatal(err)
	}
	if got.Result.Verdict != screen.Refer || got.Decision == nil || !got.Decision.Stale {
		t.Errorf("a changed company returns to 送会商 with its old decision marked stale: %s %+v", got.Result.Verdict, got.Decision)
	}
}

type recordSink func(*record.Record)

func (f recordSink) Record(r *record.Record) error { f(r); return nil }
func (f recordSink) Reject(*input.RowError) error  { return nil }

func TestInputsAreHashedWhole(t *testing.T) {
	data := export(20000) // many reads of the reader's buffer
	var c collect
	sum, err := Run(context.Background(), screener(t), Options{Inputs: []Input{Stream(StdinName, strings.NewReader(data))}, Workers: 2, Hash: true}, &c)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := sum.Inputs[0].Hash, fmt.Sprintf("%016x", xxhash.Sum64String(data)); got != want {
		t.Errorf("hash %s, want %s", got, want)
	}
}

// cellSink keeps, for each record, its cells as the sink saw them.
type cellSink struct{ rows []string }

func (c *cellSink) Record(r *record.Record) error {
	c.rows = append(c.rows, fmt.Sprintf("%d:%s", r.Line, strings.Join(r.Cells, "|")))
	return nil
}

func (c *cellSink) Reject(e *input.RowError) error { return nil }

// Batches come back for reuse with the room their slots gave rows'
// cells: over many more rows than the pool holds, of changing widths and
// with quoted rows between (cut by the reader, not into that room), every
// record reaches the sink with its own cells.
func TestReusedCellRoomKeepsEveryRowsCells(t *testing.T) {
	var b strings.Builder
	b.WriteString("统一社会信用代码,企业名称,经营范围,备注\n")
	var want []string
	for i := 1; i <= 20000; i++ {
		cells := []string{fmt.Sprintf("ID%06d", i), fmt.Sprintf("宁波某某%d五金有限公司", i), "五金销售", strings.Repeat("注", i%5)}
		line := strings.Join(cells, ",")
		if i%11 == 0 {
			cells[2] = "五金,销售"
			line = fmt.Sprintf("%s,%s,\"%s\",%s", cells[0], cells[1], cells[2], cells[3])
		}
		b.WriteString(line + "\n")
		want = append(want, fmt.Sprintf("%d:%s", i+1, strings.Join(cells, "|")))
	}
	var c cellSink
	if _, err := Run(context.Background(), screener(t), Options{Inputs: []Input{Stream(StdinName, strings.NewReader(b.String()))}, Workers: 3}, &c); err != nil {
		t.Fatal(err)
	}
	if len(c.rows) != len(want) {
		t.Fatalf("%d records, want %d", len(c.rows), len(want))
	}
	for i := range want {
		if c.rows[i] != want[i] {
			t.Fatalf("record %d: %q, want %q", i, c.rows[i], want[i])
		}
	}
}
