package rules

import (
	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/freb"
)

// noDefaultDocumentRule returns the no-default-document rule.
func noDefaultDocumentRule() *diagnose.Rule {
	return &diagnose.Rule{
		ID:       "no-default-document",
		Title:    "Directory request with no default document (403.14)",
		Severity: diagnose.Medium,
		Explanation: `The URL names a folder, no default document in the list exists there, and directory
browsing is off, so IIS answers 403.14. It also shows inside a request as a child
request (the default document module re-executes the request) while the parent
reports another status. For an MVC or Web API application it means the request
never reached routing: the ExtensionlessUrlHandler mapping or the managed modules
do not run for this URL.`,
		Looks: []string{"status 403.14, final or of a child request (GENERAL_CHILD_REQUEST_END, an inner GENERAL_REQUEST_END)"},
		Fix: `Put the site's start page in the folder or add its name to Default Document
(system.webServer/defaultDocument/files). For MVC/Web API: make sure the
ExtensionlessUrlHandler-Integrated-4.0 handler is mapped and the app pool runs
.NET CLR v4.0 in Integrated mode (or set runAllManagedModulesForAllRequests="true"
as a last resort). Enable directory browsing only if listing the folder is wanted.`,
		References: []string{"KB 943891: IIS HTTP status codes (403.14) — https://learn.microsoft.com/en-us/troubleshoot/developer/webapps/iis/www-administration-management/http-status-code", "Microsoft: HTTP Error 403.14 - Forbidden when you open an IIS webpage"},
		Trace: func(s *diagnose.Subject) *diagnose.Match {
			t := s.Trace
			if is(403, s, 14) {
				return &diagnose.Match{Confidence: diagnose.ConfidenceHigh, Evidence: []diagnose.Evidence{statusEvidence(s), urlEvidence(s)},
					Summary: "no default document in " + freebPath(s) + " and directory browsing is off"}
			}
			for _, c := range t.Children {
				if c.Ended && c.HTTPStatus == 403 && c.HTTPSubStatus == 14 {
					return childMatch(s, c.URL)
				}
			}
			for i := 0; i+1 < len(t.Passes); i++ {
				if p := t.Passes[i]; p.Ended && p.HTTPStatus == 403 && p.HTTPSubStatus == 14 {
					return childMatch(s, p.URL)
				}
			}
			return nil
		},
	}
}

func childMatch(s *diagnose.Subject, url string) *diagnose.Match {
	return &diagnose.Match{Confidence: diagnose.ConfidenceHigh,
		Evidence: []diagnose.Evidence{statusEvidence(s), urlEvidence(s), {Where: diagnose.InEvent, Name: "child request 403.14", Value: url}},
		Summary:  "the inner request for " + freb.URLPath(url) + " found no default document (403.14) while the client got " + s.Status()}
}
