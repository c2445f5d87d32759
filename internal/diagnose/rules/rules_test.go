package rules

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/fingerprint"
	"github.com/frebscan/frebscan/internal/freb"
	"github.com/frebscan/frebscan/internal/headers"
)

const samplesDir = "../../../samples"

// proxyRules are the rules that describe a proxy's behaviour: a trace
// without proxy headers must never get one of them. auth-handshake-broken
// is not one: a layer-4 balancer or a proxy that strips headers leaves
// none, and the rule then works from connection evidence (server and
// client port changes, SEC_E_INVALID_TOKEN).
var proxyRules = map[string]bool{
	"via-persistent-auth": true, "expect-100-continue": true, "proxy-connection-shared": true, "tls-offload-redirect-loop": true,
	"ssl-offload": true, "host-header-rewritten": true, "client-ip-lost": true, "xff-invalid": true,
}

func readDir(t *testing.T, dir string) []*freb.Trace {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(samplesDir, dir, "*.xml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no sample traces in samples/%s", dir)
	}
	var out []*freb.Trace
	for _, f := range files {
		tr, err := freb.ReadFile(f, freb.Options{SlowSteps: 5})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, tr)
	}
	return out
}

// diagnoseAll runs single-trace and sequence rules over traces as one
// scan would, keeping one primary explanation per trace (a finding
// superseded by another on its last trace is dropped, as the scan does),
// and returns findings by rule.
func diagnoseAll(traces []*freb.Trace) map[string][]diagnose.Finding {
	e := testEngine
	c := diagnose.NewCorrelator()
	byTrace := map[string][]diagnose.Finding{}
	var order []string
	for _, tr := range traces {
		s := diagnose.NewSubject(tr, diagnose.DefaultSettings())
		c.Add(s)
		order = append(order, tr.File)
		byTrace[tr.File] = append(byTrace[tr.File], e.Trace(s)...)
	}
	for _, seq := range c.Sequences() {
		for _, f := range e.Sequence(seq) {
			last := f.Traces[len(f.Traces)-1]
			byTrace[last] = append(byTrace[last], f)
		}
	}
	out := map[string][]diagnose.Finding{}
	for _, file := range order {
		fs := byTrace[file]
		for _, f := range fs {
			if e.SupersededBy(f, fs) == nil {
				out[f.Rule] = append(out[f.Rule], f)
			}
		}
		delete(byTrace, file)
	}
	return out
}

// testEngine is the whole catalogue, built once for the package's tests.
var testEngine = func() *diagnose.Engine {
	e, err := diagnose.NewEngine(Catalogue())
	if err != nil {
		panic(err)
	}
	return e
}()

var kebab = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// TestCatalogue is the registry check: unique kebab-case IDs, the
// metadata every report and `explain` show, fixes only for vendors the
// fingerprinter can report, and a sample per rule (the samples fire and
// the negatives stay quiet in the two tests below).
func TestCatalogue(t *testing.T) {
	if _, err := diagnose.NewEngine(Catalogue()); err != nil {
		t.Fatal(err)
	}
	vendors := map[string]bool{}
	for _, v := range fingerprint.Vendors() {
		vendors[v] = true
	}
	seen := map[string]bool{}
	for _, r := range Catalogue() {
		if seen[r.ID] {
			t.Errorf("%s: listed twice in Catalogue", r.ID)
		}
		seen[r.ID] = true
		if !kebab.MatchString(r.ID) {
			t.Errorf("%q: IDs are kebab-case", r.ID)
		}
		if r.Title == "" || r.Explanation == "" || r.Fix == "" || len(r.References) == 0 || len(r.Looks) == 0 {
			t.Errorf("%s: title, explanation, fix, references and evidence list are required", r.ID)
		}
		for v, fix := range r.VendorFixes {
			if !vendors[v] || v == fingerprint.UnknownProxy {
				t.Errorf("%s: a fix for %q, which the fingerprinter never reports (use the fingerprint.Vendor* constants)", r.ID, v)
			}
			if fix == "" {
				t.Errorf("%s: empty fix for %s", r.ID, v)
			}
		}
		if _, err := os.Stat(filepath.Join(samplesDir, r.ID)); err != nil {
			t.Errorf("%s: no sample under samples/%s", r.ID, r.ID)
		}
		for _, ref := range r.References {
			// A link must be the reference's last word, over https, for
			// the reports to make it a link.
			_, link := diagnose.SplitReference(ref)
			if strings.Contains(ref, "://") && !strings.HasPrefix(link, "https://") {
				t.Errorf("%s: reference %q has a link the reports cannot use (want \"title — https://…\")", r.ID, ref)
			}
		}
	}
}

