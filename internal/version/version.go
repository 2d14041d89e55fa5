// Package version holds the release number: the one place it is written.
// --version, 运行信息 and the release archives' names (the Makefile reads
// it from here) all say it, with the commit the binary was built from
// beside it; CHANGELOG.md says what each release changed for a clerk.
package version

import "runtime/debug"

// Number is the release, in semantic versioning: a clerk or the IT office
// quotes it, and CHANGELOG.md has an entry for it.
const Number = "1.1.0"

// Commit is the commit the binary was built from. make stamps it with
// -ldflags "-X github.com/regscreen/regscreen/internal/version.Commit=…";
// a build without it (go install, go build in a clone) still says which
// commit it is: the go command records it in the build info.
var Commit string

func init() {
	if Commit == "" {
		Commit = commitFromBuildInfo(debug.ReadBuildInfo())
	}
}

// Line is the release and the commit, as 运行信息 and the store's runs say
// which program wrote them: 1.0.0（提交 91dd4360c1a2）.
func Line() string {
	if Commit == "" {
		return Number
	}
	return Number + "（提交 " + Commit + "）"
}

func commitFromBuildInfo(bi *debug.BuildInfo, ok bool) string {
	if !ok {
		return ""
	}
	var rev, modified string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	if rev == "" {
		return ""
	}
	c := rev[:min(len(rev), 12)]
	if modified == "true" {
		c += "-dirty"
	}
	return c
}
