package progress

import (
	"io"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestProgressLine(t *testing.T) {
	p := &Line{w: io.Discard, total: 400e6, bytes: new(atomic.Int64)}
	p.bytes.Store(100e6)
	p.rows.Store(170000)
	got := p.line(2 * time.Second)
	for _, want := range []string{"[█████░░░░░░░░░░░░░░░]", " 25%", "已处理 170000 行", "100.0 MB", "50 MB/s", "预计剩余 6 秒"} {
		if !strings.Contains(got, want) {
			t.Errorf("progress line %q lacks %q", got, want)
		}
	}
	p.total = 0 // stdin: no bar, no estimate
	if got := p.line(2 * time.Second); strings.Contains(got, "[") || strings.Contains(got, "预计") {
		t.Errorf("progress line without a total: %q", got)
	}
}
