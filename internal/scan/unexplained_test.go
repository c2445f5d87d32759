package scan

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/frebscan/frebscan/internal/gen"
	"github.com/frebscan/frebscan/internal/headers"
)

// TestUnexplainedFailuresAreListed: failed traces no rule explains are
// grouped by status, module and error code with what the trace says;
// explained failures and successes are not listed.
func TestUnexplainedFailuresAreListed(t *testing.T) {
	dir := t.TempDir()
	mk := func(seed int64, code, sub int, module string, hr uint32, desc string) gen.Scenario {
		return gen.Scenario{Seed: seed, URL: "http://web01:80/app/thing.png", Status: gen.Status{Code: code, Sub: sub},
			Error:           &gen.ModuleError{Module: module, Notification: gen.ExecuteRequestHandler, Code: hr, Description: desc},
			RequestHeaders:  headers.List{{Name: "Host", Value: "web01"}},
			ResponseHeaders: headers.List{{Name: "Content-Type", Value: "text/html"}}}
	}
	scenarios := []gen.Scenario{
		mk(1, 502, 7, "StaticFileModule", 0x80070057, "The parameter is wrong for the mystery back end"),
		mk(2, 502, 7, "StaticFileModule", 0x80070057, "The parameter is wrong for the mystery back end"),
		mk(3, 500, 19, "IIS Web Core", 0x8007000D, ""), // config-error explains it
		{Seed: 4, URL: "http://web01:80/ok", Status: gen.Status{Code: 200}, RequestHeaders: headers.List{{Name: "Host", Value: "web01"}},
			ResponseHeaders: headers.List{{Name: "Content-Type", Value: "text/html"}}},
	}
	for i, s := range scenarios {
		b, err := gen.Bytes(s)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "fr00000"+string(rune('1'+i))+".xml"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r := run(t, Options{Inputs: []string{dir}, Workers: 2})
	if len(r.Unexplained) != 1 {
		t.Fatalf("unexplained = %+v, want one group", r.Unexplained)
	}
	g := r.Unexplained[0]
	if g.Count != 2 || g.Status != "502.7" || g.Module != "StaticFileModule" || !strings.HasPrefix(g.ErrorCode, "0x80070057") || g.Reason != "status" {
		t.Errorf("group = %+v", g)
	}
	if len(g.Says) != 1 || !strings.Contains(g.Says[0].Key, "mystery back end") {
		t.Errorf("says = %+v, want the error description", g.Says)
	}
	marked := 0
	for _, row := range r.Traces {
		if row.Unexplained != nil {
			marked++
			if !strings.HasPrefix(row.Unexplained.Text(), "502.7 StaticFileModule 0x80070057") || !strings.Contains(row.Unexplained.Text(), "mystery back end") {
				t.Errorf("row %s unexplained = %q", row.File, row.Unexplained.Text())
			}
		}
	}
	if marked != 2 {
		t.Errorf("%d rows marked unexplained, want 2", marked)
	}
}
