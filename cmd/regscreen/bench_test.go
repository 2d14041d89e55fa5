package main

import (
	"io"
	"strings"
	"testing"
)

// BenchmarkCheckCommand is `check` on one name without a hit, in process:
// parsing flags, loading the dictionary, building the prefilter, screening
// and printing. Set against the whole process's time (make bench), it shows
// how little of that is check's own work.
func BenchmarkCheckCommand(b *testing.B) {
	for b.Loop() {
		if code := Run([]string{"check", "宁波某某五金有限公司"}, &IOStreams{In: strings.NewReader(""), Out: io.Discard, ErrOut: io.Discard}); code != exitClean {
			b.Fatalf("exit %d", code)
		}
	}
}
