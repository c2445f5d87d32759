package diagnose

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Engine runs a catalogue of rules.
type Engine struct {
	rules []*Rule
	byID  map[string]*Rule
}

// NewEngine checks the catalogue (unique IDs, a match function each) and
// returns an engine for it. A bad catalogue is a programming error caught
// by tests, so it is reported, not tolerated.
func NewEngine(rules []*Rule) (*Engine, error) {
	e := &Engine{byID: map[string]*Rule{}}
	for _, r := range rules {
		switch {
		case r.ID == "" || r.Title == "":
			return nil, fmt.Errorf("rule %q has no ID or title", r.ID)
		case e.byID[r.ID] != nil:
			return nil, fmt.Errorf("rule %q is defined twice", r.ID)
		case r.Trace == nil && r.Sequence == nil && r.Connection == nil:
			return nil, fmt.Errorf("rule %q has no match function", r.ID)
		case slices.Contains(r.Supersedes, r.ID):
			return nil, fmt.Errorf("rule %q supersedes itself", r.ID)
		}
		e.byID[r.ID] = r
		e.rules = append(e.rules, r)
	}
	if id := e.supersedeCycle(); id != "" {
		return nil, fmt.Errorf("rule %q supersedes itself through other rules (each of a cycle would drop the others)", id)
	}
	sort.SliceStable(e.rules, func(i, j int) bool {
		if e.rules[i].Severity != e.rules[j].Severity {
			return e.rules[i].Severity > e.rules[j].Severity
		}
		return e.rules[i].ID < e.rules[j].ID
	})
	return e, nil
}

// supersedeCycle returns a rule on a cycle of Supersedes, or "".
func (e *Engine) supersedeCycle() string {
	const (
		visiting = 1
		done     = 2
	)
	state := map[string]int{}
	var visit func(id string) bool
	visit = func(id string) bool {
		switch state[id] {
		case visiting:
			return true
		case done:
			return false
		}
		state[id] = visiting
		if r := e.byID[id]; r != nil {
			for _, g := range r.Supersedes {
				if visit(g) {
					return true
				}
			}
		}
		state[id] = done
		return false
	}
	for _, r := range e.rules {
		if visit(r.ID) {
			return r.ID
		}
	}
	return ""
}

// Rules returns the catalogue, most severe first.
func (e *Engine) Rules() []*Rule { return e.rules }

// Rule returns the rule with the given ID, or nil.
func (e *Engine) Rule(id string) *Rule { return e.byID[id] }

// Trace runs every single-trace rule on s.
func (e *Engine) Trace(s *Subject) []Finding {
	var out []Finding
	for _, r := range e.rules {
		if r.Trace == nil {
			continue
		}
		m := r.Trace(s)
		if m == nil {
			continue
		}
		out = append(out, finding(r, m, s.Proxy.Vendor, []string{s.Trace.File}, nil))
	}
	return e.dropSuperseded(out)
}

// Supersedes reports whether a finding of rule specific, reported on a
// trace, replaces a finding of rule general on the same trace. Rules not
// in the engine supersede nothing.
func (e *Engine) Supersedes(specific, general string) bool {
	r := e.byID[specific]
	return r != nil && specific != general && slices.Contains(r.Supersedes, general)
}

// SupersededBy returns the finding among fs that makes f redundant on
// the same trace, or nil. An informational finding explains no failure,
// so it supersedes nothing.
func (e *Engine) SupersededBy(f Finding, fs []Finding) *Finding {
	for i := range fs {
		if fs[i].Severity > Info && e.Supersedes(fs[i].Rule, f.Rule) {
			return &fs[i]
		}
	}
	return nil
}

// dropSuperseded keeps one primary explanation per trace: it removes the
// findings a more specific finding on the same trace replaces.
func (e *Engine) dropSuperseded(fs []Finding) []Finding {
	out := fs[:0:0]
	for _, f := range fs {
		if e.SupersededBy(f, fs) == nil {
			out = append(out, f)
		}
	}
	return out
}

// Sequence runs every sequence rule on one client's ordered traces, or
// every connection rule on one proxy connection's (Sequence.ByConnection).
func (e *Engine) Sequence(seq *Sequence) []Finding {
	var out []Finding
	for _, r := range e.rules {
		match := r.Sequence
		if seq.ByConnection {
			match = r.Connection
		}
		if match == nil {
			continue
		}
		m := match(seq)
		if m == nil {
			continue
		}
		files := make([]string, len(seq.Steps))
		for i, st := range seq.Steps {
			files[i] = st.File
		}
		out = append(out, finding(r, m, seq.Vendor, files, seq.Steps))
	}
	return out
}

func finding(r *Rule, m *Match, vendor string, files []string, steps []SequenceStep) Finding {
	f := Finding{
		Rule:       r.ID,
		Title:      r.Title,
		Severity:   r.Severity,
		Confidence: m.Confidence,
		Summary:    m.Summary,
		Evidence:   dedupe(m.Evidence),
		Vendor:     vendor,
		Fix:        r.FixFor(vendor),
		References: r.References,
		Traces:     files,
		Sequence:   steps,
	}
	if m.Severity != nil {
		f.Severity = *m.Severity
	}
	if m.Title != "" {
		f.Title = m.Title
	}
	if m.Fix != "" {
		f.Fix = m.Fix
	}
	if f.Confidence == "" {
		f.Confidence = ConfidenceMedium
	}
	if f.Evidence == nil {
		f.Evidence = []Evidence{}
	}
	return f
}

// Sort orders findings most severe first, then by confidence, rule and
// first trace, so reports are stable.
func Sort(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Severity != b.Severity {
			return a.Severity > b.Severity
		}
		if a.Confidence != b.Confidence {
			return a.Confidence.Rank() > b.Confidence.Rank()
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		return first(a.Traces) < first(b.Traces)
	})
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

// dedupe drops evidence items that repeat an earlier one's name and value
// (a Via header is both a request header and proxy evidence).
func dedupe(ev []Evidence) []Evidence {
	type key struct{ name, value, file string }
	seen := map[key]bool{}
	out := ev[:0:0]
	for _, e := range ev {
		k := key{strings.ToLower(e.Name), e.Value, e.File}
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, e)
	}
	return out
}
