// Command mkdist packs release archives from binaries `make cross` built:
//
//	go run ./internal/cmd/mkdist -version V -o dist [-extra mod@ver]… bin/*/regscreen*
//
// Each binary goes into regscreen-V-GOOS-GOARCH.zip (Windows) or .tar.gz
// with the README and CHANGELOG (the Windows zip: the clerk's part as .txt
// files Notepad opens), the licence texts of everything linked into it (read from
// the binary's own build info, so the list is exactly what ships) and the
// example dictionary and exempt list; SHA256SUMS is written beside them.
// Before packing it checks each binary's build info: the target named by
// its path, -tags ne, CGO_ENABLED=0 and the version stamp — a release must
// not carry a binary built some other way.
package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"debug/buildinfo"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/regscreen/regscreen/output"
)

// file is one archive entry.
type file struct {
	name string // slash-separated, relative to the archive's top folder
	data []byte
	exec bool
}

// extras are the files every archive carries besides the binary, the
// notices and the README: archive name <- repository path.
var extras = [][2]string{
	{"examples/custom.dict", "fixtures/custom.dict"},
	{"examples/exempt.csv", "fixtures/exports/exempt.csv"},
}

func main() {
	version := flag.String("version", "", "the release number the binaries carry (internal/version)")
	out := flag.String("o", "dist", "output folder")
	mtime := flag.Int64("mtime", 0, "modification time of every entry, Unix seconds (default: now)")
	var extraMods multiFlag
	flag.Var(&extraMods, "extra", "module@version whose licence also applies (data embedded from it); repeatable")
	flag.Parse()
	if *version == "" || flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "用法：mkdist -version V [-o dist] [-extra 模块@版本]… 二进制…")
		os.Exit(2)
	}
	t := time.Now()
	if *mtime != 0 {
		t = time.Unix(*mtime, 0)
	}
	if err := run(*version, *out, t, extraMods, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "mkdist:", err)
		os.Exit(1)
	}
}

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(s string) error { *m = append(*m, s); return nil }

func run(version, out string, mtime time.Time, extraMods, binaries []string) error {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		return err
	}
	changes, err := os.ReadFile("CHANGELOG.md")
	if err != nil {
		return err
	}
	var common []file
	for _, e := range extras {
		b, err := os.ReadFile(e[1])
		if err != nil {
			return err
		}
		common = append(common, file{name: e[0], data: b})
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	licences := newLicenceCache()
	var sums bytes.Buffer
	for _, bin := range binaries {
		bi, err := buildinfo.ReadFile(bin)
		if err != nil {
			return fmt.Errorf("%s: %w", bin, err)
		}
		target, err := checkBuild(bi)
		if err != nil {
			return fmt.Errorf("%s: %w", bin, err)
		}
		exe, err := os.ReadFile(bin)
		if err != nil {
			return err
		}
		if err := checkVersion(bin, exe, target, version); err != nil {
			return fmt.Errorf("%s: %w", bin, err)
		}
		notices, err := licences.notices(bi, extraMods)
		if err != nil {
			return fmt.Errorf("%s: %w", bin, err)
		}
		base := "regscreen-" + version + "-" + strings.ReplaceAll(target, "/", "-")
		exeName, ext, write := "regscreen", ".tar.gz", writeTarGz
		if strings.HasPrefix(target, "windows/") {
			exeName, ext, write = "regscreen.exe", ".zip", writeZip
		}
		// Stock Windows has no program for .md: the zip carries the clerk's
		// part as text Notepad shows (UTF-8 with a BOM, CRLF lines).
		docs := []file{{name: "README.md", data: readme}, {name: "CHANGELOG.md", data: changes}}
		if strings.HasPrefix(target, "windows/") {
			docs = []file{{name: "README.txt", data: clerkText(readme, version)}, {name: "CHANGELOG.txt", data: windowsText(string(changes))},
				{name: "启动网页版.bat", data: []byte(startServeBat)}}
		}
		files := append(append([]file{{name: exeName, data: exe, exec: true}}, docs...), file{name: "THIRD_PARTY_LICENSES.txt", data: notices})
		files = append(files, common...)
		var buf bytes.Buffer
		if err := write(&buf, base, files, mtime); err != nil {
			return fmt.Errorf("%s: %w", base+ext, err)
		}
		if err := writeFileAtomic(filepath.Join(out, base+ext), buf.Bytes()); err != nil {
			return err
		}
		sum := sha256.Sum256(buf.Bytes())
		fmt.Fprintf(&sums, "%s  %s\n", hex.EncodeToString(sum[:]), base+ext)
		fmt.Fprintf(os.Stderr, "%s  %.1f MB\n", filepath.Join(out, base+ext), float64(buf.Len())/1e6)
	}
	return writeFileAtomic(filepath.Join(out, "SHA256SUMS"), sums.Bytes())
}

