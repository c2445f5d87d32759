package gen

import (
	"math/rand"
	"strconv"
	"strings"
	"time"
)

// tick is the Windows timer resolution: IIS timestamps move in steps of
// about 15.6 ms, which is why real traces show long runs of equal times.
const tick = 15625 * time.Microsecond

// pipeline turns a normalized Scenario into events, in the order the IIS
// integrated pipeline raises them, and hands each to the sink at once.
type pipeline struct {
	s       *Scenario
	rng     *rand.Rand
	sink    func(*event)
	elapsed time.Duration
	thread  int
	handler Handler
	current string // handler name in force ("" before the first HANDLER_CHANGED)
	user    bool   // a user has been set (later auth modules stay silent)
	failed  bool   // a module error ended request processing
	errDone bool
	waited  bool
	// slowLeft is the Slow time not spent yet, kept out of handlerWait so
	// the trace still ends at TimeTaken.
	slowLeft time.Duration

	handlerHeadersDone bool
	customErrorPage    bool   // IIS writes its own error page (GENERAL_SEND_CUSTOM_ERROR)
	responseBody       string // what GENERAL_RESPONSE_ENTITY_BUFFER carries
}

func (p *pipeline) emit(name string, data ...field) {
	if !p.waited && p.rng.Intn(40) == 0 && p.elapsed+tick <= p.s.TimeTaken/2 {
		p.elapsed += tick
	}
	at := p.s.Start.Add(p.elapsed).Truncate(time.Millisecond)
	p.sink(&event{name: name, at: at, thread: p.thread, data: data})
}

// wait spends d in the current step; long waits resume on another thread
// as IIS's async completions do.
func (p *pipeline) wait(d time.Duration) {
	if d <= 0 {
		return
	}
	p.elapsed += d
	if d > 500*time.Millisecond {
		p.thread = 1000 + 4*p.rng.Intn(7000)
	}
}

// handlerWait spends whatever TimeTaken has left, once.
func (p *pipeline) handlerWait() {
	if p.waited {
		return
	}
	p.waited = true
	p.wait(p.s.TimeTaken - p.elapsed - p.slowLeft)
}

func f(name, value string) field { return field{name, value} }

func fi(name string, v int64) field { return field{name, strconv.FormatInt(v, 10)} }

func fb(name string, v bool) field { return field{name, strconv.FormatBool(v)} }

func fcode(name string, code uint32) field { return field{name, strconv.FormatUint(uint64(code), 10)} }

// notify wraps body in NOTIFY_MODULE_START/END for one module.
func (p *pipeline) notify(module, notification string, post bool, body func()) {
	n := strconv.FormatUint(uint64(notificationValue[notification]), 10)
	p.emit("NOTIFY_MODULE_START", f("ModuleName", module), f("Notification", n), fb("fIsPostNotification", post))
	failedBefore := p.failed
	if body != nil {
		body()
	}
	if !post {
		p.moduleError(module, notification)
	}
	for _, s := range p.s.Slow {
		if s.Module == module && s.Notification == notification {
			p.wait(s.Duration)
			p.slowLeft -= s.Duration
		}
	}
	status := "0"
	if p.failed && !failedBefore {
		status = "2"
	}
	p.emit("NOTIFY_MODULE_END", f("ModuleName", module), f("Notification", n), fb("fIsPostNotificationEvent", post), f("NotificationStatus", status))
}

// moduleError writes the scenario's error if this module raises it here.
func (p *pipeline) moduleError(module, notification string) {
	e := p.s.Error
	if e == nil || p.errDone || e.Module != module || e.Notification != notification {
		return
	}
	p.errDone = true
	p.failed = true
	n := strconv.FormatUint(uint64(notificationValue[notification]), 10)
	p.emit("MODULE_SET_RESPONSE_ERROR_STATUS",
		f("ModuleName", module), f("Notification", n),
		fi("HttpStatus", int64(e.Status.Code)), f("HttpReason", e.Reason),
		fi("HttpSubStatus", int64(e.Status.Sub)), fcode("ErrorCode", e.Code),
		f("ConfigExceptionInfo", e.ConfigInfo))
	if e.Description != "" {
		p.emit("SET_RESPONSE_ERROR_DESCRIPTION", f("ErrorDescription", e.Description))
	}
}

