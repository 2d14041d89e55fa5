package main

import (
	"runtime/debug"

	"github.com/regscreen/regscreen/internal/version"
)

// make stamps commit with -ldflags "-X main.commit=$(git describe …)". A
// build without it (go install, go build in a clone) still says which
// commit it is: the go command records it, and that is what --version
// then shows beside the release number.
func init() {
	if commit == "" {
		commit = commitFromBuildInfo(debug.ReadBuildInfo())
	}
}

// releaseVersion is the release number as --version, 运行信息 and the
// archive names say it.
const releaseVersion = version.Number

// versionLine is the release and the commit, as 运行信息 and the store's
// runs say which program wrote them: 1.0.0（提交 91dd4360c1a2）.
func versionLine() string {
	if commit == "" {
		return releaseVersion
	}
	return releaseVersion + "（提交 " + commit + "）"
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
