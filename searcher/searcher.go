// Package searcher is the run between the readers and the writers: it
// opens each input, screens its rows on every core and hands the results
// to a sink in input order, counting every row so the totals add up
// (read = refer + review + clear + exempt + rejected).
//
// In ripgrep's words the engine (screen) is the matcher, this package the
// searcher, and the output writers the printer.
package searcher

import (
	"context"
	"fmt"
	"io"
	"sync/atomic"

	"github.com/regscreen/regscreen/input"
	"github.com/regscreen/regscreen/record"
	"github.com/regscreen/regscreen/screen"
)

// Options say what to read and what to apply after the engine.
type Options struct {
	Inputs  []Input
	Input   input.Options
	Columns input.ColumnSpec
	Workers int // goroutines screening; < 1 means 1

	// Exempt is the regulators' list of licensed institutions.
	Exempt *input.ExemptList
	// Decisions are the consultation's earlier decisions by company key;
	// a ruling of 排除 on an unchanged record exempts it.
	Decisions map[string]record.Decision
	// Street names the street/town of an address ("" when none), for
	// records with an occurrence, or for all with StreetForAll.
	Street       func(address string) string
	StreetForAll bool

	// Identify derives each record's key and fingerprint (for the store
	// and the decisions); Hash asks for each input's xxHash64.
	Identify, Hash bool
	// ReadBytes, when set, counts the bytes read (for a progress line).
	ReadBytes *atomic.Int64
}

// Sink takes the results in input order. Record's argument is reused
// after it returns: keep a copy, not the pointer.
type Sink interface {
	Record(*record.Record) error
	Reject(*input.RowError) error
}

// Summary is what a run found out besides its records.
type Summary struct {
	screen.Counts
	Inputs    []record.Input
	Header    []string // the first input's header
	TitleRows int      // rows above a header, not counted as read
	BadIDs    int      // records whose credit code or number has a note
	ExcelIDs  int      // of which codes a spreadsheet stored as numbers
	Warnings  int      // rows read with a warning (bytes invalid in a forced encoding, a sheet read by the fallback)
}

// Input is one export to read: a file, or a stream (standard input, an
// upload) that Reader gives.
type Input struct {
	Path   string    // the file to open, when Reader is nil
	Reader io.Reader // the export's bytes
	Name   string    // how messages and reports name it; "" = Path
}

// File is the input read from a file.
func File(path string) Input { return Input{Path: path, Name: path} }

// Stream is an input read from r, named name in messages.
func Stream(name string, r io.Reader) Input { return Input{Reader: r, Name: name} }

// Run screens every input with scr and hands each result to sink; ctx
// cancels. On an error it stops and returns it with a summary that is
// not to be read: the reading goroutine may still be blocked in a read
// that cannot be interrupted (a terminal, a pipe), writing to it.
func Run(ctx context.Context, scr *screen.Screener, opts Options, sink Sink) (*Summary, error) {
	sum := &Summary{}
	src := &sources{opts: &opts, sum: sum}
	with := &applied{opts: &opts}
	err := pipeline(ctx, src.each, func(it *item, scratch []screen.Field) []screen.Field {
		return screenItem(scr, with, it, scratch)
	}, opts.Workers, func(it *item) error {
		return deliver(ctx, it, sum, sink)
	})
	if err == nil {
		src.finish() // the reader is done: its hashes are whole
	}
	return sum, err
}

// deliver counts one item and passes it on.
func deliver(ctx context.Context, it *item, sum *Summary, sink Sink) error {
	if it.reject != nil {
		sum.AddRejected()
		return sink.Reject(it.reject)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("运行被取消: %w", err)
	}
	sum.Add(it.rec.Result.Verdict)
	if it.row.Warning != "" {
		sum.Warnings++
	}
	if it.rec.BadID {
		sum.BadIDs++
	}
	if it.rec.ExcelID {
		sum.ExcelIDs++
	}
	return sink.Record(&it.rec)
}
