package input

import (
	"fmt"
	"io"
	"strings"
)

type pendingRow struct {
	row Row
	err error
}

// headed finds the header row above the records (title rows may stand
// over it) and checks each record's width against it; CSV, XLSX and JSON
// Lines sources share it.
type headed struct {
	name        string
	raw         func() (Row, error)
	header      []string
	headerLine  int
	pending     []pendingRow // rows read while looking for the header
	titleRows   int
	strictWidth bool // short rows are damage (CSV), not trimmed empty cells (XLSX)
}

func (h *headed) findHeader(noHeader bool) error {
	if noHeader {
		return nil
	}
	for i := 0; i < headerSearchRows; i++ {
		row, err := h.raw()
		if err == io.EOF {
			break
		}
		if err != nil {
			if _, ok := IsRowError(err); !ok {
				return err
			}
			// a damaged row before the header is kept, to be rejected in turn
			h.pending = append(h.pending, pendingRow{err: err})
			continue
		}
		if LooksLikeHeader(row.Cells) {
			h.header = row.Cells
			h.headerLine = row.Line
			// Rows above the header are titles, but damaged ones still count.
			var kept []pendingRow
			for _, p := range h.pending {
				if p.err != nil {
					kept = append(kept, p)
				} else {
					h.titleRows++
				}
			}
			h.pending = kept
			return nil
		}
		h.pending = append(h.pending, pendingRow{row: row})
	}
	// No recognisable header: treat the first row as the header so that
	// MapColumns can name what it saw.
	for i, p := range h.pending {
		if p.err == nil {
			h.header = p.row.Cells
			h.headerLine = p.row.Line
			h.pending = append(h.pending[:i:i], h.pending[i+1:]...)
			break
		}
	}
	return nil
}

// Header is the header row (nil with NoHeader).
func (h *headed) Header() []string { return h.header }

// HeaderLine is the line of the header row (0 if none).
func (h *headed) HeaderLine() int { return h.headerLine }

// TitleRows counts rows skipped above the header.
func (h *headed) TitleRows() int { return h.titleRows }

// Next returns the next row; a row with the wrong number of fields is a
// *RowError (ragged rows are never silently padded or cut).
func (h *headed) Next() (Row, error) {
	var row Row
	if len(h.pending) > 0 {
		var p pendingRow
		p, h.pending = h.pending[0], h.pending[1:]
		if p.err != nil {
			return Row{}, p.err
		}
		row = p.row
	} else {
		var err error
		if row, err = h.raw(); err != nil {
			return row, err
		}
	}
	if h.header == nil {
		return row, nil
	}
	n := len(row.Cells)
	if !h.strictWidth {
		for n > len(h.header) && row.Cells[n-1] == "" {
			n--
		}
		row.Cells = row.Cells[:n]
		for len(row.Cells) < len(h.header) {
			row.Cells = append(row.Cells, "")
		}
	}
	if len(row.Cells) != len(h.header) {
		return Row{}, &RowError{File: h.name, Line: row.Line,
			Reason: fmt.Sprintf("字段数为 %d，与表头的 %d 列不符", len(row.Cells), len(h.header)),
			Raw:    strings.Join(row.Cells, ",")}
	}
	return row, nil
}
