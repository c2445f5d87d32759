package report

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
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

func TestEndpoint(t *testing.T) {
	tests := []struct {
		addr string
		port int
		want string // JSON of the object, "null" when omitted
	}{
		{"", 0, "null"},
		{"  ", 443, "null"},
		{"203.0.113.45", 49792, `{"address":"203.0.113.45","ip":"203.0.113.45","port":49792}`},
		{"203.0.113.45:5555", 0, `{"address":"203.0.113.45:5555","ip":"203.0.113.45","port":5555}`},
		{"[2001:db8::1]:443", 0, `{"address":"[2001:db8::1]:443","ip":"2001:db8::1","port":443}`},
		{"2001:db8::1", 0, `{"address":"2001:db8::1","ip":"2001:db8::1"}`},
		{"::1", 50697, `{"address":"::1","ip":"::1","port":50697}`},
		{"fe80::1%eth0", 0, `{"address":"fe80::1%eth0","ip":"fe80::1"}`},
		{"::ffff:192.0.2.1", 0, `{"address":"::ffff:192.0.2.1","ip":"192.0.2.1"}`},
		{"unknown", 0, `{"address":"unknown"}`},
		{"_hidden", 80, `{"address":"_hidden","port":80}`},
		{"192.0.2.1", 70000, `{"address":"192.0.2.1","ip":"192.0.2.1"}`},
	}
	for _, tt := range tests {
		got, _ := json.Marshal(endpoint(tt.addr, tt.port))
		if string(got) != tt.want {
			t.Errorf("endpoint(%q, %d) = %s, want %s", tt.addr, tt.port, got, tt.want)
		}
	}
}

func TestURLOf(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://mail.contoso.com:443/EWS/Exchange.asmx", `{"domain":"mail.contoso.com","original":"https://mail.contoso.com:443/EWS/Exchange.asmx","path":"/EWS/Exchange.asmx","port":443,"scheme":"https"}`},
		{"http://[2001:db8::5]:8080/owa/?a=1", `{"domain":"[2001:db8::5]","original":"http://[2001:db8::5]:8080/owa/?a=1","path":"/owa/","port":8080,"query":"a=1","scheme":"http"}`},
		{"http://[::1]/x", `{"domain":"[::1]","original":"http://[::1]/x","path":"/x","scheme":"http"}`},
		{"/relative/only", `{"original":"/relative/only","path":"/relative/only"}`},
		{"http://host:99999/", `{"domain":"host","original":"http://host:99999/","path":"/","scheme":"http"}`},
	}
	for _, tt := range tests {
		got, _ := json.Marshal(urlOf(tt.in))
		if string(got) != tt.want {
			t.Errorf("urlOf(%q) =\n%s\nwant\n%s", tt.in, got, tt.want)
		}
	}
}

// TestNDJSONEventIDs: event.id is unique within a report and the same
// when the same traces are scanned again from another folder, so an
// engine that keys documents on it stores a re-shipped trace once.
func TestNDJSONEventIDs(t *testing.T) {
	copyTo := func(dst string) {
		if err := os.CopyFS(dst, os.DirFS("../../samples")); err != nil {
			t.Fatal(err)
		}
	}
	a, b := filepath.Join(t.TempDir(), "EX01"), filepath.Join(t.TempDir(), "share", "c$", "logs")
	copyTo(a)
	copyTo(b)
	ids := func(dir string) []string {
		var out []string
		seen := map[string]bool{}
		for _, m := range ndjsonLines(t, dir) {
			id, _ := field(m, "event", "id").(string)
			if id == "" || seen[id] {
				t.Fatalf("event.id %q empty or repeated", id)
			}
			seen[id] = true
			out = append(out, id)
		}
		return out
	}
	x, y := ids(a), ids(b)
	if len(x) < 50 || !slices.Equal(x, y) {
		t.Errorf("event IDs differ between two scans of the same traces (%d, %d)", len(x), len(y))
	}
}

// TestNDJSONKinds: findings of low severity and above are alerts,
// informational findings and traces are events; @timestamp always has
// three decimals.
func TestNDJSONKinds(t *testing.T) {
	kinds := map[string]int{}
	for _, m := range ndjsonLines(t, "../../samples") {
		kind, _ := field(m, "event", "kind").(string)
		sev, isFinding := field(m, "event", "severity").(float64)
		switch {
		case !isFinding && kind != "event":
			t.Errorf("trace line of kind %q", kind)
		case isFinding && sev == 0 && kind != "event":
			t.Errorf("informational finding %v of kind %q", field(m, "rule", "id"), kind)
		case isFinding && sev > 0 && kind != "alert":
			t.Errorf("finding %v of severity %v of kind %q", field(m, "rule", "id"), sev, kind)
		}
		kinds[fmt.Sprintf("%s/%v", kind, isFinding)]++
		if ts, _ := m["@timestamp"].(string); len(ts) != len("2024-03-12T14:02:31.430Z") {
			t.Errorf("@timestamp %q is not fixed-width", ts)
		}
	}
	if kinds["alert/true"] == 0 || kinds["event/true"] == 0 || kinds["event/false"] == 0 {
		t.Errorf("samples should give alerts, informational findings and traces: %v", kinds)
	}
}
