//go:build !unix

package main

import (
	"os"
	"testing"

	"github.com/regscreen/regscreen/internal/interrupt"
)

// TestMain gives go test its own Ctrl-C back (kill_test.go does this on
// Unix, where it also runs the binary as regscreen).
func TestMain(m *testing.M) {
	interrupt.Release()
	os.Exit(m.Run())
}
