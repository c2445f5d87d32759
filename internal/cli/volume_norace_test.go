//go:build !race

// Tests whose cost is volume, not concurrency: hundreds of megabytes of
// hostile files, every output format of every sample twice, XPath over
// every sample. Under -race they took most of make test's CPU and could
// find nothing the scan package's race tests do not (the scan's workers,
// the only concurrency they reach, are raced there). make test runs this
// file in its second pass, without -race.

package cli

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/frebscan/frebscan/internal/freb"
	"github.com/frebscan/frebscan/internal/gen"
)

// TestScanHostileDirectoryCLI runs the real binary over the hostile files
// and one good trace: it finishes, reports the good trace, and lists every
// hostile file with its reason in the JSON report.
func TestScanHostileDirectoryCLI(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("writes two 100 MB files")
	}
	dir := t.TempDir()
	files, err := gen.WriteHostile(dir, 100<<20)
	if err != nil {
		t.Fatal(err)
	}
	r := frebscan(t, "scan", "--format", "json", "--fail-on", "none", "--progress", "never", dir)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var doc struct {
		Traces     []struct{ File string }
		Unreadable []struct{ File, Error string }
		NotFREB    []struct{ File, Error string } `json:"notFreb"`
		Warnings   []struct {
			File     string
			Warnings []string
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	listed := map[string]string{}
	for _, u := range doc.Unreadable {
		listed[filepath.Base(u.File)] = "unreadable: " + u.Error
	}
	for _, u := range doc.NotFREB {
		listed[filepath.Base(u.File)] = "notfreb: " + u.Error
	}
	for _, w := range doc.Warnings {
		listed[filepath.Base(w.File)] = "warning: " + strings.Join(w.Warnings, "; ")
	}
	for _, h := range files {
		if got := listed[h.Name]; !strings.HasPrefix(got, h.Outcome+": ") || !strings.Contains(got, h.Reason) {
			t.Errorf("%s: %q, want %s with %q", h.Name, got, h.Outcome, h.Reason)
		}
	}
	good := false
	for _, tr := range doc.Traces {
		good = good || filepath.Base(tr.File) == gen.HostileGood
	}
	if !good {
		t.Error("the good trace is not reported")
	}
}

// TestNoSecretsInAnyOutput: no secret from the samples appears in any
// output without --no-redact; with --no-redact every one of them does
// somewhere, which shows the search would find a leak.
func TestNoSecretsInAnyOutput(t *testing.T) {
	t.Parallel()
	secrets := sampleSecrets(t)
	kinds := map[string]int{}
	for _, k := range secrets {
		kinds[k]++
	}
	t.Logf("%d secrets from the samples: %v", len(secrets), kinds)
	for _, want := range []string{"Authorization token", "cookie value", "NTLM user", "NTLM domain", "NTLM workstation", "connection-string password", "SQL login"} {
		if kinds[want] == 0 {
			t.Errorf("the samples hold no %s: the test would prove nothing", want)
		}
	}
	for where, text := range outputs(t) {
		for s, kind := range secrets {
			if strings.Contains(text, s) {
				t.Errorf("%s shows a %s: %q", where, kind, s)
			}
		}
	}
	// With --no-redact every token, cookie value and recorded user name
	// shows up somewhere, so the search above would have found a leak.
	// Names decoded from inside NTLM tokens are shown by no output (only
	// the token as written is), so for them one of each kind is enough.
	shown := map[string]bool{}
	for _, text := range outputs(t, "--no-redact") {
		for s := range secrets {
			if strings.Contains(text, s) {
				shown[s] = true
			}
		}
	}
	decoded := map[string]bool{"NTLM user": true, "NTLM domain": true, "NTLM workstation": true, "NTLM account": true, "Authorization user": true}
	shownKinds := map[string]bool{}
	for s, kind := range secrets {
		if shown[s] {
			shownKinds[kind] = true
		} else if !decoded[kind] {
			t.Errorf("with --no-redact no output shows the %s %q", kind, s)
		}
	}
	for kind := range kinds {
		if !shownKinds[kind] && kind != "NTLM workstation" && kind != "Authorization user" {
			t.Errorf("with --no-redact no output shows any %s", kind)
		}
	}
}

// TestScanWhere: --where on the root's attributes (statusCode is "401.1") selects exactly what
// --status does; an event condition selects the traces that have such an
// event; the report names the expression; invalid XPath is a usage error
// naming it.
func TestScanWhere(t *testing.T) {
	t.Parallel()
	const samples = "../../samples"
	all, _ := scanJSON(t, samples)
	byStatus, _ := scanJSON(t, "--status", "401", samples)
	doc, r := scanJSON(t, "--where", "/failedRequest[starts-with(@statusCode, '401')]", samples)
	validate(t, r.stdout)
	want, got := traceFiles(byStatus), traceFiles(doc)
	if len(want) == 0 || len(want) == len(traceFiles(all)) {
		t.Fatalf("--status 401 selects %d of %d sample traces: the test needs some, not all", len(want), len(traceFiles(all)))
	}
	if !slices.Equal(got, want) {
		t.Errorf("--where statusCode 401* selected\n%v\nwant (as --status 401)\n%v", got, want)
	}
	if f := doc["filters"].(map[string]any); f["where"] != "/failedRequest[starts-with(@statusCode, '401')]" {
		t.Errorf("report filters = %v, want the --where expression", f)
	}

	// The event-level condition selects exactly the traces whose request
	// headers, as the reader sees them, have a Via line.
	doc, _ = scanJSON(t, "--where", "//Event[RenderingInfo/Opcode='GENERAL_REQUEST_HEADERS' and EventData/Data[@Name='Headers'][contains(., 'Via:')]]", samples)
	var withVia []string
	for _, f := range traceFiles(all) {
		tr, err := freb.ReadFile(f, freb.DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		if tr.RequestHeaders.Has("Via") {
			withVia = append(withVia, f)
		}
	}
	if len(withVia) == 0 {
		t.Fatal("no sample trace has a Via request header")
	}
	if got := traceFiles(doc); !slices.Equal(got, withVia) {
		t.Errorf("--where Via selected\n%v\nwant\n%v", got, withVia)
	}

	doc, _ = scanJSON(t, "--where", "//Event[RenderingInfo/Opcode='NO_SUCH_EVENT']", samples)
	if n := len(traceFiles(doc)); n != 0 {
		t.Errorf("an event no trace has selected %d traces", n)
	}

	for _, expr := range []string{"//Event[", "Event[@]"} {
		r := frebscan(t, "scan", "--where", expr, samples)
		if r.code != 2 || !strings.Contains(r.stderr, "--where") || !strings.Contains(r.stderr, expr) {
			t.Errorf("--where %q: exit %d, stderr %q; want exit 2 naming the expression", expr, r.code, r.stderr)
		}
	}
}