// stage runs the modules of one request notification, unless an earlier
// error ended request processing. An error raised by a module that is not
// in the list ("IIS Web Core") is written after the modules.
func (p *pipeline) stage(notification string, modules []string, bodies map[string]func()) {
	if p.failed {
		return
	}
	for _, m := range modules {
		p.notify(m, notification, false, bodies[m])
		if p.failed {
			return
		}
	}
	if e := p.s.Error; e != nil && e.Notification == notification {
		p.moduleError(e.Module, notification)
	}
}

func (p *pipeline) run() {
	s := p.s
	p.emit("GENERAL_REQUEST_START",
		fi("SiteId", int64(s.SiteID)), f("AppPoolId", s.AppPool),
		f("ConnId", p.connID()), f("RawConnId", p.connID()),
		f("RequestURL", s.URL), f("RequestVerb", s.Verb))
	p.preBegin()
	p.emit("GENERAL_ENDPOINT_INFORMATION",
		f("RemoteAddress", s.Client.Address), fi("RemotePort", int64(s.Client.Port)),
		f("LocalAddress", s.Local.Address), fi("LocalPort", int64(s.Local.Port)))
	p.emit("GENERAL_REQUEST_HEADERS", f("Headers", headerBlock(s.RequestHeaders)))
	p.emit("URL_CACHE_ACCESS_START", f("RequestURL", pathOf(s.URL)))
	p.emit("URL_CACHE_ACCESS_END", f("PhysicalPath", ""), fb("URLInfoFromCache", false), fb("URLInfoAddedToCache", true), fcode("ErrorCode", 0))
	p.emit("GENERAL_GET_URL_METADATA", f("PhysicalPath", ""), f("AccessPerms", "513"))
	if !p.managed() {
		p.preconditions()
	}
	p.changeHandler(p.handler)
	p.notify("IsapiFilterModule", MapPath, false, nil)
	p.beginRequest()
	p.authenticate()
	p.stage(AuthorizeRequest, []string{"UrlAuthorizationModule"}, nil)
	p.stage(ResolveRequestCache, []string{"HttpCacheModule"}, map[string]func(){
		"HttpCacheModule": func() {
			p.emit("OUTPUT_CACHE_LOOKUP_START")
			p.emit("OUTPUT_CACHE_LOOKUP_END", f("Result", "0"))
		},
	})
	p.mapHandler()
	p.execute()
	p.afterHandler()
	p.sendResponse()
	p.flush()
}

func (p *pipeline) connID() string {
	return strconv.FormatUint(1152921504606846976+uint64(p.s.Seed%977)+1, 10)
}

func (p *pipeline) preBegin() {
	for _, m := range []string{"WebDAVModule", "IsapiFilterModule", "RequestMonitorModule", "FailedRequestsTracingModule", "RewriteModule"} {
		p.emit("PRE_BEGIN_REQUEST_START", f("ModuleName", m))
		if m == "IsapiFilterModule" {
			p.emit("FILTER_PREPROC_HEADERS_START")
			p.emit("FILTER_START", f("FilterName", `C:\Windows\Microsoft.NET\Framework64\v4.0.30319\aspnet_filter.dll`))
			p.emit("GENERAL_SET_REQUEST_HEADER", f("HeaderName", "AspFilterSessionId"), f("HeaderValue", ""), fb("Replace", true))
			p.emit("FILTER_SET_REQ_HEADER", f("HeaderName", "AspFilterSessionId:"), f("HeaderValue", ""))
			p.emit("FILTER_END", f("NotificationStatus", "134217730"))
			p.emit("FILTER_PREPROC_HEADERS_END")
		}
		p.emit("PRE_BEGIN_REQUEST_END", f("ModuleName", m), f("NotificationStatus", "0"))
	}
}

