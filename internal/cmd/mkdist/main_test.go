package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestLicenceFiles(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"LICENSE", "LICENSE-3RD-PARTY.md", "licence.txt", "COPYING", "PATENTS", "AUTHORS", "NOTICE", "license.go", "README.md", "authors_test.go"} {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(n), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "LICENSES"), 0o755); err != nil {
		t.Fatal(err)
	}
	got, err := licenceFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"AUTHORS", "COPYING", "LICENSE", "LICENSE-3RD-PARTY.md", "NOTICE", "PATENTS", "licence.txt"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	var b bytes.Buffer
	if err := appendLicences(&b, "m@v", t.TempDir()); err == nil {
		t.Error("a module without a licence file must be an error")
	}
}

func TestCheckBuild(t *testing.T) {
	good := []debug.BuildSetting{{Key: "-tags", Value: "ne"}, {Key: "-trimpath", Value: "true"}, {Key: "CGO_ENABLED", Value: "0"},
		{Key: "GOOS", Value: "windows"}, {Key: "GOARCH", Value: "amd64"}}
	if target, err := checkBuild(&debug.BuildInfo{Settings: good}); err != nil || target != "windows/amd64" {
		t.Fatalf("good build: %q, %v", target, err)
	}
	for i, s := range good {
		bad := slices.Clone(good)
		bad[i].Value = ""
		if _, err := checkBuild(&debug.BuildInfo{Settings: bad}); err == nil {
			t.Errorf("%s=%q accepted", s.Key, bad[i].Value)
		}
	}
	if err := checkVersion("regscreen", []byte("...main.version v1.2..."), "plan9/mips", "v1.3"); err == nil {
		t.Error("a binary stamped with another version accepted")
	}
}

func TestArchivesRoundTrip(t *testing.T) {
	files := []file{{name: "regscreen", data: []byte("\x7fELF"), exec: true}, {name: "examples/custom.dict", data: []byte("[terms]\n")}}
	mtime := time.Unix(1764547200, 0)

	var z bytes.Buffer
	if err := writeZip(&z, "top", files, mtime); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(z.Bytes()), int64(z.Len()))
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range zr.File {
		if f.Name != "top/"+files[i].name || f.Mode() != mode(files[i]) {
			t.Errorf("zip entry %d: %s %v", i, f.Name, f.Mode())
		}
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		if !bytes.Equal(b, files[i].data) {
			t.Errorf("zip %s: content %q", f.Name, b)
		}
	}

	var g bytes.Buffer
	if err := writeTarGz(&g, "top", files, mtime); err != nil {
		t.Fatal(err)
	}
	gz, err := gzip.NewReader(&g)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	var names []string
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		names = append(names, h.Name)
		if h.Name == "top/regscreen" && h.Mode != 0o755 || !h.ModTime.Equal(mtime) {
			t.Errorf("tar %s: mode %o time %v", h.Name, h.Mode, h.ModTime)
		}
	}
	want := []string{"top/", "top/regscreen", "top/examples/", "top/examples/custom.dict"}
	if !slices.Equal(names, want) {
		t.Errorf("tar entries %q, want %q (folders before their files)", names, want)
	}
}

// The Windows zip's README is the clerk's part, as text Notepad opens.
func TestClerkText(t *testing.T) {
	readme, err := os.ReadFile("../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	txt := string(clerkText(readme, "1.2.3"))
	if !strings.HasPrefix(txt, "\uFEFFregscreen 1.2.3 使用说明\r\n") {
		t.Errorf("no BOM and title: %q", txt[:40])
	}
	for _, want := range []string{"## 结论", "### 会商工作簿", "## 夜间全量扫描与变动跟踪（存储）", "schtasks"} {
		if !strings.Contains(txt, want) {
			t.Errorf("the clerk's text lacks %q", want)
		}
	}
	for _, not := range []string{"## 给开发者", "make test", "![", "\r\r"} {
		if strings.Contains(txt, not) {
			t.Errorf("the clerk's text has %q", not)
		}
	}
	if strings.Count(txt, "\n") != strings.Count(txt, "\r\n") {
		t.Error("a line ends without CRLF")
	}
}