// startServeBat starts the web version for the clerk who double-clicks
// it: only on this PC (127.0.0.1), and opens the page. ASCII, CRLF:
// cmd.exe reads it in any code page.
const startServeBat = "@echo off\r\ncd /d \"%~dp0\"\r\necho Starting regscreen web (close this window to stop)...\r\nregscreen.exe serve --open\r\npause\r\n"

// checkBuild returns the binary's GOOS/GOARCH after checking it was built
// the way releases must be. (-trimpath leaves -ldflags out of the build
// info, so the version stamp is checked by checkVersion instead.)
func checkBuild(bi *debug.BuildInfo) (string, error) {
	set := map[string]string{}
	for _, s := range bi.Settings {
		set[s.Key] = s.Value
	}
	if !slices.Contains(strings.Split(set["-tags"], ","), "ne") {
		return "", errors.New("built without -tags ne")
	}
	if set["CGO_ENABLED"] != "0" {
		return "", errors.New("built with cgo (want CGO_ENABLED=0 for a static binary)")
	}
	if set["-trimpath"] != "true" {
		return "", errors.New("built without -trimpath")
	}
	if set["GOOS"] == "" || set["GOARCH"] == "" {
		return "", errors.New("build info names no GOOS/GOARCH")
	}
	return set["GOOS"] + "/" + set["GOARCH"], nil
}

// checkVersion checks the binary carries the version string, and when it
// runs on this machine, that --version reports it.
func checkVersion(bin string, exe []byte, target, version string) error {
	if !bytes.Contains(exe, []byte(version)) {
		return fmt.Errorf("not stamped with version %s", version)
	}
	if target != runtime.GOOS+"/"+runtime.GOARCH {
		return nil
	}
	out, err := exec.Command(bin, "--version").Output()
	if err != nil {
		return fmt.Errorf("--version: %w", err)
	}
	if !strings.HasPrefix(string(out), "regscreen "+version+"（") {
		return fmt.Errorf("--version says %q, want version %s", out, version)
	}
	return nil
}

// licenceCache finds each module's licence files once for all targets.
type licenceCache struct {
	dirs map[string]string // module@version -> directory in the module cache
}

func newLicenceCache() *licenceCache { return &licenceCache{dirs: map[string]string{}} }

// notices is the text of THIRD_PARTY_LICENSES.txt for one binary: the Go
// toolchain's licence (its runtime and standard library are linked in),
// then every module the binary was built from, then the extra modules.
func (c *licenceCache) notices(bi *debug.BuildInfo, extraMods []string) ([]byte, error) {
	var mods []string
	for _, d := range bi.Deps {
		if d.Replace != nil {
			d = d.Replace
		}
		if d.Version == "" {
			return nil, fmt.Errorf("module %s has no version (replaced by a directory?); cannot find its licence", d.Path)
		}
		mods = append(mods, d.Path+"@"+d.Version)
	}
	slices.Sort(mods)
	mods = append(mods, extraMods...)
	if err := c.resolve(mods); err != nil {
		return nil, err
	}
	goroot, err := goEnv("GOROOT")
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString("regscreen 链接了 Go 的运行时和标准库以及下列第三方模块；各自的许可证全文附后。\n")
	b.WriteString("regscreen links the Go runtime and standard library and the modules below; their licence texts follow.\n\n")
	fmt.Fprintf(&b, "  Go %s (runtime, standard library)\n", bi.GoVersion)
	for _, m := range mods {
		fmt.Fprintf(&b, "  %s\n", m)
	}
	if err := appendLicences(&b, "Go "+bi.GoVersion, goroot); err != nil {
		return nil, err
	}
	for _, m := range mods {
		if err := appendLicences(&b, m, c.dirs[m]); err != nil {
			return nil, err
		}
	}
	return b.Bytes(), nil
}

