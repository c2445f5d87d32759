package report

import (
	"fmt"
	"strings"

	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/fingerprint"
	"github.com/frebscan/frebscan/internal/scan"
)

// maxProblems is how many finding groups the summary at the top explains;
// the findings section lists them all.
const maxProblems = 3

// htmlSummary is the top of the page: the incident in plain words for
// someone who never saw a FREB file.
type htmlSummary struct {
	Lead     string
	OK       bool
	Problems []htmlProblem
	More     int
	Proxies  string
	Clients  string
}

type htmlProblem struct {
	ID       string
	Severity diagnose.Severity
	Title    string
	What     string
	Whom     string
	Since    string
	Cause    []string
	Fix      []string
	Vendor   string
}

func summarise(r *scan.Result) htmlSummary {
	var s htmlSummary
	var failures []scan.Group
	for _, g := range r.Findings {
		if g.Severity > diagnose.Info {
			failures = append(failures, g)
		}
	}
	span := ""
	if sm := r.Summary; sm.From != nil && sm.To != nil {
		span = ", " + seen(*sm.From, *sm.To)
	}
	if NoTraces(r.Summary) {
		s.Lead = noTracesText(r.Summary)
	} else if r.Summary.Traces == 0 && r.Summary.Unchanged > 0 {
		s.OK = true
		s.Lead = nothingNewText(r.Summary)
	} else if len(failures) == 0 {
		s.OK = true
		s.Lead = fmt.Sprintf("No known failure found in %d trace(s)%s.", r.Summary.Matched, span)
	} else {
		var sev []string
		for _, name := range []string{"critical", "high", "medium", "low"} {
			if n := r.Summary.BySeverity[name]; n > 0 {
				sev = append(sev, fmt.Sprintf("%d %s", n, name))
			}
		}
		total := 0
		for _, g := range failures {
			total += g.Incidents
		}
		s.Lead = fmt.Sprintf("%s (%s) found in %s%s: %s.", count(len(failures), "problem"), count(total, "incident"), count(r.Summary.Matched, "trace"), span, strings.Join(sev, ", "))
	}
	for i, g := range failures {
		if i == maxProblems {
			s.More = len(failures) - maxProblems
			break
		}
		p := htmlProblem{ID: "f-" + g.Rule, Severity: g.Severity, Title: g.Title, Since: seen(g.FirstSeen, g.LastSeen), Fix: prose(g.Fix), Vendor: fixVendor(g)}
		if len(g.Examples) > 0 && g.Examples[0].Summary != "" {
			p.What = sentence(g.Examples[0].Summary)
		}
		p.Whom = whom(g)
		if paras := prose(g.Explanation); len(paras) > 0 {
			p.Cause = paras[:1]
		}
		s.Problems = append(s.Problems, p)
	}
	if len(r.Tables.Proxies) > 0 {
		s.Proxies = countsOf(r.Tables.Proxies, "trace", 5)
	} else {
		s.Proxies = "none detected in the request headers (no Via, X-Forwarded-For or vendor header)"
	}
	s.Clients = affectedClients(failures)
	return s
}

// whom says who is affected: how many findings, which clients, programs
// and URLs.
func whom(g scan.Group) string {
	var b strings.Builder
	b.WriteString(incidents(&g))
	if len(g.Clients) > 0 {
		fmt.Fprintf(&b, " from %s", listKeys(g.Clients, 3, "client"))
	}
	if fams := families(g.UserAgents); len(fams) > 0 {
		fmt.Fprintf(&b, " using %s", strings.Join(fams, ", "))
	}
	if len(g.URLs) > 0 {
		fmt.Fprintf(&b, ", on %s", listKeys(g.URLs, 3, "URL"))
	}
	if len(g.Servers) == 1 {
		fmt.Fprintf(&b, ", served by %s", g.Servers[0].Key)
	} else if len(g.Servers) > 1 {
		fmt.Fprintf(&b, ", served by %s", listKeys(g.Servers, 3, "server"))
	}
	return b.String() + "."
}

// families names the client programs behind user agents, the way admins
// know them (Apple Mail, Outlook for Windows), falling back to the raw
// User-Agent when it is not recognised.
func families(uas []scan.Count) []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range uas {
		name := fingerprint.Client(c.Key).Family
		if name == "" || name == "Unknown" {
			name = clip(c.Key, 60)
		}
		if !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
	}
	if len(out) > 4 {
		out = append(out[:4], fmt.Sprintf("%d other program(s)", len(out)-4))
	}
	return out
}

func affectedClients(groups []scan.Group) string {
	counts := map[string]int{}
	var order []string
	for _, g := range groups {
		for _, c := range g.UserAgents {
			name := fingerprint.Client(c.Key).Family
			if name == "" || name == "Unknown" {
				name = clip(c.Key, 60)
			}
			if _, ok := counts[name]; !ok {
				order = append(order, name)
			}
			counts[name] += c.Count
		}
	}
	if len(order) == 0 {
		return ""
	}
	cs := make([]scan.Count, len(order))
	for i, name := range order {
		cs[i] = scan.Count{Key: name, Count: counts[name]}
	}
	sortCounts(cs)
	return countsOf(cs, "finding", 6)
}

func sortCounts(cs []scan.Count) {
	for i := 1; i < len(cs); i++ {
		for j := i; j > 0 && (cs[j].Count > cs[j-1].Count || (cs[j].Count == cs[j-1].Count && cs[j].Key < cs[j-1].Key)); j-- {
			cs[j], cs[j-1] = cs[j-1], cs[j]
		}
	}
}

func countsOf(cs []scan.Count, unit string, n int) string {
	var parts []string
	for i, c := range cs {
		if i == n {
			parts = append(parts, fmt.Sprintf("%d more", len(cs)-n))
			break
		}
		parts = append(parts, fmt.Sprintf("%s (%d %s%s)", c.Key, c.Count, unit, plural(c.Count)))
	}
	return strings.Join(parts, ", ")
}

func listKeys(cs []scan.Count, n int, unit string) string {
	var parts []string
	for i, c := range cs {
		if i == n {
			return fmt.Sprintf("%d %ss: %s and others", len(cs), unit, strings.Join(parts, ", "))
		}
		parts = append(parts, c.Key)
	}
	if len(cs) == 1 {
		return parts[0]
	}
	return fmt.Sprintf("%d %ss: %s", len(cs), unit, strings.Join(parts, ", "))
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// prose turns a rule's hard-wrapped text into paragraphs.
func prose(s string) []string {
	var out []string
	for _, para := range strings.Split(s, "\n\n") {
		if p := strings.Join(strings.Fields(para), " "); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// sentence capitalises a finding summary and ends it with a full stop.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	if c := s[0]; c >= 'a' && c <= 'z' {
		s = string(c-'a'+'A') + s[1:]
	}
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

// fixVendor names the vendor the group's fix was written for, or "" when
// the fix is the general one (the vendor is then no part of the fix).
func fixVendor(g scan.Group) string {
	// Vendor fixes usually start with the vendor's name already.
	if g.FixVendor != "" && !strings.HasPrefix(g.Fix, g.FixVendor) {
		return g.FixVendor
	}
	return ""
}
