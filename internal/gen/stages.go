package gen

import (
	"strconv"
	"strings"

	"github.com/frebscan/frebscan/internal/auth"
)

func (p *pipeline) authenticate() {
	if p.failed {
		return
	}
	a := p.s.Auth
	modules := []string{"IsapiFilterModule"}
	bodies := map[string]func(){}
	quiet := func(kind int) func() {
		return func() {
			if !p.user {
				p.emit("AUTH_START", fi("AuthTypeSupported", int64(kind)))
				p.emit("AUTH_END")
			}
		}
	}
	if a.Basic {
		modules = append(modules, "BasicAuthenticationModule")
		bodies["BasicAuthenticationModule"] = quiet(authBasic)
	}
	if a.Windows {
		modules = append(modules, "WindowsAuthenticationModule")
		bodies["WindowsAuthenticationModule"] = p.windowsAuth
	}
	modules = append(modules, "CertificateMappingAuthenticationModule", "IISCertificateMappingAuthenticationModule")
	bodies["CertificateMappingAuthenticationModule"] = quiet(authMapCliCert)
	bodies["IISCertificateMappingAuthenticationModule"] = quiet(authMapCliCert)
	if a.Anonymous {
		modules = append(modules, "AnonymousAuthenticationModule")
		bodies["AnonymousAuthenticationModule"] = p.anonymousAuth
	}
	p.stage(AuthenticateRequest, modules, bodies)
	if !p.failed {
		p.notify("IsapiFilterModule", AuthenticateRequest, true, func() {
			p.emit("FILTER_AUTH_COMPLETE_START")
			p.emit("FILTER_AUTH_COMPLETE_END")
		})
	}
}

// windowsCredentials reports whether the request carries a token the
// Windows authentication module handles.
func (p *pipeline) windowsCredentials() bool {
	c := auth.Parse(p.s.RequestHeaders.Value("Authorization"))
	switch strings.ToLower(c.Scheme) {
	case "ntlm", "negotiate", "kerberos":
		return true
	}
	return false
}

func (p *pipeline) windowsAuth() {
	a := p.s.Auth
	p.emit("AUTH_START", fi("AuthTypeSupported", authNT))
	if p.windowsCredentials() {
		p.emit("AUTH_REQUEST_AUTH_TYPE", fi("RequestAuthType", authNT))
		if a.Outcome == AuthSucceeded {
			p.emit("AUTH_SUCCEEDED", fi("AuthType", authNT), fb("NTLMUsed", a.NTLMUsed),
				f("RemoteUserName", a.User), f("AuthUserName", a.User), f("TokenImpersonationLevel", "2"))
			p.emit("USER_SET", f("AuthType", a.Package), f("UserName", a.User), fb("SupportsIsInRole", false))
			p.user = true
		}
	}
	p.emit("AUTH_END")
}

func (p *pipeline) anonymousAuth() {
	if p.user {
		return
	}
	p.emit("AUTH_START", fi("AuthTypeSupported", authAnonymous))
	if !p.windowsCredentials() {
		p.emit("AUTH_REQUEST_AUTH_TYPE", fi("RequestAuthType", authAnonymous))
		p.emit("AUTH_SUCCEEDED", fi("AuthType", authNT), fb("NTLMUsed", false), f("RemoteUserName", ""),
			f("AuthUserName", ""), f("TokenImpersonationLevel", "2"))
		p.emit("USER_SET", f("AuthType", ""), f("UserName", ""), fb("SupportsIsInRole", true))
		p.user = true
	}
	p.emit("AUTH_END")
}

func (p *pipeline) execute() {
	if p.failed {
		return
	}
	if e := p.s.Error; e != nil && e.Notification == ExecuteRequestHandler && e.Module == "IIS Web Core" {
		p.moduleError(e.Module, ExecuteRequestHandler)
		return
	}
	module, _, _ := strings.Cut(p.handler.Modules, ",")
	p.notify(module, ExecuteRequestHandler, false, func() {
		p.extras(p.s.HandlerEvents)
		switch {
		case module == "ApplicationRequestRouting":
			p.arrExecute()
		case module == "StaticFileModule":
			p.staticFile()
		case p.managed():
			p.managedHandler()
		default:
			p.readBody()
			p.handlerWait()
		}
		p.handlerHeaders()
	})
}

// handlerHeaders writes the response headers set by the handler (or by
// any module that does not set them in SEND_RESPONSE), once.
func (p *pipeline) handlerHeaders() {
	if p.handlerHeadersDone {
		return
	}
	p.handlerHeadersDone = true
	for _, h := range p.s.SetResponseHeaders {
		if !sendResponseModules[h.Module] {
			p.setResponseHeader(h)
		}
	}
}