// resolve finds the module-cache directories of mods not seen yet; go mod
// download only reads the cache when the modules are already there.
func (c *licenceCache) resolve(mods []string) error {
	var missing []string
	for _, m := range mods {
		if _, ok := c.dirs[m]; !ok {
			missing = append(missing, m)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	cmd := exec.Command("go", append([]string{"mod", "download", "-json"}, missing...)...)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("go mod download: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var m struct{ Path, Version, Dir, Error string }
		if err := dec.Decode(&m); err == io.EOF {
			break
		} else if err != nil {
			return fmt.Errorf("go mod download: %w", err)
		}
		if m.Error != "" {
			return fmt.Errorf("go mod download %s@%s: %s", m.Path, m.Version, m.Error)
		}
		c.dirs[m.Path+"@"+m.Version] = m.Dir
	}
	for _, m := range missing {
		if c.dirs[m] == "" {
			return fmt.Errorf("go mod download gave no directory for %s", m)
		}
	}
	return nil
}

// appendLicences appends the licence files at the top of dir; a module with
// none is an error, not a silent gap in the notices.
func appendLicences(b *bytes.Buffer, what, dir string) error {
	names, err := licenceFiles(dir)
	if err != nil {
		return err
	}
	if len(names) == 0 {
		return fmt.Errorf("%s: no licence file in %s", what, dir)
	}
	for _, n := range names {
		text, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			return err
		}
		fmt.Fprintf(b, "\n%s\n%s — %s\n%s\n\n", strings.Repeat("=", 78), what, n, strings.Repeat("=", 78))
		b.Write(bytes.TrimRight(text, "\n"))
		b.WriteByte('\n')
	}
	return nil
}

// licenceFiles lists, sorted, the files at the top of dir that carry licence
// or attribution terms: LICENSE*, LICENCE*, COPYING*, NOTICE*, PATENTS*,
// COPYRIGHT*, UNLICENSE* and AUTHORS (which BSD-style licences refer to).
func licenceFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		up := strings.ToUpper(e.Name())
		if strings.HasSuffix(up, ".GO") {
			continue
		}
		for _, p := range []string{"LICENSE", "LICENCE", "COPYING", "NOTICE", "PATENTS", "COPYRIGHT", "UNLICENSE"} {
			if strings.HasPrefix(up, p) {
				names = append(names, e.Name())
				break
			}
		}
		if up == "AUTHORS" || strings.HasPrefix(up, "AUTHORS.") {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	return names, nil
}

func goEnv(key string) (string, error) {
	out, err := exec.Command("go", "env", key).Output()
	if err != nil {
		return "", fmt.Errorf("go env %s: %w", key, err)
	}
	return strings.TrimSpace(string(out)), nil
}

func writeZip(w io.Writer, top string, files []file, mtime time.Time) error {
	zw := zip.NewWriter(w)
	for _, f := range files {
		h := &zip.FileHeader{Name: top + "/" + f.name, Method: zip.Deflate, Modified: mtime}
		h.SetMode(mode(f))
		fw, err := zw.CreateHeader(h)
		if err != nil {
			return err
		}
		if _, err := fw.Write(f.data); err != nil {
			return err
		}
	}
	return zw.Close()
}

func writeTarGz(w io.Writer, top string, files []file, mtime time.Time) error {
	gz, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(gz)
	// Parent folders get entries of their own so every extractor creates
	// them with sane permissions.
	written := map[string]bool{}
	for _, f := range files {
		name := top + "/" + f.name
		var parents []string
		for d := filepath.ToSlash(filepath.Dir(name)); d != "." && !written[d]; d = filepath.ToSlash(filepath.Dir(d)) {
			parents = append(parents, d)
		}
		for i := len(parents) - 1; i >= 0; i-- {
			written[parents[i]] = true
			h := &tar.Header{Typeflag: tar.TypeDir, Name: parents[i] + "/", Mode: 0o755, ModTime: mtime, Format: tar.FormatPAX}
			if err := tw.WriteHeader(h); err != nil {
				return err
			}
		}
		h := &tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: int64(mode(f)), Size: int64(len(f.data)), ModTime: mtime, Format: tar.FormatPAX}
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		if _, err := tw.Write(f.data); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return gz.Close()
}

func mode(f file) os.FileMode {
	if f.exec {
		return 0o755
	}
	return 0o644
}

// writeFileAtomic writes data to path whole or not at all.
func writeFileAtomic(path string, data []byte) error {
	f, err := output.CreateAtomic(path)
	if err != nil {
		return err
	}
	defer f.Abort()
	if _, err := f.Write(data); err != nil {
		return err
	}
	return f.Commit()
}

// clerkText is the clerk's part of the README as a Windows text file:
// from the description to the developers' section, without building from
// source and the pictures (not shipped), UTF-8 with a BOM and CRLF line ends, under a title with
// the release.
func clerkText(readme []byte, version string) []byte {
	var b strings.Builder
	b.WriteString("regscreen " + version + " 使用说明\n\n")
	in, source := false, false
	for _, line := range strings.Split(string(readme), "\n") {
		switch {
		case !in && strings.HasPrefix(line, "regscreen 按"):
			in = true
		case strings.HasPrefix(line, "## 给开发者"):
			in = false
		case strings.HasPrefix(line, "#"): // building from source is not a clerk's
			source = strings.HasPrefix(line, "### 从源代码安装")
		}
		if !in || source || strings.HasPrefix(line, "![") {
			continue
		}
		b.WriteString(line + "\n")
	}
	return windowsText(b.String())
}

// windowsText is text as Notepad reads it everywhere: UTF-8 with a BOM,
// CRLF line ends.
func windowsText(s string) []byte {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\n", "\r\n")
	if !strings.HasPrefix(s, "\uFEFF") {
		s = "\uFEFF" + s
	}
	return []byte(s)
}
