package rules

import (
	"fmt"
	"strings"

	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/status"
)

// fastCGICauses explains the error codes FastCgiModule sets on a 500.
var fastCGICauses = map[uint32]string{
	0x80070102: "the FastCGI process exceeded the request timeout (activityTimeout/requestTimeout)",
	0x8007006D: "the FastCGI process exited unexpectedly (it crashed or was killed)",
	0x80070002: "the FastCGI executable (fullPath, e.g. php-cgi.exe) was not found",
	0x80070003: "the FastCGI executable's folder was not found",
	0x800700C1: "the FastCGI executable is not a valid Win32 application (bitness or a missing VC++ runtime)",
	0x80070005: "the application pool identity cannot run the FastCGI executable",
	0x800700E9: "the FastCGI process closed the pipe: it exited during the request",
	0x80070103: "the FastCGI queue is full (maxInstances/queueLength)",
}

// handlerErrorRule returns the handler-error rule.
func handlerErrorRule() *diagnose.Rule {
	return &diagnose.Rule{
		ID:       "handler-error",
		Title:    "The handler (application platform) answered with an error",
		Severity: diagnose.Medium,
		Explanation: `The request reached its handler, and the handler returned the error: the
application chose the status itself (a 400, 403 or 503 written by its code, no
exception), FastCGI failed to run or talk to its process (php-cgi crashed, timed
out, was not found), iisnode failed without an exception from the script, a WCF
service could not be activated, or an ASP.NET Core app answered 5xx and the ASP.NET
Core Module relayed it. In a FastCGI MODULE_WARNING the ErrorCode 5 that IIS
renders as "Access is denied" is FastCGI's own code for "the process wrote to
stderr", not a permission problem.`,
		Looks: []string{
			"MODULE_SET_RESPONSE_ERROR_STATUS from ManagedPipelineHandler, IsapiModule, FastCgiModule, iisnode or AspNetCoreModuleV2 with ErrorCode 0 and no exception",
			"FastCgiModule errors and MODULE_WARNING FASTCGI_RESPONSE_ERROR without a PHP error line",
			"iisnode's error page without an application exception",
			"a WCF ServiceActivationException page",
			"an ASP.NET Core response of 5xx through ANCM without an ANCM substatus",
		},
		Fix: `Application-set status: the application decided; read its logic or logs for why
(for 503, a maintenance switch or a dependency health check). FastCGI: check the
process in the event log, the FastCGI settings (fullPath, activityTimeout,
requestTimeout, maxInstances) and run php-cgi.exe by hand to see it start. WCF:
read the inner exception (service name, binding, missing .svc service type).
ASP.NET Core: read the app's own log (stdoutLogEnabled, the logging provider);
ANCM only relayed the status. iisnode: enable logging in iisnode.yml and check
node.exe's path (nodeProcessCommandLine).`,
		References: []string{
			"Microsoft: FastCGI settings (fastCgi/application)",
			"Microsoft: Troubleshoot ASP.NET Core on IIS (app errors relayed by ANCM) — https://docs.microsoft.com/en-us/aspnet/core/test/troubleshoot-azure-iis",
			"iisnode: configuration (iisnode.yml, devErrorsEnabled)",
		},
		Trace: handlerError,
	}
}

