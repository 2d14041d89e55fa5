// Package progress draws a run's progress on one line of a terminal's
// stderr: rows, MB, MB/s and, when the total size is known, a bar and the
// time left.
package progress

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/regscreen/regscreen/internal/zhtime"
)

// Line is the progress line being drawn.
type Line struct {
	w     io.Writer
	total int64 // bytes; 0 when unknown (stdin)
	bytes *atomic.Int64
	rows  atomic.Int64
	start time.Time
	stop  chan struct{}
	done  sync.WaitGroup
	mu    sync.Mutex // one writer at a time: the drawing and the lines printed over it
	once  sync.Once  // the ticker stops once: at the first phase or at Finish
}

// Start draws, every quarter second, the progress of a run whose reader
// counts the bytes it reads into read; total is the bytes to read (0 when
// unknown, as for stdin).
func Start(w io.Writer, total int64, read *atomic.Int64) *Line {
	p := &Line{w: w, total: total, bytes: read, start: time.Now(), stop: make(chan struct{})}
	p.done.Add(1)
	go func() {
		defer p.done.Done()
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				p.draw()
			case <-p.stop:
				return
			}
		}
	}()
	return p
}

func (p *Line) draw() {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprint(p.w, "\r\033[K"+p.line(time.Since(p.start)))
}

// Println writes a line of its own to w (a reject, a warning): over the
// progress line, cleared first, which the next tick draws again below it.
// Without a progress line it is a plain Fprintln.
func (p *Line) Println(w io.Writer, line string) {
	if p == nil {
		fmt.Fprintln(w, line)
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprint(p.w, "\r\033[K"+line+"\n")
}

// line is the progress line after el: rows, MB, MB/s and, when the total
// is known, a bar, the share done and the time left.
func (p *Line) line(el time.Duration) string {
	secs := max(el.Seconds(), 1e-9)
	b := p.bytes.Load()
	line := fmt.Sprintf("已处理 %d 行  %.1f MB  %.0f MB/s", p.rows.Load(), float64(b)/1e6, float64(b)/1e6/secs)
	if p.total > 0 && b > 0 {
		share := min(float64(b)/float64(p.total), 1)
		const width = 20
		filled := int(share*width + 0.5)
		left := time.Duration(secs / share * (1 - share) * float64(time.Second))
		line = fmt.Sprintf("[%s%s] %3.0f%%  %s  预计剩余 %s", strings.Repeat("█", filled), strings.Repeat("░", width-filled),
			share*100, line, zhtime.Duration(left))
	}
	return line
}

// Row counts a row handed on; safe on a nil Line.
func (p *Line) Row() {
	if p != nil {
		p.rows.Add(1)
	}
}

// Phase replaces the progress line, for good, by what the run does after
// the rows (writing the workbook, recording the store): seconds in which
// the bar would sit at 100 %. Safe on a nil Line.
func (p *Line) Phase(what string) {
	if p == nil {
		return
	}
	p.stopTicker()
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprint(p.w, "\r\033[K"+what)
}

// Finish stops drawing and clears the line; safe on a nil Line.
func (p *Line) Finish() {
	if p == nil {
		return
	}
	p.stopTicker()
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprint(p.w, "\r\033[K") // clear the line before the summary
}

func (p *Line) stopTicker() {
	p.once.Do(func() {
		close(p.stop)
		p.done.Wait()
	})
}

// TotalSize sums the input files' sizes (0 if any is stdin, "-", or
// cannot be read).
func TotalSize(names []string) int64 {
	var total int64
	for _, n := range names {
		st, err := os.Stat(n)
		if n == "-" || err != nil {
			return 0
		}
		total += st.Size()
	}
	return total
}
