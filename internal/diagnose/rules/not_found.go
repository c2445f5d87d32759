package rules

import (
	"strings"

	"github.com/frebscan/frebscan/internal/diagnose"
)

// noisePaths are requests browsers and development tools make on their
// own; a 404 for them is not something a user clicked.
var noisePaths = []string{"/favicon.ico", "/apple-touch-icon", "/robots.txt", "/__browserlink", "/browserlink", "/_framework/aspnetcore-browser-refresh.js", "/_vs/browserlink", "/.well-known/"}

// notFoundRule returns the not-found rule.
func notFoundRule() *diagnose.Rule {
	return &diagnose.Rule{
		ID:       "not-found",
		Title:    "Not found (404): missing file or no route",
		Severity: diagnose.Low,
		Explanation: `The URL does not map to anything. IIS Web Core answers 404.0 with
ERROR_FILE_NOT_FOUND (0x80070002) or ERROR_PATH_NOT_FOUND (0x80070003) when the
static file is not on disk (the physical path it looked for is in the trace); an
application (ASP.NET page handler, MVC routing) answers 404 itself when no page or
route matches. 404.2 is a handler blocked by the ISAPI/CGI restrictions, 404.3 a
file type with no MIME map or handler, 404.4 no handler for the URL. Browsers ask
for /favicon.ico and development tools for Browser Link on their own: those 404s
are noise.`,
		Looks: []string{"status 404.0, 404.2, 404.3 or 404.4", "the module that set it and the physical path (FILE_CACHE_ACCESS_END, the IIS error page)", "favicon, Browser Link and DEBUG-verb requests (info)"},
		Fix: `Static file: deploy the file at the physical path shown, or fix the link that asks
for it. Application 404: the page or route does not exist (check routing, the
controller/action, a missing .aspx). 404.3: add a mimeMap for the extension.
404.2: allow the handler in ISAPI and CGI Restrictions. favicon.ico: add one to
the site root to silence the noise.`,
		References: []string{"KB 943891: IIS HTTP status codes (404.0–404.4) — https://learn.microsoft.com/en-us/troubleshoot/developer/webapps/iis/www-administration-management/http-status-code"},
		Trace:      notFound,
	}
}

func notFound(s *diagnose.Subject) *diagnose.Match {
	if !is(404, s, 0, 2, 3, 4) || startupFailure(s) != "" {
		return nil
	}
	t := s.Trace
	ev := []diagnose.Evidence{statusEvidence(s), urlEvidence(s)}
	module := ""
	if es := t.ErrorStatus; es != nil {
		module = es.Module
		ev = append(ev, diagnose.Evidence{Where: diagnose.InEvent, Name: "module", Value: es.Module + " (" + es.Notification + ")"})
		if es.ErrorCode != 0 {
			ev = append(ev, codeEvidence(s, es.ErrorCode))
		}
	}
	var summary string
	switch t.SubStatusCode {
	case 2:
		summary = "the handler is not allowed by ISAPI and CGI Restrictions (404.2)"
	case 3:
		summary = "no MIME type or handler for this file extension (404.3)"
	case 4:
		summary = "no handler is mapped for this URL (404.4)"
	default:
		if handlerModules[module] || (s.Page != nil && s.Page.Kind == diagnose.PageASPNET) {
			summary = "the application found no page or route for " + freebPath(s)
			if p := s.Page; p != nil && (p.RootMessage != "" || p.Message != "") {
				ev = append(ev, diagnose.Evidence{Where: diagnose.InEvent, Name: "error page", Value: s.RevealText(exceptionText(p))})
			}
		} else {
			summary = "static file not found: " + freebPath(s)
			path := ""
			if p := s.Page; p != nil && p.PhysicalPath != "" {
				path = p.PhysicalPath
			} else if n := len(t.MissingFiles); n > 0 {
				path = t.MissingFiles[n-1]
			}
			if path != "" {
				ev = append(ev, diagnose.Evidence{Where: diagnose.InEvent, Name: "physical path", Value: path})
				summary += " (looked for " + path + ")"
			}
		}
	}
	if t.CustomError != "" {
		ev = append(ev, diagnose.Evidence{Where: diagnose.InEvent, Name: "custom error page sent", Value: t.CustomError})
	}
	m := &diagnose.Match{Confidence: diagnose.ConfidenceHigh, Evidence: ev, Summary: summary}
	if isNoise(s) {
		m.Severity = sev(diagnose.Info)
		m.Summary = "browser or development-tool request, not a broken link: " + summary
	}
	return m
}

// isNoise reports requests a browser or a development tool makes by
// itself (favicon, Browser Link, the DEBUG verb Visual Studio sends).
func isNoise(s *diagnose.Subject) bool {
	if strings.EqualFold(s.Trace.Verb, "DEBUG") {
		return true
	}
	p := s.Path()
	for _, n := range noisePaths {
		if strings.HasPrefix(p, n) || strings.Contains(p, "/__browserlink") {
			return true
		}
	}
	return false
}

// freebPath is the URL path as requested (not lower-cased).
func freebPath(s *diagnose.Subject) string {
	u := s.Trace.URL
	if i := strings.Index(u, "://"); i >= 0 {
		if j := strings.IndexByte(u[i+3:], '/'); j >= 0 {
			u = u[i+3+j:]
		}
	}
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	return u
}
