package rules

import "github.com/frebscan/frebscan/internal/diagnose"

// applicationErrorRule returns the application-error rule.
func applicationErrorRule() *diagnose.Rule {
	return &diagnose.Rule{
		ID:       "application-error",
		Title:    "Unhandled exception or script error in the application",
		Severity: diagnose.High,
		Explanation: `The application's own code failed while serving the request: an unhandled .NET
exception (ASP.NET's "Server Error in '/' Application" page, web event 3005), a
PHP fatal or parse error (FastCGI's stderr), a Classic ASP script error, or a
Node.js exception reported by iisnode. IIS and the network are not at fault; the
trace carries the exception type, its message and often the source file and line.
Under a final status 200 the error page was appended after the response headers
had already been sent.`,
		Looks: []string{
			"the ASP.NET error page in GENERAL_RESPONSE_ENTITY_BUFFER (Exception Details, the root cause in the trailing comment, Source File, Stack Trace)",
			"AspNetWebEventRaiseStart 3005 (and 3001–3004, 3009, 3012)",
			"MODULE_WARNING FastCgiModule FASTCGI_RESPONSE_ERROR with PHP's error text",
			"a Classic ASP error (Microsoft VBScript runtime error '800a…', file and line) or a 500 from asp.dll",
			"iisnode's error page with node.exe's uncaught exception",
		},
		Fix: `Fix the code at the frame and line named in the evidence, or the dependency the
exception names: a database error (login, database name, time-out, connection
string keyword), an assembly binding failure (deploy the assembly or add a
bindingRedirect for the version), a null reference, an MVC view missing from
Views/. Turn on the application's logging (ASP.NET health monitoring already
writes the event to the Application log as event 1309; PHP's error_log; iisnode's
logging) to see every occurrence. Do not leave customErrors mode="Off" or
devErrorsEnabled on in production: the error page shows code and paths to clients.`,
		References: []string{
			"Microsoft: ASP.NET health monitoring, WebEventCodes (3005 RuntimeErrorUnhandledException)",
			"Microsoft: Troubleshoot HTTP 500 errors with Failed Request Tracing",
			"PHP on IIS: FastCGI module stderr handling (stderrMode)",
		},
		Trace: func(s *diagnose.Subject) *diagnose.Match {
			summary, ev, ok := appException(s)
			if !ok {
				return nil
			}
			ev = append([]diagnose.Evidence{statusEvidence(s), urlEvidence(s)}, ev...)
			return &diagnose.Match{Confidence: diagnose.ConfidenceHigh, Evidence: ev, Summary: summary}
		},
	}
}
