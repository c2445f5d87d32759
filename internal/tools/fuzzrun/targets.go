package main

import (
	"bufio"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// target is one fuzz function: the package directory ("./internal/freb")
// and the function name.
type target struct{ Pkg, Name string }

var fuzzFunc = regexp.MustCompile(`^func (Fuzz\w+)\(\w+ \*testing\.F\)`)

// findTargets lists every FuzzXxx in the module's test files, so a new
// target runs without anyone editing the Makefile.
func findTargets(root string) ([]target, error) {
	var out []target
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		s := bufio.NewScanner(f)
		for s.Scan() {
			if m := fuzzFunc.FindStringSubmatch(s.Text()); m != nil {
				out = append(out, target{Pkg: "./" + filepath.ToSlash(filepath.Dir(path)), Name: m[1]})
			}
		}
		return s.Err()
	})
	return out, err
}
