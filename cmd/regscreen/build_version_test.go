package main

import (
	"runtime/debug"
	"strings"
	"testing"

	"github.com/regscreen/regscreen/internal/version"
)

func TestCommitFromBuildInfo(t *testing.T) {
	vcs := func(rev, modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: modified}}
	}
	const rev = "91dd4360c1a2b3c4d5e6f708192a3b4c5d6e7f80"
	for _, c := range []struct {
		name string
		bi   *debug.BuildInfo
		ok   bool
		want string
	}{
		{"no build info", nil, false, ""},
		{"go install m@v (no vcs)", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.0"}}, true, ""},
		{"clean checkout", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs(rev, "false")}, true, "91dd4360c1a2"},
		{"local changes", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs(rev, "true")}, true, "91dd4360c1a2-dirty"},
	} {
		if got := commitFromBuildInfo(c.bi, c.ok); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

// --version says the release number first, then the commit and the
// dictionary: what a clerk quotes, and what the IT office traces.
func TestVersionSaysTheRelease(t *testing.T) {
	for _, args := range [][]string{{"--version"}, {"version"}} {
		r := runCLI(t, "", args...)
		if !strings.HasPrefix(r.out, "regscreen "+version.Number+"（") || !strings.Contains(r.out, "默认词典版本") {
			t.Errorf("%v: %q", args, r.out)
		}
		if commit != "" && !strings.Contains(r.out, "提交 "+commit) {
			t.Errorf("%v: %q lacks the commit %s", args, r.out, commit)
		}
	}
}