// TestCatalogueIsFresh: each call builds new values, so one caller
// changing a rule cannot change another's catalogue.
func TestCatalogueIsFresh(t *testing.T) {
	a, b := Catalogue(), Catalogue()
	a[0].Title = "changed"
	if b[0].Title == "changed" || Catalogue()[0].Title == "changed" {
		t.Fatal("Catalogue returns shared values")
	}
}

// TestEngineOfTwoRules: an engine is whatever list it is given, so a test
// (or a future --rule-set) can run a subset.
func TestEngineOfTwoRules(t *testing.T) {
	e, err := diagnose.NewEngine([]*diagnose.Rule{viaPersistentAuthRule(), slowRequestRule()})
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Rules()) != 2 || e.Rule("via-persistent-auth") == nil || e.Rule("auth-denied") != nil {
		t.Fatalf("engine rules: %d", len(e.Rules()))
	}
}

// TestRulesFireOnTheirSamples: every rule fires on samples/<rule-id>.
func TestRulesFireOnTheirSamples(t *testing.T) {
	for _, r := range Catalogue() {
		t.Run(r.ID, func(t *testing.T) {
			found := diagnoseAll(readDir(t, r.ID))
			if len(found[r.ID]) == 0 {
				t.Fatalf("%s did not fire on its sample; got %v", r.ID, keys(found))
			}
			for _, f := range found[r.ID] {
				if len(f.Evidence) == 0 || f.Fix == "" {
					t.Errorf("finding without evidence or fix: %+v", f)
				}
			}
		})
	}
}

func keys(m map[string][]diagnose.Finding) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestSeedCase is the case that started the project: Apple Mail, EWS,
// KEMP adding Via. It must be named, with KEMP and the KEMP fix, and the
// handshake sequence as evidence.
func TestSeedCase(t *testing.T) {
	found := diagnoseAll(readDir(t, "via-persistent-auth"))
	var seq *diagnose.Finding
	for i, f := range found["via-persistent-auth"] {
		if f.Vendor != "KEMP LoadMaster" || !strings.Contains(f.Fix, "Additional L7 Header") || !strings.Contains(f.Fix, "X-ClientSide") {
			t.Errorf("finding names vendor %q and fix %q; want KEMP and its fix", f.Vendor, f.Fix)
		}
		if len(f.Sequence) > 0 {
			seq = &found["via-persistent-auth"][i]
		}
	}
	if seq == nil {
		t.Fatal("no sequence finding")
	}
	if seq.Confidence != diagnose.ConfidenceHigh {
		t.Errorf("sequence confidence %s", seq.Confidence)
	}
	chain := diagnose.FormatSteps(seq.Sequence)
	for _, want := range []string{"(none)", "NTLM type 1", "Persistent-Auth: false", "POST 400 (none)"} {
		if !strings.Contains(chain, want) {
			t.Errorf("sequence %q lacks %q", chain, want)
		}
	}
}

// TestHealthySamplesAreQuiet: the negative samples get no finding above
// info.
func TestHealthySamplesAreQuiet(t *testing.T) {
	for _, dir := range []string{"healthy-direct", "healthy-outlook-mac"} {
		for rule, fs := range diagnoseAll(readDir(t, dir)) {
			for _, f := range fs {
				if f.Severity > diagnose.Info {
					t.Errorf("%s: %s fired (%s): %s", dir, rule, f.Severity, f.Summary)
				}
			}
		}
	}
}

// stripProxy removes every header a proxy adds, leaving a trace that looks
// like a direct connection.
func stripProxy(tr *freb.Trace) {
	var kept headers.List
	for _, h := range tr.RequestHeaders {
		n := strings.ToLower(h.Name)
		switch {
		case n == "via", n == "forwarded", strings.HasPrefix(n, "x-forwarded-"), n == "x-clientside", strings.HasPrefix(n, "x-arr-"),
			n == "x-original-url", n == "x-original-host", strings.HasPrefix(n, "x-f5-"), n == "x-wa-info", strings.HasPrefix(n, "x-ns-"),
			n == "client-ip", n == "x-real-ip", n == "true-client-ip", strings.HasPrefix(n, "cf-"), strings.HasPrefix(n, "x-azure-"),
			n == "x-amzn-trace-id", n == "x-appgw-trace-id", strings.HasPrefix(n, "akamai-"), strings.HasPrefix(n, "x-haproxy"), n == "cookie":
			continue
		}
		kept = append(kept, h)
	}
	tr.RequestHeaders = kept
}