func handlerError(s *diagnose.Subject) *diagnose.Match {
	if _, _, ok := appException(s); ok || startupFailure(s) != "" || compileFailure(s) != "" {
		return nil
	}
	t, p := s.Trace, s.Page
	ev := []diagnose.Evidence{statusEvidence(s), urlEvidence(s)}
	module := ""
	var code uint32
	if es := t.ErrorStatus; es != nil {
		module, code = es.Module, es.ErrorCode
		ev = append(ev, diagnose.Evidence{Where: diagnose.InEvent, Name: "module", Value: es.Module + " (" + es.Notification + ")"})
	}
	match := func(summary string) *diagnose.Match {
		if p != nil && p.FirstLine != "" {
			ev = append(ev, diagnose.Evidence{Where: diagnose.InEvent, Name: "response body starts", Value: s.RevealText(shortText(p))})
		}
		return &diagnose.Match{Confidence: diagnose.ConfidenceHigh, Evidence: ev, Summary: summary}
	}
	switch {
	case wcfFailure(s):
		ev = append(ev, diagnose.Evidence{Where: diagnose.InEvent, Name: "exception (error page)", Value: s.RevealText(exceptionText(p))})
		return match("WCF service activation failed: " + s.RevealText(exceptionText(p)))
	case module == "FastCgiModule" || module == "CgiModule" || fastCGIWarning(s) != "":
		if t.StatusCode < 400 || code == 0 && fastCGIWarning(s) == "" && !appSetStatus(t.StatusCode, t.SubStatusCode) {
			return nil
		}
		if w := fastCGIWarning(s); w != "" {
			ev = append(ev, diagnose.Evidence{Where: diagnose.InEvent, Name: "MODULE_WARNING FastCgiModule", Value: s.RevealText(w)})
		}
		if cause, ok := fastCGICauses[code]; ok {
			ev = append(ev, codeEvidence(s, code))
			return match("FastCGI: " + cause)
		}
		if code != 0 {
			ev = append(ev, codeEvidence(s, code))
			return match("FastCGI failed with " + status.Code(code).String())
		}
		if w := fastCGIWarning(s); w != "" {
			return match("the FastCGI application wrote to stderr and IIS answered " + s.Status() + ": " + s.RevealText(shorten(w, 160)))
		}
		return match("the FastCGI application answered " + s.Status())
	case p != nil && p.Kind == diagnose.PageIISNode:
		ev = append(ev, diagnose.Evidence{Where: diagnose.InEvent, Name: "iisnode status", Value: p.NodeStatus + " (HRESULT " + p.NodeHRESULT + ")"})
		return match(fmt.Sprintf("iisnode could not process the request (status %s, HRESULT %s)", p.NodeStatus, p.NodeHRESULT))
	case t.StatusCode < 400:
		return nil
	case ancmModule(s) && t.StatusCode >= 500 && (module == "" || strings.HasPrefix(module, "AspNetCoreModule") && code == 0):
		return match("the ASP.NET Core app answered " + s.Status() + " itself; the ASP.NET Core Module relayed it")
	case t.StatusCode == 503 && t.ErrorStatus != nil && infrastructure503(t.ErrorStatus.Description):
		return nil // app-pool-unavailable: the application is going away, it did not choose 503
	case handlerModules[module] && code == 0 && appSetStatus(t.StatusCode, t.SubStatusCode):
		if t.StatusCode >= 500 && p == nil {
			// Without the body the trace cannot tell an exception from a
			// deliberate 500: say what is missing rather than guess.
			return match(fmt.Sprintf("%s answered %s with ErrorCode 0; the trace holds no error page or ASP.NET web event (trace the ASP.NET and WWW Server areas at Verbose to capture the exception)", module, s.Status()))
		}
		return match(fmt.Sprintf("the application set %s itself (%s, ErrorCode 0, no exception in the trace)", s.Status(), module))
	}
	return nil
}

// appSetStatus are statuses an application sets deliberately that no other
// rule explains (401.1–401.3 belong to the authentication rules, 404 to
// not-found, 405 to verb-not-allowed). A 401.0 from the handler is the
// application's own authentication (forms, bearer tokens, API keys).
func appSetStatus(code, sub int) bool {
	return code >= 400 && (code != 401 || sub == 0) && code != 404 && code != 405
}

// fastCGIWarning is the text FastCGI reported in MODULE_WARNING, "" when
// there is none.
func fastCGIWarning(s *diagnose.Subject) string {
	for _, w := range s.Trace.ModuleWarnings {
		if w.Module == "FastCgiModule" {
			return strings.TrimSpace(w.Data1 + ": " + w.Data2)
		}
	}
	return ""
}

func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
