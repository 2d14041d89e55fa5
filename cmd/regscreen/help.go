package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/regscreen/regscreen/internal/cobrazh"
	"github.com/regscreen/regscreen/internal/version"
)

// newVersionCmd answers `regscreen version`, which clerks type as often
// as --version.
func newVersionCmd(ios *IOStreams) *cobra.Command {
	return &cobra.Command{
		Use:    "version",
		Short:  "显示版本（含默认词典版本）",
		Args:   cobra.NoArgs,
		Hidden: true,
		Run: func(c *cobra.Command, args []string) {
			fmt.Fprintf(ios.Out, "regscreen %s（%s）\n", version.Number, versionDetails())
		},
	}
}

// completeValues gives a flag's values to shell completion.
var completeValues = cobrazh.CompleteValues
