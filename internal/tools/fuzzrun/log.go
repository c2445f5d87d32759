package main

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"
)

// appendLog adds one campaign's results to the Markdown log: when, on
// what, and per target the executions, time and crashers, so the claim
// "fuzzed for N executions" always points at a measured run.
func appendLog(path string, r runner, results []result, total int64, took time.Duration) error {
	var b strings.Builder
	fmt.Fprintf(&b, "\n### Campaign %s\n\n", time.Now().UTC().Format("2006-01-02 15:04 UTC"))
	fmt.Fprintf(&b, "%s, %s/%s, %d CPU(s) visible, -parallel %d, %s per target per round; %d executions in %s.\n\n",
		runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), r.parallel, r.fuzztime, total, took.Round(time.Second))
	b.WriteString("| target | execs | duration | new interesting | crashes |\n|---|---:|---:|---:|---|\n")
	type sum struct {
		execs, news int64
		d           time.Duration
		crashes     []string
		errs        []string
	}
	sums := map[target]*sum{}
	var order []target
	for _, res := range results {
		s, ok := sums[res.Target]
		if !ok {
			s = &sum{}
			sums[res.Target] = s
			order = append(order, res.Target)
		}
		s.execs += res.Execs
		s.news += int64(res.NewInteresting)
		s.d += res.Duration
		s.crashes = append(s.crashes, res.Crashes...)
		if res.Err != "" {
			s.errs = append(s.errs, res.Err)
		}
	}
	for _, t := range order {
		s := sums[t]
		crashes := "none"
		if len(s.crashes) > 0 || len(s.errs) > 0 {
			crashes = strings.Join(append(s.crashes, s.errs...), "<br>")
		}
		fmt.Fprintf(&b, "| `%s` %s | %d | %s | %d | %s |\n", t.Pkg, t.Name, s.execs, s.d.Round(time.Second), s.news, crashes)
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(b.String()); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
