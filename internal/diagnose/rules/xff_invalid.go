package rules

import (
	"github.com/frebscan/frebscan/internal/diagnose"
)

// xffInvalidRule returns the xff-invalid rule.
func xffInvalidRule() *diagnose.Rule {
	return &diagnose.Rule{
		ID:       "xff-invalid",
		Title:    "Invalid X-Forwarded-For header rejected (400.10)",
		Severity: diagnose.High,
		Explanation: `IIS rejected the request with 400.10 because the X-Forwarded-For header could not
be parsed. IIS reads the header when enhanced logging or IP restrictions in proxy
mode use it; a proxy that writes "ip:port", several comma-joined lines, "unknown"
or garbage makes every request through it fail.`,
		Looks: []string{"status 400.10", "the X-Forwarded-For value(s) the proxy sent"},
		Fix: `Make the proxy send a plain list of client addresses (RFC 7239's Forwarded or
X-Forwarded-For: 203.0.113.7, 10.0.0.2), one header line, no ports; or stop IIS
features from parsing it (ipSecurity enableProxyMode, logging custom fields).`,
		References: []string{"KB 943891: IIS HTTP status codes (400.10 Invalid X-Forwarded-For header) — https://learn.microsoft.com/en-us/troubleshoot/developer/webapps/iis/www-administration-management/http-status-code"},
		Trace: func(s *diagnose.Subject) *diagnose.Match {
			if !is(400, s, 10) || !s.Request.Has("X-Forwarded-For") {
				return nil
			}
			ev := []diagnose.Evidence{statusEvidence(s)}
			for _, v := range s.Request.Values("X-Forwarded-For") {
				ev = append(ev, diagnose.Evidence{Where: diagnose.InRequestHeader, Name: "X-Forwarded-For", Value: v})
			}
			ev = append(ev, s.ProxyEvidence()...)
			return &diagnose.Match{Confidence: diagnose.ConfidenceHigh, Evidence: ev, Summary: "IIS could not parse the X-Forwarded-For header"}
		},
	}
}
