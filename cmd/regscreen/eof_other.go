//go:build !windows

package main

// endOfInput is how a terminal user ends typed input.
const endOfInput = "Ctrl-D"
