package store

import "github.com/regscreen/regscreen/record"

// A fingerprint is a compact hash of what change tracking compares: a
// record's name and scope. Stores before schema 5 made them with FNV-1a,
// a byte at a time: over a 1M-row register (600 MB of names and scopes)
// that was half a CPU second, a fifth of what --db added to a scan.
// xxHash64 reads 8 bytes at a step. Each run records the kind its seen set
// was made with (runs.fp_kind), and runs of different kinds are compared
// by their text where the store has it (see sameContent).
const (
	fpKindFNV = 1
	fpKindXXH = 2
	fpKind    = fpKindXXH // the kind this build makes
)

// fingerprintOf makes a fingerprint of the given kind.
func fingerprintOf(kind int, name, scope string) int64 {
	if kind == fpKindFNV {
		return int64(fnvString(fnvSep(fnvString(fnvOffset, name)), scope))
	}
	return record.Fingerprint(name, scope)
}

// sameContent says whether a company's name and scope were the same in two
// runs, given each run's fingerprint kind and fingerprint and, where the
// store kept it, the text (nil where not). Of one kind, the fingerprints
// decide; else the texts if both are known, else the known text is
// fingerprinted the other run's way; with neither, no change is claimed.
func sameContent(kindA int, fa int64, a *Snapshot, kindB int, fb int64, b *Snapshot) bool {
	switch {
	case kindA == kindB:
		return fa == fb
	case a != nil && b != nil:
		return a.Name == b.Name && a.Scope == b.Scope
	case a != nil:
		return fingerprintOf(kindB, a.Name, a.Scope) == fb
	case b != nil:
		return fingerprintOf(kindA, b.Name, b.Scope) == fa
	}
	return true
}
