package searcher

import (
	"cmp"
	"fmt"
	"io"
	"os"
	"sync/atomic"

	"github.com/cespare/xxhash/v2"

	"github.com/regscreen/regscreen/input"
	"github.com/regscreen/regscreen/record"
)

// StdinName is how standard input is named in messages and reports.
const StdinName = "<标准输入>"

// sources opens each input in turn and yields its rows as items.
type sources struct {
	opts   *Options
	sum    *Summary
	hashes []*xxhash.Digest // per input, when asked for
}

func (s *sources) each(emit func(item) error) error {
	for _, in := range s.opts.Inputs {
		if err := s.one(in, emit); err != nil {
			return err
		}
	}
	return nil
}

func (s *sources) one(in Input, emit func(item) error) error {
	r, display, size, closeFn, err := s.open(in)
	if err != nil {
		return err
	}
	defer closeFn()
	iopts := s.opts.Input
	iopts.DeferChecks = true
	path := in.Path
	if in.Reader != nil {
		path = "-" // read from the stream, whatever its name
	}
	src, err := input.Open(path, r, display, iopts)
	if err != nil {
		return err
	}
	defer src.Close()
	s.sum.Inputs = append(s.sum.Inputs, record.Input{Name: display, Format: src.Info.Format,
		Encoding: src.Info.Encoding, Sheet: src.Info.Sheet, Size: size, Notes: src.Info.Notes})
	s.sum.TitleRows += src.Info.TitleRows
	cols, err := input.MapColumns(src.Header(), s.opts.Columns)
	if err != nil {
		if src.HeaderLine() == 0 { // --no-header: the columns were given by number
			return fmt.Errorf("%s: %w", display, err)
		}
		return fmt.Errorf("%s 第 %d 行（表头）: %w", display, src.HeaderLine(), err)
	}
	if len(cols.Notes) > 0 {
		in := &s.sum.Inputs[len(s.sum.Inputs)-1]
		in.Notes = append(in.Notes, cols.Notes...)
	}
	header := src.Header()
	if header == nil {
		header = make([]string, 0)
	}
	if s.sum.Header == nil {
		s.sum.Header = header
	}
	// The checker is one method value for the whole file, not one a row.
	var check func(*input.Row) *input.RowError
	if rc, ok := src.Source.(input.RowChecker); ok {
		check = rc.CheckRow
	}
	for {
		row, err := src.Next()
		if err == io.EOF {
			return nil
		}
		if re, ok := input.IsRowError(err); ok {
			if err := emit(item{reject: re}); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return err
		}
		if err := emit(item{row: row, cols: &cols, header: header, check: check}); err != nil {
			return err
		}
	}
}

// open opens one input, wrapped to count and hash what is read.
func (s *sources) open(in Input) (r io.Reader, display string, size int64, closeFn func(), err error) {
	closeFn = func() {}
	name := in.Path
	if in.Reader != nil {
		r, display = in.Reader, in.Name
	} else {
		f, err := os.Open(name)
		if err != nil {
			return nil, "", 0, nil, fmt.Errorf("打开输入文件: %w", err)
		}
		if st, err := f.Stat(); err == nil {
			if st.IsDir() {
				f.Close()
				return nil, "", 0, nil, fmt.Errorf("%s 是目录，不是文件；请给出目录中的导出文件", name)
			}
			size = st.Size()
		}
		r, display, closeFn = f, cmp.Or(in.Name, name), func() { f.Close() }
	}
	if s.opts.ReadBytes != nil {
		r = countingReader{r, s.opts.ReadBytes}
	}
	if s.opts.Hash {
		// xxHash64, on the reading goroutine: at over 10 GB/s it costs
		// 60 ms over a 600 MB export, where SHA-256 (on a goroutine of
		// its own) cost 0.4 s of CPU on a machine whose cores were both
		// busy screening. The hash tells which file a run read; it is no
		// defence against a forger.
		h := xxhash.New()
		s.hashes = append(s.hashes, h)
		r = io.TeeReader(r, h)
	}
	return r, display, size, closeFn, nil
}

// finish records each input's hash once reading is over.
func (s *sources) finish() {
	for i := range s.sum.Inputs {
		if i < len(s.hashes) {
			s.sum.Inputs[i].Hash = fmt.Sprintf("%016x", s.hashes[i].Sum64())
		}
	}
}

// countingReader counts the bytes read.
type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}
