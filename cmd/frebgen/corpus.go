package main

import (
	"github.com/frebscan/frebscan/internal/gen"
	"github.com/spf13/cobra"
)

func newCorpusCmd() *cobra.Command {
	var (
		out  string
		opts gen.CorpusOptions
	)
	cmd := &cobra.Command{
		Use:   "corpus",
		Short: "Write a mixed FailedReqLogFiles tree (W3SVC1, W3SVC2) of many traces",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return gen.WriteCorpus(out, opts)
		},
	}
	cmd.Flags().StringVarP(&out, "out", "o", "corpus", "directory to write")
	cmd.Flags().IntVarP(&opts.Files, "n", "n", 3000, "number of traces")
	cmd.Flags().Int64Var(&opts.Seed, "seed", 1, "seed; the same seed writes the same files")
	cmd.Flags().IntVar(&opts.Hours, "hours", 10, "hours the traces' timestamps spread over")
	return cmd
}
