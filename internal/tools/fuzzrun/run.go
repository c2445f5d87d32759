package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// result is what one run of one target reached.
type result struct {
	Target         target
	Execs          int64
	NewInteresting int
	Kept           int // cached inputs copied into testdata/fuzz
	Duration       time.Duration
	Crashes        []string // files under testdata/fuzz that reproduce a failure
	Err            string   // a failure that left no input (build error, hang)
}

type runner struct {
	fuzztime time.Duration
	parallel int
	keepMax  int64
}

var (
	execsLine   = regexp.MustCompile(`execs: (\d+) .*new interesting: (\d+)`)
	crasherLine = regexp.MustCompile(`Failing input written to (\S+)`)
)

// run fuzzes one target for r.fuzztime. Output goes to the terminal as
// it comes and is parsed for the last execution count and any crasher.
func (r runner) run(t target) result {
	res := result{Target: t}
	cmd := exec.Command("go", "test", "-run=^$", "-fuzz=^"+t.Name+"$",
		"-fuzztime="+r.fuzztime.String(), "-parallel="+strconv.Itoa(r.parallel), t.Pkg)
	var out bytes.Buffer
	cmd.Stdout = io.MultiWriter(&out, prefixWriter{os.Stderr})
	cmd.Stderr = cmd.Stdout
	start := time.Now()
	err := cmd.Run()
	res.Duration = time.Since(start)
	for _, line := range strings.Split(out.String(), "\n") {
		if m := execsLine.FindStringSubmatch(line); m != nil {
			res.Execs, _ = strconv.ParseInt(m[1], 10, 64)
			res.NewInteresting, _ = strconv.Atoi(m[2])
		}
		if m := crasherLine.FindStringSubmatch(line); m != nil {
			res.Crashes = append(res.Crashes, filepath.ToSlash(filepath.Join(t.Pkg, m[1])))
		}
	}
	if err != nil && len(res.Crashes) == 0 {
		res.Err = err.Error()
	}
	kept, kerr := r.keepCorpus(t)
	res.Kept = kept
	if kerr != nil {
		fmt.Fprintln(os.Stderr, "fuzzrun: keeping the corpus:", kerr)
	}
	return res
}

// keepCorpus copies the inputs the fuzzer cached as interesting
// ($GOCACHE/fuzz/<import path>/<FuzzName>) into the package's
// testdata/fuzz/<FuzzName>, so they are committed and replayed by every
// go test. Inputs larger than keepMax stay in the cache only.
func (r runner) keepCorpus(t target) (int, error) {
	cache, err := goOutput("env", "GOCACHE")
	if err != nil {
		return 0, err
	}
	importPath, err := goOutput("list", "-f", "{{.ImportPath}}", t.Pkg)
	if err != nil {
		return 0, err
	}
	src := filepath.Join(cache, "fuzz", filepath.FromSlash(importPath), t.Name)
	entries, err := os.ReadDir(src)
	if os.IsNotExist(err) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	dst := filepath.Join(filepath.FromSlash(t.Pkg), "testdata", "fuzz", t.Name)
	kept := 0
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || !info.Mode().IsRegular() || info.Size() > r.keepMax {
			continue
		}
		to := filepath.Join(dst, e.Name())
		if _, err := os.Stat(to); err == nil {
			continue
		}
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			return kept, err
		}
		if err := os.MkdirAll(dst, 0o755); err != nil {
			return kept, err
		}
		if err := os.WriteFile(to, data, 0o644); err != nil {
			return kept, err
		}
		kept++
	}
	return kept, nil
}

func goOutput(args ...string) (string, error) {
	out, err := exec.Command("go", args...).Output()
	if err != nil {
		return "", fmt.Errorf("go %s: %w", strings.Join(args, " "), err)
	}
	return strings.TrimSpace(string(out)), nil
}

// prefixWriter indents go test's output under the target's summary line.
type prefixWriter struct{ w io.Writer }

func (p prefixWriter) Write(b []byte) (int, error) {
	s := strings.ReplaceAll(strings.TrimSuffix(string(b), "\n"), "\n", "\n    ")
	if _, err := io.WriteString(p.w, "    "+s+"\n"); err != nil {
		return 0, err
	}
	return len(b), nil
}
