package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestUsageErrors: a wrong value is exit 2 with a message naming the
// accepted forms, never an empty "all clear" with exit 0.
func TestUsageErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"scan", ews400, "--client", "10.0.0.0/33"}, "a CIDR block (10.0.0.0/8)"},
		{[]string{"scan", ews400, "--client", "zzz"}, "want an address"},
		{[]string{"scan", ews400, "--site", "abc"}, "W3SVC1"},
		{[]string{"scan", ews400, "--site", "1,x"}, `--site "x"`},
		{[]string{"scan", ews400, "--since", "yesterday"}, "90m, 24h, 7d"},
		{[]string{"scan", ews400, "--until", "next week"}, "RFC 3339"},
		{[]string{"scan", ews400, "--top", "0"}, "--top must be 1 or more"},
		{[]string{"scan", ews400, "--slow", "0"}, "--slow must be 1 ms or more"},
		{[]string{"show", ews400, "--slow", "-5"}, "--slow must be 1 ms or more"},
		{[]string{"scan", ews400, "--where", "//Event["}, "missing ']'"},
		{[]string{"scan", ews400, "--rule", "no-such-rule"}, "known rules"},
		{[]string{"scan", ews400, "-o", "report.pdf", "--format", "pdf"}, "want text, json"},
		{[]string{"show", ews400, "-o", filepath.Join(t.TempDir(), "x.csv")}, "show cannot write csv"},
		{[]string{"explain"}, "frebscan explain via-persistent-auth"},
		{[]string{"show"}, "frebscan show W3SVC1/fr000123.xml"},
		{[]string{"show", "../../internal/freb/testdata"}, "frebscan scan ../../internal/freb/testdata"},
	}
	for _, tc := range tests {
		r := frebscan(t, tc.args...)
		if r.code != 2 || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 saying %q", tc.args, r.code, r.stderr, tc.want)
		}
		if r.stdout != "" {
			t.Errorf("%v: a usage error printed a report:\n%s", tc.args, r.stdout)
		}
	}
}

// TestRuleIDsAnyCase: IDs are read as typed from a heading.
func TestRuleIDsAnyCase(t *testing.T) {
	t.Parallel()
	if r := frebscan(t, "explain", "Via-Persistent-AUTH"); r.code != 0 || !strings.Contains(r.stdout, "via-persistent-auth") {
		t.Errorf("explain in upper case: exit %d %s", r.code, r.stderr)
	}
	doc, _ := scanJSON(t, "--rule", "VIA-PERSISTENT-AUTH", ews400)
	if f, _ := doc["findings"].([]any); len(f) != 1 {
		t.Errorf("--rule in upper case: %d finding groups, want 1", len(f))
	}
}

// TestFormatFromExtension: -o report.html writes HTML without --format;
// an explicit --format wins.
func TestFormatFromExtension(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	starts := map[string]string{
		"r.html": "<!DOCTYPE html>", "r.HTM": "<!DOCTYPE html>", "r.json": "{", "r.ndjson": `{"@timestamp"`,
		"r.csv": "time,file,", "r.txt": "frebscan incident report", "r.out": "frebscan incident report",
	}
	for name, want := range starts {
		out := filepath.Join(dir, name)
		if r := frebscan(t, "scan", "--fail-on", "none", "-o", out, ews400); r.code != 0 {
			t.Fatalf("-o %s: exit %d %s", name, r.code, r.stderr)
		}
		b, _ := os.ReadFile(out)
		if !strings.HasPrefix(string(b), want) {
			t.Errorf("-o %s starts %.40q, want %q", name, b, want)
		}
	}
	out := filepath.Join(dir, "forced.html")
	frebscan(t, "scan", "--fail-on", "none", "--format", "json", "-o", out, ews400)
	if b, _ := os.ReadFile(out); !strings.HasPrefix(string(b), "{") {
		t.Errorf("--format json -o forced.html wrote %.20q", b)
	}
	out = filepath.Join(dir, "show.html")
	if r := frebscan(t, "show", "-o", out, ews400); r.code != 0 {
		t.Fatalf("show -o: exit %d %s", r.code, r.stderr)
	}
	if b, _ := os.ReadFile(out); !strings.HasPrefix(string(b), "<!DOCTYPE html>") {
		t.Errorf("show -o show.html wrote %.20q", b)
	}
}

// TestWriteErrorNamesTarget: a failed -o names the file asked for, not
// the temporary file it was going through.
func TestWriteErrorNamesTarget(t *testing.T) {
	t.Parallel()
	target := filepath.Join(t.TempDir(), "missing-dir", "r.html")
	r := frebscan(t, "scan", "--fail-on", "none", "-o", target, ews400)
	if r.code != 2 || !strings.Contains(r.stderr, target) || strings.Contains(r.stderr, ".tmp") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestShowJSONArrayWhenOneMissing: several files named give an array even
// when one of them cannot be read, so `jq '.[]'` does not break on it.
func TestShowJSONArrayWhenOneMissing(t *testing.T) {
	t.Parallel()
	r := frebscan(t, "show", "-f", "json", ews400, filepath.Join(t.TempDir(), "missing.xml"))
	var arr []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &arr); err != nil || len(arr) != 1 {
		t.Errorf("want an array of 1: %v\n%s", err, r.stdout)
	}
	if r.code != 2 {
		t.Errorf("exit %d, want 2 for the missing file", r.code)
	}
}

