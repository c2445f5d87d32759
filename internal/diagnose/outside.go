package diagnose

import (
	"fmt"
	"strconv"
	"strings"
)

// A FREB trace exists only for a request that reached an IIS worker
// process and matched a tracing rule. Failures before that point (Http.sys
// rejecting a request, a load balancer answering itself, TLS failing before
// HTTP, a connection reset) leave no trace at all, so "no finding" is not
// "all clear" when the symptom the user saw is one of those. An
// OutsideNote says so in the report, with what to capture instead.

// Symptom is what the user saw at the client, given with --symptom: an
// HTTP status (Code, with Sub when given as 400.0), or a failure that has
// no status (Kind "reset": the connection was reset or closed; "tls": the
// TLS handshake failed before any HTTP).
type Symptom struct {
	Code int    `json:"code,omitempty"`
	Sub  int    `json:"sub,omitempty"`
	Kind string `json:"kind,omitempty"`
	// HasSub is true when the user gave a substatus (400.0).
	HasSub bool `json:"-"`
}

// Symptom kinds without an HTTP status.
const (
	SymptomReset = "reset"
	SymptomTLS   = "tls"
)

// String is the symptom as the user would write it.
func (s Symptom) String() string {
	switch {
	case s.Kind != "":
		return s.Kind
	case s.HasSub:
		return fmt.Sprintf("%d.%d", s.Code, s.Sub)
	}
	return strconv.Itoa(s.Code)
}

// ParseSymptoms reads a --symptom value: comma-separated HTTP statuses
// (400, 503, 401.1) and the words reset and tls.
func ParseSymptoms(v string) ([]Symptom, error) {
	var out []Symptom
	for _, part := range strings.Split(v, ",") {
		p := strings.ToLower(strings.TrimSpace(part))
		if p == "" {
			continue
		}
		if p == SymptomReset || p == SymptomTLS {
			out = append(out, Symptom{Kind: p})
			continue
		}
		code, sub, hasSub := p, "", false
		if c, s, ok := strings.Cut(p, "."); ok {
			code, sub, hasSub = c, s, true
		}
		n, err := strconv.Atoi(code)
		if err != nil || n < 100 || n > 599 {
			return nil, fmt.Errorf("--symptom %q: want an HTTP status the client saw (400, 503, 401.1) or reset or tls", part)
		}
		sy := Symptom{Code: n, HasSub: hasSub}
		if hasSub {
			if sy.Sub, err = strconv.Atoi(sub); err != nil || sy.Sub < 0 || sy.Sub > 999 {
				return nil, fmt.Errorf("--symptom %q: the substatus after the dot must be a number (401.1)", part)
			}
		}
		out = append(out, sy)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("--symptom %q: give at least one status (400, 503) or reset or tls", v)
	}
	return out, nil
}

// Capture is one log or capture outside FREB and what to look for in it.
type Capture struct {
	// Source names the log: "Http.sys error log (HTTPERR)".
	Source string `json:"source"`
	// Where is its location or how to get it.
	Where string `json:"where"`
	// LookFor lists the fields and values that tell the cause.
	LookFor string `json:"lookFor"`
}

// OutsideNote is one failure the traces cannot contain, inferred from the
// user's symptom or from what the traces do show. Its confidence is never
// high: it reasons from an absence.
type OutsideNote struct {
	// Trigger is what raised the note: "symptom 400", or the rule or
	// sequence pattern whose evidence points outside FREB.
	Trigger    string     `json:"trigger"`
	Summary    string     `json:"summary"`
	Confidence Confidence `json:"confidence"`
	// Basis is the evidence the inference rests on, one fact a line.
	Basis []string `json:"basis"`
	// Causes are what, outside IIS, produces this symptom.
	Causes     []string  `json:"causes"`
	Capture    []Capture `json:"capture"`
	References []string  `json:"references"`
}

// OutsideFacts is what a scan knows that bears on failures outside FREB:
// which statuses the traces show and what the rules found. The command
// layer fills it from a scan result.
type OutsideFacts struct {
	// Traces is the number of traces in the report (after filters).
	Traces int
	// Statuses counts traces per status code; Full per "code.sub".
	Statuses map[int]int
	Full     map[string]int
	// Filters are the filters in force, as given ("status=5xx"): a
	// symptom missing from a filtered report may only be filtered out.
	Filters []string
	// Vendors are the proxy vendors the traces show, most common first;
	// Proxied is true when any trace came through a proxy.
	Vendors []string
	Proxied bool
	// Rules counts findings per rule ID; RuleVendors are the proxy
	// vendors on each rule's findings, most common first.
	Rules       map[string]int
	RuleVendors map[string][]string
	// Sequences are the scan's client sequences.
	Sequences []*Sequence
}
