package scan

import (
	"sort"
	"strconv"
	"strings"

	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/fingerprint"
)

// OutsideFacts gathers what the report knows that bears on failures
// outside FREB: the statuses the traces show, the filters that may hide
// some, the proxies seen, the findings per rule and the client sequences.
func (r *Result) OutsideFacts() diagnose.OutsideFacts {
	f := diagnose.OutsideFacts{Traces: r.Summary.Matched, Statuses: map[int]int{}, Full: map[string]int{},
		Rules: map[string]int{}, RuleVendors: map[string][]string{}, Sequences: append(append([]*diagnose.Sequence(nil), r.Correlation...), r.Unanswered...)}
	for _, c := range r.Tables.Statuses {
		f.Full[c.Key] += c.Count
		code, _, _ := strings.Cut(c.Key, ".")
		if n, err := strconv.Atoi(code); err == nil {
			f.Statuses[n] += c.Count
		}
	}
	for _, c := range r.Tables.Proxies {
		f.Proxied = true
		if c.Key != fingerprint.UnknownProxy {
			f.Vendors = append(f.Vendors, c.Key)
		}
	}
	for _, g := range r.Findings {
		f.Rules[g.Rule] += g.Count
		for _, v := range g.Vendors {
			if v.Key != fingerprint.UnknownProxy {
				f.RuleVendors[g.Rule] = append(f.RuleVendors[g.Rule], v.Key)
			}
		}
	}
	for k, v := range r.Filters {
		// --min-severity hides findings, not traces: their statuses
		// are still counted.
		if k != "min-severity" {
			f.Filters = append(f.Filters, k+"="+v)
		}
	}
	sort.Strings(f.Filters)
	return f
}
