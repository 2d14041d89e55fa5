// Package version holds the release number: the one place it is written.
// --version, 运行信息 and the release archives' names (the Makefile reads
// it from here) all say it, with the commit the binary was built from
// beside it; CHANGELOG.md says what each release changed for a clerk.
package version

// Number is the release, in semantic versioning: a clerk or the IT office
// quotes it, and CHANGELOG.md has an entry for it.
const Number = "1.0.0"