func (p *pipeline) readBody() {
	body := p.s.RequestBody
	if body == "" && p.s.ReadError != 0 {
		p.emit("GENERAL_READ_ENTITY_START")
		p.handlerWait()
		p.emit("GENERAL_READ_ENTITY_END", fi("BytesReceived", 0), fcode("ErrorCode", p.s.ReadError))
		return
	}
	for _, chunk := range chunks(body, 49152) {
		p.emit("GENERAL_READ_ENTITY_START")
		p.emit("GENERAL_READ_ENTITY_END", fi("BytesReceived", int64(len(chunk))), fcode("ErrorCode", 0))
		p.emit("GENERAL_REQUEST_ENTITY", f("Buffer", chunk))
	}
}

func chunks(s string, size int) []string {
	var out []string
	for len(s) > size {
		out = append(out, s[:size])
		s = s[size:]
	}
	if s != "" {
		out = append(out, s)
	}
	return out
}

func (p *pipeline) staticFile() {
	if e := p.s.Error; e != nil && e.Module == "StaticFileModule" {
		p.handlerWait()
		return
	}
	file := `C:\inetpub\wwwroot` + strings.ReplaceAll(pathOf(p.s.URL), "/", `\`)
	p.emit("FILE_CACHE_ACCESS_START", f("FileName", file), f("UserName", "IUSR"), f("DomainName", "NT AUTHORITY"))
	p.emit("FILE_CACHE_ACCESS_END", fb("Successful", true), fb("FileFromCache", true), fb("FileAddedToCache", false),
		fb("FileDirmoned", true), fb("LastModCheckErrorIgnored", false), fcode("ErrorCode", 0),
		f("LastModifiedTime", p.s.Start.AddDate(0, -2, -3).UTC().Format("Mon, 02 Jan 2006 15:04:05 GMT")))
	p.emit("GENERAL_STATIC_FILE_HANDLER", f("FileName", strings.ToUpper(file)))
	p.handlerWait()
}

func (p *pipeline) managedHandler() {
	p.emit("AspNetMapHandlerEnter")
	p.emit("AspNetMapHandlerLeave")
	p.emit("AspNetHttpHandlerEnter")
	p.readBody()
	for i := 0; i < p.s.Padding; i++ {
		m := managedModules[i%len(managedModules)]
		p.emit("AspNetPipelineEnter", f("Data1", m))
		p.emit("AspNetPipelineLeave", f("Data1", m))
	}
	p.handlerWait()
	p.emit("AspNetHttpHandlerLeave")
	p.emit("AspNetEndHandler")
}

var managedModules = []string{
	"System.Web.Security.WindowsAuthenticationModule",
	"System.Web.Security.DefaultAuthenticationModule",
	"System.Web.Security.UrlAuthorizationModule",
	"System.Web.Caching.OutputCacheModule",
	"System.Web.Routing.UrlRoutingModule",
	"System.Web.SessionState.SessionStateModule",
	"Microsoft.Exchange.HttpProxy.ProxyModule",
	"Microsoft.Exchange.Services.Core.EWSSettingsModule",
}

func (p *pipeline) arrExecute() {
	a := p.s.ARR
	if a.NoServer {
		p.handlerWait()
		return
	}
	p.emit("ARR_REQUEST_HEADERS_START")
	p.readBody()
	p.handlerWait()
	if a.Code != 0 {
		return // the module error follows (ModuleError with the WinHTTP code)
	}
	p.emit("ARR_REQUEST_HEADERS_END")
	p.emit("ARR_RESPONSE_HEADERS_START")
	p.emit("ARR_RESPONSE_HEADERS_END")
	p.handlerHeaders()
	p.emit("ARR_RESPONSE_ENTITY_START")
	p.emit("ARR_RESPONSE_ENTITY_END", fi("Bytes", int64(len(p.s.ResponseBody))))
}

func (p *pipeline) afterHandler() {
	if !p.failed {
		p.notify("DynamicCompressionModule", ReleaseRequestState, true, nil)
		p.notify("RewriteModule", ReleaseRequestState, true, nil)
		p.notify("HttpCacheModule", UpdateRequestCache, false, func() {
			p.emit("OUTPUT_CACHE_UPDATE_START", f("CachePolicy", "0"), f("TimeToLive", "0"))
			result := "2"
			if p.s.Status.Code >= 400 {
				result = "6"
			}
			p.emit("OUTPUT_CACHE_UPDATE_END", f("Result", result))
		})
	}
	p.notify("CustomLoggingModule", LogRequest, false, nil)
	p.notify("DynamicIpRestrictionModule", EndRequest, false, nil)
	p.notify("WebSocketModule", EndRequest, true, nil)
}

// sendResponseModules set their response headers during SEND_RESPONSE.
var sendResponseModules = map[string]bool{
	"WindowsAuthenticationModule": true,
	"ProtocolSupportModule":       true,
	"BasicAuthenticationModule":   true,
	"CustomErrorModule":           true,
}

func (p *pipeline) sendResponse() {
	p.handlerWait()
	p.handlerHeaders()
	modules := []string{"WindowsAuthenticationModule", "ApplicationInitializationModule", "WebSocketModule", "WebDAVModule",
		"RequestFilteringModule", "ProtocolSupportModule", "HttpCacheModule", "HttpLoggingModule", "BasicAuthenticationModule",
		"IsapiFilterModule", "DynamicCompressionModule", "IsapiModule", "RewriteModule", "CustomErrorModule", "DynamicIpRestrictionModule"}
	for _, m := range modules {
		if (m == "WindowsAuthenticationModule" && !p.s.Auth.Windows) || (m == "BasicAuthenticationModule" && !p.s.Auth.Basic) {
			continue
		}
		p.notify(m, SendResponse, false, func() { p.sendResponseWork(m) })
	}
}

func (p *pipeline) sendResponseWork(module string) {
	for _, h := range p.s.SetResponseHeaders {
		if h.Module == module {
			p.setResponseHeader(h)
		}
	}
	switch module {
	case "ProtocolSupportModule":
		for _, v := range p.s.ResponseHeaders.Values("X-Powered-By") {
			if v == "ASP.NET" {
				p.setResponseHeader(SetHeader{Name: "X-Powered-By", Value: v})
			}
		}
	case "DynamicCompressionModule":
		p.emit("DYNAMIC_COMPRESSION_START")
		reason := "1"
		switch {
		case p.s.Status.Code >= 300:
			reason = "9"
		case p.s.RequestHeaders.Has("Accept-Encoding"):
			reason = "12"
		}
		p.emit("DYNAMIC_COMPRESSION_NOT_SUCCESS", f("Reason", reason))
		p.emit("DYNAMIC_COMPRESSION_END")
	case "CustomErrorModule":
		if p.s.Error != nil && p.customErrorPage {
			p.emit("GENERAL_SEND_CUSTOM_ERROR", fi("HttpStatus", int64(p.s.Status.Code)),
				fi("HttpSubStatus", int64(p.s.Status.Sub)), f("FileNameOrURL", strconv.Itoa(p.s.Status.Code)+".htm"))
			return
		}
		reason := "1"
		if p.s.Status.Code >= 400 {
			reason = "2"
		}
		p.emit("GENERAL_NOT_SEND_CUSTOM_ERROR", f("Reason", reason))
	}
}

func (p *pipeline) flush() {
	s := p.s
	reason := "9"
	switch {
	case s.Error != nil:
		reason = "21"
	case s.Auth.Windows:
		reason = "11"
	case s.Verb != "GET":
		reason = "22"
	}
	p.emit("HTTPSYS_CACHEABLE", fb("HttpsysCacheable", false), f("Reason", reason), f("CachePolicy", "0"), f("TimeToLive", "0"))
	sent := s.BytesSent
	if s.ResponseHeaders != nil || s.FlushError != 0 {
		p.emit("GENERAL_FLUSH_RESPONSE_START")
		if s.ResponseHeaders != nil {
			p.emit("GENERAL_RESPONSE_HEADERS", f("Headers", headerBlock(s.ResponseHeaders)))
			for _, c := range chunks(p.responseBody, 65536) {
				p.emit("GENERAL_RESPONSE_ENTITY_BUFFER", f("Buffer", c))
			}
		}
		flushed := sent
		if s.FlushError != 0 {
			flushed = 0
		}
		p.emit("GENERAL_FLUSH_RESPONSE_END", fi("BytesSent", flushed), fcode("ErrorCode", s.FlushError))
	}
	p.emit("GENERAL_REQUEST_END", fi("BytesSent", sent), fi("BytesReceived", s.BytesReceived),
		fi("HttpStatus", int64(s.Status.Code)), fi("HttpSubStatus", int64(s.Status.Sub)))
}
