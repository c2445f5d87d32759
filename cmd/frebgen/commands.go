package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/frebscan/frebscan/internal/gen"
)

func samples(args []string) error {
	fs := flag.NewFlagSet("samples", flag.ContinueOnError)
	out := fs.String("o", "samples", "directory to write")
	if err := fs.Parse(args); err != nil {
		return err
	}
	return gen.WriteSamples(*out)
}

func corpus(args []string) error {
	fs := flag.NewFlagSet("corpus", flag.ContinueOnError)
	var opts gen.CorpusOptions
	out := fs.String("o", "corpus", "directory to write")
	fs.IntVar(&opts.Files, "n", 3000, "number of traces")
	fs.Int64Var(&opts.Seed, "seed", 1, "seed; the same seed writes the same files")
	fs.IntVar(&opts.Hours, "hours", 10, "hours the traces' timestamps spread over")
	if err := fs.Parse(args); err != nil {
		return err
	}
	return gen.WriteCorpus(*out, opts)
}

func fleet(args []string) error {
	fs := flag.NewFlagSet("fleet", flag.ContinueOnError)
	var opts gen.FleetOptions
	out := fs.String("o", "fleet", "directory to write")
	fs.IntVar(&opts.Servers, "servers", 20, "number of servers")
	fs.IntVar(&opts.Traces, "n", 5000, "number of traces per server")
	fs.Int64Var(&opts.Seed, "seed", 1, "seed; the same seed writes the same files")
	fs.IntVar(&opts.Hours, "hours", 10, "hours the traces' timestamps spread over")
	fs.BoolVar(&opts.Padded, "padded", false, "pad traces to 20-500 KB like the corpus")
	fs.BoolVar(&opts.Tiny, "tiny", false, "cut each trace after a few events (maxLogFileSizeKB reached; about 3 KB): many files on little disk")
	if err := fs.Parse(args); err != nil {
		return err
	}
	return gen.WriteFleet(*out, opts)
}

func huge(args []string) (err error) {
	fs := flag.NewFlagSet("huge", flag.ContinueOnError)
	out := fs.String("o", "huge.xml", "file to write")
	size := fs.String("size", "1GiB", "approximate size: bytes, or with KiB, MiB, GiB")
	seed := fs.Int64("seed", 1, "seed")
	if err := fs.Parse(args); err != nil {
		return err
	}
	n, err := parseSize(*size)
	if err != nil {
		return err
	}
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = cerr
		}
	}()
	return gen.WriteHuge(f, n, *seed)
}

// parseSize reads "1GiB", "500MiB", "64KiB" or a plain byte count.
func parseSize(s string) (int64, error) {
	units := []struct {
		suffix string
		mult   float64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3}, {"B", 1}}
	num, mult := s, 1.0
	for _, u := range units {
		if v, ok := strings.CutSuffix(s, u.suffix); ok {
			num, mult = v, u.mult
			break
		}
	}
	n, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("size %q: want a positive number, optionally with KiB, MiB or GiB", s)
	}
	return int64(n * mult), nil
}