func TestNoProxyHeadersNoProxyFinding(t *testing.T) {
	dirs, _ := filepath.Glob(filepath.Join(samplesDir, "*"))
	for _, d := range dirs {
		if fi, err := os.Stat(d); err != nil || !fi.IsDir() {
			continue
		}
		traces := readDir(t, filepath.Base(d))
		for _, tr := range traces {
			stripProxy(tr)
		}
		for rule := range diagnoseAll(traces) {
			if proxyRules[rule] {
				t.Errorf("%s: %s fired on traces without proxy headers", filepath.Base(d), rule)
			}
		}
	}
}

// TestNegativeCases takes each rule's own sample and removes the one
// piece of evidence the rule depends on: it must then stay silent.
func TestNegativeCases(t *testing.T) {
	setStatus := func(code, sub int) func(*freb.Trace) {
		return func(tr *freb.Trace) {
			tr.StatusCode, tr.SubStatusCode = code, sub
			for i := range tr.Errors {
				tr.Errors[i].HTTPStatus, tr.Errors[i].HTTPSubStatus, tr.Errors[i].ErrorCode = code, sub, 0
			}
			tr.IOErrors = nil
		}
	}
	dropHeader := func(names ...string) func(*freb.Trace) {
		return func(tr *freb.Trace) {
			var kept headers.List
			for _, h := range tr.RequestHeaders {
				drop := false
				for _, n := range names {
					drop = drop || strings.EqualFold(h.Name, n)
				}
				if !drop {
					kept = append(kept, h)
				}
			}
			tr.RequestHeaders = kept
		}
	}
	clearCodes := func(tr *freb.Trace) {
		for i := range tr.Errors {
			tr.Errors[i].ErrorCode = 0
		}
		tr.IOErrors = nil
		tr.AuthEvents = nil
	}
	tests := []struct {
		rule   string
		mutate func(*freb.Trace)
	}{
		{"via-persistent-auth", dropHeader("Via")},
		{"expect-100-continue", dropHeader("Expect")},
		// Both legs on one connection to one server, no proxy, no status:
		// nothing says the handshake was split.
		{"auth-handshake-broken", func(tr *freb.Trace) {
			stripProxy(tr)
			clearCodes(tr)
			tr.ResponseHeaders, tr.Server, tr.ClientPort = nil, "EX16-01", 50100
		}},
		{"kerberos-spn", clearCodes},
		{"extended-protection-offload", clearCodes},
		{"auth-denied", setStatus(200, 0)},
		// HTTP/1.1 recorded: the protocol is fine.
		{"http2-windows-auth", func(tr *freb.Trace) {
			for i := range tr.RequestHeaderChanges {
				tr.RequestHeaderChanges[i].Value = "HTTP/1.1"
			}
		}},
		// Called by the machine's own name: the loopback check allows it.
		{"loopback-check", setRequestHeader("Host", "ex16-01.contoso.com")},
		// The redirect leaves the site: not a loop.
		{"tls-offload-redirect-loop", func(tr *freb.Trace) {
			tr.ResponseHeaders = headers.Apply(tr.ResponseHeaders, []headers.Change{{Name: "Location", Value: "https://login.contoso.com/", Replace: true}})
		}},
		// One client on the connection: reuse by the same client is how
		// NTLM is meant to work.
		{"proxy-connection-shared", setRequestHeader("X-Forwarded-For", "198.51.100.23")},
		{"auth-header-too-large", dropHeader("Authorization")},
		// The back end answered (X-BEServer present): the failure is its own.
		{"exchange-backend-unreachable", func(tr *freb.Trace) {
			tr.ResponseHeaders = append(tr.ResponseHeaders, headers.Header{Name: "X-BEServer", Value: "EX16-02"})
		}},
		{"exchange-downlevel-header-limit", func(tr *freb.Trace) {
			tr.ResponseHeaders = append(tr.ResponseHeaders, headers.Header{Name: "X-BEServer", Value: "EX16-02"})
		}},
		{"ssl-offload", setStatus(200, 0)},
		{"client-certificate", setStatus(200, 0)},
		{"arr-backend-timeout", clearCodes},
		{"ancm-request-timeout", clearCodes},
		{"arr-backend-connect", clearCodes},
		{"arr-backend-aborted", clearCodes},
		{"arr-invalid-response", clearCodes},
		{"arr-backend-tls", clearCodes},
		{"arr-no-backend", setStatus(200, 0)},
		{"proxy-loop", func(tr *freb.Trace) { setStatus(200, 0)(tr); dropHeader("Via", "X-Forwarded-For", "Forwarded")(tr) }},
		{"xff-invalid", setStatus(400, 0)},
		{"idle-timeout-reset", func(tr *freb.Trace) { tr.TimeTakenMs = 4_321 }},
		{"host-header-rewritten", dropHeader("X-Forwarded-Host", "X-Original-Host", "X-Original-URL")},
		{"app-pool-unavailable", setStatus(200, 0)},
		{"config-error", setStatus(200, 0)},
		{"request-filtering", setStatus(404, 0)},
		{"client-ip-lost", dropHeader("Via", "X-Forwarded-For", "X-ClientSide", "Cookie")},
		{"slow-request", func(tr *freb.Trace) { tr.TimeTakenMs, tr.FailureReason = 120, "STATUS_CODE" }},
		// The application rules read the error page and the events around
		// the handler: without them a bare 500 names no exception.
		{"application-error", func(tr *freb.Trace) { tr.Body, tr.ModuleWarnings, tr.WebEvents = "", nil, nil }},
		{"app-startup-failed", func(tr *freb.Trace) {
			setStatus(500, 0)(tr)
			tr.Errors[0].Module = "ManagedPipelineHandler"
			tr.Body = ""
		}},
		{"compilation-error", func(tr *freb.Trace) { tr.Body, tr.WebEvents, tr.CompileFailures = "Server Error", nil, nil }},
		{"handler-error", setStatus(404, 0)},
		{"not-found", setStatus(404, 13)},
		{"no-default-document", setStatus(403, 4)},
		{"verb-not-allowed", setStatus(404, 6)},
		{"rewrite-abort", func(tr *freb.Trace) { tr.RewriteAbort = nil }},
		{"client-disconnected", func(tr *freb.Trace) { tr.BytesSent = 52428800 + 300 }},
		{"app-warmup", func(tr *freb.Trace) { tr.TimeTakenMs, tr.FailureReason = 900, "STATUS_CODE" }},
	}
	covered := map[string]bool{}
	for _, tc := range tests {
		covered[tc.rule] = true
		t.Run(tc.rule, func(t *testing.T) {
			traces := readDir(t, tc.rule)
			for _, tr := range traces {
				tc.mutate(tr)
			}
			if fs := diagnoseAll(traces)[tc.rule]; len(fs) > 0 {
				t.Errorf("%s still fired: %s", tc.rule, fs[0].Summary)
			}
		})
	}
	for _, r := range Catalogue() {
		if !covered[r.ID] {
			t.Errorf("rule %s has no negative case", r.ID)
		}
	}
}

