package rules

import (
	"fmt"

	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/status"
)

// filteringSubs are the 404 substatus codes request filtering sets.
var filteringSubs = []int{5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}

// requestFilteringRule returns the request-filtering rule.
func requestFilteringRule() *diagnose.Rule {
	return &diagnose.Rule{
		ID:       "request-filtering",
		Title:    "Request blocked by request filtering or an upload limit (404.x / 413)",
		Severity: diagnose.Medium,
		Explanation: `IIS request filtering rejected the request before any application saw it, and
reports it as a 404 substatus: 404.5 URL sequence, 404.6 verb, 404.7 file
extension, 404.8 hidden segment (bin, App_Data), 404.10 request header too long,
404.11 double escaping (often a proxy re-encoding the URL), 404.12 high-bit
characters, 404.13 Content-Length over maxAllowedContentLength (30,000,000 bytes by
default), 404.14 URL too long, 404.15 query string too long, 404.18–404.20 rules
and segments. 413 is an upload over uploadReadAheadSize (client certificate
renegotiation) or maxRequestEntityAllowed.`,
		Looks: []string{"status 404.5–404.20 or 413, usually set by RequestFilteringModule"},
		Fix: `Adjust system.webServer/security/requestFiltering for the path (requestLimits
maxAllowedContentLength, maxUrl, maxQueryString, headerLimits, fileExtensions,
hiddenSegments, allowDoubleEscaping, verbs), or fix the client/proxy that sends
such requests. 413 with client certificates: negotiate the certificate during the
TLS handshake (netsh http ... clientcertnegotiation=enable) or raise
uploadReadAheadSize.`,
		References: []string{"KB 943891: IIS HTTP status codes (404.x request filtering, 413)"},
		Trace: func(s *diagnose.Subject) *diagnose.Match {
			filtered := is(404, s, filteringSubs...) || s.Trace.StatusCode == 413
			if !filtered {
				return nil
			}
			ev := []diagnose.Evidence{statusEvidence(s), urlEvidence(s)}
			if es := s.Trace.ErrorStatus; es != nil {
				ev = append(ev, diagnose.Evidence{Where: diagnose.InEvent, Name: "module", Value: es.Module})
			}
			if cl, ok := s.RequestHeaderEvidence("Content-Length"); ok && (s.Trace.SubStatusCode == 13 || s.Trace.StatusCode == 413) {
				ev = append(ev, cl)
			}
			return &diagnose.Match{Confidence: diagnose.ConfidenceHigh, Evidence: ev,
				Summary: fmt.Sprintf("%s: %s", s.Status(), status.Describe(s.Trace.StatusCode, s.Trace.SubStatusCode))}
		},
	}
}
