// Package alert decides which findings of a scheduled run are new enough
// to raise an alert (--notify-cmd, the Windows event log) and builds the
// compact summary those channels receive.
//
// "New" means: a finding group at or above the threshold (--fail-on) whose
// rule has not raised an alert within the repeat period (--notify-repeat,
// 24 h by default) according to the --state file. With --state each run
// only analyses traces it has not seen, so an ongoing problem (a load
// balancer that keeps adding Via) would otherwise alert every run; with
// the repeat period it alerts once and then reminds once a day while it
// lasts. Without --state nothing is remembered and every finding at or
// above the threshold is new.
package alert

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/scan"
)

// SchemaVersion is the version of the Summary document; bump it on any
// incompatible change, since admins' scripts parse it.
const SchemaVersion = 1

// DefaultRepeat is how long a rule that alerted stays quiet.
const DefaultRepeat = 24 * time.Hour

// Memory is what alerting remembers between runs (the state file).
type Memory interface {
	AlertedSince(rule string, since time.Time) bool
	MarkAlerted(rule string, t time.Time)
}

// New returns the finding groups of r at or above threshold whose rule
// has not alerted since now-repeat. mem may be nil (no --state).
func New(r *scan.Result, threshold diagnose.Severity, mem Memory, repeat time.Duration, now time.Time) []scan.Group {
	var out []scan.Group
	for _, g := range r.Findings {
		if g.Severity < threshold || g.Severity == diagnose.Info {
			continue
		}
		if mem != nil && mem.AlertedSince(g.Rule, now.Add(-repeat)) {
			continue
		}
		out = append(out, g)
	}
	return out
}

// Summary is the JSON document a notify command reads on stdin.
type Summary struct {
	SchemaVersion int `json:"schemaVersion"`
	// ID identifies this alert. A run that was stopped before every
	// channel confirmed its alert sends it again on the next run with the
	// same ID (at least once): a receiver drops an ID it has seen.
	ID   string `json:"id"`
	Tool string `json:"tool"`
	Host string `json:"host"`
	// Time is when the run finished, UTC.
	Time time.Time `json:"time"`
	// Threshold is --fail-on.
	Threshold diagnose.Severity `json:"threshold"`
	// Traces is how many traces this run analysed.
	Traces   int       `json:"traces"`
	Partial  bool      `json:"partial,omitempty"`
	Findings []Finding `json:"newFindings"`
	// Reports are this run's incident reports in --out-dir by format
	// (absolute paths), when there is an out-dir.
	Reports map[string]string `json:"reports,omitempty"`
}

// Finding is one new finding group, without evidence: the report has it,
// and a mail or chat message must not carry header values.
type Finding struct {
	// ID is the summary's ID and the rule: stable across re-sends.
	ID        string            `json:"id"`
	Rule      string            `json:"rule"`
	Title     string            `json:"title"`
	Severity  diagnose.Severity `json:"severity"`
	Count     int               `json:"count"`
	FirstSeen time.Time         `json:"firstSeen"`
	LastSeen  time.Time         `json:"lastSeen"`
	Vendor    string            `json:"vendor,omitempty"`
	Fix       string            `json:"fix"`
	// Example is a trace file to open with `frebscan show`.
	Example string `json:"example,omitempty"`
}

// NewSummary builds the document for the new groups; id is the alert's
// ID (see Summary.ID).
func NewSummary(id, tool, host string, now time.Time, threshold diagnose.Severity, r *scan.Result, groups []scan.Group, reports map[string]string) Summary {
	s := Summary{SchemaVersion: SchemaVersion, ID: id, Tool: tool, Host: host, Time: now.UTC(), Threshold: threshold,
		Traces: r.Summary.Matched, Partial: r.Partial, Findings: []Finding{}, Reports: reports}
	for _, g := range groups {
		s.Findings = append(s.Findings, Finding{ID: id + "/" + g.Rule, Rule: g.Rule, Title: g.Title, Severity: g.Severity, Count: g.Count,
			FirstSeen: g.FirstSeen, LastSeen: g.LastSeen, Vendor: g.Vendor, Fix: g.Fix, Example: g.Example})
	}
	return s
}

// JSON is the document as the notify command receives it.
func (s Summary) JSON() []byte {
	b, _ := json.MarshalIndent(s, "", "  ") // plain strings and numbers: cannot fail
	return append(b, '\n')
}

// Text is the summary as a short message (the event log's), most severe
// first as the report orders them.
func (s Summary) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "frebscan found %d new problem(s) at or above %s on %s in %d trace(s):\r\n", len(s.Findings), s.Threshold, s.Host, s.Traces)
	for _, f := range s.Findings {
		fmt.Fprintf(&b, "\r\n[%s] %s (%s): %d finding(s), %s to %s UTC\r\n", f.Severity, f.Title, f.Rule, f.Count,
			f.FirstSeen.UTC().Format("2006-01-02 15:04"), f.LastSeen.UTC().Format("2006-01-02 15:04"))
		if f.Vendor != "" {
			fmt.Fprintf(&b, "Proxy: %s\r\n", f.Vendor)
		}
		if f.Fix != "" {
			fmt.Fprintf(&b, "Fix: %s\r\n", f.Fix)
		}
		if f.Example != "" {
			fmt.Fprintf(&b, "Example: frebscan show \"%s\"\r\n", f.Example)
		}
	}
	for _, format := range []string{"html", "json"} {
		if p := s.Reports[format]; p != "" {
			fmt.Fprintf(&b, "\r\nReport: %s\r\n", p)
			break
		}
	}
	if s.ID != "" {
		fmt.Fprintf(&b, "\r\nAlert ID: %s (a repeat of an alert a stopped run could not confirm carries the same ID)\r\n", s.ID)
	}
	return b.String()
}

// MaxSeverity is the worst severity among the new findings.
func (s Summary) MaxSeverity() diagnose.Severity {
	worst := diagnose.Info
	for _, f := range s.Findings {
		worst = max(worst, f.Severity)
	}
	return worst
}
