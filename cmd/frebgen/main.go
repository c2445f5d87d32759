// Command frebgen writes realistic FREB traces for frebscan's samples,
// tests and benchmarks. It is a developer tool; users never need it.
package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
)

func main() {
	root := &cobra.Command{
		Use:           "frebgen",
		Short:         "Write realistic IIS Failed Request Tracing files",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(newSamplesCmd(), newCorpusCmd(), newHugeCmd())
	if err := root.Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "frebgen:", err)
		os.Exit(2)
	}
}
