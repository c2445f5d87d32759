package rules

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/frebscan/frebscan/internal/diagnose"
)

// The classifiers below decide which of the application rules owns a
// failure, so that exactly one of application-error, app-startup-failed,
// compilation-error and handler-error explains it.

// handlerModules are the modules that run application code; a status they
// set with ErrorCode 0 is the application's own choice.
var handlerModules = map[string]bool{
	"ManagedPipelineHandler": true, "IsapiModule": true, "FastCgiModule": true, "CgiModule": true,
	"iisnode": true, "AspNetCoreModule": true, "AspNetCoreModuleV2": true,
}

// ancmModule reports whether the request was handled by the ASP.NET Core
// Module (in-process or out-of-process).
func ancmModule(s *diagnose.Subject) bool {
	if es := s.Trace.ErrorStatus; es != nil && strings.HasPrefix(es.Module, "AspNetCoreModule") {
		return true
	}
	h := s.Trace.Handler
	return h != nil && strings.Contains(h.Modules, "AspNetCoreModule")
}

// classicASP reports whether the Classic ASP engine (asp.dll) ran the
// request.
func classicASP(s *diagnose.Subject) bool {
	h := s.Trace.Handler
	return h != nil && (strings.Contains(strings.ToLower(h.ScriptProcessor), `\asp.dll`) || strings.EqualFold(h.Name, "ASPClassic"))
}

// webEvent returns the first ASP.NET web event with one of the codes.
func webEvent(s *diagnose.Subject, codes ...int) (int, bool) {
	for _, w := range s.Trace.WebEvents {
		for _, c := range codes {
			if w.Code == c {
				return c, true
			}
		}
	}
	return 0, false
}

func webEventEvidence(code int, s *diagnose.Subject) diagnose.Evidence {
	for _, w := range s.Trace.WebEvents {
		if w.Code == code {
			return diagnose.Evidence{Where: diagnose.InEvent, Name: "AspNetWebEventRaiseStart",
				Value: fmt.Sprintf("%d %s (%s)", w.Code, strings.TrimPrefix(w.Type, "System.Web.Management."), webEventName(w.Code))}
		}
	}
	return diagnose.Evidence{}
}

// webEventName is the WebEventCodes name of an ASP.NET web event code.
func webEventName(code int) string {
	switch code {
	case 3001:
		return "request aborted (time-out or Response.End)"
	case 3002:
		return "view state failure"
	case 3003:
		return "request validation failure"
	case 3004:
		return "post too large (maxRequestLength)"
	case 3005:
		return "unhandled exception"
	case 3006:
		return "parser error"
	case 3007:
		return "compilation error"
	case 3008:
		return "configuration error"
	case 3009:
		return "other error"
	case 3012:
		return "web resource failure"
	}
	return "error event"
}

// runtimeWebEvents are the web events of an error while the page ran.
var runtimeWebEvents = []int{3001, 3002, 3003, 3004, 3005, 3009, 3010, 3011, 3012}

// exceptionText is the page's exception as "Type: message".
func exceptionText(p *diagnose.Page) string {
	typ, msg := p.ExceptionType, p.Message
	if typ == "" {
		typ = p.RootType
	}
	if msg == "" {
		msg = p.RootMessage
	}
	return strings.TrimPrefix(typ+": "+msg, ": ")
}

var reStartupStack = regexp.MustCompile(`HttpApplicationFactory|FirstRequestInit|EnsureAppStartCalled|InitializeApplication|OwinStartup|HttpRuntime\.HostingInit|BuildManager\.CompileGlobalAsax|CompileGlobalAsax`)

// startupFailure returns why the application could not start, or "".
func startupFailure(s *diagnose.Subject) string {
	t := s.Trace
	for _, e := range t.Errors {
		if e.Module == "AspNetInitializationExceptionModule" {
			return "ASP.NET could not initialise the application (AspNetInitializationExceptionModule)"
		}
	}
	if sub, ok := ancmStatus(s); ok {
		return sub
	}
	p := s.Page
	if _, ok := webEvent(s, 3008); ok {
		return "ASP.NET configuration error (web event 3008)"
	}
	if p == nil || p.Kind != diagnose.PageASPNET {
		return ""
	}
	switch {
	case p.ConfigurationError:
		return "ASP.NET configuration error"
	case p.ParserMessage != "" && strings.Contains(strings.ToLower(p.SourceFile+p.ParserMessage), "global.asax"):
		return "Global.asax parser error"
	case reStartupStack.MatchString(p.Stack) || strings.Contains(p.Message, "OwinStartup"):
		return "the application failed in its start-up code"
	}
	return ""
}

