package freb

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/frebscan/frebscan/internal/corpus"
)

// TestCorpus reads every real trace in ../shared/freb-corpus and checks
// what MANIFEST.tsv records about it: status, trigger, failure reason,
// event count, and that the files known to be cut or malformed are read
// with the right flags rather than rejected.
func TestCorpus(t *testing.T) {
	t.Parallel()
	dir := corpus.Require(t)
	entries, err := corpus.Manifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.xml"))
	if len(entries) != len(files) || len(files) < 80 {
		t.Fatalf("manifest lists %d files, directory holds %d", len(entries), len(files))
	}
	for _, e := range entries {
		t.Run(e.File, func(t *testing.T) {
			tr, err := ReadFile(filepath.Join(dir, e.File), DefaultOptions())
			if err != nil {
				t.Fatalf("read: %v", err)
			}
			// Some manifest rows give the substatus only in its own column
			// ("401" + "2"), others in both ("401.2" + "2").
			code, sub, _ := ParseStatus(e.StatusCode)
			if e.SubStatusCode != "" {
				sub, _, _ = ParseStatus(e.SubStatusCode)
			}
			if tr.StatusCode != code || tr.SubStatusCode != sub {
				t.Errorf("status %s, manifest %s / %s", tr.Status(), e.StatusCode, e.SubStatusCode)
			}
			if got := FormatStatus(tr.TriggerStatusCode, tr.TriggerSubStatusCode); got != e.TriggerStatusCode {
				t.Errorf("trigger %s, manifest %s", got, e.TriggerStatusCode)
			}
			if tr.FailureReason != e.FailureReason || tr.Verb != e.Verb {
				t.Errorf("failureReason %s verb %s, manifest %s %s", tr.FailureReason, tr.Verb, e.FailureReason, e.Verb)
			}
			if e.Events != "" && itoa(tr.EventCount) != e.Events {
				t.Errorf("%d events, manifest %s", tr.EventCount, e.Events)
			}
			wantTrunc := strings.Contains(e.Notes, "head of trace missing") || strings.Contains(e.Notes, "LOG_FILE_MAX_SIZE_TRUNCATE")
			if tr.Truncated != wantTrunc {
				t.Errorf("truncated = %v, want %v (%s)", tr.Truncated, wantTrunc, e.Notes)
			}
			malformed := strings.Contains(e.Notes, "NOT well-formed")
			hasWarn := len(tr.Warnings) > 0
			if malformed && !hasWarn {
				t.Errorf("malformed file read without a warning")
			}
			if !malformed && !wantTrunc && hasWarn {
				t.Errorf("clean file got warnings: %v", tr.Warnings)
			}
			if tr.Server == "" || tr.ActivityID == "" {
				t.Errorf("server %q activity %q", tr.Server, tr.ActivityID)
			}
			if !strings.Contains(e.Notes, "head of trace missing") && !strings.Contains(e.Notes, "starts at NOTIFY_MODULE_END") && len(tr.RequestHeaders) == 0 {
				t.Errorf("no request headers")
			}
		})
	}
}

func itoa(n int) string { return FormatStatus(n, 0) }
