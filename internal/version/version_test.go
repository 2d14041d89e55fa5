package version

import (
	"os"
	"regexp"
	"runtime/debug"
	"strings"
	"testing"
)

// The number is semver, and the changelog's newest entry is for it: a
// release never ships with its changes unsaid.
func TestNumberIsSemverAndInTheChangelog(t *testing.T) {
	if !regexp.MustCompile(`^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?$`).MatchString(Number) {
		t.Fatalf("version %q is not semantic versioning (MAJOR.MINOR.PATCH)", Number)
	}
	log, err := os.ReadFile("../../CHANGELOG.md")
	if err != nil {
		t.Fatal(err)
	}
	first := regexp.MustCompile(`(?m)^## (\S+)`).FindSubmatch(log)
	if first == nil || string(first[1]) != Number {
		t.Errorf("CHANGELOG.md's newest entry is %q, want ## %s", first, Number)
	}
	if !strings.Contains(string(log), "送会商") {
		t.Error("CHANGELOG.md should speak to a clerk")
	}
}

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
