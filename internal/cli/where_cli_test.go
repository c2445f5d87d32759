package cli

import (
	"slices"
	"strings"
	"testing"

	"github.com/frebscan/frebscan/internal/freb"
)

// traceFiles lists the files of a scan JSON report's trace rows.
func traceFiles(doc map[string]any) []string {
	var out []string
	for _, row := range doc["traces"].([]any) {
		out = append(out, row.(map[string]any)["file"].(string))
	}
	slices.Sort(out)
	return out
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
