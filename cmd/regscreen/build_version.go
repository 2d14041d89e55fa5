package main

import "runtime/debug"

// make stamps version with -ldflags "-X main.version=$(git describe …)".
// A build without it (go install module@version, go build in a clone) still
// says which build it is: the go command records the module version or the
// commit it was built from, and that is what --version then shows.
func init() {
	if version == "" {
		version = versionFromBuildInfo(debug.ReadBuildInfo())
	}
}

func versionFromBuildInfo(bi *debug.BuildInfo, ok bool) string {
	if !ok {
		return "dev"
	}
	// go install m@v1.2.3 records v1.2.3; since Go 1.24 a build in a clone
	// records a tag or pseudo-version too (with +dirty for local changes).
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
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
		return "dev"
	}
	v := "dev-" + rev[:min(len(rev), 12)]
	if modified == "true" {
		v += "-dirty"
	}
	return v
}
