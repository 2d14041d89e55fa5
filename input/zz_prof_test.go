package input

import (
	"fmt"
	"io"
	"os"
	"testing"
)

func TestZZProf(t *testing.T) {
	p := os.Getenv("XLSX_PROF")
	if p == "" {
		t.Skip()
	}
	f, _ := os.Open(p)
	src, err := OpenXLSX(f, p, os.Getenv("XLSX_SHEET"), false)
	if err != nil {
		t.Fatal(err)
	}
	n, bad := 0, 0
	for {
		_, err := src.Next()
		if err == io.EOF {
			break
		}
		if _, ok := IsRowError(err); ok {
			bad++
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	t.Logf("rows %d bad %d", n, bad)
}

func TestZZInflate(t *testing.T) {
	p := os.Getenv("XLSX_INFLATE")
	if p == "" {
		t.Skip()
	}
	f, _ := os.Open(p)
	st, _ := f.Stat()
	w, err := openWorkbook(f, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	rc, _ := w.open(os.Getenv("XLSX_PART"))
	n, _ := io.Copy(io.Discard, rc)
	t.Logf("%d bytes", n)
}

func TestZZGen(t *testing.T) {
	s := os.Getenv("XLSX_GEN")
	if s == "" {
		t.Skip()
	}
	var seed int64
	fmt.Sscan(s, &seed)
	g := genXLSX(t, seed, "/tmp/prof")
	t.Log(g.path)
}
