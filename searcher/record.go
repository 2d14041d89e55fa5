package searcher

import (
	"fmt"
	"strings"

	"github.com/regscreen/regscreen/input"
	"github.com/regscreen/regscreen/record"
	"github.com/regscreen/regscreen/screen"
)

// applied is what a worker applies after the engine: reference lists and
// the consultation's earlier decisions.
type applied struct{ opts *Options }

// screenItem screens one item and derives, once, what every writer and the
// store need of it; fs is scratch space for the texts to screen, returned
// for the next call.
func screenItem(scr *screen.Screener, with *applied, it *item, fs []screen.Field) []screen.Field {
	if it.check != nil && it.reject == nil {
		room := it.row.CellRoom(it.cells)
		it.reject = it.check(&it.row)
		if room && cap(it.row.Cells) > cap(it.cells) {
			it.cells = it.row.Cells[:0] // grown, by append: the larger room next time
		}
	}
	if it.reject != nil {
		return fs
	}
	r := &it.row
	if it.reject = emptyRecord(r, it.cols); it.reject != nil {
		return fs
	}
	fs = fields(fs, r, it.cols, it.header)
	rec := &it.rec
	*rec = record.Record{
		File: r.File, Line: r.Line, ID: r.Cell(it.cols.ID), Name: r.Cell(it.cols.Name),
		Address: r.Cell(it.cols.Address), Header: it.header, Cells: r.Cells, Warning: r.Warning,
		Result: scr.Screen(fs),
	}
	if len(it.cols.Scopes) > 0 {
		rec.Scope = r.Cell(it.cols.Scopes[0])
	}
	if r.Warning != "" {
		rec.Notes = append(rec.Notes, r.Warning)
	}
	if it.cols.ID >= 0 {
		if note := record.IDNote(rec.ID); note != "" {
			rec.Notes = append(rec.Notes, note)
			rec.BadID = true
			rec.ExcelID = strings.HasSuffix(note, record.ExcelMangledNote)
		}
	}
	if with.opts.Identify {
		rec.Key = record.Key(rec.ID, rec.Name)
		rec.FP = record.Fingerprint(rec.Name, rec.Scope)
	}
	if with.opts.Street != nil && (len(rec.Result.Hits) > 0 || with.opts.StreetForAll) {
		rec.Street = with.opts.Street(rec.Address)
	}
	with.exempt(rec)
	return fs
}

// emptyRecord rejects a row with neither a name nor any text to screen:
// there is no company in it to refer or clear.
func emptyRecord(r *input.Row, cols *input.Columns) *input.RowError {
	if cols.Name >= 0 && r.Cell(cols.Name) != "" {
		return nil
	}
	for _, c := range cols.Scopes {
		if r.Cell(c) != "" {
			return nil
		}
	}
	for _, c := range cols.Texts {
		if r.Cell(c) != "" {
			return nil
		}
	}
	return &input.RowError{File: r.File, Line: r.Line, Reason: "企业名称和经营范围都是空的，没有可筛查的内容", Raw: strings.Join(r.Cells, ",")}
}

// exempt applies the licence list and the consultation's decisions to a
// record that would be referred or reviewed, and attaches the company's
// latest decision for the workbook.
func (a *applied) exempt(rec *record.Record) {
	if d, ok := a.opts.Decisions[rec.Key]; ok && a.opts.Identify && rec.Key != "" {
		dec := d
		dec.Stale = d.FP != rec.FP
		rec.Decision = &dec
	}
	if !rec.Flagged() {
		return
	}
	switch {
	case a.opts.Exempt != nil && a.opts.Exempt.Contains(rec.ID, rec.Name):
		(&screen.Exemption{Kind: screen.ExemptLicensed, Source: a.opts.Exempt.Name}).Apply(&rec.Result)
	case rec.Decision != nil && rec.Decision.Status == record.StatusExcluded && !rec.Decision.Stale:
		d := rec.Decision
		(&screen.Exemption{Kind: screen.ExemptConsultation, Source: d.Source, Date: d.Date, By: d.Handler}).Apply(&rec.Result)
	}
}

// fields appends the texts to screen from a row to fs.
func fields(fs []screen.Field, row *input.Row, cols *input.Columns, header []string) []screen.Field {
	if cols.Name >= 0 {
		fs = append(fs, screen.Field{Name: "name", Text: row.Cell(cols.Name)})
	}
	for i, c := range cols.Scopes {
		name := "scope"
		if i > 0 && c < len(header) {
			name = header[c]
		}
		fs = append(fs, screen.Field{Name: name, Text: row.Cell(c)})
	}
	for _, c := range cols.Texts {
		name := fmt.Sprintf("第%d列", c+1)
		if c < len(header) && header[c] != "" {
			name = header[c]
		}
		fs = append(fs, screen.Field{Name: name, Text: row.Cell(c)})
	}
	return fs
}
