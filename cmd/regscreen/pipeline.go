package main

import (
	"sync"

	"github.com/regscreen/regscreen/input"
	"github.com/regscreen/regscreen/output"
	"github.com/regscreen/regscreen/screen"
	"github.com/regscreen/regscreen/store"
)

// item is one input row on its way through the pipeline: a row to screen
// (rec is filled in by a worker) or a rejected row.
type item struct {
	row    input.Row
	cols   *input.Columns
	header []string
	reject *input.RowError
	check  func(*input.Row) *input.RowError // deferred cell checks, run by a worker
	rec    output.Record
	badID  bool // the credit code or registration number has a data-quality note
}

const batchSize = 256

type batch struct {
	seq   int
	items []item
}

// pipeline reads items with produce, screens them on workers goroutines and
// hands them to sink in input order. Reading, screening and writing overlap,
// so both cores are busy on a large export.
// screening is what a worker applies after the engine: reference lists
// and the consultation's earlier decisions.
type screening struct {
	exempt   *input.ExemptList
	excluded map[string]int64 // key → fingerprint when the consultation ruled 排除
}

func pipeline(produce func(emit func(item) error) error, scr *screen.Screener, with screening, workers int, sink func(*item) error) error {
	if workers < 1 {
		workers = 1
	}
	todo := make(chan batch, workers*2)
	done := make(chan batch, workers*2)
	// Written batches come back for reuse: their items are a third of
	// what a scan allocates, and fewer allocations mean fewer collections.
	free := make(chan []item, workers*4+2)
	stop := make(chan struct{})
	var stopOnce sync.Once
	halt := func() { stopOnce.Do(func() { close(stop) }) }

	var readErr error
	go func() {
		defer close(todo)
		seq := 0
		cur := batch{items: make([]item, 0, batchSize)}
		send := func() bool {
			select {
			case todo <- cur:
			case <-stop:
				return false
			}
			seq++
			select {
			case items := <-free:
				cur = batch{seq: seq, items: items}
			default:
				cur = batch{seq: seq, items: make([]item, 0, batchSize)}
			}
			return true
		}
		readErr = produce(func(it item) error {
			cur.items = append(cur.items, it)
			if len(cur.items) == batchSize && !send() {
				return errStopped
			}
			return nil
		})
		if readErr == nil && len(cur.items) > 0 {
			send()
		}
	}()

	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var scratch []screen.Field // one per worker: the engine keeps no reference to it
			for b := range todo {
				for i := range b.items {
					scratch = screenItem(scr, with, &b.items[i], scratch[:0])
				}
				select {
				case done <- b:
				case <-stop:
				}
			}
		}()
	}
	go func() { wg.Wait(); close(done) }()

	pending := map[int]batch{}
	next := 0
	var sinkErr error
	for b := range done {
		if sinkErr != nil {
			continue
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
					sinkErr = err
					halt()
					break
				}
			}
			if sinkErr != nil {
				break
			}
			clear(cur.items) // drop references to the rows just written
			select {
			case free <- cur.items[:0]:
			default:
			}
		}
	}
	halt()
	if sinkErr != nil {
		return sinkErr
	}
	if readErr != nil && readErr != errStopped {
		return readErr
	}
	return nil
}

type stoppedError struct{}

func (stoppedError) Error() string { return "stopped" }

var errStopped error = stoppedError{}

// screenItem screens one item; fs is scratch space for the texts to screen,
// returned for the next call.
func screenItem(scr *screen.Screener, with screening, it *item, fs []screen.Field) []screen.Field {
	if it.check != nil && it.reject == nil {
		it.reject = it.check(&it.row)
	}
	if it.reject != nil {
		return fs
	}
	r := &it.row
	fs = fields(fs, r, it.cols, it.header)
	it.rec = output.Record{
		File: r.File, Line: r.Line, ID: r.Cell(it.cols.ID), Name: r.Cell(it.cols.Name),
		Address: r.Cell(it.cols.Address), Header: it.header, Cells: r.Cells,
		Result: scr.Screen(fs),
	}
	if len(it.cols.Scopes) > 0 {
		it.rec.Scope = r.Cell(it.cols.Scopes[0])
	}
	if r.Warning != "" {
		it.rec.Notes = append(it.rec.Notes, r.Warning)
	}
	if it.cols.ID >= 0 {
		if note := input.IDNote(it.rec.ID); note != "" {
			it.rec.Notes = append(it.rec.Notes, note)
			it.badID = true
		}
	}
	v := it.rec.Result.Verdict
	if v != screen.Refer && v != screen.Review {
		return fs
	}
	switch {
	case with.exempt != nil && with.exempt.Contains(it.rec.ID, it.rec.Name):
		it.rec.Result.Verdict = screen.Exempt
		it.rec.Result.ExemptBy = with.exempt.Name
	case with.excluded != nil:
		// Ruled 排除 by the consultation and unchanged since: not re-referred.
		if fp, ok := with.excluded[store.Key(it.rec.ID, it.rec.Name)]; ok && fp == store.Fingerprint(it.rec.Name, it.rec.Scope) {
			it.rec.Result.Verdict = screen.Exempt
			it.rec.Result.ExemptBy = "会商结论：排除"
		}
	}
	return fs
}
