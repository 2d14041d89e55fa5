package input

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"math/rand"
	"os"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"

	"github.com/regscreen/regscreen/internal/fixture"
)

type parsed struct {
	cells []string
	line  int
	err   bool
}

func parseAll(t *testing.T, data []byte, ours bool) []parsed {
	var out []parsed
	if ours {
		// A byte at a time, so that every CR falls at the end of a read.
		p := newCSVParser(iotest.OneByteReader(bytes.NewReader(data)), ',')
		for {
			cells, line, _, err := p.read()
			if err == io.EOF {
				return out
			}
			var pe *parseError
			if err != nil && !errors.As(err, &pe) {
				t.Fatalf("unexpected error %v", err)
			}
			out = append(out, parsed{cells, line, err != nil})
			if len(out) > len(data)+2 {
				t.Fatalf("parser does not advance")
			}
		}
	}
	// encoding/csv keeps a lone CR as data; we end the line there, as
	// Excel and Python do: the contract is encoding/csv's reading of the
	// text with every line end made LF.
	unified := bytes.ReplaceAll(bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n")), []byte("\r"), []byte("\n"))
	r := csv.NewReader(bytes.NewReader(unified))
	r.FieldsPerRecord = -1
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return out
		}
		var line int
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			line = pe.StartLine
		} else {
			line, _ = r.FieldPos(0)
		}
		out = append(out, parsed{rec, line, err != nil})
	}
}

