package freb

import (
	"strconv"
	"strings"
)

// MaxBody is how much of the response body a Trace keeps in Body. Error
// pages (ASP.NET's, IIS's, iisnode's) put what matters in their first few
// kilobytes; IIS itself cuts each traced buffer at about 8 KB.
const MaxBody = 64 << 10

// iisBufferCut is the suffix IIS writes on a GENERAL_RESPONSE_ENTITY_BUFFER
// it cut at its per-event limit.
const iisBufferCut = "TRUNCATED..."

// Handler is what the last HANDLER_CHANGED event says: the handler mapping
// that served the request.
type Handler struct {
	Name            string `json:"name"`
	Modules         string `json:"modules,omitempty"`
	ScriptProcessor string `json:"scriptProcessor,omitempty"`
	Type            string `json:"type,omitempty"`
}

// ModuleWarning is a MODULE_WARNING event. FastCGI writes the application's
// stderr there (Data1 FASTCGI_RESPONSE_ERROR, Data2 the text); WebDAV
// writes "WebDAV Disabled" when it refuses a verb.
type ModuleWarning struct {
	Event     int    `json:"event"`
	Module    string `json:"module"`
	Data1     string `json:"data1,omitempty"`
	Data2     string `json:"data2,omitempty"`
	ErrorCode uint32 `json:"errorCode,omitempty"`
}

// WebEvent is an ASP.NET health-monitoring event raised during the request
// (AspNetWebEventRaiseStart): 3005 unhandled exception, 3007 compilation
// error, and so on.
type WebEvent struct {
	Event int    `json:"event"`
	Type  string `json:"type"`
	Code  int    `json:"code"`
	// Detail is the web event detail code (Data3).
	Detail int `json:"detail,omitempty"`
}

// RewriteAbort is a URL Rewrite rule that aborted the request (the client
// sees the connection closed, IIS logs 200 with 0 bytes).
type RewriteAbort struct {
	Event int `json:"event"`
	// FromCache is set for ABORT_REQUEST_FROM_CACHE_ACTION: the decision
	// came from the rewrite cache, so the trace does not name the rule.
	FromCache bool   `json:"fromCache,omitempty"`
	Rule      string `json:"rule,omitempty"`
	Pattern   string `json:"pattern,omitempty"`
}

// Child is a child request (GENERAL_CHILD_REQUEST_START/END): a default
// document, a server-side include or a rewrite executed inside the
// request. A child can fail while the parent still answers 200.
type Child struct {
	URL           string `json:"url"`
	Verb          string `json:"verb,omitempty"`
	HTTPStatus    int    `json:"httpStatus"`
	HTTPSubStatus int    `json:"httpSubStatus,omitempty"`
	BytesSent     int64  `json:"bytesSent,omitempty"`
	Ended         bool   `json:"ended"`
}

// ResponseFile is a file the static file handler sent
// (GENERAL_RESPONSE_ENTITY_FILE): its size tells a cut download from a
// complete one.
type ResponseFile struct {
	Name string `json:"name"`
	Size int64  `json:"size"`
}

// views derives the diagnosis views that are not about headers or the
// error status: the response body, the handler, module warnings, ASP.NET
// web events, rewrite aborts and child requests.
func (b *builder) views(ev *Event) {
	t := b.t
	switch ev.Name {
	case "GENERAL_RESPONSE_ENTITY_BUFFER":
		b.body(ev.Get("Buffer"))
	case "HANDLER_CHANGED":
		t.Handler = &Handler{Name: ev.Get("NewHandlerName"), Modules: ev.Get("NewHandlerModules"),
			ScriptProcessor: ev.Get("NewHandlerScriptProcessor"), Type: ev.Get("NewHandlerType")}
	case "MODULE_WARNING":
		t.ModuleWarnings = append(t.ModuleWarnings, ModuleWarning{Event: ev.Index, Module: ev.Get("ModuleName"),
			Data1: strings.TrimSpace(ev.Get("Data1")), Data2: strings.TrimSpace(ev.Get("Data2")), ErrorCode: parseCode(ev.Get("ErrorCode"))})
	case "AspNetWebEventRaiseStart":
		code, _ := strconv.Atoi(strings.TrimSpace(ev.Get("Data2")))
		detail, _ := strconv.Atoi(strings.TrimSpace(ev.Get("Data3")))
		t.WebEvents = append(t.WebEvents, WebEvent{Event: ev.Index, Type: ev.Get("Data1"), Code: code, Detail: detail})
	case "AspNetCompileLeave":
		if strings.EqualFold(strings.TrimSpace(ev.Get("Data2")), "failure") {
			t.CompileFailures = append(t.CompileFailures, ev.Get("Data1"))
		}
	case "RULE_EVALUATION_START":
		b.rule, b.pattern = ev.Get("RuleName"), ""
	case "PATTERN_MATCH":
		if strings.EqualFold(ev.Get("Matched"), "true") {
			b.pattern = ev.Get("Pattern")
		}
	case "ABORT_REQUEST_ACTION", "ABORT_REQUEST_FROM_CACHE_ACTION":
		a := &RewriteAbort{Event: ev.Index, FromCache: ev.Name == "ABORT_REQUEST_FROM_CACHE_ACTION"}
		if !a.FromCache {
			a.Rule, a.Pattern = b.rule, b.pattern
		}
		t.RewriteAbort = a
	case "GENERAL_CHILD_REQUEST_START":
		t.Children = append(t.Children, Child{URL: ev.Get("RequestURL"), Verb: ev.Get("RequestVerb")})
	case "GENERAL_CHILD_REQUEST_END":
		if n := len(t.Children); n > 0 && !t.Children[n-1].Ended {
			c := &t.Children[n-1]
			c.Ended, c.HTTPStatus, c.HTTPSubStatus = true, atoi(ev.Get("HttpStatus")), atoi(ev.Get("HttpSubStatus"))
			c.BytesSent = int64(atoi(ev.Get("BytesSent")))
		} else {
			t.Children = append(t.Children, Child{Ended: true, HTTPStatus: atoi(ev.Get("HttpStatus")),
				HTTPSubStatus: atoi(ev.Get("HttpSubStatus")), BytesSent: int64(atoi(ev.Get("BytesSent")))})
		}
	case "GENERAL_SEND_CUSTOM_ERROR":
		t.CustomError = ev.Get("FileNameOrURL")
		if t.CustomError == "" {
			t.CustomError = "(IIS error page)"
		}
	case "GENERAL_RESPONSE_ENTITY_FILE":
		size, _ := strconv.ParseInt(strings.TrimSpace(ev.Get("Size")), 10, 64)
		t.ResponseFile = &ResponseFile{Name: ev.Get("FileName"), Size: size}
	case "FILE_CACHE_ACCESS_START":
		b.lastFile = ev.Get("FileName")
	case "FILE_CACHE_ACCESS_END":
		if parseCode(ev.Get("ErrorCode")) != 0 && b.lastFile != "" {
			t.MissingFiles = append(t.MissingFiles, b.lastFile)
		}
	}
}

