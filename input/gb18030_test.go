package input

import (
	"bytes"
	"io"
	"os"
	"testing"
	"testing/iotest"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"

	"github.com/regscreen/regscreen/internal/fixture"
)

// FuzzGBDecoderMatchesXText: our decoder's text equals x/text's for any
// bytes, read through a transform.Reader as the CSV reader does.
func FuzzGBDecoderMatchesXText(f *testing.F) {
	data, err := os.ReadFile(fixture.Path("exports/gbk-title.csv"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte("\x81\x30\x81\x30\x80\xff\x81\x7f\x81"))
	f.Add([]byte("\x95\x32\x82\x36理财"))
	f.Add([]byte("\xf9\x30\x82\x30\x82\x30\xb2\x30")) // past the last code point, then a valid one
	f.Fuzz(func(t *testing.T, b []byte) {
		if xtextQuirk(b) {
			t.Skip("x/text takes 0x3A–0x3F as a four-byte sequence's second byte; GB18030 does not")
		}
		want, _ := io.ReadAll(transform.NewReader(bytes.NewReader(b), simplifiedchinese.GB18030.NewDecoder()))
		got, err := io.ReadAll(transform.NewReader(bytes.NewReader(b), gbDecoder{}))
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("decoded %q, x/text %q (err %v) from %x", got, want, err, b)
		}
		// The reader the CSV source uses, fed a byte at a time and read
		// into buffers of every small size, gives the same text.
		for _, size := range []int{1, 2, 3, 5, 64} {
			var out []byte
			r := newGBReader(iotest.OneByteReader(bytes.NewReader(b)))
			buf := make([]byte, size)
			for {
				n, err := r.Read(buf)
				out = append(out, buf[:n]...)
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatalf("read size %d: %v", size, err)
				}
			}
			if !bytes.Equal(out, want) {
				t.Fatalf("gbReader (reads of %d) decoded %q, x/text %q from %x", size, out, want, b)
			}
		}
	})
}

// xtextQuirk reports a lead byte followed by 0x3A–0x3F: x/text decodes
// that as the start of a four-byte sequence (it checks the second byte
// against 0x40, not 0x3A), while GB18030 and the WHATWG decoder allow only
// 0x30–0x39 there. We keep to the standard, so a corrupt pair becomes U+FFFD
// and its row is flagged instead of turning into an unrelated character.
func xtextQuirk(b []byte) bool {
	for i := 0; i+1 < len(b); i++ {
		if b[i] >= 0x81 && b[i] <= 0xFE && b[i+1] >= 0x3A && b[i+1] <= 0x3F {
			return true
		}
	}
	return false
}

func TestGBDecoderKeepsToTheStandard(t *testing.T) {
	got, err := io.ReadAll(transform.NewReader(bytes.NewReader([]byte("00000000\xbd\x3d\x83\x30")), gbDecoder{}))
	if err != nil || string(got) != "00000000\ufffd=\ufffd0" {
		t.Fatalf("decoded %q (err %v), want the corrupt pair as U+FFFD", got, err)
	}
}

// BenchmarkGBDecode decodes a GB18030 record like the generator's.
func BenchmarkGBDecode(b *testing.B) {
	src, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(scope))
	if err != nil {
		b.Fatal(err)
	}
	src = bytes.Repeat(src, 64)
	dst := make([]byte, 4*len(src))
	b.SetBytes(int64(len(src)))
	for i := 0; i < b.N; i++ {
		if _, _, err := (gbDecoder{}).Transform(dst, src, true); err != nil {
			b.Fatal(err)
		}
	}
}

// A GB18030 BOM is dropped like a UTF-8 one: it must not end up in the
// first header cell (and from there in every output header).
func TestGB18030BOMIsDropped(t *testing.T) {
	body, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte("企业名称,经营范围\n宁波某某理财咨询有限公司,理财咨询\n"))
	if err != nil {
		t.Fatal(err)
	}
	src, err := OpenCSV(bytes.NewReader(append([]byte{0x84, 0x31, 0x95, 0x33}, body...)), "bom.csv", csvOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if src.Encoding() != EncGB18030 || src.Header()[0] != "企业名称" {
		t.Fatalf("encoding %s, header %q", src.Encoding(), src.Header())
	}
}

// A source that returns its last bytes together with io.EOF (as
// iotest.DataErrReader does) and a cut character at the very end: the
// reader decodes everything, the cut byte as U+FFFD, as x/text does.
func TestGBReaderDataWithEOF(t *testing.T) {
	src, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte("企业名称,理财咨询\n"))
	if err != nil {
		t.Fatal(err)
	}
	src = append(src, 0xC6) // the first byte of a two-byte character, cut off
	want, _ := io.ReadAll(transform.NewReader(bytes.NewReader(src), simplifiedchinese.GB18030.NewDecoder()))
	got, err := io.ReadAll(newGBReader(iotest.DataErrReader(bytes.NewReader(src))))
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("decoded %q (err %v), want %q", got, err, want)
	}
}
