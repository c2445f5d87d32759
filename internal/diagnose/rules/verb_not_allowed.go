package rules

import (
	"strings"

	"github.com/frebscan/frebscan/internal/diagnose"
)

// verbNotAllowedRule returns the verb-not-allowed rule.
func verbNotAllowedRule() *diagnose.Rule {
	return &diagnose.Rule{
		ID:       "verb-not-allowed",
		Title:    "HTTP verb not allowed (405)",
		Severity: diagnose.Medium,
		Explanation: `The handler that took the request does not accept its verb. Most often the WebDAV
module is installed and claims PUT, DELETE and other verbs for itself (MODULE_WARNING
"WebDAV Disabled"), so a REST API behind it never sees them. Otherwise the handler
mapping's verb list excludes the verb (the static file handler accepts only GET and
HEAD), or the application (a Web API/MVC action, a WCF operation) answers 405
because no action accepts that verb.`,
		Looks: []string{"status 405 and the module that set it (WebDAVModule, StaticFileModule, the framework)", "MODULE_WARNING WebDAVModule and HANDLER_CHANGED to WebDAV"},
		Fix: `WebDAV: remove it for the application: <modules><remove name="WebDAVModule"/></modules>
and <handlers><remove name="WebDAV"/></handlers> in web.config (or uninstall the
WebDAV Publishing feature). Handler mapping: allow the verb on the mapping that
should run (ExtensionlessUrlHandler-Integrated-4.0 verb="*"). Application: add or
fix the action for the verb ([HttpPut], [HttpDelete], the route).`,
		References: []string{"Microsoft: Web API PUT and DELETE return 405 with WebDAV installed", "KB 943891: IIS HTTP status codes (405) — https://learn.microsoft.com/en-us/troubleshoot/developer/webapps/iis/www-administration-management/http-status-code"},
		Trace: func(s *diagnose.Subject) *diagnose.Match {
			if s.Trace.StatusCode != 405 {
				return nil
			}
			ev := []diagnose.Evidence{statusEvidence(s), urlEvidence(s)}
			module := ""
			if es := s.Trace.ErrorStatus; es != nil {
				module = es.Module
				ev = append(ev, diagnose.Evidence{Where: diagnose.InEvent, Name: "module", Value: es.Module + " (" + es.Notification + ")"})
			}
			for _, w := range s.Trace.ModuleWarnings {
				if w.Module == "WebDAVModule" {
					ev = append(ev, diagnose.Evidence{Where: diagnose.InEvent, Name: "MODULE_WARNING WebDAVModule", Value: w.Data1})
					module = "WebDAVModule"
				}
			}
			var summary string
			switch {
			case module == "WebDAVModule":
				summary = "the WebDAV module took the " + s.Trace.Verb + " request and refused it"
			case module == "StaticFileModule" || (s.Trace.Handler != nil && s.Trace.Handler.Name == "StaticFile"):
				summary = s.Trace.Verb + " went to the static file handler, which accepts only GET and HEAD: no handler mapping for this verb"
			case handlerModules[module]:
				summary = "the application does not accept " + s.Trace.Verb + " for this URL"
			default:
				summary = strings.TrimSpace(s.Trace.Verb + " is not allowed by " + module)
			}
			if h := s.Trace.Handler; h != nil {
				ev = append(ev, diagnose.Evidence{Where: diagnose.InEvent, Name: "handler", Value: h.Name})
			}
			return &diagnose.Match{Confidence: diagnose.ConfidenceHigh, Evidence: ev, Summary: summary}
		},
	}
}