// ancmStatuses are the start-up failures the ASP.NET Core Module reports.
var ancmStatuses = map[string]string{
	"502.5":  "the ASP.NET Core process failed to start (out-of-process, 502.5)",
	"500.30": "the ASP.NET Core app failed to start in-process (500.30)",
	"500.31": "ANCM failed to find the .NET runtime or a native dependency (500.31)",
	"500.32": "ANCM failed to load the app's dll: bitness mismatch between the pool and the app (500.32)",
	"500.33": "ANCM failed to load the request handler (500.33)",
	"500.34": "mixed hosting models in one app pool (500.34)",
	"500.35": "more than one in-process app in the same app pool (500.35)",
	"500.36": "the out-of-process handler failed to load (500.36)",
	"500.37": "the app did not start within startupTimeLimit (500.37)",
	"500.38": "the app's dll was not found (500.38)",
}

func ancmStatus(s *diagnose.Subject) (string, bool) {
	d, ok := ancmStatuses[s.Status()]
	if !ok && s.Page != nil && s.Page.Kind == diagnose.PageANCM {
		return s.Page.Heading, true
	}
	return d, ok
}

// compileFailure returns what failed to compile, or "".
func compileFailure(s *diagnose.Subject) string {
	if startupFailure(s) != "" {
		return ""
	}
	p := s.Page
	if p != nil && p.Kind == diagnose.PageASPNET {
		switch {
		case p.CompilerMessage != "":
			return "compilation error"
		case strings.EqualFold(p.Title, "Compilation Error"):
			return "compilation error"
		case p.ParserMessage != "":
			return "parser error"
		}
	}
	if _, ok := webEvent(s, 3007); ok {
		return "compilation error"
	}
	if _, ok := webEvent(s, 3006); ok {
		return "parser error"
	}
	if len(s.Trace.CompileFailures) > 0 && s.Trace.StatusCode >= 500 {
		return "compilation error"
	}
	return ""
}

// appException says what the application threw or printed, with its
// evidence, or ok false. It is the core of application-error.
func appException(s *diagnose.Subject) (summary string, ev []diagnose.Evidence, ok bool) {
	if startupFailure(s) != "" || compileFailure(s) != "" || wcfFailure(s) {
		return "", nil, false
	}
	t, p := s.Trace, s.Page
	if p != nil && p.Kind == diagnose.PageASPNET && (p.ExceptionType != "" || p.RootType != "") {
		if t.StatusCode == 404 {
			return "", nil, false // not-found explains a 404 HttpException
		}
		exc := s.RevealText(exceptionText(p))
		ev = append(ev, diagnose.Evidence{Where: diagnose.InEvent, Name: "exception (error page)", Value: exc})
		if p.RootType != "" && p.ExceptionType != "" && !strings.HasSuffix(p.ExceptionType, p.RootType) {
			ev = append(ev, diagnose.Evidence{Where: diagnose.InEvent, Name: "root cause", Value: s.RevealText(p.RootType + ": " + p.RootMessage)})
		}
		ev = append(ev, pageSourceEvidence(s)...)
		summary = exc
		if kind := exceptionKind(p); kind != "" {
			summary = kind + ": " + exc
		}
		if t.StatusCode < 400 {
			summary += " (after the response headers were sent, so the client got status " + t.Status() + ")"
		}
		return summary, ev, true
	}
	if p != nil && p.Kind == diagnose.PageASPNET && (p.Heading == "Runtime Error" || p.Title == "Runtime Error") && t.StatusCode >= 500 {
		// customErrors mode="RemoteOnly" (the default) hides the
		// exception from remote clients; ASP.NET still logs it.
		ev = append(ev, diagnose.Evidence{Where: diagnose.InEvent, Name: "error page", Value: "Runtime Error (details hidden by customErrors)"})
		if code, ok := webEvent(s, runtimeWebEvents...); ok {
			ev = append(ev, webEventEvidence(code, s))
		}
		return "an unhandled exception whose details customErrors hides from this client: read event 1309 (ASP.NET) in the Application log, or browse the URL on the server", ev, true
	}
	for _, w := range t.ModuleWarnings {
		if msg, where, ok := diagnose.ParsePHPError(w.Data2); ok {
			ev = append(ev, diagnose.Evidence{Where: diagnose.InEvent, Name: "MODULE_WARNING " + w.Module + " " + w.Data1, Value: s.RevealText(msg)},
				diagnose.Evidence{Where: diagnose.InEvent, Name: "script", Value: where})
			return s.RevealText(msg) + " (" + where + ")", ev, true
		}
	}
	if p != nil && (p.Kind == diagnose.PagePHP || p.Kind == diagnose.PageClassicASP) {
		ev = append(ev, diagnose.Evidence{Where: diagnose.InEvent, Name: string(p.Kind), Value: s.RevealText(p.ScriptError)},
			diagnose.Evidence{Where: diagnose.InEvent, Name: "script", Value: p.Script})
		return s.RevealText(p.ScriptError) + " (" + p.Script + ")", ev, true
	}
	if p != nil && p.Kind == diagnose.PageIISNode && (strings.Contains(p.NodeOutput, "uncaught exception") || p.Frame != "") {
		ev = append(ev, diagnose.Evidence{Where: diagnose.InEvent, Name: "iisnode error page", Value: s.RevealText(p.NodeOutput)})
		if p.NodeStatus != "" {
			ev = append(ev, diagnose.Evidence{Where: diagnose.InEvent, Name: "iisnode status", Value: p.NodeStatus + " (HRESULT " + p.NodeHRESULT + ")"})
		}
		if p.Frame != "" {
			ev = append(ev, diagnose.Evidence{Where: diagnose.InEvent, Name: "first application frame", Value: p.Frame})
		}
		summary = "node.exe failed: " + s.RevealText(p.NodeOutput)
		if t.StatusCode < 400 {
			summary += " (iisnode sent its error page with status " + t.Status() + ")"
		}
		return summary, ev, true
	}
	// A Classic ASP page that answered 500 with its own text: the script
	// handled the error and set the status. IIS's own error page (asp.dll
	// failing to load, an ErrorCode) is not the script's doing.
	if classicASP(s) && t.StatusCode >= 500 && p != nil && p.Kind == diagnose.PageOther && p.FirstLine != "" &&
		(t.ErrorStatus == nil || t.ErrorStatus.ErrorCode == 0) {
		ev = append(ev, diagnose.Evidence{Where: diagnose.InEvent, Name: "page (Classic ASP)", Value: s.RevealText(p.Lines)})
		return "the ASP script failed and answered " + t.Status() + ": " + s.RevealText(p.Lines), ev, true
	}
	if code, ok := webEvent(s, runtimeWebEvents...); ok {
		ev = append(ev, webEventEvidence(code, s))
		return fmt.Sprintf("ASP.NET raised web event %d (%s); the error page is not in the trace", code, webEventName(code)), ev, true
	}
	return "", nil, false
}

