package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/frebscan/frebscan/internal/version"
	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	if path := os.Getenv(holdLockEnv); path != "" {
		holdLock(path) // lock_cli_test.go: this process is a run that crashes holding the lock
	}
	// testscript.Main runs the tests, or, when the scripts start this
	// binary as `frebscan` (script_test.go), the command line as main
	// does; either way it exits.
	testscript.Main(cleanupM{m}, map[string]func(){
		"frebscan": func() { os.Exit(Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
	})
}

// cleanupM removes the generated corpus after the tests, since
// testscript.Main exits without returning.
type cleanupM struct{ m *testing.M }

func (c cleanupM) Run() int {
	code := c.m.Run()
	if corpusDir != "" {
		os.RemoveAll(corpusDir)
	}
	return code
}

type result struct {
	stdout, stderr string
	code           int
}

// frebscan runs the whole command line in process, as main does, with
// buffers for the streams (so no colour and the default width).
func frebscan(t *testing.T, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(args, strings.NewReader(""), &out, &errb)
	return result{out.String(), errb.String(), code}
}

const ews400 = "../../internal/freb/testdata/ews-400.xml"

func TestShowText(t *testing.T) {
	t.Parallel()
	r := frebscan(t, "show", ews400)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{"Request summary", "400", "ManagedPipelineHandler", "X-ClientSide", "Via", "HTTPS/1.1 kemp-lb:443",
		"NTLM <type 1 message", "ClientId=<redacted>", "Persistent-Auth", "Timeline", "Slowest steps"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("show output lacks %q", want)
		}
	}
	if strings.Contains(r.stdout, "TlRMTVNTUAAB") || strings.Contains(r.stdout, "ABCDEF0123") {
		t.Error("show leaked a secret without --no-redact")
	}
	if r := frebscan(t, "show", "--no-redact", ews400); !strings.Contains(r.stdout, "TlRMTVNTUAAB") {
		t.Error("--no-redact did not show the token")
	}
}

func TestShowJSON(t *testing.T) {
	t.Parallel()
	r := frebscan(t, "show", "--format", "json", ews400)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	for _, k := range []string{"file", "url", "verb", "statusCode", "subStatusCode", "triggerStatusCode", "failureReason", "timeTakenMs",
		"siteId", "appPoolId", "activityId", "server", "clientAddress", "requestHeaders", "responseHeaders", "errorStatus", "eventCount", "truncated", "warnings"} {
		if _, ok := doc[k]; !ok {
			t.Errorf("JSON lacks %q", k)
		}
	}
	if _, ok := doc["events"]; ok {
		t.Error("events included without --events all")
	}
	// Two names give an array, even when they are the same file, which
	// is shown once (as a scan reads it once).
	r = frebscan(t, "show", "-f", "json", ews400, ews400)
	var arr []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &arr); err != nil || len(arr) != 1 {
		t.Fatalf("the same file twice should give an array of 1: %v", err)
	}
}

func TestShowBadInput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	empty := filepath.Join(dir, "fr000001.xml")
	os.WriteFile(empty, nil, 0o644)
	html := filepath.Join(dir, "fr000002.xml")
	os.WriteFile(html, []byte("<html></html>"), 0o644)
	r := frebscan(t, "show", empty, html, ews400, filepath.Join(dir, "missing.xml"))
	if r.code != 2 {
		t.Errorf("exit %d, want 2", r.code)
	}
	for _, want := range []string{empty + ": byte 0: not a FREB trace: the file is empty", html, "root element is <html>", "missing.xml"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if !strings.Contains(r.stdout, "ManagedPipelineHandler") {
		t.Error("the good file was not shown")
	}
	if r := frebscan(t, "show", "--format", "yaml", ews400); r.code != 2 || !strings.Contains(r.stderr, "unknown --format") {
		t.Errorf("bad format: exit %d %s", r.code, r.stderr)
	}
	if r := frebscan(t, "show"); r.code != 2 {
		t.Errorf("no args: exit %d", r.code)
	}
}

// TestVersion: every way of asking names the same build. The test binary
// is built without linker values (and CI sets -buildvcs=false), so the
// commit may be unknown; the test asks only for what any build has.
func TestVersion(t *testing.T) {
	t.Parallel()
	in := version.Get()
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"version"}, []string{"frebscan " + in.Version + "\n", "commit:   ", "date:     ", "go:       " + in.GoVersion, "platform: " + in.Platform}},
		{[]string{"--version"}, []string{"frebscan " + in.String() + "\n"}},
		{[]string{"-v"}, []string{"frebscan " + in.String() + "\n"}},
	}
	for _, tt := range tests {
		r := frebscan(t, tt.args...)
		if r.code != 0 {
			t.Errorf("%v: exit %d: %s", tt.args, r.code, r.stderr)
		}
		for _, w := range tt.want {
			if !strings.Contains(r.stdout, w) {
				t.Errorf("%v: output lacks %q:\n%s", tt.args, w, r.stdout)
			}
		}
	}
	if !strings.Contains(in.String(), "(commit ") {
		t.Errorf("one-line version does not name a commit: %q", in.String())
	}

	r := frebscan(t, "version", "--format", "json")
	var got map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || r.code != 0 {
		t.Fatalf("version --format json: exit %d, %v: %s", r.code, err, r.stdout)
	}
	for _, k := range []string{"version", "goVersion", "platform", "modified"} {
		if _, ok := got[k]; !ok {
			t.Errorf("version JSON lacks %q: %s", k, r.stdout)
		}
	}
	if got["version"] != in.Version || got["platform"] != in.Platform {
		t.Errorf("version JSON %v, want %+v", got, in)
	}
	if r := frebscan(t, "version", "--format", "yaml"); r.code != 2 || !strings.Contains(r.stderr, `unknown --format "yaml"`) {
		t.Errorf("version --format yaml: exit %d: %s", r.code, r.stderr)
	}
}

// TestReportsNameTheBuild: the version reaches every report a scan writes
// (JSON tool, NDJSON frebscan.tool, the HTML page), so a report sent on
// names the build that wrote it.
func TestReportsNameTheBuild(t *testing.T) {
	in := version.Get()
	tests := []struct {
		format, want string
	}{
		{"json", `"tool": "frebscan ` + in.Version + `"`},
		{"ndjson", `"tool":"frebscan ` + in.Version + `"`},
		{"html", "by frebscan " + in.Version + "."},
	}
	for _, tt := range tests {
		r := frebscan(t, "scan", "--format", tt.format, "--fail-on", "none", ews400)
		if r.code != 0 {
			t.Fatalf("%s: exit %d: %s", tt.format, r.code, r.stderr)
		}
		if !strings.Contains(r.stdout, tt.want) {
			t.Errorf("%s report lacks %s", tt.format, tt.want)
		}
	}
}
