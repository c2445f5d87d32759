package scan

import (
	"slices"

	"github.com/frebscan/frebscan/internal/freb"
)

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
