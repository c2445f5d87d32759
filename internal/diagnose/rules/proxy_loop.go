package rules

import (
	"fmt"
	"strings"

	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/status"
)

// maxSaneHops is more proxies than any real Exchange or IIS path has; more
// Via or X-Forwarded-For entries than this means requests go round.
const maxSaneHops = 5

// proxyLoopRule returns the proxy-loop rule.
func proxyLoopRule() *diagnose.Rule {
	return &diagnose.Rule{
		ID:       "proxy-loop",
		Title:    "Request loops between proxies or through a rewrite rule",
		Severity: diagnose.High,
		Explanation: `The request passed the same proxy more than once: ARR (or a load balancer)
forwards to a name that resolves back to itself, or a URL Rewrite rule matches
its own output. ARR stops after Max-Forwards hops with 400.605; the Via and
X-Forwarded-For headers show the same hop repeated. URL Rewrite reports its own
configuration and evaluation errors as 500.50–500.52.`,
		Looks: []string{
			"status 400.605 (ARR maximum number of forwards)",
			fmt.Sprintf("the same host repeated in Via or X-Forwarded-For, or more than %d hops", maxSaneHops),
			"status 500.50, 500.51 or 500.52 (URL Rewrite errors)",
		},
		Fix: `Make the proxy forward to the back end's own name or address, not to the public
name that resolves to the proxy (hosts file or split DNS on the proxy), and add a
condition so rewrite/route rules do not match requests that already passed
(e.g. {HTTP_X_ARR_LOG_ID} or {HTTP_X_FORWARDED_FOR} present). For 500.5x, fix the
rewrite rule the trace names (URL_REWRITE events).`,
		References: []string{
			"KB 943891: IIS HTTP status codes (400.605, 500.50–500.52) — https://learn.microsoft.com/en-us/troubleshoot/developer/webapps/iis/www-administration-management/http-status-code",
			"RFC 9110 §7.6.3 Via; RFC 7239 Forwarded — https://httpwg.org/specs/rfc9110.html",
		},
		Trace: proxyLoop,
	}
}

func proxyLoop(s *diagnose.Subject) *diagnose.Match {
	var ev []diagnose.Evidence
	conf := diagnose.ConfidenceMedium
	if is(400, s, 605) {
		ev = append(ev, statusEvidence(s))
		conf = diagnose.ConfidenceHigh
	}
	for _, name := range []string{"Via", "X-Forwarded-For", "Forwarded"} {
		hops := splitHops(s.Request.Values(name))
		if len(hops) < 2 {
			continue
		}
		dup := repeated(hops)
		if dup != "" || len(hops) > maxSaneHops {
			e, _ := s.RequestHeaderEvidence(name)
			e.Value = strings.Join(hops, ", ")
			if dup != "" {
				e.Value += fmt.Sprintf(" (%s appears more than once)", dup)
			}
			ev = append(ev, e)
		}
	}
	rewrite := is(500, s, 50, 51, 52)
	if rewrite {
		ev = append(ev, statusEvidence(s))
	}
	if len(ev) == 0 {
		return nil
	}
	if len(ev) >= 2 {
		conf = diagnose.ConfidenceHigh
	}
	m := &diagnose.Match{Confidence: conf, Evidence: ev, Summary: "the request went round between proxies"}
	if rewrite {
		m.Summary = "URL Rewrite failed: " + status.Describe(500, s.Trace.SubStatusCode)
	}
	return m
}

// splitHops flattens header lines into hops: one per comma-separated entry,
// keyed by the host part (Via "1.1 lb1:443" → "lb1:443").
func splitHops(values []string) []string {
	var hops []string
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			fields := strings.Fields(part)
			if len(fields) >= 2 && strings.Contains(fields[0], "/") || len(fields) >= 2 && fields[0] == "1.1" || len(fields) >= 2 && fields[0] == "1.0" {
				part = fields[1]
			}
			hops = append(hops, strings.ToLower(part))
		}
	}
	return hops
}

func repeated(hops []string) string {
	seen := map[string]bool{}
	for _, h := range hops {
		if seen[h] {
			return h
		}
		seen[h] = true
	}
	return ""
}