// shortText is the readable start of a page: its title and first lines.
func shortText(p *diagnose.Page) string {
	if p.Heading != "" {
		return p.Heading
	}
	return p.FirstLine
}

// pageSourceEvidence is the source file, line and first application
// frame an ASP.NET page names.
func pageSourceEvidence(s *diagnose.Subject) []diagnose.Evidence {
	p := s.Page
	var ev []diagnose.Evidence
	if p.SourceFile != "" {
		ev = append(ev, diagnose.Evidence{Where: diagnose.InEvent, Name: "source file", Value: fmt.Sprintf("%s, line %d", p.SourceFile, p.Line)})
	}
	if p.Frame != "" {
		ev = append(ev, diagnose.Evidence{Where: diagnose.InEvent, Name: "first application frame", Value: s.RevealText(p.Frame)})
	}
	for _, w := range s.Trace.WebEvents {
		ev = append(ev, webEventEvidence(w.Code, s))
		break
	}
	return ev
}

// wcfFailure reports a WCF service that could not be activated or failed
// in the service host: handler-error names it.
func wcfFailure(s *diagnose.Subject) bool {
	p := s.Page
	return p != nil && (strings.Contains(p.ExceptionType+p.RootType, "ServiceActivationException") ||
		strings.HasPrefix(p.ExceptionType, "System.ServiceModel."))
}

var (
	reAssembly = regexp.MustCompile(`Could not load file or assembly '([^,']+)(?:, Version=([^,']+))?[^']*'`)
	reDBError  = regexp.MustCompile(`(?i)Login failed for user|Cannot open database|Invalid object name|Invalid column name|Timeout expired|Execution Timeout Expired|A network-related or instance-specific error|Keyword not supported|SqlException|DbException|EntityException|OracleException|MySqlException|The underlying provider failed`)
)

// exceptionKind names the kind of failure an exception shows, when it is
// one admins recognise.
func exceptionKind(p *diagnose.Page) string {
	text := exceptionText(p) + " " + p.RootType + " " + p.RootMessage
	switch {
	case reDBError.MatchString(text):
		return "database error"
	case reAssembly.MatchString(text):
		m := reAssembly.FindStringSubmatch(text)
		v := ""
		if m[2] != "" {
			v = " " + m[2]
		}
		return "assembly binding failure (" + m[1] + v + ")"
	case strings.Contains(text, "NullReferenceException"):
		return "null reference"
	case strings.Contains(text, "The view '") && strings.Contains(text, "was not found"):
		return "MVC view not found"
	case strings.Contains(text, "Server cannot append header after HTTP headers have been sent") || strings.Contains(text, "Server cannot set status after HTTP headers have been sent"):
		return "response already sent"
	case strings.Contains(text, "HttpRequestValidationException") || strings.Contains(text, "A potentially dangerous Request"):
		return "request validation"
	case strings.Contains(text, "Maximum request length exceeded"):
		return "upload over maxRequestLength"
	case strings.Contains(text, "Request timed out"):
		return "request time-out (executionTimeout)"
	}
	return ""
}
