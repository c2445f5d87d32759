package report

import (
	"encoding/json"
	"io"

	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/scan"
)

// WriteTracesJSON writes traces as JSON: one object for one trace, an
// array when array is set (several files were named), so `show one.xml |
// jq .url` works without [0] and a script that names several files gets
// an array even when one of them could not be read.
// Events are included only when withEvents is set; they are most of the
// size and rarely what a script wants.
func WriteTracesJSON(w io.Writer, docs []*scan.DiagnosedTrace, withEvents, array bool) error {
	out := make([]*scan.DiagnosedTrace, len(docs))
	for i, d := range docs {
		t := *d.Trace
		if !withEvents {
			t.Events = nil
		}
		c := *d
		c.Trace = &t
		if c.Findings == nil {
			c.Findings = []diagnose.Finding{}
		}
		out[i] = &c
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if len(out) == 1 && !array {
		return enc.Encode(out[0])
	}
	return enc.Encode(out)
}
