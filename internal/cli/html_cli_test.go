package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// htmlMarkers are what every HTML report holds: the policy, the summary,
// the findings and the trace table.
var htmlMarkers = []string{"<!DOCTYPE html>", `http-equiv="Content-Security-Policy"`, "default-src &#39;none&#39;",
	`id="summary"`, `id="findings"`, `<table id="traces"`, "Request Summary", "</html>"}

func TestScanHTML(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "report.html")
	r := frebscan(t, "scan", "--format", "html", "-o", out, "../../samples")
	if r.code != 1 {
		t.Fatalf("exit %d, want 1 (high findings in the samples): %s", r.code, r.stderr)
	}
	if r.stdout != "" {
		t.Errorf("with -o nothing goes to stdout, got %d bytes", len(r.stdout))
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	page := string(data)
	for _, want := range append(htmlMarkers, "Proxy adds Via, Exchange answers Persistent-Auth: false", "KEMP LoadMaster", `<ol class="seq">`) {
		if !strings.Contains(page, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if strings.Contains(page, "TlRMTVNTUAAB") {
		t.Error("the report leaked an NTLM token without --no-redact")
	}
}

func TestShowHTML(t *testing.T) {
	t.Parallel()
	r := frebscan(t, "show", "--format", "html", ews400)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, want := range append(htmlMarkers, "X-ClientSide", "HTTPS/1.1 kemp-lb:443", "Compact View", "Performance View") {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("show --format html lacks %q", want)
		}
	}
	if strings.Contains(r.stdout, "TlRMTVNTUAAB") {
		t.Error("show --format html leaked a token without --no-redact")
	}
	if r := frebscan(t, "show", "--format", "pdf", ews400); r.code != 2 || !strings.Contains(r.stderr, "html") {
		t.Errorf("unknown format: exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestOutDirWritesHTML: with the html format registered, --out-dir keeps
// an HTML incident report beside the JSON one.
func TestOutDirWritesHTML(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	r := frebscan(t, "scan", "--out-dir", dir, "--format", "json", "-o", filepath.Join(t.TempDir(), "r.json"), "../../samples/via-persistent-auth")
	if r.code != 1 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	data, err := os.ReadFile(filepath.Join(dir, "latest.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "Persistent-Auth") || !strings.Contains(string(data), `<table id="traces"`) {
		t.Error("latest.html is not the HTML incident report")
	}
	matches, _ := filepath.Glob(filepath.Join(dir, "incident-*.html"))
	if len(matches) != 1 {
		t.Errorf("incident HTML reports: %v", matches)
	}
}