// body appends one traced buffer to Body. Chunked responses are traced as
// separate buffers for the chunk sizes and the CR LFs between chunks;
// those are dropped so that text split across chunks reads whole.
func (b *builder) body(buf string) {
	t := b.t
	if isChunkFraming(buf) {
		return
	}
	if strings.HasSuffix(buf, iisBufferCut) {
		buf = strings.TrimSuffix(buf, iisBufferCut)
		t.BodyCut = true
	}
	if room := MaxBody - len(t.Body); len(buf) > room {
		buf = buf[:max(room, 0)]
		t.BodyCut = true
	}
	t.Body += buf
}

// isChunkFraming reports whether a buffer is only chunked-encoding framing:
// "1a3\r\n", "\r\n", or the last chunk "0\r\n\r\n".
func isChunkFraming(buf string) bool {
	s := strings.TrimRight(buf, "\r\n")
	if s == "" {
		return buf != ""
	}
	if len(s) > 8 || len(buf)-len(s) < 2 {
		return false
	}
	for _, c := range s {
		if !strings.ContainsRune("0123456789abcdefABCDEF", c) {
			return false
		}
	}
	return true
}

// activityEnds maps the event that closes an activity to the one that
// opened it, for the pairs whose names do not follow START/END or
// Enter/Leave.
var activityEnds = map[string]string{
	"FASTCGI_END":                "FASTCGI_WAITING_FOR_RESPONSE",
	"FASTCGI_RESPONSE_WRITTEN":   "FASTCGI_WAITING_FOR_RESPONSE",
	"ARR_RESPONSE_HEADERS_START": "ARR_REQUEST_HEADERS_START",
}

// pointEvents look like the start of an activity but have no end event.
var pointEvents = map[string]bool{
	"AspNetAppDomainEnter": true,
}

// activityStarts are events that open an activity without a START/Enter
// name.
var activityStarts = map[string]bool{
	"FASTCGI_WAITING_FOR_RESPONSE": true,
}

// track keeps the open notifications and activities, so a gap can be
// named by what ran during it rather than by the event before it.
func (b *builder) track(ev *Event) {
	switch ev.Name {
	case "NOTIFY_MODULE_START":
		if len(b.modules) < 64 {
			b.modules = append(b.modules, ev.Get("ModuleName"))
		}
		return
	case "NOTIFY_MODULE_END":
		b.modules = popLast(b.modules, ev.Get("ModuleName"))
		return
	case "GENERAL_REQUEST_START", "GENERAL_REQUEST_END":
		b.open = b.open[:0]
		return
	}
	if opener, ok := activityEnds[ev.Name]; ok {
		b.open = popLast(b.open, opener)
	}
	name := ev.Name
	switch {
	case pointEvents[name]:
	case activityStarts[name]:
		b.open = append(b.open, name)
	case strings.HasSuffix(name, "_START") && !strings.HasPrefix(name, "PRE_BEGIN"):
		b.open = append(b.open, name)
	case strings.HasSuffix(name, "Enter"):
		b.open = append(b.open, name)
	case strings.HasSuffix(name, "_END"):
		b.open = popLast(b.open, strings.TrimSuffix(name, "_END")+"_START")
	case strings.HasSuffix(name, "Leave"):
		b.open = popLast(b.open, strings.TrimSuffix(name, "Leave")+"Enter")
	}
	// An unbalanced trace (cut, or events IIS never closes) must not grow
	// the stack without bound.
	if len(b.open) > 64 {
		b.open = b.open[len(b.open)-64:]
	}
}

// popLast removes the innermost occurrence of name and everything opened
// after it; a stack without it is returned unchanged.
func popLast(stack []string, name string) []string {
	for i := len(stack) - 1; i >= 0; i-- {
		if stack[i] == name {
			return stack[:i]
		}
	}
	return stack
}
