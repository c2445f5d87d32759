package scan

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/frebscan/frebscan/internal/gen"
)

// reasons maps each file a scan named to what it said: the error of an
// unreadable or not-FREB file, or a trace's warnings.
func reasons(r *Result) map[string]string {
	out := map[string]string{}
	for _, u := range r.Unreadable {
		out[filepath.Base(u.File)] = "unreadable: " + u.Error
	}
	for _, u := range r.NotFREB {
		out[filepath.Base(u.File)] = "notfreb: " + u.Error
	}
	for _, w := range r.Warnings {
		out[filepath.Base(w.File)] = "warning: " + strings.Join(w.Warnings, "; ")
	}
	return out
}

// TestScanHostileDirectory scans a directory of hostile files and one good
// trace: the good one is reported, every hostile one is listed with its
// reason, and the scan finishes.
func TestScanHostileDirectory(t *testing.T) {
	if testing.Short() {
		t.Skip("writes two files of 100 MB (16 MB under -race)")
	}
	dir := t.TempDir()
	files, err := gen.WriteHostile(dir, hostileBig)
	if err != nil {
		t.Fatal(err)
	}
	r := run(t, Options{Inputs: []string{dir}, Workers: 2, Limits: Limits{MaxEventSize: 8 << 20}})
	got := reasons(r)
	for _, h := range files {
		reason, ok := got[h.Name]
		if !ok {
			t.Errorf("%s is not listed", h.Name)
			continue
		}
		if !strings.HasPrefix(reason, h.Outcome+": ") || !strings.Contains(reason, h.Reason) {
			t.Errorf("%s: %q, want %s with %q", h.Name, reason, h.Outcome, h.Reason)
		}
		if h.Outcome != "warning" && !strings.Contains(reason, filepath.Join(dir, h.Name)) {
			t.Errorf("%s: the error does not name the file: %q", h.Name, reason)
		}
	}
	if _, ok := got[gen.HostileGood]; ok {
		t.Errorf("the good trace is listed: %s", got[gen.HostileGood])
	}
	found := false
	for _, row := range r.Traces {
		found = found || filepath.Base(row.File) == gen.HostileGood
	}
	if !found {
		t.Error("the good trace is not in the report")
	}
	if r.Partial {
		t.Error("partial")
	}
}
