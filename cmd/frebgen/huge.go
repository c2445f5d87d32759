package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/frebscan/frebscan/internal/gen"
	"github.com/spf13/cobra"
)

func newHugeCmd() *cobra.Command {
	var (
		out, size string
		seed      int64
	)
	cmd := &cobra.Command{
		Use:   "huge",
		Short: "Write one very large trace by streaming (for memory and speed tests)",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) (err error) {
			n, err := parseSize(size)
			if err != nil {
				return err
			}
			f, err := os.Create(out)
			if err != nil {
				return err
			}
			defer func() {
				if cerr := f.Close(); err == nil && cerr != nil {
					err = cerr
				}
			}()
			return gen.WriteHuge(f, n, seed)
		},
	}
	cmd.Flags().StringVarP(&out, "out", "o", "huge.xml", "file to write")
	cmd.Flags().StringVar(&size, "size", "1GiB", "approximate size: bytes or with KiB, MiB, GiB")
	cmd.Flags().Int64Var(&seed, "seed", 1, "seed")
	return cmd
}

// parseSize reads "1GiB", "500MiB", "64KiB" or a plain byte count.
func parseSize(s string) (int64, error) {
	units := []struct {
		suffix string
		mult   int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3}, {"B", 1}}
	for _, u := range units {
		if num, ok := strings.CutSuffix(s, u.suffix); ok {
			n, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
			if err != nil || n <= 0 {
				return 0, fmt.Errorf("size %q: want a positive number with KiB, MiB or GiB", s)
			}
			return int64(n * float64(u.mult)), nil
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("size %q: want a positive number with KiB, MiB or GiB", s)
	}
	return n, nil
}