// FuzzParserMatchesEncodingCSV: on input encoding/csv reads without error,
// our parser gives the same records at the same lines; on damaged input it
// rejects at least as much and never loses the records after a runaway.
func FuzzParserMatchesEncodingCSV(f *testing.F) {
	for _, name := range []string{"sample.csv", "exports/damaged.csv"} {
		data, err := os.ReadFile(fixture.Path(name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("a,\"b\nc\",d\r\n\n\"e\"\"f\",\n,,\n"))
	f.Add([]byte("a,\"b,c\n"))
	f.Add([]byte("a,b\nc,d\re,\"f\rg\"\r\nh,i\r"))
	// A quoted field over maxQuotedLines lines: encoding/csv reads it, we
	// refuse it as a runaway quote on purpose (TestRunawayQuoteLosesOnlyItsRecord).
	f.Add([]byte("a,\"" + strings.Repeat("b\n", maxQuotedLines) + "\"\nc,d\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		theirs := parseAll(t, data, false)
		for _, p := range theirs {
			if p.err {
				return // damaged input: compared by the tests below instead
			}
			if breaks := strings.Count(strings.Join(p.cells, ""), "\n"); breaks >= maxQuotedLines-1 {
				return // a span we refuse by design, as above
			}
		}
		ours := parseAll(t, data, true)
		if len(ours) != len(theirs) {
			t.Fatalf("%d records, encoding/csv %d\n%q", len(ours), len(theirs), data)
		}
		for i := range ours {
			if ours[i].err || ours[i].line != theirs[i].line || strings.Join(ours[i].cells, "\x00") != strings.Join(theirs[i].cells, "\x00") {
				t.Fatalf("record %d: %+v, encoding/csv %+v\n%q", i, ours[i], theirs[i], data)
			}
		}
	})
}

func TestRunawayQuoteLosesOnlyItsRecord(t *testing.T) {
	data := "企业名称,经营范围\n宁波甲有限公司,\"理财咨询\n宁波乙有限公司,金融信息服务\n宁波丙有限公司,五金\n"
	got := parseAll(t, []byte(data), true)
	if len(got) != 4 || !got[1].err || got[1].line != 2 || got[2].err || got[2].cells[0] != "宁波乙有限公司" || got[3].line != 4 {
		t.Fatalf("%+v", got)
	}
}

// Records share the parser's chunks: growing one record's cells (as the
// width check does for a short row) must not write into the next one's.
func TestRecordsDoNotShareCells(t *testing.T) {
	p := newCSVParser(strings.NewReader("a,b\nc,d\n"), ',')
	first, _, _, err := p.read()
	if err != nil {
		t.Fatal(err)
	}
	second, _, _, err := p.read()
	if err != nil {
		t.Fatal(err)
	}
	first = append(first, "padding")
	if strings.Join(second, ",") != "c,d" || strings.Join(first, ",") != "a,b,padding" {
		t.Fatalf("records overlap: %q %q", first, second)
	}
}

// splitQuotedLine, the path of a record with quotes on one line, reads
// every line as readQuoted does (cells, line, raw text, errors, and the
// record after it), on lines made of quotes, delimiters and text.
func TestQuotedLineMatchesReadQuoted(t *testing.T) {
	pieces := []string{`"`, `""`, `,`, `a`, `理财`, ` `, `"5,000(万元)"`, `""""`}
	r := rand.New(rand.NewSource(1))
	for n := 0; n < 1500; n++ {
		var b strings.Builder
		b.WriteString(`"`)
		for k := r.Intn(8); k > 0; k-- {
			b.WriteString(pieces[r.Intn(len(pieces))])
		}
		data := b.String() + "\n" + `x,"y"` + "\n"
		fast := newCSVParser(strings.NewReader(data), ',')
		slow := newCSVParser(strings.NewReader(data), ',')
		for rec := 0; rec < 3; rec++ {
			c1, l1, raw1, err1 := fast.read()
			var c2 []string
			var l2 int
			var raw2 string
			var err2 error
			if rec == 0 {
				pl, _ := slow.readLine()
				c2, l2, raw2, err2 = slow.readQuoted(pl)
			} else {
				c2, l2, raw2, err2 = slow.read()
			}
			if strings.Join(c1, "\x00") != strings.Join(c2, "\x00") || len(c1) != len(c2) || l1 != l2 || raw1 != raw2 || (err1 == nil) != (err2 == nil) {
				t.Fatalf("%q record %d: %q %d %q %v, readQuoted %q %d %q %v", data, rec, c1, l1, raw1, err1, c2, l2, raw2, err2)
			}
		}
	}
}

// BenchmarkLineReader: what finding lines costs the reading goroutine,
// over an export saved with CRLF and one with LF.
func BenchmarkLineReader(b *testing.B) {
	sample, err := os.ReadFile(fixture.Path("sample.csv"))
	if err != nil {
		b.Fatal(err)
	}
	lf := bytes.Repeat(bytes.ReplaceAll(sample, []byte("\r\n"), []byte("\n")), (4<<20)/len(sample))
	crlf := bytes.ReplaceAll(lf, []byte("\n"), []byte("\r\n"))
	for _, tc := range []struct {
		name string
		data []byte
	}{{"crlf", crlf}, {"lf", lf}} {
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(int64(len(tc.data)))
			for b.Loop() {
				lr := newLineReader(bytes.NewReader(tc.data))
				for {
					if _, _, _, err := lr.readLine(MaxLine); err != nil {
						break
					}
				}
			}
		})
	}
}

// lineEnds is the model the line reader is held to (it was the reader's
// first wrapper): every lone CR (one not followed by LF) made an LF,
// wherever it appears, CRLF passed as it is.
type lineEnds struct {
	r    io.Reader
	held bool // the last read ended in a CR, to be decided by the next byte
}

func (c *lineEnds) Read(p []byte) (int, error) {
	if len(p) < 2 {
		return 0, io.ErrShortBuffer // room for a held CR and a byte after it
	}
	for {
		off := 0
		if c.held {
			p[0], off = '\r', 1
		}
		m, err := c.r.Read(p[off:])
		n := off + m
		c.held = false
		for i := 0; i < n; {
			j := bytes.IndexByte(p[i:n], '\r')
			if j < 0 {
				break
			}
			i += j
			switch {
			case i+1 < n:
				if p[i+1] != '\n' {
					p[i] = '\n'
				}
			case err != nil: // a CR ends the input
				p[i] = '\n'
			default: // the byte after it is still to come
				c.held = true
				n--
			}
			i++
		}
		if n > 0 || err != nil {
			return n, err
		}
	}
}