// TestRequestFilteringSourceFilesAreByDesign: a 404.7 on a .cs file is the
// default protection of source code, reported as info with a fix that does
// not tell the admin to allow the extension.
func TestRequestFilteringSourceFilesAreByDesign(t *testing.T) {
	for _, tc := range []struct {
		url      string
		sub      int
		info     bool
		mentions string
	}{
		{"http://web01/App_Code/Helper.cs", 7, true, ".cs extension"},
		{"http://web01/Site.master", 7, true, ".master extension"},
		{"http://web01/bin/Contoso.dll", 8, true, "bin segment"},
		{"http://web01/files/report.xyz", 7, false, ""},
	} {
		tr := &freb.Trace{URL: tc.url, Verb: "GET", StatusCode: 404, SubStatusCode: tc.sub,
			ErrorStatus: &freb.ErrorStatus{Module: "RequestFilteringModule", HTTPStatus: 404, HTTPSubStatus: tc.sub}}
		fs := testEngine.Trace(diagnose.NewSubject(tr, diagnose.DefaultSettings()))
		var got *diagnose.Finding
		for i := range fs {
			if fs[i].Rule == "request-filtering" {
				got = &fs[i]
			}
		}
		if got == nil {
			t.Fatalf("%s: request-filtering did not fire", tc.url)
		}
		if info := got.Severity == diagnose.Info; info != tc.info {
			t.Errorf("%s: severity %s, want info %v", tc.url, got.Severity, tc.info)
		}
		if tc.info && (!strings.Contains(got.Summary, tc.mentions) || !strings.HasPrefix(got.Summary, "by design") || strings.Contains(strings.ToLower(got.Fix), "fileextensions")) {
			t.Errorf("%s: summary %q fix %q", tc.url, got.Summary, got.Fix)
		}
	}
}

