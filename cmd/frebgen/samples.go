package main

import (
	"github.com/frebscan/frebscan/internal/gen"
	"github.com/spf13/cobra"
)

func newSamplesCmd() *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "samples",
		Short: "Write one directory of traces per diagnostic rule, and samples/README.md",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return gen.WriteSamples(out)
		},
	}
	cmd.Flags().StringVarP(&out, "out", "o", "samples", "directory to write")
	return cmd
}
