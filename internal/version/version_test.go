package version

import (
	"os"
	"regexp"
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
