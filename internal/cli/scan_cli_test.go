package cli

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/frebscan/frebscan/internal/freb"
	"github.com/frebscan/frebscan/internal/gen"
)

var (
	corpusOnce sync.Once
	corpusDir  string
	corpusErr  error
)

// generatedCorpus writes the generated folder once for all scan tests
// (corpusFiles: 2,000 realistic traces, or 500 small ones under -race).
func generatedCorpus(t *testing.T) (string, gen.CorpusOptions) {
	t.Helper()
	opt := gen.CorpusOptions{Files: corpusFiles, Seed: 7, Unpadded: corpusUnpadded}
	corpusOnce.Do(func() {
		corpusDir, corpusErr = os.MkdirTemp("", "frebscan-corpus")
		if corpusErr == nil {
			corpusErr = gen.WriteCorpus(corpusDir, opt)
		}
	})
	if corpusErr != nil {
		t.Fatal(corpusErr)
	}
	return corpusDir, opt
}

func scanJSON(t *testing.T, args ...string) (map[string]any, result) {
	t.Helper()
	r := frebscan(t, append([]string{"scan", "--format", "json", "--fail-on", "none"}, args...)...)
	if r.code != 0 {
		t.Fatalf("scan %v: exit %d: %s", args, r.code, r.stderr)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("scan JSON: %v", err)
	}
	return doc, r
}

func num(v any) int { f, _ := v.(float64); return int(f) }

func TestScanGeneratedCorpus(t *testing.T) {
	t.Parallel()
	dir, opt := generatedCorpus(t)
	want := map[string]int{}
	for i := 0; i < corpusFiles; i++ {
		s := gen.CorpusScenario(opt, i)
		code := s.Status.Code
		if code == 0 {
			code = 200 // the generator's default status
		}
		want[freb.FormatStatus(code, s.Status.Sub)]++
	}
	doc, r := scanJSON(t, dir)
	validate(t, r.stdout)
	sum := doc["summary"].(map[string]any)
	if num(sum["traces"]) != corpusFiles || num(sum["matched"]) != corpusFiles || num(sum["unreadable"]) != 0 {
		t.Fatalf("summary = %v", sum)
	}
	got := map[string]int{}
	for _, c := range doc["tables"].(map[string]any)["statuses"].([]any) {
		m := c.(map[string]any)
		got[m["key"].(string)] = num(m["count"])
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("status %s: %d, generator wrote %d", k, got[k], v)
		}
	}
	if len(doc["findings"].([]any)) == 0 {
		t.Error("no findings in a corpus with every failure scenario mixed in")
	}

	// --status 5xx selects exactly the 5xx traces.
	five := 0
	for k, v := range want {
		if k[0] == '5' {
			five += v
		}
	}
	doc5, _ := scanJSON(t, "--status", "5xx", dir)
	if n := num(doc5["summary"].(map[string]any)["matched"]); n != five {
		t.Errorf("--status 5xx matched %d, want %d", n, five)
	}
	// --url and --site narrow further; --rule keeps only traces with it.
	docURL, _ := scanJSON(t, "--url", "/ews/*", "--site", "W3SVC1", dir)
	for _, row := range docURL["traces"].([]any) {
		m := row.(map[string]any)
		if !strings.Contains(strings.ToLower(m["url"].(string)), "/ews/") || m["siteId"] != "1" {
			t.Errorf("filtered row %v", m["url"])
		}
	}
	docRule, _ := scanJSON(t, "--rule", "via-persistent-auth", dir)
	for _, g := range docRule["findings"].([]any) {
		if g.(map[string]any)["rule"] != "via-persistent-auth" {
			t.Errorf("--rule let %v through", g.(map[string]any)["rule"])
		}
	}
}

