package rules

import (
	"fmt"
	"strings"

	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/status"
)

// filteringSubs are the 404 substatus codes request filtering sets.
var filteringSubs = []int{5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}

// deniedByDesign are the extensions IIS's default request filtering denies
// (applicationHost.config fileExtensions) so that source code,
// configuration and data files are never served. A 404.7 for them is the
// protection working, not something to allow.
var deniedByDesign = map[string]bool{
	".asa": true, ".asax": true, ".ascx": true, ".master": true, ".skin": true, ".browser": true, ".sitemap": true,
	".config": true, ".cs": true, ".csproj": true, ".vb": true, ".vbproj": true, ".webinfo": true, ".licx": true,
	".resx": true, ".resources": true, ".mdb": true, ".vjsproj": true, ".java": true, ".jsl": true, ".ldb": true,
	".dsdgm": true, ".ssdgm": true, ".lsad": true, ".ssmap": true, ".cd": true, ".dsprototype": true,
	".lsaprototype": true, ".sdm": true, ".sdmdocument": true, ".mdf": true, ".ldf": true, ".ad": true, ".dd": true,
	".ldd": true, ".sd": true, ".adprototype": true, ".lddprototype": true, ".exclude": true, ".refresh": true,
	".compiled": true, ".msgx": true, ".vsdisco": true, ".rules": true,
}

// hiddenByDesign are the segments IIS hides by default (404.8).
var hiddenByDesign = []string{"/bin/", "/app_code/", "/app_globalresources/", "/app_localresources/", "/app_webreferences/", "/app_data/", "/app_browsers/", "/web.config"}

// byDesign says why a request-filtering 404 protects the site as intended,
// or "".
func byDesign(s *diagnose.Subject) string {
	p := s.Path()
	switch s.Trace.SubStatusCode {
	case 7:
		if i := strings.LastIndexByte(p, '.'); i >= 0 && deniedByDesign[p[i:]] {
			return "the " + p[i:] + " extension is denied by default so that source and configuration files are never served"
		}
	case 8:
		for _, seg := range hiddenByDesign {
			if strings.Contains(p+"/", seg) {
				return "the " + strings.Trim(seg, "/") + " segment is hidden by default so that binaries, code and data are never served"
			}
		}
	}
	return ""
}

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
		Looks: []string{"status 404.5–404.20 or 413, usually set by RequestFilteringModule", "404.7 for a source or configuration extension (.cs, .master, .config) or 404.8 for bin/App_Data: by design, info"},
		Fix: `Adjust system.webServer/security/requestFiltering for the path (requestLimits
maxAllowedContentLength, maxUrl, maxQueryString, headerLimits, fileExtensions,
hiddenSegments, allowDoubleEscaping, verbs), or fix the client/proxy that sends
such requests. 413 with client certificates: negotiate the certificate during the
TLS handshake (netsh http ... clientcertnegotiation=enable) or raise
uploadReadAheadSize.`,
		References: []string{"KB 943891: IIS HTTP status codes (404.x request filtering, 413) — https://learn.microsoft.com/en-us/troubleshoot/developer/webapps/iis/www-administration-management/http-status-code"},
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
			m := &diagnose.Match{Confidence: diagnose.ConfidenceHigh, Evidence: ev,
				Summary: fmt.Sprintf("%s: %s", s.Status(), status.Describe(s.Trace.StatusCode, s.Trace.SubStatusCode))}
			if why := byDesign(s); why != "" {
				m.Severity = sev(diagnose.Info)
				m.Title = "Source or configuration file refused by design (request filtering)"
				m.Summary = "by design: " + why
				m.Fix = "Nothing to fix on the server: do not allow the extension or segment, it would publish code or configuration. If a page links to the file, fix the link; if a scanner asks for it, ignore it."
			}
			return m
		},
	}
}