func (p *pipeline) changeHandler(h Handler) {
	p.emit("HANDLER_CHANGED", f("OldHandlerName", p.current), f("NewHandlerName", h.Name),
		f("NewHandlerModules", h.Modules), f("NewHandlerScriptProcessor", h.ScriptProcessor), f("NewHandlerType", h.Type))
	p.current = h.Name
	p.handler = h
}

func (p *pipeline) managed() bool { return p.handler.Modules == "ManagedPipelineHandler" }

func (p *pipeline) beginRequest() {
	bodies := map[string]func(){"RewriteModule": p.rewrite}
	if p.managed() {
		bodies["ProtocolSupportModule"] = func() {
			p.emit("AspNetStart", f("Data1", p.s.Verb), f("Data2", pathOf(p.s.URL)), f("Data3", queryOf(p.s.URL)))
			p.emit("AspNetAppDomainEnter", f("Data1", "/LM/W3SVC/"+strconv.Itoa(p.s.SiteID)+"/ROOT"+appPath(p.s.URL)+"-1-133512345678901234"))
			p.emit("AspNetStartHandler", f("Data1", "System.Web.HttpApplication"), f("Data2", "Start"))
		}
	}
	p.stage(BeginRequest, []string{"HttpCacheModule", "RequestFilteringModule", "WebSocketModule",
		"ApplicationInitializationModule", "ConfigurationValidationModule", "FailedRequestsTracingModule",
		"IpRestrictionModule", "RewriteModule", "ProtocolSupportModule"}, bodies)
}

// rewrite writes URL Rewrite routing the request to an ARR farm, and the
// request headers modules set on the way in when ARR is not involved.
func (p *pipeline) rewrite() {
	p.extras(p.s.BeginEvents)
	a := p.s.ARR
	if a == nil {
		for _, h := range p.s.SetRequestHeaders {
			p.setRequestHeader(h)
		}
		return
	}
	path := pathOf(p.s.URL)
	target := "http://" + a.Server + path
	scope := "1"
	if a.Farm != "" {
		target = "http://" + a.Farm + path
		scope = "0"
	}
	p.emit("URL_REWRITE_START", f("RequestURL", path), f("Scope", scope), f("Type", "0"))
	p.emit("RULE_EVALUATION_START", f("RuleName", a.Rewrite), f("RequestURL", strings.TrimPrefix(path, "/")),
		f("QueryString", queryOf(p.s.URL)), f("PatternSyntax", "1"), fb("StopProcessing", true), f("RelativePath", "/"))
	p.emit("PATTERN_MATCH", f("Pattern", "*"), f("Input", strings.TrimPrefix(path, "/")), fb("Negate", false), fb("Matched", true))
	p.emit("REWRITE_ACTION", f("Substitution", strings.TrimSuffix(target, path)+"/{R:0}"), f("RewriteURL", target),
		fb("AppendQueryString", true), fb("LogRewrittenURL", false))
	p.emit("RULE_EVALUATION_END", f("RuleName", a.Rewrite), f("RequestURL", target), f("QueryString", queryOf(p.s.URL)),
		fb("StopProcessing", true), fb("Succeeded", true))
	p.setRequestHeader(SetHeader{Name: "X-Original-URL", Value: path, Replace: true})
	p.emit("URL_CHANGED", f("OldUrl", path), f("NewUrl", target))
	p.emit("URL_REWRITE_END", f("RequestURL", target))
}

func (p *pipeline) setRequestHeader(h SetHeader) {
	p.emit("GENERAL_SET_REQUEST_HEADER", f("HeaderName", h.Name), f("HeaderValue", h.Value), fb("Replace", h.Replace))
}

func (p *pipeline) setResponseHeader(h SetHeader) {
	p.emit("GENERAL_SET_RESPONSE_HEADER", f("HeaderName", h.Name), f("HeaderValue", h.Value), fb("Replace", h.Replace))
}

