// Package input turns export files into rows: it finds the header, maps the
// name/scope/id columns, and reports every bad row with its file, line and
// reason instead of dropping it.
package input

import (
	"errors"
	"fmt"
)

// Row is one record as read, before screening.
type Row struct {
	File  string
	Line  int // physical line (or sheet row) where the record starts, 1-based
	Cells []string
	// Warning is set instead of a rejection when the encoding was forced
	// and the row holds bytes invalid in it: counted and reported, not lost.
	Warning string

	text string // the record's raw text, for checks over the whole record
	// deferred marks a row whose checks against the header (repeated
	// header, totals row, width) are left to CheckRow, on a worker; unsplit
	// one whose cells are still to be cut from text (see CellRoom).
	deferred, unsplit bool
	// remap, set on every row under a repeated header whose columns come
	// in another order, puts the cells back in the first header's order
	// (or rejects the row when they cannot be); see headed.reordered.
	remap *remap
}

// CellRoom gives a row whose cells are still to be cut (read with
// DeferChecks) room to cut them into, buf's capacity, so that a caller
// that reuses its rows cuts each into the same memory; CheckRow grows it
// if need be (the row's cells are then a slice of its own). It reports
// whether the row took the room. A caller may do this only once nothing
// that held a row before can still be looking at buf.
func (r *Row) CellRoom(buf []string) bool {
	if r.unsplit {
		r.Cells = buf[:0]
	}
	return r.unsplit
}

// Cell returns cell i, or "" when the row is short or i < 0.
func (r *Row) Cell(i int) string {
	if i >= 0 && i < len(r.Cells) {
		return r.Cells[i]
	}
	return ""
}

// RowError is a row that cannot be screened; reading goes on after it.
type RowError struct {
	File   string
	Line   int
	Column int    // 1-based; 0 when it does not apply
	Reason string // in Chinese, for the clerk
	Raw    string // the raw row, as far as it could be read
}

func (e *RowError) Error() string {
	if e.Column > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Reason)
	}
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Reason)
}

// IsRowError reports whether err is a bad row (as opposed to a file that
// cannot be read at all).
func IsRowError(err error) (*RowError, bool) {
	if err == nil {
		return nil, false // the common case, without errors.As's allocation
	}
	var re *RowError
	ok := errors.As(err, &re)
	return re, ok
}

// Source yields rows of one input. Next returns io.EOF at the end, a
// *RowError for a bad row (call Next again), or another error when the
// input cannot be read further.
type Source interface {
	Header() []string
	HeaderLine() int
	Next() (Row, error)
	Close() error
}

// IncompleteError refuses a whole file whose damage hides an unknown
// number of rows: a sheet part that ends mid-XML, a zip entry cut short, a
// CSV that ends inside a quoted field. Rejecting one row for them would
// let a failed download pass as a complete (shorter) export, and a store
// run then mark every company after the cut as gone.
type IncompleteError struct {
	File   string
	Line   int    // the row where reading broke off
	Reason string // in Chinese: what broke
}

func (e *IncompleteError) Error() string {
	return fmt.Sprintf("%s 第 %d 行起：%s，其后还有多少行无从得知，已拒绝读取整个文件（文件不完整：请重新下载或重新导出）", e.File, e.Line, e.Reason)
}
