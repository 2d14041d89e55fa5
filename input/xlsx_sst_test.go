package input

import (
	"strings"
	"testing"
)

// Entries of every size around the chunk boundary come back whole: an
// entry that does not fit a chunk starts the next one, empty ones between.
func TestSharedStringsAcrossChunks(t *testing.T) {
	tab := &sharedStrings{bad: map[int]string{}}
	var want []string
	for i := 0; tab.held < 3*sstChunk; i++ {
		s := strings.Repeat(string(rune('a'+i%26)), (i*7919)%(MaxField+1))
		if i%5 == 0 {
			s = ""
		}
		if err := tab.add([]byte(s)); err != nil {
			t.Fatal(err)
		}
		want = append(want, s)
	}
	for i, w := range want {
		if got, why := tab.get(i); got != w || why != "" {
			t.Fatalf("entry %d: %d bytes (%q), want %d", i, len(got), why, len(w))
		}
	}
}

// What the table allocates is counted: past the limit it is refused.
func TestSharedStringsLimitHolds(t *testing.T) {
	tab := &sharedStrings{bad: map[int]string{}}
	entry := []byte(strings.Repeat("x", 1024))
	var err error
	for i := 0; i < 2*xlsxSSTLimit/1024 && err == nil; i++ {
		err = tab.add(entry)
	}
	if err != errSSTLimit {
		t.Fatalf("err %v, want the limit", err)
	}
	if tab.held > xlsxSSTLimit {
		t.Fatalf("held %d bytes, limit %d", tab.held, xlsxSSTLimit)
	}
}
