// Package corpus locates the shared real-FREB corpus (../shared/freb-corpus
// beside the repository) and reads its MANIFEST.tsv. Tests use it; a user's
// clone has no ../shared, so every caller must cope with its absence.
package corpus

import (
	"bufio"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Entry is one row of MANIFEST.tsv: what the file is known to hold.
type Entry struct {
	File              string
	URL               string
	StatusCode        string
	SubStatusCode     string
	TriggerStatusCode string
	FailureReason     string
	Events            string
	Verb              string
	Notes             string
}

// Dir returns the corpus directory, or "" when it is absent.
func Dir() string {
	root, err := moduleRoot()
	if err != nil {
		return ""
	}
	dir := filepath.Join(root, "..", "shared", "freb-corpus")
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return ""
	}
	return dir
}

// Require returns the corpus directory or skips the test.
func Require(t testing.TB) string {
	t.Helper()
	dir := Dir()
	if dir == "" {
		t.Skip("../shared/freb-corpus is absent (it exists in CI); skipping real-corpus test")
	}
	return dir
}

// Manifest reads MANIFEST.tsv from dir.
func Manifest(dir string) ([]Entry, error) {
	f, err := os.Open(filepath.Join(dir, "MANIFEST.tsv"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	s.Buffer(make([]byte, 1<<20), 1<<20)
	var cols map[string]int
	var out []Entry
	for s.Scan() {
		fields := strings.Split(s.Text(), "\t")
		if cols == nil {
			cols = map[string]int{}
			for i, c := range fields {
				cols[c] = i
			}
			continue
		}
		get := func(name string) string {
			if i, ok := cols[name]; ok && i < len(fields) {
				return fields[i]
			}
			return ""
		}
		out = append(out, Entry{
			File: get("file"), URL: get("url"), StatusCode: get("statusCode"),
			SubStatusCode: get("subStatusCode"), TriggerStatusCode: get("triggerStatusCode"),
			FailureReason: get("failureReason"), Events: get("events"), Verb: get("verb"), Notes: get("notes"),
		})
	}
	return out, s.Err()
}

// moduleRoot walks up from the working directory (a test runs in its
// package directory) to the directory holding go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found")
		}
		dir = parent
	}
}

// ModuleRoot returns the repository root, for tests that need samples/.
func ModuleRoot() (string, error) { return moduleRoot() }