// readLines reads every line of r with the line reader, each line
// followed by "|" and a mark for a line cut short.
func readLines(t *testing.T, r io.Reader, limit int) string {
	lr := newLineReader(r)
	var b strings.Builder
	for {
		line, long, eol, err := lr.readLine(limit)
		if err == io.EOF {
			return b.String()
		}
		if err != nil {
			t.Fatal(err)
		}
		b.Write(line)
		if long {
			b.WriteString("…")
		}
		if !eol {
			b.WriteString("(no eol)")
		}
		b.WriteString("|")
	}
}

// FuzzLineReader: the line reader ends lines where lineEnds makes LFs
// (and drops a CR before an LF), however the reads fall (a byte at a
// time, or half of what is asked), and cuts a line past the limit.
func FuzzLineReader(f *testing.F) {
	f.Add([]byte("a\rb\r\nc\n\r\r\n\r"), 3)
	f.Add([]byte("\r"), 1)
	f.Add([]byte("abcdef\r\nxy"), 2)
	f.Fuzz(func(t *testing.T, data []byte, limit int) {
		if limit < rawKeep {
			limit = 1 << 20 // the cut start of a long line is rawKeep bytes
		}
		checkLineReader(t, data, limit)
	})
}

// Over many chunks, with line ends of every kind mixed at random (long
// runs of LF only, where a read is searched for CR once, and runs with
// CRs), the line reader still ends lines where lineEnds makes LFs.
func TestLineReaderAcrossChunks(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	var b bytes.Buffer
	ends := []string{"\n", "\r\n", "\r"}
	for b.Len() < 3*lineChunk*8 {
		kind := r.Intn(4) // 0: LF only for a while; else any
		for k := r.Intn(300); k > 0; k-- {
			b.WriteString(strings.Repeat("理财a,", r.Intn(40)))
			if kind == 0 {
				b.WriteString("\n")
			} else {
				b.WriteString(ends[r.Intn(3)])
			}
		}
	}
	checkLineReader(t, b.Bytes(), MaxLine)
}

// checkLineReader holds the line reader to lineEnds on data.
func checkLineReader(t *testing.T, data []byte, limit int) {
	t.Helper()
	{
		conv, err := io.ReadAll(&lineEnds{r: bytes.NewReader(data)})
		if err != nil {
			t.Fatal(err)
		}
		var want strings.Builder
		for _, l := range bytes.SplitAfter(conv, []byte("\n")) {
			if len(l) == 0 {
				break
			}
			eol := bytes.HasSuffix(l, []byte("\n"))
			n := len(l)
			l = bytes.TrimSuffix(bytes.TrimSuffix(l, []byte("\n")), []byte("\r"))
			if n > limit {
				l = l[:rawKeep]
				for !utf8.Valid(l) && len(l) > rawKeep-utf8.UTFMax {
					l = l[:len(l)-1]
				}
				want.Write(l)
				want.WriteString("…")
			} else {
				want.Write(l)
			}
			if !eol {
				want.WriteString("(no eol)")
			}
			want.WriteString("|")
		}
		for _, r := range []io.Reader{iotest.OneByteReader(bytes.NewReader(data)), iotest.HalfReader(bytes.NewReader(data)), bytes.NewReader(data)} {
			if got := readLines(t, r, limit); got != want.String() {
				t.Fatalf("%.200q → %.200q, want %.200q", data, got, want.String())
			}
		}
	}
}

// Lines past the limit, however long, are cut to their start and the
// line after them read whole, with a lone CR, CRLF or LF between them.
func TestLineReaderLongLines(t *testing.T) {
	for _, end := range []string{"\n", "\r\n", "\r"} {
		long := strings.Repeat("理财", 3<<20) // 18 MiB, over MaxLine
		data := "a,b" + end + long + end + "c,d" + end + long
		got := readLines(t, strings.NewReader(data), MaxLine)
		keep := long[:rawKeep-rawKeep%3]
		if want := "a,b|" + keep + "…|c,d|" + keep + "…(no eol)|"; got != want {
			t.Fatalf("%q: got %.80q…", end, got)
		}
	}
}
