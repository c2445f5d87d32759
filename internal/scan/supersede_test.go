package scan

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/gen"
	"github.com/frebscan/frebscan/internal/headers"
)

// TestSequenceFindingSupersedesAcrossTheScan: a sequence finding is known
// only at the end of a scan, after the trace findings of its last trace
// were counted. One primary explanation per trace still holds in both
// directions: a specific sequence finding removes the generic trace
// finding (row, group, kept trace), and a specific trace finding keeps a
// generic sequence finding off its trace.
func TestSequenceFindingSupersedesAcrossTheScan(t *testing.T) {
	dir := t.TempDir()
	for i := 0; i < 2; i++ {
		s := gen.Scenario{Seed: int64(i + 1), URL: "https://web.contoso.com:443/app/", Status: gen.Status{Code: 401, Sub: 1},
			Start: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC).Add(time.Duration(i) * time.Second), Computer: "WEB01",
			Client:         gen.Endpoint{Address: "10.0.0.9", Port: 50000 + i},
			RequestHeaders: headers.List{{Name: "Host", Value: "web.contoso.com"}, {Name: "User-Agent", Value: "test-agent"}}}
		if err := gen.WriteFile(filepath.Join(dir, gen.SampleFileName(i+1)), s); err != nil {
			t.Fatal(err)
		}
	}
	high := diagnose.High
	onTrace := func(*diagnose.Subject) *diagnose.Match { return &diagnose.Match{Severity: &high} }
	onSequence := func(*diagnose.Sequence) *diagnose.Match { return &diagnose.Match{Severity: &high} }
	tests := []struct {
		name  string
		rules []*diagnose.Rule
		want  map[string]int // group counts
	}{
		{"sequence replaces trace", []*diagnose.Rule{
			{ID: "generic", Title: "G", Trace: onTrace},
			{ID: "specific", Title: "S", Sequence: onSequence, Supersedes: []string{"generic"}},
		}, map[string]int{"generic": 1, "specific": 1}},
		{"trace keeps sequence off", []*diagnose.Rule{
			{ID: "specific", Title: "S", Trace: onTrace, Supersedes: []string{"generic"}},
			{ID: "generic", Title: "G", Sequence: onSequence},
		}, map[string]int{"specific": 2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, err := diagnose.NewEngine(tc.rules)
			if err != nil {
				t.Fatal(err)
			}
			r := run(t, Options{Inputs: []string{dir}, Engine: e, KeepTraces: true})
			got := map[string]int{}
			for _, g := range r.Findings {
				got[g.Rule] = g.Count
				for _, ex := range g.Examples {
					if g.Rule == "generic" && ex.Traces[len(ex.Traces)-1] == gen.SampleFileName(2) {
						t.Errorf("generic example kept on the superseded trace")
					}
				}
			}
			if len(got) != len(tc.want) {
				t.Errorf("groups %v, want %v", got, tc.want)
			}
			for rule, n := range tc.want {
				if got[rule] != n {
					t.Errorf("%s count %d, want %d (groups %v)", rule, got[rule], n, got)
				}
			}
			last := r.Traces[len(r.Traces)-1]
			if len(last.Findings) != 1 {
				t.Errorf("last trace has %d findings, want one primary: %+v", len(last.Findings), last.Findings)
			}
			for _, d := range r.Diagnosed {
				if filepath.Base(d.File) == gen.SampleFileName(2) && len(d.Findings) != 1 {
					t.Errorf("kept trace has %d findings: %+v", len(d.Findings), d.Findings)
				}
			}
		})
	}
}
