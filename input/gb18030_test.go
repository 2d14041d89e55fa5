package input

import (
	"bytes"
	"io"
	"os"
	"testing"

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
	f.Fuzz(func(t *testing.T, b []byte) {
		want, _ := io.ReadAll(transform.NewReader(bytes.NewReader(b), simplifiedchinese.GB18030.NewDecoder()))
		got, err := io.ReadAll(transform.NewReader(bytes.NewReader(b), gbDecoder{}))
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("decoded %q, x/text %q (err %v) from %x", got, want, err, b)
		}
	})
}
