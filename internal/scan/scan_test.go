package scan

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/frebscan/frebscan/internal/corpus"
	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/diagnose/rules"
	"github.com/frebscan/frebscan/internal/freb"
)

const samples = "../../samples"

// testEngine is the whole catalogue, built once for the package's tests.
var testEngine = func() *diagnose.Engine {
	e, err := diagnose.NewEngine(rules.Catalogue())
	if err != nil {
		panic(err)
	}
	return e
}()

// withDefaults fills what the command layer would: the engine, a clock
// and the default settings.
func withDefaults(o Options) Options {
	if o.Settings.SlowMs == 0 {
		o.Settings = diagnose.DefaultSettings()
	}
	if o.Engine == nil {
		o.Engine = testEngine
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	return o
}

func run(t *testing.T, o Options) *Result {
	t.Helper()
	r, err := Run(context.Background(), withDefaults(o))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func groups(r *Result) map[string]Group {
	out := map[string]Group{}
	for _, g := range r.Findings {
		if g.Severity > diagnose.Info {
			out[g.Rule] = g
		}
	}
	return out
}

// TestScanSamples: scanning samples/ names every scenario's rule, and the
// seed case with KEMP and its fix.
func TestScanSamples(t *testing.T) {
	r := run(t, Options{Inputs: []string{samples}, Workers: 2})
	g := groups(r)
	for _, rule := range rules.Catalogue() {
		if _, ok := g[rule.ID]; !ok {
			t.Errorf("no %s finding from samples/", rule.ID)
		}
	}
	seed := g["via-persistent-auth"]
	if seed.Vendor != "KEMP LoadMaster" || !strings.Contains(seed.Fix, "Additional L7 Header") {
		t.Errorf("seed group vendor %q fix %q", seed.Vendor, seed.Fix)
	}
	if seed.Confidence != diagnose.ConfidenceHigh || len(seed.Examples) == 0 || len(seed.Examples[0].Sequence) == 0 {
		t.Errorf("seed group lacks its sequence example: %+v", seed.Examples)
	}
	if r.Summary.Skipped == 0 {
		t.Error("samples/README.md should count as a skipped file")
	}
	if r.Summary.Traces != r.Summary.Matched || r.Summary.Failed != 0 {
		t.Errorf("summary = %+v", r.Summary)
	}
}

// TestScanCorpusStatusCounts compares the status distribution of a scan of
// the real corpus with MANIFEST.tsv.
func TestScanCorpusStatusCounts(t *testing.T) {
	dir := corpus.Require(t)
	entries, err := corpus.Manifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{}
	for _, e := range entries {
		code, sub, _ := freb.ParseStatus(e.StatusCode)
		if e.SubStatusCode != "" {
			sub, _, _ = freb.ParseStatus(e.SubStatusCode)
		}
		want[freb.FormatStatus(code, sub)]++
	}
	r := run(t, Options{Inputs: []string{dir}, Workers: 2})
	got := map[string]int{}
	for _, c := range r.Tables.Statuses {
		got[c.Key] = c.Count
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("status %s: %d traces, manifest says %d", k, got[k], v)
		}
	}
	if r.Summary.Traces != len(entries) || r.Summary.Failed != 0 || r.Summary.Truncated != 2 {
		t.Errorf("summary %+v; want %d traces, none failed, 2 truncated", r.Summary, len(entries))
	}
}

func TestTraceFilters(t *testing.T) {
	tr := &freb.Trace{URL: "https://mail.contoso.com:443/EWS/Exchange.asmx?x=1", SiteID: "2", ClientAddress: "192.0.2.5"}
	s := &diagnose.Subject{Proxy: diagnose.ProxyView{ClientAddress: "203.0.113.45"}, Client: diagnose.ClientView{UserAgent: "Mac OS X/10.11.1; Mail/9.1"}}
	tests := []struct {
		name string
		f    Filter
		want bool
	}{
		{"url substring", Filter{URL: "exchange.asmx"}, true},
		{"url glob", Filter{URL: "/ews/*"}, true},
		{"url glob miss", Filter{URL: "/owa/*"}, false},
		{"site number", Filter{Sites: []string{"2"}}, true},
		{"site W3SVC", Filter{Sites: []string{"W3SVC2"}}, true},
		{"site miss", Filter{Sites: []string{"1"}}, false},
		{"client original", Filter{Client: "203.0.113.45"}, true},
		{"client tcp", Filter{Client: "192.0.2.5"}, true},
		{"client cidr", Filter{Client: "203.0.113.0/24"}, true},
		{"client cidr miss", Filter{Client: "10.0.0.0/8"}, false},
		{"user agent", Filter{UserAgent: "mail/9"}, true},
		{"user agent miss", Filter{UserAgent: "Outlook"}, false},
		{"since", Filter{Since: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}, true},
		{"until", Filter{Until: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}, false},
	}
	when := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	for _, tc := range tests {
		if got := tc.f.traceMatch(tr, s, when); got != tc.want {
			t.Errorf("%s: %v", tc.name, got)
		}
	}
}

// TestScanMixedTree: non-FREB files are skipped and counted, broken ones
// listed with the reason, and the scan goes on.
func TestScanMixedTree(t *testing.T) {
	dir := t.TempDir()
	good, err := os.ReadFile(filepath.Join(samples, "via-persistent-auth", "fr000004.xml"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{
		"W3SVC1/fr000001.xml": good,
		"W3SVC1/freb.xsl":     []byte("<xsl:stylesheet/>"),
		"W3SVC1/notes.txt":    []byte("hello"),
		"W3SVC2/fr000001.xml": good[:len(good)/2],
		"W3SVC2/fr000002.xml": []byte("<configuration/>"),
		"W3SVC2/fr000003.xml": {},
		"W3SVC2/deep/x.xml":   []byte("<?xml version=\"1.0\"?>\n<failedRequest url=\"http://x/\"\n siteId="),
	}
	for name, b := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r := run(t, Options{Inputs: []string{dir, filepath.Join(dir, "missing")}, Workers: 2})
	sm := r.Summary
	// freb.xsl is IIS's own stylesheet, not a file that failed to be a
	// trace; notes.txt is skipped unopened; the two bad .xml are not
	// FREB; every path is counted once and the counts add up.
	if sm.Traces != 2 || sm.NotFREB != 2 || sm.Skipped != 1 || sm.Stylesheets != 1 || sm.Failed != 2 || sm.Truncated != 1 {
		t.Fatalf("summary = %+v, unreadable = %+v", sm, r.Unreadable)
	}
	if sum := sm.Traces + sm.NotFREB + sm.Skipped + sm.Stylesheets + sm.Failed; sum != sm.Files {
		t.Errorf("counts add up to %d, files = %d", sum, sm.Files)
	}
	var size int64
	for _, b := range files {
		size += int64(len(b))
	}
	if sm.Bytes != size {
		t.Errorf("bytes = %d, want %d: every file looked at", sm.Bytes, size)
	}
	var reasons []string
	for _, u := range r.Unreadable {
		reasons = append(reasons, u.File+": "+u.Error)
	}
	joined := strings.Join(reasons, "\n")
	if !strings.Contains(joined, "x.xml") || !strings.Contains(joined, "missing") {
		t.Errorf("unreadable = %s", joined)
	}
}

func TestScanCancelledIsPartial(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r, err := Run(ctx, withDefaults(Options{Inputs: []string{samples}}))
	if err != nil {
		t.Fatal(err)
	}
	if !r.Partial {
		t.Error("a cancelled scan must be marked partial")
	}
}

func TestRuleAndSeverityFilters(t *testing.T) {
	r := run(t, Options{Inputs: []string{samples}, Filter: Filter{Rules: map[string]bool{"via-persistent-auth": true}}})
	if len(r.Findings) != 1 || r.Findings[0].Rule != "via-persistent-auth" {
		t.Fatalf("findings = %d", len(r.Findings))
	}
	for _, row := range r.Traces {
		if len(row.Findings) == 0 {
			t.Errorf("--rule lists a trace without that finding: %s", row.File)
		}
	}
	r = run(t, Options{Inputs: []string{samples}, Filter: Filter{MinSeverity: diagnose.High}})
	for _, g := range r.Findings {
		if g.Severity < diagnose.High {
			t.Errorf("%s (%s) below --min-severity high", g.Rule, g.Severity)
		}
	}
}

// TestFileErrorReason: the "why" beside a file never repeats its path.
func TestFileErrorReason(t *testing.T) {
	for _, tc := range []struct{ file, err, want string }{
		{"/a/x.xml", "/a/x.xml: not a FREB trace", "not a FREB trace"},
		{"/a/x.xml", "/a/x.xml:3: the file ends early", "line 3: the file ends early"},
		{"/a/missing", "stat /a/missing: no such file or directory", "no such file or directory"},
		{"/a/x.xml", "open /a/x.xml: permission denied", "permission denied"},
		{"/a/x.xml", "something else", "something else"},
	} {
		if got := (FileError{File: tc.file, Error: tc.err}).Reason(); got != tc.want {
			t.Errorf("Reason(%q) = %q, want %q", tc.err, got, tc.want)
		}
	}
}
