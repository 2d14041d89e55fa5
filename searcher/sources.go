package searcher

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"os"
	"sync/atomic"
	"syscall"

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
	watch  []watched        // inputs read from regular files
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
	unchanged := func() error { return nil }
	if f, ok := s.file(in); ok {
		unchanged = f
	}
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
		if hn, ok := src.Source.(interface{ HeaderNote() string }); ok && hn.HeaderNote() != "" {
			// the "header" is a data row standing in for a damaged first line
			return fmt.Errorf("%s：%s；%w", display, hn.HeaderNote(), err)
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
			return unchanged()
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
			if reason := openReason(err); reason != "" {
				return nil, "", 0, nil, fmt.Errorf("无法打开输入文件 %s：%s", name, reason)
			}
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
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
			s.watch = append(s.watch, watched{in.Path, f, st})
		}
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

// watched is an input file with its size and time at open.
type watched struct {
	path string
	f    *os.File
	st   os.FileInfo
}

// file returns, for an input read from a regular file, a check that it
// did not change while it was read: its size and modification time at the
// end must be those at open, as tar checks ("file changed as we read
// it"). An export still being written when a nightly job starts would
// otherwise be stored as a complete, shorter night.
func (s *sources) file(in Input) (func() error, bool) {
	// The latest opening of the path: an input named twice (scan a.csv
	// a.csv) has its first handle closed by now.
	for i := len(s.watch) - 1; i >= 0; i-- {
		if w := s.watch[i]; w.path == in.Path && in.Reader == nil {
			return func() error {
				now, err := w.f.Stat()
				if err != nil {
					return fmt.Errorf("%s：读完后无法再次查看文件（%v），不能确认读取期间文件未被改动，已拒绝", w.path, err)
				}
				if now.Size() != w.st.Size() || !now.ModTime().Equal(w.st.ModTime()) {
					return fmt.Errorf("%s 在读取过程中被改动（大小 %d → %d 字节，修改时间 %s → %s）：可能仍在写入或被覆盖，读到的内容不完整，已拒绝；请等文件写完后重新运行",
						w.path, w.st.Size(), now.Size(), w.st.ModTime().Format("15:04:05.000"), now.ModTime().Format("15:04:05.000"))
				}
				return nil
			}, true
		}
	}
	return nil, false
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

// openReason words the opening errors the command does not (it words a
// missing file, a denied one …) in Chinese, with what to do; "" for others.
func openReason(err error) string {
	switch {
	case errors.Is(err, syscall.ELOOP):
		return "符号链接层数过多（链接可能指向自身，形成循环），请检查链接指向的文件"
	case errors.Is(err, syscall.ENAMETOOLONG):
		return "文件名过长（超过系统允许的长度），请把文件改个短一些的名字"
	case errors.Is(err, syscall.EMFILE), errors.Is(err, syscall.ENFILE):
		return "同时打开的文件过多（超过系统上限，见 ulimit -n），请关闭其他程序或减少一次给出的文件数后重试"
	}
	return ""
}
