package output

import (
	"bytes"
	"fmt"
	"testing"
)

func TestVisibleShowsControlCharacters(t *testing.T) {
	for in, want := range map[string]string{
		"宁波理财":               "宁波理财",
		"宁\x1b[2J波":          `宁\x1b[2J波`,
		"a\u009b31mb":        `a\u009b31mb`,
		"a\rb\nc\td\x7f":     `a\x0db\x0ac` + "\t" + `d\x7f`,
		"\xff\x1b":           "\xff" + `\x1b`, // invalid UTF-8 passes as it is
		"中\u0085文":           `中\u0085文`,
		"¢ is not a control": "¢ is not a control",
	} {
		if got := Visible(in); got != want {
			t.Errorf("Visible(%q) = %q, want %q", in, got, want)
		}
	}
	var b bytes.Buffer
	fmt.Fprintf(VisibleWriter(&b), "%s\n", "甲\x1b]0;x\x07乙")
	if b.String() != `甲\x1b]0;x\x07乙`+"\n" {
		t.Errorf("VisibleWriter: %q", b.String())
	}
}
