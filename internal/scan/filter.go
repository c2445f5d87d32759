package scan

import (
	"net"
	"path"
	"strings"
	"time"

	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/freb"
)

// Filter selects traces and findings. The zero value selects everything.
type Filter struct {
	Status    []StatusMatch
	URL       string
	Since     time.Time
	Until     time.Time
	Sites     []string
	Client    string
	UserAgent string
	// Rules and MinSeverity select findings; when Rules is set, only
	// traces with one of those findings are listed.
	Rules       map[string]bool
	MinSeverity diagnose.Severity
	// Where keeps traces with at least one event matching an XPath
	// expression. It costs a second, slow read of every trace, done by
	// the workers (see outcome.where), so it is nil unless asked for.
	Where *freb.Where
}

// StatusMatch is one term of --status: 400, 401.2, 5xx or 400-499.
type StatusMatch struct {
	Lo, Hi int // code range, inclusive
	Sub    int // -1: any substatus
}

// Match reports whether a status code and substatus are in the term.
func (m StatusMatch) Match(code, sub int) bool {
	return code >= m.Lo && code <= m.Hi && (m.Sub < 0 || m.Sub == sub)
}

// traceMatch decides whether a trace is in the report.
func (f *Filter) traceMatch(t *freb.Trace, s *diagnose.Subject, when time.Time) bool {
	if len(f.Status) > 0 {
		ok := false
		for _, m := range f.Status {
			ok = ok || m.Match(t.StatusCode, t.SubStatusCode)
		}
		if !ok {
			return false
		}
	}
	if f.URL != "" && !urlMatch(f.URL, t.URL) {
		return false
	}
	if !f.Since.IsZero() && when.Before(f.Since) {
		return false
	}
	if !f.Until.IsZero() && when.After(f.Until) {
		return false
	}
	if len(f.Sites) > 0 && !siteMatch(f.Sites, t.SiteID) {
		return false
	}
	if f.Client != "" && !clientMatch(f.Client, s.Proxy.ClientAddress, t.ClientAddress) {
		return false
	}
	if f.UserAgent != "" && !strings.Contains(strings.ToLower(s.Client.UserAgent), strings.ToLower(f.UserAgent)) {
		return false
	}
	return true
}

// findingMatch decides whether a finding is reported.
func (f *Filter) findingMatch(fd *diagnose.Finding) bool {
	if len(f.Rules) > 0 && !f.Rules[fd.Rule] {
		return false
	}
	return fd.Severity >= f.MinSeverity
}

// urlMatch treats patterns with * ? [ as globs over the URL path (or the
// whole URL when the pattern has a scheme), others as case-insensitive
// substrings.
func urlMatch(pattern, url string) bool {
	if !hasGlob(pattern) {
		return strings.Contains(strings.ToLower(url), strings.ToLower(pattern))
	}
	subject := freb.URLPath(url)
	if strings.Contains(pattern, "://") {
		subject = strings.ToLower(url)
	}
	ok, err := path.Match(strings.ToLower(pattern), subject)
	return err == nil && ok
}

// siteMatch accepts "1", "W3SVC1" and lists of them.
func siteMatch(sites []string, id string) bool {
	for _, s := range sites {
		s = strings.TrimSpace(s)
		if len(s) > 5 && strings.EqualFold(s[:5], "w3svc") {
			s = s[5:]
		}
		if s == id {
			return true
		}
	}
	return false
}

// clientMatch accepts an address, a CIDR block or a substring.
func clientMatch(want string, addrs ...string) bool {
	_, block, cidrErr := net.ParseCIDR(want)
	for _, a := range addrs {
		if a == "" {
			continue
		}
		if cidrErr == nil {
			if ip := net.ParseIP(strings.Trim(a, "[]")); ip != nil && block.Contains(ip) {
				return true
			}
			continue
		}
		if strings.Contains(a, want) {
			return true
		}
	}
	return false
}
