package main

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/regscreen/regscreen/internal/zhtime"
)

// progress draws one line on a terminal's stderr: rows, MB/s and, when the
// total size is known, the time left. It draws nothing unless started.
type progress struct {
	w     io.Writer
	total int64 // bytes; 0 when unknown (stdin)
	bytes *atomic.Int64
	rows  atomic.Int64
	start time.Time
	stop  chan struct{}
	done  sync.WaitGroup
	mu    sync.Mutex // one writer at a time: the drawing and the lines printed over it
}

// startProgress draws the progress of a run whose reader counts into read.
func startProgress(w io.Writer, total int64, read *atomic.Int64) *progress {
	p := &progress{w: w, total: total, bytes: read, start: time.Now(), stop: make(chan struct{})}
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
				p.mu.Lock()
				fmt.Fprint(p.w, "\r\033[K") // clear the line before the summary
				p.mu.Unlock()
				return
			}
		}
	}()
	return p
}

func (p *progress) draw() {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprint(p.w, "\r\033[K"+p.line(time.Since(p.start)))
}

// println writes a line of its own to w (a reject, a warning): over the
// progress line, cleared first, which the next tick draws again below it.
// Without a progress line it is a plain Fprintln.
func (p *progress) println(w io.Writer, line string) {
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
func (p *progress) line(el time.Duration) string {
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

// finish stops drawing; safe on a nil progress.
func (p *progress) finish() {
	if p == nil {
		return
	}
	close(p.stop)
	p.done.Wait()
}

// phase shows what a run is doing after the rows (writing the workbook,
// committing the store), on a terminal only and on one line that the next
// phase or the summary replaces: a log keeps none of it.
type phase struct {
	w      io.Writer
	on     bool
	showed bool // a phase is on the line
}

func (ph *phase) show(what string) {
	if ph.on {
		fmt.Fprint(ph.w, "\r\033[K"+what)
		ph.showed = true
	}
}

func (ph *phase) clear() {
	if ph.showed {
		fmt.Fprint(ph.w, "\r\033[K")
		ph.showed = false
	}
}
