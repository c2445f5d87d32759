package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/frebscan/frebscan/internal/gen"
)

// TestScanHostileDirectoryCLI runs the real binary over the hostile files
// and one good trace: it finishes, reports the good trace, and lists every
// hostile file with its reason in the JSON report.
func TestScanHostileDirectoryCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("writes two 100 MB files")
	}
	dir := t.TempDir()
	files, err := gen.WriteHostile(dir, 100<<20)
	if err != nil {
		t.Fatal(err)
	}
	r := frebscan(t, "scan", "--format", "json", "--fail-on", "none", "--progress", "never", dir)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var doc struct {
		Traces     []struct{ File string }
		Unreadable []struct{ File, Error string }
		NotFREB    []struct{ File, Error string } `json:"notFreb"`
		Warnings   []struct {
			File     string
			Warnings []string
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	listed := map[string]string{}
	for _, u := range doc.Unreadable {
		listed[filepath.Base(u.File)] = "unreadable: " + u.Error
	}
	for _, u := range doc.NotFREB {
		listed[filepath.Base(u.File)] = "notfreb: " + u.Error
	}
	for _, w := range doc.Warnings {
		listed[filepath.Base(w.File)] = "warning: " + strings.Join(w.Warnings, "; ")
	}
	for _, h := range files {
		if got := listed[h.Name]; !strings.HasPrefix(got, h.Outcome+": ") || !strings.Contains(got, h.Reason) {
			t.Errorf("%s: %q, want %s with %q", h.Name, got, h.Outcome, h.Reason)
		}
	}
	good := false
	for _, tr := range doc.Traces {
		good = good || filepath.Base(tr.File) == gen.HostileGood
	}
	if !good {
		t.Error("the good trace is not reported")
	}
}