// traceFolder is a FREB folder as IIS leaves it: traces, freb.xsl and,
// here, a stray W3C log and a non-FREB .xml.
func traceFolder(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "W3SVC1")
	os.MkdirAll(dir, 0o755)
	data, err := os.ReadFile(ews400)
	if err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string][]byte{
		"fr000001.xml": data, "freb.xsl": []byte("<xsl:stylesheet/>"), "u_ex240312.log": []byte("#Fields: date\n"),
		"web.xml": []byte("<configuration/>"),
	} {
		os.WriteFile(filepath.Join(dir, name), content, 0o644)
	}
	return dir
}

// TestSkippedFilesAddUp: every file is counted once, freb.xsl is not "not
// FREB", the bytes are those of every file, and the same path given
// twice is scanned once.
func TestSkippedFilesAddUp(t *testing.T) {
	t.Parallel()
	dir := traceFolder(t)
	doc, r := scanJSON(t, dir, dir, filepath.Join(dir, "fr000001.xml"))
	sm := doc["summary"].(map[string]any)
	want := map[string]int{"files": 4, "traces": 1, "notFreb": 1, "skipped": 1, "stylesheets": 1, "unreadable": 0}
	for k, v := range want {
		if num(sm[k]) != v {
			t.Errorf("summary.%s = %v, want %d", k, sm[k], v)
		}
	}
	var size int64
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		fi, _ := e.Info()
		size += fi.Size()
	}
	if int64(num(sm["bytes"])) != size {
		t.Errorf("summary.bytes = %v, want %d (every file)", sm["bytes"], size)
	}
	if len(doc["traces"].([]any)) != 1 {
		t.Errorf("the trace named three times was scanned %d times", len(doc["traces"].([]any)))
	}
	_ = r
	text := frebscan(t, "scan", "--fail-on", "none", dir)
	for _, want := range []string{"4 files", "1 FREB trace read", "1 .xml not FREB", "1 other file (not .xml)", "1 freb.xsl (IIS's stylesheet)"} {
		if !strings.Contains(strings.Join(strings.Fields(text.stdout), " "), want) {
			t.Errorf("text report lacks %q:\n%s", want, text.stdout)
		}
	}
}

// TestNoTraceFolder: a folder without any FREB trace says so and exits 3,
// so a scheduled task pointed at the W3C logs does not stay green; a
// --state run that only found nothing new exits 0 and says how many
// traces it left alone.
func TestNoTraceFolder(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "u_ex240312.log"), []byte("#Software: Microsoft Internet Information Services 10.0\n"), 0o644)
	r := frebscan(t, "scan", dir)
	if r.code != 3 || !strings.Contains(r.stdout, "No FREB trace found") || !strings.Contains(r.stderr, "no FREB trace found under") {
		t.Errorf("W3C folder: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	for _, format := range []string{"html", "json"} {
		if r := frebscan(t, "scan", "-f", format, dir); r.code != 3 {
			t.Errorf("%s: exit %d", format, r.code)
		}
	}
	state := filepath.Join(t.TempDir(), "state.json")
	traces := traceFolder(t)
	frebscan(t, "scan", "--fail-on", "none", "--event-log", "off", "--state", state, traces)
	r = frebscan(t, "scan", "--fail-on", "none", "--event-log", "off", "--state", state, traces)
	if r.code != 0 || !strings.Contains(r.stdout, "Nothing new since the last run: 2 files unchanged") {
		t.Errorf("second --state run: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
}

// TestTimesAreUTC: --since/--until without a zone are UTC (reports print
// UTC), and a bare --until date includes that day.
func TestTimesAreUTC(t *testing.T) {
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	old := time.Local
	time.Local = time.FixedZone("UTC+5", 5*3600)
	defer func() { time.Local = old }()
	for _, tc := range []struct {
		in    string
		until bool
		want  time.Time
	}{
		{"2024-03-12 14:00", false, time.Date(2024, 3, 12, 14, 0, 0, 0, time.UTC)},
		{"2024-03-12T14:00:05", false, time.Date(2024, 3, 12, 14, 0, 5, 0, time.UTC)},
		{"2024-03-12", false, time.Date(2024, 3, 12, 0, 0, 0, 0, time.UTC)},
		{"2024-03-12", true, time.Date(2024, 3, 13, 0, 0, 0, 0, time.UTC).Add(-time.Nanosecond)},
		{"2024-03-12T14:00:00+01:00", true, time.Date(2024, 3, 12, 13, 0, 0, 0, time.UTC)},
	} {
		got, err := parseTime(tc.in, now, tc.until)
		if err != nil || !got.Equal(tc.want) {
			t.Errorf("parseTime(%q, until=%v) = %v, %v; want %v", tc.in, tc.until, got, err, tc.want)
		}
	}
}
