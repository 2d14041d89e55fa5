// Command startfloor links what regscreen links and exits at once: its run
// time is the floor under any regscreen command (process start plus the
// package initialisation of the libraries), which `make bench` prints
// beside `regscreen check` so that the two can be told apart.
package main

import (
	_ "github.com/spf13/cobra"

	_ "github.com/regscreen/regscreen/dict"
	_ "github.com/regscreen/regscreen/input"
	_ "github.com/regscreen/regscreen/output"
	_ "github.com/regscreen/regscreen/report"
	_ "github.com/regscreen/regscreen/screen"
	_ "github.com/regscreen/regscreen/store"
)

func main() {}
