package diagnose

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/frebscan/frebscan/internal/freb"
)

func TestSeverityNamesRoundTrip(t *testing.T) {
	for s := Info; s <= Critical; s++ {
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		var back Severity
		if err := json.Unmarshal(b, &back); err != nil || back != s {
			t.Errorf("%s: round trip gave %v %v", s, back, err)
		}
	}
	if _, err := ParseSeverity("urgent"); err == nil {
		t.Error("unknown severity accepted")
	}
	if s, _ := ParseSeverity(" HIGH "); s != High {
		t.Error("ParseSeverity is not case-insensitive")
	}
}

func TestEngineRejectsBadCatalogue(t *testing.T) {
	match := func(*Subject) *Match { return nil }
	tests := map[string][]*Rule{
		"duplicate":         {{ID: "a", Title: "A", Trace: match}, {ID: "a", Title: "B", Trace: match}},
		"no match":          {{ID: "a", Title: "A"}},
		"no title":          {{ID: "a", Trace: match}},
		"supersedes itself": {{ID: "a", Title: "A", Trace: match, Supersedes: []string{"a"}}},
		"supersede cycle": {{ID: "a", Title: "A", Trace: match, Supersedes: []string{"b"}}, {ID: "b", Title: "B", Trace: match, Supersedes: []string{"c"}},
			{ID: "c", Title: "C", Trace: match, Supersedes: []string{"a"}}},
	}
	for name, rules := range tests {
		if _, err := NewEngine(rules); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestEngineFindingCarriesRuleData(t *testing.T) {
	r := &Rule{ID: "x", Title: "X", Severity: Low, Fix: "general", VendorFixes: map[string]string{"KEMP LoadMaster": "kemp"},
		References: []string{"ref"},
		Trace: func(s *Subject) *Match {
			return &Match{Severity: sevPtr(High), Evidence: []Evidence{{Where: InTrace, Name: "n", Value: "v"}}}
		}}
	e, err := NewEngine([]*Rule{r})
	if err != nil {
		t.Fatal(err)
	}
	s := &Subject{Trace: &freb.Trace{File: "f.xml"}, Proxy: ProxyView{Present: true, Vendor: "KEMP LoadMaster"}}
	fs := e.Trace(s)
	if len(fs) != 1 || fs[0].Fix != "kemp" || fs[0].Severity != High || fs[0].Confidence != ConfidenceMedium || fs[0].Traces[0] != "f.xml" {
		t.Fatalf("finding = %+v", fs)
	}
	s.Proxy = ProxyView{}
	if fs := e.Trace(s); fs[0].Fix != "general" {
		t.Errorf("no vendor should give the general fix, got %q", fs[0].Fix)
	}
}

func sevPtr(s Severity) *Severity { return &s }

func TestCorrelatorOrdersAndGroups(t *testing.T) {
	base := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	mk := func(file string, ms int, client, ua string, status int) *Subject {
		return &Subject{
			Trace:  &freb.Trace{File: file, Start: base.Add(time.Duration(ms) * time.Millisecond), Verb: "POST", URL: "https://h:443/EWS/Exchange.asmx", StatusCode: status, ClientAddress: "10.0.0.1"},
			Proxy:  ProxyView{Present: true, ClientAddress: client},
			Client: ClientView{UserAgent: ua},
		}
	}
	c := NewCorrelator()
	c.Add(mk("c.xml", 300, "203.0.113.5", "Mail/9.1", 400))
	c.Add(mk("a.xml", 0, "203.0.113.5", "Mail/9.1", 401))
	c.Add(mk("b.xml", 0, "203.0.113.5", "Mail/9.1", 401))
	c.Add(mk("x.xml", 0, "203.0.113.9", "Mail/9.1", 401))
	c.Add(mk("y.xml", 0, "203.0.113.5", "Outlook", 401))
	seqs := c.Sequences()
	if len(seqs) != 1 {
		t.Fatalf("%d sequences, want 1 (single traces are not sequences)", len(seqs))
	}
	got := []string{seqs[0].Steps[0].File, seqs[0].Steps[1].File, seqs[0].Steps[2].File}
	if got[0] != "a.xml" || got[1] != "b.xml" || got[2] != "c.xml" {
		t.Errorf("order = %v", got)
	}
	if s := seqs[0].String(); s != "POST 401 (none) → POST 401 (none) → POST 400 (none)" {
		t.Errorf("String = %q", s)
	}
	if len(c.All()) != 3 {
		t.Errorf("All = %d", len(c.All()))
	}
}

// TestEngineKeepsOnePrimaryExplanation: a rule that supersedes another
// removes that rule's finding on the same trace, unless its own finding
// is informational; unrelated findings stay.
func TestEngineKeepsOnePrimaryExplanation(t *testing.T) {
	fire := func(sev Severity) func(*Subject) *Match {
		return func(*Subject) *Match { return &Match{Severity: &sev} }
	}
	tests := []struct {
		name     string
		specific Severity
		want     []string
	}{
		{"specific failure replaces the generic one", High, []string{"other", "specific"}},
		{"informational finding replaces nothing", Info, []string{"generic", "other", "specific"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, err := NewEngine([]*Rule{
				{ID: "generic", Title: "G", Severity: High, Trace: fire(High)},
				{ID: "specific", Title: "S", Severity: High, Trace: fire(tc.specific), Supersedes: []string{"generic"}},
				{ID: "other", Title: "O", Severity: High, Trace: fire(High)},
			})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range e.Trace(&Subject{Trace: &freb.Trace{File: "f.xml"}}) {
				got = append(got, f.Rule)
			}
			sort.Strings(got)
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("findings %v, want %v", got, tc.want)
			}
		})
	}
}

func TestSplitReference(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ ref, title, link string }{
		{"KB 943891: IIS HTTP status codes (403.14) — https://learn.microsoft.com/x/http-status-code", "KB 943891: IIS HTTP status codes (403.14)", "https://learn.microsoft.com/x/http-status-code"},
		{"https://mskb.pkisolutions.com/kb/896861", "", "https://mskb.pkisolutions.com/kb/896861"},
		{"RFC 7231 §5.1.1 Expect (100-continue)", "RFC 7231 §5.1.1 Expect (100-continue)", ""},
		{"URL Rewrite — https://learn.microsoft.com/a/ee215207(v=ws.10)", "URL Rewrite", "https://learn.microsoft.com/a/ee215207(v=ws.10)"},
		{"see file:///etc/passwd", "see file:///etc/passwd", ""},
		{"host only https://", "host only https://", ""},
		{"", "", ""},
	} {
		title, link := SplitReference(tc.ref)
		if title != tc.title || link != tc.link {
			t.Errorf("SplitReference(%q) = %q, %q; want %q, %q", tc.ref, title, link, tc.title, tc.link)
		}
	}
}
