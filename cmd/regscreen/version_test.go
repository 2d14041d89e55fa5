package main

import (
	"strings"
	"testing"

	"github.com/regscreen/regscreen/internal/version"
)

// --version says the release number first, then the commit and the
// dictionary: what a clerk quotes, and what the IT office traces.
func TestVersionSaysTheRelease(t *testing.T) {
	for _, args := range [][]string{{"--version"}, {"version"}} {
		r := runCLI(t, "", args...)
		if !strings.HasPrefix(r.out, "regscreen "+version.Number+"（") || !strings.Contains(r.out, "默认词典版本") {
			t.Errorf("%v: %q", args, r.out)
		}
		if version.Commit != "" && !strings.Contains(r.out, "提交 "+version.Commit) {
			t.Errorf("%v: %q lacks the commit %s", args, r.out, version.Commit)
		}
	}
}
