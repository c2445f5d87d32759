// Command fuzzrun runs every fuzz target in the module, one after the
// other (go test accepts one -fuzz target per run), keeps the inputs the
// fuzzer found interesting under each package's testdata/fuzz so they
// become regression seeds, and prints the executions reached.
//
//	go run ./internal/tools/fuzzrun -fuzztime 20s            # make fuzz
//	go run ./internal/tools/fuzzrun -campaign -min-execs 1e7 # make fuzz-campaign
//
// With -campaign it repeats rounds until the total reaches -min-execs (or
// -max-rounds) and appends the results to docs/FUZZING.md.
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"time"
)

func main() {
	fuzztime := flag.Duration("fuzztime", 20*time.Second, "time per target per round")
	parallel := flag.Int("parallel", 1, "fuzz workers per target (go test -parallel)")
	match := flag.String("run", "", "only targets whose package:name contains this")
	campaign := flag.Bool("campaign", false, "repeat rounds until -min-execs and append the results to -log")
	minExecs := flag.Float64("min-execs", 10e6, "with -campaign: total executions to reach")
	maxRounds := flag.Int("max-rounds", 10, "with -campaign: give up after this many rounds")
	logFile := flag.String("log", "docs/FUZZING.md", "with -campaign: the Markdown file results are appended to")
	keepMax := flag.Int("keep-max-bytes", 16<<10, "largest cached corpus input copied into testdata/fuzz")
	list := flag.Bool("list", false, "only list the targets")
	flag.Parse()

	targets, err := findTargets(".")
	if err != nil {
		fail(err)
	}
	targets = filterTargets(targets, *match)
	if *list {
		for _, t := range targets {
			fmt.Printf("%s:%s\n", t.Pkg, t.Name)
		}
		return
	}
	if len(targets) == 0 {
		fail(fmt.Errorf("no fuzz target matches %q", *match))
	}
	r := runner{fuzztime: *fuzztime, parallel: *parallel, keepMax: int64(*keepMax)}
	rounds := 1
	if *campaign {
		rounds = *maxRounds
	}
	start := time.Now()
	var results []result
	var total int64
	for round := 1; round <= rounds; round++ {
		for _, t := range targets {
			res := r.run(t)
			results = append(results, res)
			total += res.Execs
			fmt.Printf("%-40s %12d execs %8s  new %4d  kept %4d  crashes %d\n", t.Pkg+":"+t.Name, res.Execs, res.Duration.Round(time.Second), res.NewInteresting, res.Kept, len(res.Crashes))
			for _, c := range res.Crashes {
				fmt.Printf("    crasher: %s\n", c)
			}
		}
		if !*campaign || float64(total) >= *minExecs {
			break
		}
		fmt.Printf("round %d: %d executions so far, want %.0f\n", round, total, *minExecs)
	}
	fmt.Printf("total: %d executions in %s over %d target runs\n", total, time.Since(start).Round(time.Second), len(results))
	crashed := false
	for _, res := range results {
		crashed = crashed || len(res.Crashes) > 0 || res.Err != ""
	}
	if *campaign {
		if err := appendLog(*logFile, r, results, total, time.Since(start)); err != nil {
			fail(err)
		}
		fmt.Printf("results appended to %s\n", *logFile)
	}
	if crashed {
		os.Exit(1)
	}
}

func filterTargets(ts []target, match string) []target {
	var out []target
	for _, t := range ts {
		if strings.Contains(t.Pkg+":"+t.Name, match) {
			out = append(out, t)
		}
	}
	return out
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "fuzzrun:", err)
	os.Exit(2)
}