func (p *pipeline) mapHandler() {
	modules := []string{"StaticCompressionModule", "HttpRedirectionModule", "WebDAVModule"}
	bodies := map[string]func(){}
	if a := p.s.ARR; a != nil {
		modules = append([]string{"ApplicationRequestRouting"}, modules...)
		bodies["ApplicationRequestRouting"] = p.arrRoute
	}
	p.stage(MapRequestHandler, modules, bodies)
	if p.managed() && !p.failed {
		p.stage(RequestAcquireState, []string{"ManagedPipelineHandler"}, map[string]func(){
			"ManagedPipelineHandler": func() {
				p.emit("AspNetPipelineEnter", f("Data1", "System.Web.SessionState.SessionStateModule"))
				p.emit("AspNetSessionDataBegin")
				p.emit("AspNetSessionDataEnd")
				p.emit("AspNetPipelineLeave", f("Data1", "System.Web.SessionState.SessionStateModule"))
			},
		})
	}
}

func (p *pipeline) arrRoute() {
	a := p.s.ARR
	switch {
	case a.NoServer:
	case a.Farm == "":
		p.emit("ARR_WEBFARM_NOT_ROUTED", f("HostName", a.Server))
	default:
		p.emit("ARR_SERVER_ROUTED", f("RoutingReason", "LoadBalancing"), f("Server", a.Server), f("State", "Active"),
			fi("TotalRequests", int64(100+p.rng.Intn(90000))), fi("FailedRequests", int64(p.rng.Intn(40))),
			fi("CurrentRequests", int64(1+p.rng.Intn(30))), fi("BytesSent", int64(p.rng.Intn(1<<30))),
			fi("BytesReceived", int64(p.rng.Intn(1<<30))), fi("ResponseTime", int64(5+p.rng.Intn(400))))
	}
	p.changeHandler(Handler{Name: "ApplicationRequestRoutingHandler", Modules: "ApplicationRequestRouting"})
	if a.NoServer {
		return
	}
	xff := p.s.Client.Address
	if strings.Contains(xff, ":") {
		xff = "[" + xff + "]"
	}
	for _, h := range []SetHeader{
		{Name: "Max-Forwards", Value: "10", Replace: true},
		{Name: "Host", Value: a.Server, Replace: true},
		{Name: "X-Forwarded-For", Value: xff + ":" + strconv.Itoa(p.s.Client.Port), Replace: true},
		{Name: "X-ARR-SSL", Value: a.SSL, Replace: true},
		{Name: "X-ARR-ClientCert", Value: "", Replace: true},
		{Name: "X-ARR-LOG-ID", Value: a.LogID, Replace: true},
		{Name: "Connection", Value: "", Replace: true},
	} {
		p.setRequestHeader(h)
	}
	for _, h := range p.s.SetRequestHeaders {
		p.setRequestHeader(h)
	}
	path := pathOf(p.s.URL)
	p.emit("URL_CHANGED", f("OldUrl", "http://"+firstNonEmpty(a.Farm, a.Server)+path), f("NewUrl", path))
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// preconditions pads non-managed requests the way real traces are padded:
// one HANDLER_PRECONDITION_NOT_MATCH per handler mapping that does not
// apply to this application pool.
func (p *pipeline) preconditions() {
	for i := 0; i < p.s.Padding; i++ {
		h := precondHandlers[i%len(precondHandlers)]
		bits := []string{"bitness64", "bitness32"}[i/len(precondHandlers)%2]
		p.emit("HANDLER_PRECONDITION_NOT_MATCH", f("Name", h+"-ISAPI-4.0_"+bits[len(bits)-2:]+"bit"),
			f("Precondition", "classicMode,runtimeVersionv4.0,"+bits))
	}
}

var precondHandlers = []string{"AXD", "PageHandlerFactory", "SimpleHandlerFactory", "WebServiceHandlerFactory",
	"HttpRemotingHandlerFactory-rem", "HttpRemotingHandlerFactory-soap", "aspq", "cshtm", "cshtml", "vbhtm", "vbhtml",
	"ExtensionlessUrlHandler"}

// extras writes a scenario's own events, spending each one's wait first.
func (p *pipeline) extras(evs []Extra) {
	for _, e := range evs {
		p.wait(e.Wait)
		data := make([]field, len(e.Data))
		for i, d := range e.Data {
			data[i] = f(d[0], d[1])
		}
		p.emit(e.Name, data...)
	}
}
