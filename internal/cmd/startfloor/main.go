// Command startfloor links the packages regscreen links and exits at once.
// With none of regscreen's own code calling into them, the linker keeps
// little more than their package initialisation: its run time is the
// floor under any program built on these libraries, which `make bench`
// prints beside `regscreen check`.
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
