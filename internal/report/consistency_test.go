package report

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/fingerprint"
)

// TestCountsAgreeAcrossFormats: a group is counted as incidents (rule ×
// client) with the findings behind it, and text, HTML and JSON give the
// same numbers (one Apple Mail failing three times is one incident of
// three findings, not "1 problem … 3 occurrences … 3 findings").
func TestCountsAgreeAcrossFormats(t *testing.T) {
	r := samplesScan(t)
	var via *int
	for i, g := range r.Findings {
		if g.Rule == "via-persistent-auth" && g.Severity > diagnose.Info {
			via = &i
		}
	}
	if via == nil {
		t.Fatal("no via-persistent-auth group in the samples")
	}
	g := r.Findings[*via]
	if g.Incidents != 1 || g.Count != 3 {
		t.Fatalf("via-persistent-auth: %d incidents, %d findings; want 1 incident (one client) of 3", g.Incidents, g.Count)
	}
	var txt, html, js strings.Builder
	for f, b := range map[string]*strings.Builder{"text": &txt, "html": &html, "json": &js} {
		if err := writeScan(b, f, r, Options{Style: Style{Width: 100}}); err != nil {
			t.Fatal(err)
		}
	}
	if !strings.Contains(txt.String(), "via-persistent-auth · 1 incident (3 findings)") {
		t.Error("text does not count via-persistent-auth as 1 incident (3 findings)")
	}
	if !regexp.MustCompile(`via-persistent-auth · 1 incident \(3 findings\)`).MatchString(html.String()) {
		t.Error("HTML does not count via-persistent-auth as 1 incident (3 findings)")
	}
	var doc struct {
		Findings []struct {
			Rule           string `json:"rule"`
			Severity       string `json:"severity"`
			RuleSeverity   string `json:"ruleSeverity"`
			SeverityReason string `json:"severityReason"`
			Count          int    `json:"count"`
			Incidents      int    `json:"incidents"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(js.String()), &doc); err != nil {
		t.Fatal(err)
	}
	for i, f := range doc.Findings {
		if f.Incidents != r.Findings[i].Incidents || f.Count != r.Findings[i].Count {
			t.Errorf("JSON %s: %d/%d, result %d/%d", f.Rule, f.Incidents, f.Count, r.Findings[i].Incidents, r.Findings[i].Count)
		}
		rule := testEngine.Rule(f.Rule)
		if f.RuleSeverity != rule.Severity.String() {
			t.Errorf("JSON %s: ruleSeverity %s, the catalogue says %s", f.Rule, f.RuleSeverity, rule.Severity)
		}
		// A severity other than the catalogue's must come with its reason,
		// in JSON and in the text report.
		if f.Severity != f.RuleSeverity && f.Severity != "info" {
			if f.SeverityReason == "" {
				t.Errorf("%s is %s, the rule %s, with no reason", f.Rule, f.Severity, f.RuleSeverity)
			}
			if !strings.Contains(txt.String(), "the rule's usual severity is "+strings.ToUpper(f.RuleSeverity)) {
				t.Errorf("text report does not explain %s's severity", f.Rule)
			}
		}
	}
}

// TestFixIsForTheExamplesVendor: the fix beside a group is the one for
// the proxy of the example the report shows, not for the most common
// vendor of the group (a KEMP trace shown with the F5 fix).
func TestFixIsForTheExamplesVendor(t *testing.T) {
	r := samplesScan(t)
	checked := 0
	for _, g := range r.Findings {
		if len(g.Examples) == 0 {
			continue
		}
		v := g.Examples[0].Vendor
		rule := testEngine.Rule(g.Rule)
		if v == "" || v == fingerprint.UnknownProxy || rule.VendorFixes[v] == "" {
			continue
		}
		checked++
		if g.Fix != rule.FixFor(v) {
			t.Errorf("%s: example behind %s, fix %.60q", g.Rule, v, g.Fix)
		}
	}
	if checked == 0 {
		t.Fatal("no group with a vendor-specific fix in the samples")
	}
}

// TestHTMLHighlightsExactlyTheEvidence: a group's header panel marks the
// headers its own example cites (X-ClientSide, cited as proxy evidence,
// included) and no header only another finding cites.
func TestHTMLHighlightsExactlyTheEvidence(t *testing.T) {
	_, page := scanHTML(t, samplesDir+"/via-persistent-auth")
	html := string(page)
	start := strings.Index(html, `id="f-via-persistent-auth"`)
	if start < 0 {
		t.Fatal("no via-persistent-auth group")
	}
	end := strings.Index(html[start:], "</article>")
	group := html[start : start+end]
	marked := map[string]bool{}
	for _, m := range regexp.MustCompile(`<tr class="ev[^"]*"><td>([^<]+)<span class="tag">evidence`).FindAllStringSubmatch(group, -1) {
		marked[m[1]] = true
	}
	for _, h := range []string{"Via", "X-ClientSide", "Persistent-Auth"} {
		if !marked[h] {
			t.Errorf("%s is not highlighted in the flagship example (marked: %v)", h, marked)
		}
	}
	for _, h := range []string{"Host", "Content-Type", "Content-Length"} {
		if marked[h] {
			t.Errorf("%s is highlighted but the finding does not cite it", h)
		}
	}
}