// TestIdleTimeoutNeedsAPath: a reset after a round time on a loopback
// client without a proxy (a debugger pause on a developer box) is not a
// device's idle time-out; the same trace from a remote client is, and a
// day-long pause never is.
func TestIdleTimeoutNeedsAPath(t *testing.T) {
	for _, tc := range []struct {
		client string
		ms     int64
		fires  bool
	}{
		{"127.0.0.1", 1_800_000, false},
		{"::1", 1_800_000, false},
		{"10.1.2.3", 1_800_000, true},
		{"10.1.2.3", 77_309_000, false},
	} {
		tr := &freb.Trace{URL: "http://web01/ews/exchange.asmx", Verb: "POST", StatusCode: 200, TimeTakenMs: tc.ms, ClientAddress: tc.client,
			IOErrors: []freb.IOError{{Name: "GENERAL_FLUSH_RESPONSE_END", ErrorCode: 0x800704CD}}}
		fired := false
		for _, f := range testEngine.Trace(diagnose.NewSubject(tr, diagnose.DefaultSettings())) {
			fired = fired || f.Rule == "idle-timeout-reset"
		}
		if fired != tc.fires {
			t.Errorf("client %s after %d ms: fired %v, want %v", tc.client, tc.ms, fired, tc.fires)
		}
	}
}

// TestApplicationRulesOnBareTraces: what the application rules say when a
// trace holds little: a 500 without body does not claim "no exception",
// a HEAD with a failed flush is no cut download, a 401.0 from the handler
// is the application's own authentication, and IIS's own error page from
// asp.dll is not a script error.
func TestApplicationRulesOnBareTraces(t *testing.T) {
	managed := &freb.Handler{Name: "PageHandlerFactory-Integrated-4.0", Modules: "ManagedPipelineHandler"}
	asp := &freb.Handler{Name: "ASPClassic", Modules: "IsapiModule", ScriptProcessor: `C:\Windows\system32\inetsrv\asp.dll`}
	errStatus := func(module string, code, sub int, hr uint32) *freb.ErrorStatus {
		return &freb.ErrorStatus{Module: module, HTTPStatus: code, HTTPSubStatus: sub, ErrorCode: hr}
	}
	for _, tc := range []struct {
		name  string
		tr    *freb.Trace
		rule  string // "" when no application rule may fire
		words string
	}{
		{"500 without body", &freb.Trace{URL: "http://w/a.aspx", Verb: "GET", StatusCode: 500, Handler: managed, ErrorStatus: errStatus("ManagedPipelineHandler", 500, 0, 0)},
			"handler-error", "no error page or ASP.NET web event"},
		{"401.0 from the handler", &freb.Trace{URL: "http://w/api/x", Verb: "GET", StatusCode: 401, Handler: managed, ErrorStatus: errStatus("ManagedPipelineHandler", 401, 0, 0), Body: "Unauthorized"},
			"handler-error", "set 401 itself"},
		{"HEAD with a failed flush", &freb.Trace{URL: "http://w/big.iso", Verb: "HEAD", StatusCode: 200, BytesSent: 300,
			ResponseHeaders: headers.List{{Name: "Content-Length", Value: "900000"}},
			IOErrors:        []freb.IOError{{Name: "GENERAL_FLUSH_RESPONSE_END", ErrorCode: 0x800703E3}}}, "", ""},
		{"asp.dll failing to load", &freb.Trace{URL: "http://w/a.asp", Verb: "GET", StatusCode: 500, Handler: asp, ErrorStatus: errStatus("IsapiModule", 500, 0, 0x8007007E),
			Body: "<title>IIS 10.0 Detailed Error - 500.0 - Internal Server Error</title><h3>HTTP Error 500.0 - Internal Server Error</h3>"}, "", ""},
	} {
		s := diagnose.NewSubject(tc.tr, diagnose.DefaultSettings())
		var got []diagnose.Finding
		for _, f := range testEngine.Trace(s) {
			if f.Rule == "handler-error" || f.Rule == "application-error" || f.Rule == "client-disconnected" {
				got = append(got, f)
			}
		}
		switch {
		case tc.rule == "" && len(got) > 0:
			t.Errorf("%s: %s fired: %s", tc.name, got[0].Rule, got[0].Summary)
		case tc.rule != "" && (len(got) != 1 || got[0].Rule != tc.rule || !strings.Contains(got[0].Summary, tc.words)):
			t.Errorf("%s: got %+v, want %s saying %q", tc.name, got, tc.rule, tc.words)
		}
	}
}
