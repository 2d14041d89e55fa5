package report

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/regscreen/regscreen/output"
	"github.com/regscreen/regscreen/record"
	"github.com/regscreen/regscreen/screen"
)

// NoStreet names the workbook of records whose address names no street;
// rejected rows, which have no address, are counted there too.
const NoStreet = "未识别街道"

// SplitWriter writes one workbook per street/town. Records are spooled to
// one temporary file with an index of offsets by street, and the workbooks
// are written one at a time at Finish, so memory holds one workbook
// whatever the number of streets.
type SplitWriter struct {
	meta   Meta
	create func(path string) (io.Writer, error)
	dir    string
	spool  *os.File
	buf    *bufio.Writer
	off    int64
	index  map[string][]int64 // street → offsets of its spooled records
	counts map[string]*screen.Counts
	// unwritten counts the records a workbook only counts (cleared ones
	// without --all), by street and verdict.
	unwritten map[string]map[screen.Verdict]int
}

// NewSplitWriter writes the workbooks into dir through create, which
// makes a file that appears whole once the run commits.
func NewSplitWriter(meta Meta, dir string, create func(path string) (io.Writer, error)) (*SplitWriter, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("创建输出目录 %s: %w", dir, err)
	}
	spool, err := os.CreateTemp(meta.TmpDir, "regscreen-split-*")
	if err != nil {
		return nil, fmt.Errorf("创建临时文件: %w", err)
	}
	return &SplitWriter{meta: meta, create: create, dir: dir, spool: spool, buf: bufio.NewWriterSize(spool, 1<<20),
		index: map[string][]int64{}, counts: map[string]*screen.Counts{}, unwritten: map[string]map[screen.Verdict]int{}}, nil
}

func (s *SplitWriter) Write(r *record.Record) error {
	street := r.Street
	if street == "" {
		street = NoStreet
	}
	c := s.counts[street]
	if c == nil {
		c = &screen.Counts{}
		s.counts[street] = c
	}
	c.Add(r.Result.Verdict)
	if !r.Flagged() && !s.meta.All {
		if s.unwritten[street] == nil {
			s.unwritten[street] = map[screen.Verdict]int{}
		}
		s.unwritten[street][r.Result.Verdict]++
		return nil
	}
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	s.index[street] = append(s.index[street], s.off)
	n, err := s.buf.Write(append(b, '\n'))
	s.off += int64(n)
	return err
}

// Finish writes every workbook, one at a time; each one's 运行信息 counts
// its own records.
func (s *SplitWriter) Finish(info output.RunInfo) error {
	if err := s.buf.Flush(); err != nil {
		return fmt.Errorf("写临时文件: %w", err)
	}
	if info.Rejected > 0 && s.counts[NoStreet] == nil {
		s.counts[NoStreet] = &screen.Counts{}
	}
	streets := make([]string, 0, len(s.counts))
	for street := range s.counts {
		streets = append(streets, street)
	}
	sort.Strings(streets)
	used := map[string]bool{}
	for _, street := range streets {
		own := info
		own.Counts = *s.counts[street]
		if street == NoStreet {
			own.Read += info.Rejected
			own.Rejected = info.Rejected
		}
		if err := s.writeBook(street, bookName(street, used), own); err != nil {
			return err
		}
	}
	return nil
}

// unsafeInName are the characters a file name cannot hold on Windows.
var unsafeInName = strings.NewReplacer("/", "_", "\\", "_", ":", "_", "*", "_", "?", "_", "\"", "_", "<", "_", ">", "_", "|", "_")

// bookName names a street's workbook, unique within the run: streets that
// differ only in characters a file name cannot hold (A/B, A:B) or only in
// case (which Windows and macOS do not tell apart) would otherwise share a
// file, the last written winning. used holds the names given, folded.
func bookName(street string, used map[string]bool) string {
	base := "会商名单-" + unsafeInName.Replace(street)
	name := base + ".xlsx"
	for i := 2; used[strings.ToLower(name)]; i++ {
		name = fmt.Sprintf("%s（%d）.xlsx", base, i)
	}
	used[strings.ToLower(name)] = true
	return name
}

func (s *SplitWriter) writeBook(street, name string, info output.RunInfo) error {
	out, err := s.create(filepath.Join(s.dir, name))
	if err != nil {
		return err
	}
	wb, err := New(s.meta, out)
	if err != nil {
		return err
	}
	for v, n := range s.unwritten[street] {
		wb.stats.byVerdict[v] += n
	}
	rd := bufio.NewReader(s.spool)
	for _, off := range s.index[street] {
		if _, err := s.spool.Seek(off, io.SeekStart); err != nil {
			wb.Abort()
			return err
		}
		rd.Reset(s.spool)
		line, err := rd.ReadBytes('\n')
		if err != nil {
			wb.Abort()
			return fmt.Errorf("读临时文件: %w", err)
		}
		var r record.Record
		if err := json.Unmarshal(line, &r); err != nil {
			wb.Abort()
			return fmt.Errorf("读临时文件: %w", err)
		}
		if err := wb.Write(&r); err != nil {
			wb.Abort()
			return err
		}
	}
	if err := wb.Finish(info); err != nil {
		return fmt.Errorf("写入 %s 的工作簿: %w", street, err)
	}
	// A finished workbook waits for the run to commit closed: with one
	// file open per street, 1,024 streets went past ulimit -n.
	if p, ok := out.(interface{ Park() error }); ok {
		return p.Park()
	}
	return nil
}

// Abort removes the spool file.
func (s *SplitWriter) Abort() {
	s.spool.Close()
	os.Remove(s.spool.Name())
}
