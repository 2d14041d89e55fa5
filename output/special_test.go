package output

import (
	"os"
	"path/filepath"
	"testing"
)

// A symbolic link is followed: the file it points to is replaced whole,
// and the link stays a link (a dangling one creates its target).
func TestALinkIsFollowedAndKept(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "real.csv")
	os.WriteFile(target, []byte("old"), 0o640)
	for _, tc := range []struct{ link, to, want string }{
		{"link.csv", "real.csv", target},
		{"chain.csv", "link.csv", target},
		{"dangling.csv", "sub/new.csv", filepath.Join(dir, "sub", "new.csv")},
	} {
		os.Mkdir(filepath.Join(dir, "sub"), 0o755)
		link := filepath.Join(dir, tc.link)
		if err := os.Symlink(tc.to, link); err != nil {
			t.Skipf("no symbolic links here: %v", err)
		}
		f, err := CreateAtomic(link)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString("new " + tc.link)
		if err := f.Commit(); err != nil {
			t.Fatal(err)
		}
		if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
			t.Errorf("%s is no longer a link: %v %v", tc.link, fi.Mode(), err)
		}
		if b, _ := os.ReadFile(tc.want); string(b) != "new "+tc.link {
			t.Errorf("%s: target holds %q", tc.link, b)
		}
	}
	if fi, _ := os.Stat(target); fi.Mode().Perm() != 0o640 {
		t.Errorf("the replaced file's permissions %v, want 0640", fi.Mode().Perm())
	}
}

// A loop of links is refused, not followed for ever.
func TestALinkLoopIsRefused(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.csv"), filepath.Join(dir, "b.csv")
	if os.Symlink("b.csv", a) != nil || os.Symlink("a.csv", b) != nil {
		t.Skip("no symbolic links here")
	}
	if _, err := CreateAtomic(a); err == nil {
		t.Fatal("a link loop was accepted")
	}
}
