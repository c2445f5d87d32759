package report

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/frebscan/frebscan/internal/scan"
)

// TestEveryFormatListsUnexplainedFailures: the failed requests no rule
// explains are in every scan format, with what the trace says.
func TestEveryFormatListsUnexplainedFailures(t *testing.T) {
	ref := &scan.UnexplainedRef{Status: "502.7", Module: "MysteryModule", ErrorCode: "0x80070057 ERROR_INVALID_PARAMETER", Reason: "status", Says: "the mystery back end refused"}
	r := &scan.Result{SchemaVersion: scan.SchemaVersion, Tool: "frebscan test", Started: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC),
		Findings: []scan.Group{}, Unreadable: []scan.FileError{}, Warnings: []scan.FileWarning{}, NotFREB: []scan.FileError{},
		Summary: scan.Summary{Files: 1, Traces: 1, Matched: 1, BySeverity: map[string]int{}},
		Traces: []scan.Row{{File: "W3SVC1/fr000001.xml", Time: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), Verb: "GET", URL: "http://web01/app/x",
			Status: "502.7", StatusCode: 502, SubStatus: 7, Findings: []scan.Ref{}, Unexplained: ref}},
		Unexplained: []scan.UnexplainedGroup{{Status: ref.Status, Module: ref.Module, ErrorCode: ref.ErrorCode, Reason: ref.Reason, Count: 1,
			Says: []scan.Count{{Key: ref.Says, Count: 1}}, URLs: []scan.Count{{Key: "GET /app/x", Count: 1}}, Example: "W3SVC1/fr000001.xml"}},
	}
	for _, format := range Formats(KindScan) {
		var b bytes.Buffer
		if err := writeScan(&b, format, r, Options{Style: Style{Width: 120}}); err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		out := b.String()
		for _, want := range []string{"502.7", "MysteryModule", "0x80070057", "the mystery back end refused"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s does not show %q", format, want)
			}
		}
	}
}