func TestScanFormatsAndOutput(t *testing.T) {
	t.Parallel()
	dir, _ := generatedCorpus(t)
	sub := filepath.Join(dir, "W3SVC2")
	r := frebscan(t, "scan", "--format", "ndjson", "--fail-on", "none", sub)
	if r.code != 0 {
		t.Fatalf("ndjson exit %d: %s", r.code, r.stderr)
	}
	traces, alerts := 0, 0
	sc := bufio.NewScanner(strings.NewReader(r.stdout))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var ev map[string]any
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			t.Fatalf("ndjson line: %v", err)
		}
		for _, k := range []string{"@timestamp", "url", "http", "source", "event"} {
			if _, ok := ev[k]; !ok {
				t.Fatalf("ndjson line lacks %s", k)
			}
		}
		// Trace lines are events without a rule; finding lines carry one
		// (alerts, or events when informational).
		rule, isFinding := ev["rule"].(map[string]any)
		switch kind := ev["event"].(map[string]any)["kind"]; {
		case !isFinding && kind == "event":
			traces++
		case isFinding && kind == "alert":
			alerts++
			if rule["id"] == "" {
				t.Error("alert without rule.id")
			}
		case !isFinding:
			t.Errorf("trace line of kind %v", kind)
		}
	}
	if traces == 0 || alerts == 0 {
		t.Errorf("ndjson: %d trace lines, %d finding lines", traces, alerts)
	}

	out := filepath.Join(t.TempDir(), "report.csv")
	r = frebscan(t, "scan", "--format", "csv", "-o", out, "--fail-on", "none", sub)
	if r.code != 0 || r.stdout != "" {
		t.Fatalf("csv -o: exit %d, stdout %q", r.code, r.stdout)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil || len(recs) != traces+1 || recs[0][0] != "time" {
		t.Errorf("csv: %d records (want %d), %v", len(recs), traces+1, err)
	}
	entries, _ := os.ReadDir(filepath.Dir(out))
	if len(entries) != 1 {
		t.Errorf("-o left temporary files: %v", entries)
	}
}

func TestScanExitCodes(t *testing.T) {
	t.Parallel()
	if r := frebscan(t, "scan", "../../samples"); r.code != 1 || !strings.Contains(r.stdout, "via-persistent-auth") {
		t.Errorf("findings at or above high: exit %d", r.code)
	}
	if r := frebscan(t, "scan", "--fail-on", "critical", "../../samples/via-persistent-auth"); r.code != 0 {
		t.Errorf("no finding at or above critical: exit %d", r.code)
	}
	if r := frebscan(t, "scan", "../../samples/healthy-direct"); r.code != 0 {
		t.Errorf("healthy: exit %d: %s", r.code, r.stdout)
	}
	bad := t.TempDir()
	os.WriteFile(filepath.Join(bad, "fr000001.xml"), []byte("<failedRequest url='x'"), 0o644)
	if r := frebscan(t, "scan", bad); r.code != 2 || !strings.Contains(r.stderr, "could be read") {
		t.Errorf("nothing readable: exit %d, stderr %q", r.code, r.stderr)
	}
	for _, args := range [][]string{
		{"scan", "--status", "abc", "../../samples"},
		{"scan", "--format", "yaml", "../../samples"},
		{"scan", "--rule", "no-such-rule", "../../samples"},
		{"scan", "--since", "yesterday", "../../samples"},
		{"scan", "--fail-on", "urgent", "../../samples"},
	} {
		if r := frebscan(t, args...); r.code != 2 || r.stderr == "" {
			t.Errorf("%v: exit %d, stderr %q", args, r.code, r.stderr)
		}
	}
	// Some unreadable files: still a report, exit by findings.
	mixed := t.TempDir()
	good, _ := os.ReadFile("../../samples/healthy-direct/fr000001.xml")
	os.WriteFile(filepath.Join(mixed, "fr000001.xml"), good, 0o644)
	os.WriteFile(filepath.Join(mixed, "fr000002.xml"), []byte("<failedRequest"), 0o644)
	if r := frebscan(t, "scan", mixed); r.code != 0 || !strings.Contains(r.stdout, "Files that could not be read") {
		t.Errorf("partly unreadable: exit %d\n%s", r.code, r.stdout)
	}
}

func validate(t *testing.T, doc string) {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	sch, err := c.Compile("../../docs/scan.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Fatalf("scan JSON does not validate against docs/scan.schema.json: %v", err)
	}
}

func TestScanJSONOfSamplesValidates(t *testing.T) {
	t.Parallel()
	_, r := scanJSON(t, "../../samples", "../../internal/freb/testdata")
	validate(t, r.stdout)
}

// TestScanJSONWithSymptomValidates holds the notes outside FREB to the
// shipped schema: a symptom no trace shows adds one.
func TestScanJSONWithSymptomValidates(t *testing.T) {
	t.Parallel()
	r := frebscan(t, "scan", "--format", "json", "--fail-on", "none", "--symptom", "417,tls", "../../samples/healthy-direct")
	if r.code != 0 || !strings.Contains(r.stdout, `"trigger": "symptom tls"`) {
		t.Fatalf("exit %d, no tls note:\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	validate(t, r.stdout)
}
