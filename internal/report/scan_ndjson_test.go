package report

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/frebscan/frebscan/internal/scan"
)

// ndjsonLines scans inputs and returns the NDJSON report's lines decoded.
func ndjsonLines(t *testing.T, inputs ...string) []map[string]any {
	t.Helper()
	r, err := scan.Run(context.Background(), scanOptions(scan.Options{Inputs: inputs}))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := writeScan(&b, "ndjson", r, Options{}); err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	dec := json.NewDecoder(&b)
	for dec.More() {
		var m map[string]any
		if err := dec.Decode(&m); err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

// field returns a dotted field of a decoded line, nested or flat.
func field(m map[string]any, path ...string) any {
	var cur any = m
	for _, p := range path {
		o, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = o[p]
	}
	return cur
}

// TestNDJSONFixIsPerFinding: a finding's fix and vendor are those of the
// proxy in front of its own trace, not the rule's most common vendor
// across the scan (samples/ mixes KEMP and F5 traces under one rule).
func TestNDJSONFixIsPerFinding(t *testing.T) {
	lines := ndjsonLines(t, "../../samples")
	checked := 0
	for _, m := range lines {
		id, _ := field(m, "rule", "id").(string)
		if id == "" {
			continue
		}
		rule := testEngine.Rule(id)
		if rule == nil {
			t.Fatalf("unknown rule %q", id)
		}
		vendor, _ := field(m, "frebscan", "vendor").(string)
		fix, _ := field(m, "frebscan", "fix").(string)
		if want := rule.FixFor(vendor); fix != want {
			t.Errorf("%v %s: fix for %q is\n%q\nwant\n%q", field(m, "file", "path"), id, vendor, fix, want)
		}
		proxy, _ := field(m, "frebscan", "proxy").(string)
		if proxy == "" {
			proxy, _ = field(m, "observer", "vendor").(string)
		}
		if rule.Trace != nil && vendor != proxy {
			t.Errorf("%v %s: vendor %q, but the trace's proxy is %q", field(m, "file", "path"), id, vendor, proxy)
		}
		checked++
	}
	if checked < 20 {
		t.Fatalf("only %d finding lines checked", checked)
	}
}
