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
		// As OpenCSV reads: through lineEnds, here a byte at a time so
		// that every CR falls at the end of a read.
		p := newCSVParser(&lineEnds{r: iotest.OneByteReader(bytes.NewReader(data))}, ',')
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
	f.Fuzz(func(t *testing.T, data []byte) {
		theirs := parseAll(t, data, false)
		for _, p := range theirs {
			if p.err {
				return // damaged input: compared by the tests below instead
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

// BenchmarkLineEnds: what lineEnds costs the reading goroutine, over an
// export saved with CRLF (a stop at each line's CR) and one with LF (one
// search for CR), against a reader that only passes reads on.
func BenchmarkLineEnds(b *testing.B) {
	sample, err := os.ReadFile(fixture.Path("sample.csv"))
	if err != nil {
		b.Fatal(err)
	}
	lf := bytes.Repeat(bytes.ReplaceAll(sample, []byte("\r\n"), []byte("\n")), (4<<20)/len(sample))
	crlf := bytes.ReplaceAll(lf, []byte("\n"), []byte("\r\n"))
	for _, tc := range []struct {
		name string
		data []byte
		wrap func(io.Reader) io.Reader
	}{
		{"passthrough-crlf", crlf, func(r io.Reader) io.Reader { return struct{ io.Reader }{r} }},
		{"lineEnds-crlf", crlf, func(r io.Reader) io.Reader { return &lineEnds{r: r} }},
		{"lineEnds-lf", lf, func(r io.Reader) io.Reader { return &lineEnds{r: r} }},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(int64(len(tc.data)))
			buf := make([]byte, 64<<10)
			for b.Loop() {
				if _, err := io.CopyBuffer(io.Discard, tc.wrap(bytes.NewReader(tc.data)), buf); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// FuzzLineEnds: lineEnds turns exactly the lone CRs into LF and passes
// every other byte, however the reads fall (a byte at a time, or half of
// what is asked).
func FuzzLineEnds(f *testing.F) {
	f.Add([]byte("a\rb\r\nc\n\r\r\n\r"))
	f.Add([]byte("\r"))
	f.Fuzz(func(t *testing.T, data []byte) {
		want := append([]byte(nil), data...)
		for i, c := range want {
			if c == '\r' && (i+1 == len(want) || want[i+1] != '\n') {
				want[i] = '\n'
			}
		}
		for _, r := range []io.Reader{iotest.OneByteReader(bytes.NewReader(data)), iotest.HalfReader(bytes.NewReader(data)), bytes.NewReader(data)} {
			got, err := io.ReadAll(&lineEnds{r: r})
			if err != nil || !bytes.Equal(got, want) {
				t.Fatalf("%q → %q (%v), want %q", data, got, err, want)
			}
		}
	})
}
