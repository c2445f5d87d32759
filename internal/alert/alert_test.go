package alert

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/scan"
)

type memory map[string]time.Time

func (m memory) AlertedSince(rule string, since time.Time) bool {
	t, ok := m[rule]
	return ok && !t.Before(since)
}
func (m memory) MarkAlerted(rule string, t time.Time) { m[rule] = t }

func result() *scan.Result {
	return &scan.Result{Summary: scan.Summary{Matched: 12}, Findings: []scan.Group{
		{Rule: "via-persistent-auth", Title: "Via makes Exchange drop Persistent-Auth", Severity: diagnose.High, Count: 4,
			Vendor: "KEMP LoadMaster", Fix: "Disable 'Add Via Header'", Example: `C:\inetpub\logs\FailedReqLogFiles\W3SVC1\fr000003.xml`},
		{Rule: "slow-request", Title: "Slow request", Severity: diagnose.Medium, Count: 2},
		{Rule: "auth-denied", Title: "challenge", Severity: diagnose.Info, Count: 9},
	}}
}

func rules(groups []scan.Group) string {
	var ids []string
	for _, g := range groups {
		ids = append(ids, g.Rule)
	}
	return strings.Join(ids, ",")
}

func TestNew(t *testing.T) {
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		threshold diagnose.Severity
		mem       Memory
		want      string
	}{
		{name: "no state: all at or above high", threshold: diagnose.High, want: "via-persistent-auth"},
		{name: "no state: medium", threshold: diagnose.Medium, want: "via-persistent-auth,slow-request"},
		{name: "info never alerts", threshold: diagnose.Info, want: "via-persistent-auth,slow-request"},
		{name: "alerted an hour ago", threshold: diagnose.Medium, mem: memory{"via-persistent-auth": now.Add(-time.Hour)}, want: "slow-request"},
		{name: "alerted two days ago: reminder", threshold: diagnose.Medium, mem: memory{"via-persistent-auth": now.Add(-48 * time.Hour)}, want: "via-persistent-auth,slow-request"},
		{name: "empty memory", threshold: diagnose.High, mem: memory{}, want: "via-persistent-auth"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := rules(New(result(), tt.threshold, tt.mem, DefaultRepeat, now)); got != tt.want {
				t.Errorf("new = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSummary(t *testing.T) {
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, time.FixedZone("CET", 3600))
	r := result()
	s := NewSummary("EX01-20260302T110000Z", "frebscan 1.0", "EX01", now, diagnose.Medium, r, New(r, diagnose.Medium, nil, 0, now),
		map[string]string{"json": `D:\frebscan\reports\incident-20260302T110000Z.json`})
	var doc map[string]any
	if err := json.Unmarshal(s.JSON(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc["schemaVersion"] != 1.0 || doc["host"] != "EX01" || doc["time"] != "2026-03-02T11:00:00Z" || doc["threshold"] != "medium" || doc["id"] != "EX01-20260302T110000Z" {
		t.Errorf("header: %v", doc)
	}
	f := doc["newFindings"].([]any)
	first := f[0].(map[string]any)
	if len(f) != 2 || first["rule"] != "via-persistent-auth" || first["id"] != "EX01-20260302T110000Z/via-persistent-auth" || first["severity"] != "high" || first["count"] != 4.0 ||
		first["fix"] != "Disable 'Add Via Header'" || !strings.HasSuffix(first["example"].(string), "fr000003.xml") {
		t.Errorf("findings: %v", f)
	}
	if s.MaxSeverity() != diagnose.High {
		t.Errorf("max severity %v", s.MaxSeverity())
	}
	text := s.Text()
	for _, want := range []string{"2 new problem(s) at or above medium on EX01", "[high] Via makes Exchange", "Proxy: KEMP LoadMaster",
		"Fix: Disable", `Report: D:\frebscan\reports\incident-20260302T110000Z.json`, "Alert ID: EX01-20260302T110000Z"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	empty := NewSummary("", "frebscan", "h", now, diagnose.High, &scan.Result{}, nil, nil)
	if !strings.Contains(string(empty.JSON()), `"newFindings": []`) {
		t.Errorf("no findings should be an empty list: %s", empty.JSON())
	}
}
