package scan

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/frebscan/frebscan/internal/freb"
	"github.com/frebscan/frebscan/internal/gen"
)

// Every sample made large (its managed pipeline repeated) and detailed
// within a small budget keeps what its findings rest on: the same
// findings as a full read, and every event a view names.
func TestDetailerKeepsWhatFindingsRestOn(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cut := 0
	for _, s := range gen.Samples() {
		sc := s.Traces[len(s.Traces)-1]
		sc.Padding = 600
		file := filepath.Join(dir, s.Rule+".xml")
		f, err := os.Create(file)
		if err != nil {
			t.Fatal(err)
		}
		if err := gen.Write(f, sc); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		opts := withDefaults(Options{DetailBudget: 128 << 10})
		full, err := Detailer(withDefaults(Options{DetailBudget: 1 << 40}))(file)
		if err != nil {
			t.Fatal(err)
		}
		d, err := Detailer(opts)(file)
		if err != nil {
			t.Fatal(err)
		}
		if full.Omitted != nil {
			t.Fatalf("%s: a budget of 1 TB left events out", s.Rule)
		}
		if d.Omitted == nil {
			continue
		}
		cut++
		if got, want := ruleIDs(d), ruleIDs(full); !slices.Equal(got, want) {
			t.Errorf("%s: findings %v within the budget, %v in full", s.Rule, got, want)
		}
		kept := map[int]bool{}
		for _, ev := range d.Events {
			kept[ev.Index] = true
		}
		for _, ev := range full.Events {
			if ev.Level > 0 && ev.Level <= 3 && !kept[ev.Index] {
				t.Errorf("%s: %s (event %d, level %d) left out", s.Rule, ev.Name, ev.Index, ev.Level)
			}
		}
		for _, i := range viewEvents(full.Trace) {
			if !kept[i] {
				t.Errorf("%s: event %d (%s), which a view names, left out", s.Rule, i, full.Events[i].Name)
			}
		}
		if d.Omitted.Events+len(d.Events) != full.EventCount {
			t.Errorf("%s: %d kept + %d left out of %d events", s.Rule, len(d.Events), d.Omitted.Events, full.EventCount)
		}
	}
	if cut < len(gen.Samples())/2 {
		t.Errorf("only %d samples were cut: the test does not test retention", cut)
	}
}

func ruleIDs(d *DiagnosedTrace) []string {
	var out []string
	for _, f := range d.Findings {
		out = append(out, f.Rule)
	}
	return out
}

// viewEvents are the events the trace's views name by index.
func viewEvents(t *freb.Trace) []int {
	var out []int
	for _, e := range t.Errors {
		out = append(out, e.Event)
	}
	for _, e := range t.IOErrors {
		out = append(out, e.Event)
	}
	for _, c := range append(slices.Clone(t.RequestHeaderChanges), t.ResponseHeaderChanges...) {
		out = append(out, c.Event)
	}
	for _, w := range t.ModuleWarnings {
		out = append(out, w.Event)
	}
	for _, w := range t.WebEvents {
		out = append(out, w.Event)
	}
	for _, e := range t.AuthEvents {
		out = append(out, e.Index)
	}
	if t.RewriteAbort != nil {
		out = append(out, t.RewriteAbort.Event)
	}
	return out
}
