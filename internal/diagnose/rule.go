// Package diagnose names known failures in FREB traces. Rules are data
// (ID, title, severity, explanation, fixes, references) plus a match
// function; the engine runs them over single traces and over sequences of
// traces from the same client, and returns findings with their evidence.
//
// One primary explanation per failed trace: several rules may match one
// trace because a specific cause also shows the generic symptom (an
// Extended Protection channel-binding failure is also a 401.1, so the
// generic auth-denied rule matches it too). A rule names the rules it is
// more specific than in Rule.Supersedes; when a finding of that rule, of
// any severity above info, is reported on a trace, the findings of the
// superseded rules on the same trace are dropped. The engine applies this
// among the single-trace findings of one trace (Engine.Trace); a scan
// applies it again when a sequence finding ends on a trace that already
// has findings (Engine.Supersedes answers whether one rule yields to
// another). The relation is data on the specific rule, so adding a
// specific rule never means editing the generic one.
package diagnose

import (
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/frebscan/frebscan/internal/fingerprint"
)

// Severity orders findings. Its JSON form is the lower-case name.
type Severity int

// Severities, least severe first so comparisons read naturally.
const (
	Info Severity = iota
	Low
	Medium
	High
	Critical
)

var severityNames = []string{"info", "low", "medium", "high", "critical"}

func (s Severity) String() string {
	if s < Info || s > Critical {
		return fmt.Sprintf("severity(%d)", int(s))
	}
	return severityNames[s]
}

// MarshalJSON writes the name.
func (s Severity) MarshalJSON() ([]byte, error) { return json.Marshal(s.String()) }

// UnmarshalJSON reads the name.
func (s *Severity) UnmarshalJSON(b []byte) error {
	var name string
	if err := json.Unmarshal(b, &name); err != nil {
		return err
	}
	v, err := ParseSeverity(name)
	*s = v
	return err
}

// ParseSeverity reads a severity name as users type it on the command line.
func ParseSeverity(name string) (Severity, error) {
	for i, n := range severityNames {
		if strings.EqualFold(strings.TrimSpace(name), n) {
			return Severity(i), nil
		}
	}
	return Info, fmt.Errorf("unknown severity %q (want one of %s)", name, strings.Join(severityNames, ", "))
}

// Confidence says how much of the evidence a rule looks for was present.
// It is the fingerprint package's type, so findings and fingerprints rank
// alike (Confidence.Rank).
type Confidence = fingerprint.Confidence

// Confidence levels.
const (
	ConfidenceHigh   = fingerprint.ConfidenceHigh
	ConfidenceMedium = fingerprint.ConfidenceMedium
	ConfidenceLow    = fingerprint.ConfidenceLow
)

// Rule is one known failure. Everything but the match functions is data,
// so `frebscan rules`, `frebscan explain` and the docs come from the same
// values the engine uses.
type Rule struct {
	// ID is stable kebab-case: reports, JSON and users' filters use it.
	ID       string
	Title    string
	Severity Severity
	// Explanation says what happens and why, in plain words.
	Explanation string
	// Looks lists the evidence the rule looks for, for `explain`.
	Looks []string
	// Fix is the general remedy; VendorFixes override it when the proxy
	// vendor is known (keys are fingerprint vendor names).
	Fix         string
	VendorFixes map[string]string
	// References are sources for the explanation and fix: a title, a
	// link, or a title then " — " and a link (SplitReference), so every
	// format can show the title and make the link a link.
	References []string
	// Supersedes lists the IDs of more generic rules this rule explains
	// better: when both fire on one trace, only this rule's finding is
	// kept (see the package comment).
	Supersedes []string
	// Performance marks a rule about time (slow-request, app-warmup): its
	// findings do not explain why a request failed, so a failed trace with
	// only such a finding is still listed as unexplained.
	Performance bool

	// Trace matches one trace; nil for rules that need several.
	Trace func(*Subject) *Match
	// Sequence matches the ordered traces of one client; nil for rules
	// that look at single traces only.
	Sequence func(*Sequence) *Match
	// Connection matches the ordered traces one proxy connection carried
	// (Sequence.ByConnection); nil for rules that do not look at them.
	Connection func(*Sequence) *Match
}

// FixFor returns the fix to show when the proxy vendor is known.
func (r *Rule) FixFor(vendor string) string {
	if f, ok := r.VendorFixes[vendor]; ok && f != "" {
		return f
	}
	return r.Fix
}

// Vendors returns the vendors with a specific fix, sorted.
func (r *Rule) Vendors() []string {
	out := make([]string, 0, len(r.VendorFixes))
	for v := range r.VendorFixes {
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}

// Match is what a rule's match function returns when it fires.
type Match struct {
	Confidence Confidence
	Evidence   []Evidence
	// Severity overrides the rule's severity when set (e.g. a lone 401.2
	// is info, a 401.1 is high).
	Severity *Severity
	// Summary is a one-line statement of this instance ("Apple Mail sent
	// the EWS POST without credentials after the handshake").
	Summary string
	// Title and Fix replace the rule's for this instance, when a rule
	// covers a benign variant that needs its own words (the 401.2 first
	// leg of a handshake is not "access denied").
	Title string
	Fix   string
}

// Location is the kind of place an item of evidence comes from. Report
// writers choose how to show an item by it (a request header is marked in
// the header table, an event in the timeline), so it is a type with a
// closed set of values, not free text.
type Location string

// Locations of evidence; the JSON form is the string.
const (
	InRequestHeader  Location = "request header"
	InResponseHeader Location = "response header"
	InEvent          Location = "event"
	InTrace          Location = "trace"
	InSequence       Location = "sequence"
	InProxy          Location = "proxy"
	InClient         Location = "client"
)

// Evidence is one exact item that supports a finding.
type Evidence struct {
	Where Location `json:"where"`
	Name  string   `json:"name"`
	Value string   `json:"value"`
	// File is the trace the item comes from, when the finding spans
	// several.
	File string `json:"file,omitempty"`
}

// Finding is a rule that fired, with everything a report needs.
type Finding struct {
	Rule       string     `json:"rule"`
	Title      string     `json:"title"`
	Severity   Severity   `json:"severity"`
	Confidence Confidence `json:"confidence"`
	Summary    string     `json:"summary,omitempty"`
	Evidence   []Evidence `json:"evidence"`
	// Vendor is the proxy vendor the fix was chosen for ("" when none).
	Vendor     string   `json:"vendor,omitempty"`
	Fix        string   `json:"fix"`
	References []string `json:"references"`
	// Traces are the files the finding is about, oldest first.
	Traces []string `json:"traces"`
	// Sequence is the handshake sequence behind a correlation finding.
	Sequence []SequenceStep `json:"sequence,omitempty"`
	// When is the time of the trace the finding is reported on, set by
	// the scan to choose examples by a stated order.
	When time.Time `json:"-"`
}

// SplitReference splits a rule reference into its title and link (either
// may be empty): the link is the reference's last word when that is an
// http(s) URL, and the title is what comes before it, without the " — "
// that separates them.
func SplitReference(ref string) (title, link string) {
	ref = strings.TrimSpace(ref)
	i := strings.LastIndexAny(ref, " \t")
	last := ref[i+1:]
	u, err := url.Parse(last)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return ref, ""
	}
	return strings.TrimRight(strings.TrimSpace(ref[:i+1]), " —-:"), last
}
