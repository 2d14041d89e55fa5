package searcher

import (
	"context"
	"fmt"
	"sync"

	"github.com/regscreen/regscreen/input"
	"github.com/regscreen/regscreen/record"
	"github.com/regscreen/regscreen/screen"
)

// item is one input row on its way through the pipeline: a row to screen
// (rec is filled in by a worker) or a rejected row.
type item struct {
	row    input.Row
	cols   *input.Columns
	header []string
	reject *input.RowError
	check  func(*input.Row) *input.RowError // deferred cell checks, run by a worker
	rec    record.Record
	// cells is the room this slot of its batch gives a row's cells, kept
	// when the batch is written and reused (see input.Row.CellRoom): the
	// reader then makes no slice of cells for most rows.
	cells []string
}

const batchSize = 256

type batch struct {
	seq   int
	items []item
}

// pipeline reads items with produce, screens them on workers goroutines
// and hands them to sink in input order. Reading, screening and writing
// overlap, so both cores are busy on a large export. A sink error or a
// cancelled ctx stops the reader and the workers.
func pipeline(ctx context.Context, produce func(emit func(item) error) error,
	work func(*item, []screen.Field) []screen.Field, workers int, sink func(*item) error) error {
	if workers < 1 {
		workers = 1
	}
	todo := make(chan batch, workers*2)
	done := make(chan batch, workers*2)
	// Written batches come back for reuse: their items are a third of
	// what a scan allocates, and fewer allocations mean fewer collections.
	// At most pool batches are made; the reader then waits for one to
	// come back rather than make another, which freed would drop (the
	// written batch it waits for needs nothing from the reader).
	pool := workers*4 + 2
	free := make(chan []item, pool)
	stop := make(chan struct{})
	var stopOnce sync.Once
	halt := func() { stopOnce.Do(func() { close(stop) }) }
	go func() {
		select {
		case <-ctx.Done():
			halt()
		case <-stop:
		}
	}()

	readDone := make(chan error, 1)
	go func() {
		defer close(todo)
		seq := 0
		cur := batch{items: make([]item, 0, batchSize)}
		made := 1
		send := func() bool {
			select {
			case todo <- cur:
			case <-stop:
				return false
			}
			seq++
			var items []item
			select {
			case items = <-free:
			default:
				if made < pool {
					made++
					items = make([]item, 0, batchSize)
					break
				}
				select {
				case items = <-free:
				case <-stop:
					return false
				}
			}
			cur = batch{seq: seq, items: items}
			return true
		}
		err := produce(func(it item) error {
			n := len(cur.items)
			cur.items = cur.items[:n+1]
			it.cells = cur.items[n].cells
			cur.items[n] = it
			if len(cur.items) == batchSize && !send() {
				return errStopped
			}
			return nil
		})
		if err == nil && len(cur.items) > 0 {
			send()
		}
		readDone <- err
	}()

	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var scratch []screen.Field // one per worker: the engine keeps no reference to it
			for b := range todo {
				for i := range b.items {
					scratch = work(&b.items[i], scratch[:0])
				}
				select {
				case done <- b:
				case <-stop:
				}
			}
		}()
	}
	go func() { wg.Wait(); close(done) }()

	if err := drain(ctx, done, free, sink); err != nil {
		// The reader may be blocked in a read that cannot be interrupted
		// (a terminal, a pipe): stop it and the workers, without waiting.
		halt()
		return err
	}
	halt()
	if err := <-readDone; err != nil && err != errStopped {
		return err
	}
	return nil
}

// drain hands finished batches to sink in sequence order until done
// closes, sink fails or ctx is cancelled.
func drain(ctx context.Context, done <-chan batch, free chan<- []item, sink func(*item) error) error {
	pending := map[int]batch{}
	next := 0
	for {
		var b batch
		var ok bool
		select {
		case b, ok = <-done:
		case <-ctx.Done():
			return fmt.Errorf("运行被取消: %w", ctx.Err())
		}
		if !ok {
			return nil
		}
		pending[b.seq] = b
		for {
			cur, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			for i := range cur.items {
				if err := sink(&cur.items[i]); err != nil {
					return err
				}
			}
			// Drop references to the rows just written, keeping each
			// slot's room for cells (emptied: it held the rows' text).
			for i := range cur.items {
				cells := cur.items[i].cells
				clear(cells[:cap(cells)])
				cur.items[i] = item{cells: cells[:0]}
			}
			select {
			case free <- cur.items[:0]:
			default:
			}
		}
	}
}

type stoppedError struct{}

func (stoppedError) Error() string { return "stopped" }

var errStopped error = stoppedError{}
