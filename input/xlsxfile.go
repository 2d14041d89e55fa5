package input

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
)

// openXLSX reads a workbook from r: an *os.File is read in place, anything
// else (standard input) is first copied to a temporary file, which is
// removed at once where the system allows and otherwise at Close.
func openXLSX(r io.Reader, name, sheet string, noHeader bool) (*XLSXSource, error) {
	if f, ok := r.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
			return openXLSXAt(&pacedFile{f: f}, st.Size(), nil, name, sheet, noHeader)
		}
	}
	f, size, err := spool(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return openXLSXAt(&pacedFile{f: f}, size, func() error {
		err := f.Close()
		os.Remove(f.Name())
		return err
	}, name, sheet, noHeader)
}

// openXLSXFile opens the workbook at path. r is the caller's reader over
// the same file (hashing, counting progress): the source reads it through
// as the sheet is read, and to its end by EOF or Close, so whatever wraps
// r sees every byte of the file exactly once.
func openXLSXFile(path string, r io.Reader, name, sheet string, noHeader bool) (*XLSXSource, error) {
	f, size, err := openSized(path)
	if err != nil {
		return nil, err
	}
	return openXLSXAt(&pacedFile{f: f, follow: r}, size, f.Close, name, sheet, noHeader)
}

// openSized opens a file with its size, which a zip's directory is found by.
func openSized(path string) (*os.File, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	return f, st.Size(), nil
}

func openXLSXAt(pf *pacedFile, size int64, closeFn func() error, name, sheet string, noHeader bool) (*XLSXSource, error) {
	b, err := newWorkbook(pf, size, name)
	if err != nil {
		pf.drainAll()
		if closeFn != nil {
			closeFn()
		}
		return nil, err
	}
	b.pf = pf
	b.close = func() error {
		pf.drainAll()
		if closeFn != nil {
			return closeFn()
		}
		return nil
	}
	pf.start() // from here on, reads are in file order: follow them with r
	s, err := b.Sheet(sheet, noHeader)
	if err != nil {
		b.Close()
		return nil, err
	}
	s.own = true
	return s, nil
}

// drained says the sheet was read to its end: the caller's reader is read
// to the end too, so that its progress shows the whole file.
func (b *Workbook) drained() {
	if b.pf != nil {
		b.pf.drainAll()
	}
}

// spool copies r to an unlinked temporary file, up to the unzip limit.
func spool(r io.Reader) (*os.File, int64, error) {
	f, err := os.CreateTemp("", "regscreen-xlsx-*")
	if err != nil {
		return nil, 0, fmt.Errorf("无法创建临时文件: %w", err)
	}
	n, err := io.Copy(f, io.LimitReader(r, xlsxUnzipLimit+1))
	if err == nil && n > xlsxUnzipLimit {
		err = fmt.Errorf("输入超过 %s 的上限", sizeText(xlsxUnzipLimit))
	}
	if err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, 0, fmt.Errorf("读取输入: %w", err)
	}
	os.Remove(f.Name()) // fails on Windows while open; Close removes it there
	return f, n, nil
}

// pacedFile is the file as an io.ReaderAt that, once started, also reads
// the caller's reader over the same bytes up to the furthest offset read,
// so that progress follows the sheet and a hash sees the file. Safe for
// the read-ahead goroutine and the caller at once.
type pacedFile struct {
	f      *os.File
	mu     sync.Mutex
	follow io.Reader
	done   int64
	on     bool
}

func (p *pacedFile) ReadAt(b []byte, off int64) (int, error) {
	n, err := p.f.ReadAt(b, off)
	p.mu.Lock()
	if p.on {
		p.drainTo(off + int64(n))
	}
	p.mu.Unlock()
	return n, err
}

func (p *pacedFile) start() {
	p.mu.Lock()
	p.on = true
	p.mu.Unlock()
}

func (p *pacedFile) drainTo(upto int64) {
	if p.follow == nil || upto <= p.done {
		return
	}
	m, err := io.CopyN(io.Discard, p.follow, upto-p.done)
	p.done += m
	if err != nil {
		p.follow = nil
	}
}

func (p *pacedFile) drainAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.follow != nil {
		io.Copy(io.Discard, p.follow)
		p.follow = nil
	}
}

// readAhead inflates the sheet on its own goroutine, a few buffers ahead
// of the scanner: on two cores, inflating and scanning overlap.
type aheadReader struct {
	src  io.ReadCloser
	full chan aheadChunk
	free chan []byte
	stop chan struct{}
	wg   sync.WaitGroup
	cur  aheadChunk
	off  int
	once sync.Once
}

type aheadChunk struct {
	b   []byte
	err error
}

const aheadBufs, aheadSize = 4, 256 << 10

func readAhead(src io.ReadCloser) *aheadReader {
	a := &aheadReader{src: src, full: make(chan aheadChunk, aheadBufs), free: make(chan []byte, aheadBufs), stop: make(chan struct{})}
	for range aheadBufs {
		a.free <- make([]byte, aheadSize)
	}
	a.wg.Add(1)
	go a.run()
	return a
}

func (a *aheadReader) run() {
	defer a.wg.Done()
	for {
		var buf []byte
		select {
		case buf = <-a.free:
		case <-a.stop:
			return
		}
		n, err := io.ReadFull(a.src, buf)
		if errors.Is(err, io.ErrUnexpectedEOF) {
			err = io.EOF
		}
		select {
		case a.full <- aheadChunk{buf[:n], err}:
		case <-a.stop:
			return
		}
		if err != nil {
			return
		}
	}
}

func (a *aheadReader) Read(p []byte) (int, error) {
	for a.off == len(a.cur.b) {
		if a.cur.err != nil {
			return 0, a.cur.err
		}
		if a.cur.b != nil {
			a.free <- a.cur.b[:cap(a.cur.b)]
		}
		a.cur, a.off = <-a.full, 0
	}
	n := copy(p, a.cur.b[a.off:])
	a.off += n
	return n, nil
}

// Close stops the goroutine and closes the part.
func (a *aheadReader) Close() error {
	a.once.Do(func() { close(a.stop) })
	a.wg.Wait()
	return a.src.Close()
}
