package gen

import (
	"strings"
	"time"

	"github.com/frebscan/frebscan/internal/headers"
)

// The samples below are application failures on an intranet web site (no
// load balancer): what most real FREB folders hold. Their bodies follow
// the structure ASP.NET, IIS, PHP and iisnode write.

const browserUA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36"

func intranet(seed int64, ms int, verb, url string) Scenario {
	s := exchangeRequest{seed: seed, at: at(ms), lb: direct, client: Endpoint{"10.20.30." + itoa(int(seed%200)), 50000 + int(seed%1000)},
		verb: verb, url: url, ua: browserUA, server: "WEB01"}.scenario()
	s.AppPool = "ShopAppPool"
	s.Auth = &Auth{Anonymous: true}
	s.User = nil
	s.Computer = "WEB01"
	return s
}

func htmlResponse(extra ...headers.Header) headers.List {
	h := headers.List{{Name: "Cache-Control", Value: "private"}, {Name: "Content-Type", Value: "text/html; charset=utf-8"},
		{Name: "Server", Value: "Microsoft-IIS/10.0"}, {Name: "X-AspNet-Version", Value: "4.0.30319"}, {Name: "X-Powered-By", Value: "ASP.NET"}}
	return append(h, extra...)
}

// ysod is ASP.NET's error page for an unhandled exception, shortened but
// with the markup of the real one (entities, the trailing comment).
func ysod(typ, msg, file string, line int, frames ...string) string {
	short := typ[strings.LastIndex(typ, ".")+1:]
	esc := htmlEscape(msg)
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\r\n<html>\r\n    <head>\r\n        <title>" + esc + "</title>\r\n    </head>\r\n    <body bgcolor=\"white\">\r\n")
	b.WriteString("            <span><H1>Server Error in '/' Application.<hr width=100% size=1 color=silver></H1>\r\n\r\n")
	b.WriteString("            <h2> <i>" + esc + "</i> </h2></span>\r\n\r\n")
	b.WriteString("            <b> Description: </b>An unhandled exception occurred during the execution of the current web request. Please review the stack trace for more information about the error and where it originated in the code.\r\n\r\n            <br><br>\r\n\r\n")
	b.WriteString("            <b> Exception Details: </b>" + typ + ": " + esc + "<br><br>\r\n\r\n")
	if file != "" {
		b.WriteString("            <b> Source File: </b> " + file + "<b> &nbsp;&nbsp; Line: </b> " + itoa(line) + "\r\n            <br><br>\r\n\r\n")
	}
	b.WriteString("            <b>Stack Trace:</b> <br><br>\r\n\r\n            <table width=100% bgcolor=\"#ffffcc\">\r\n               <tr>\r\n                  <td>\r\n                      <code><pre>\r\n\r\n")
	b.WriteString("[" + short + ": " + esc + "]\r\n")
	for _, f := range frames {
		b.WriteString("   " + htmlEscape(f) + "\r\n")
	}
	b.WriteString("</pre></code>\r\n\r\n                  </td>\r\n               </tr>\r\n            </table>\r\n\r\n")
	b.WriteString("            <hr width=100% size=1 color=silver>\r\n\r\n            <b>Version Information:</b>&nbsp;Microsoft .NET Framework Version:4.0.30319; ASP.NET Version:4.8.4667.0\r\n\r\n            </font>\r\n\r\n    </body>\r\n</html>\r\n")
	b.WriteString("<!-- \r\n[" + short + "]: " + msg + "\r\n")
	for _, f := range frames {
		b.WriteString("   at " + f + "\r\n")
	}
	b.WriteString("-->")
	return b.String()
}

func webEvent(code int, typ string) Extra {
	return Extra{Name: "AspNetWebEventRaiseStart", Data: [][2]string{{"ConnID", "0"}, {"Context ID", "{00000000-0000-0000-2400-0080000000FA}"},
		{"Data1", "System.Web.Management." + typ}, {"Data2", itoa(code)}, {"Data3", "0"}}}
}

func applicationError() Sample {
	a := intranet(2101, 1_200_000, "GET", "http://shop.contoso.local:80/orders/details.aspx?id=42")
	a.Status = Status{500, 0}
	a.Error = &ModuleError{Module: "ManagedPipelineHandler", Code: CodeOK}
	a.HandlerEvents = []Extra{webEvent(3005, "WebRequestErrorEvent")}
	a.ResponseHeaders = htmlResponse()
	a.ResponseBody = ysod("System.Data.SqlClient.SqlException", "Login failed for user 'shopapp'.", `C:\inetpub\shop\orders\details.aspx.cs`, 31,
		"System.Data.SqlClient.SqlInternalConnectionTds..ctor(DbConnectionPoolIdentity identity, SqlConnectionString connectionOptions) +1024",
		"Contoso.Shop.Data.OrderRepository.Find(Int32 id) in C:\\src\\Shop\\Data\\OrderRepository.cs:57",
		"Contoso.Shop.Orders.Details.Page_Load(Object sender, EventArgs e) in C:\\inetpub\\shop\\orders\\details.aspx.cs:31")
	b := intranet(2102, 1_201_000, "POST", "http://shop.contoso.local:80/api/cart.php")
	b.Handler = &Handler{Name: "PHP_via_FastCGI", Modules: "FastCgiModule", ScriptProcessor: `C:\PHP\php-cgi.exe`}
	b.Status = Status{500, 0}
	b.Error = &ModuleError{Module: "FastCgiModule", Code: CodeOK}
	b.HandlerEvents = []Extra{{Name: "MODULE_WARNING", Data: [][2]string{{"ModuleName", "FastCgiModule"}, {"Data1", "FASTCGI_RESPONSE_ERROR"},
		{"Data2", "PHP Fatal error:  Uncaught Error: Call to undefined function mysql_connect() in C:\\inetpub\\shop\\api\\cart.php:12\nStack trace:\n#0 {main}\n  thrown in C:\\inetpub\\shop\\api\\cart.php on line 12\n"}, {"ErrorCode", "5"}}}}
	b.ResponseHeaders = headers.List{{Name: "Content-Type", Value: "text/html; charset=UTF-8"}, {Name: "Server", Value: "Microsoft-IIS/10.0"}}
	b.ResponseBody = "PHP Fatal error:  Uncaught Error: Call to undefined function mysql_connect() in C:\\inetpub\\shop\\api\\cart.php:12\n"
	// ASP.NET shows the source lines around the failure ("Source Error"):
	// here a connection string with its password, as pages really leak
	// them.
	c := intranet(2103, 1_202_000, "GET", "http://shop.contoso.local:80/reports/sales.aspx")
	c.Status = Status{500, 0}
	c.Error = &ModuleError{Module: "ManagedPipelineHandler", Code: CodeOK}
	c.HandlerEvents = []Extra{webEvent(3005, "WebRequestErrorEvent")}
	c.ResponseHeaders = htmlResponse()
	c.ResponseBody = strings.Replace(ysod("System.NullReferenceException", "Object reference not set to an instance of an object.", `C:\inetpub\shop\reports\sales.aspx.cs`, 22,
		"Contoso.Shop.Reports.Sales.Page_Load(Object sender, EventArgs e) in C:\\inetpub\\shop\\reports\\sales.aspx.cs:22"),
		"<b>Stack Trace:</b>", "<b> Source Error: </b> <br><br>\r\n<table width=100% bgcolor=\"#ffffcc\"><tr><td><code><pre>\r\n\r\n"+
			"Line 21:             var cs = &quot;Server=db01;Database=Shop;User Id=reports;Password=Winter2025!;&quot;;\r\n"+
			"<font color=red>Line 22:             var total = Session[&quot;cart&quot;].ToString();\r\n</font></pre></code></td></tr></table>\r\n<br>\r\n<b>Stack Trace:</b>", 1)
	return Sample{Rule: "application-error", Title: "unhandled SqlException in an ASP.NET page (login failed); a PHP fatal error through FastCGI; a null reference on a page whose source shows a connection string",
		Finding: "application error: the exception (database login failed) with the source line; the PHP fatal error with its file and line; the null reference (the password in the page is redacted)", Traces: []Scenario{a, b, c}}
}

func appStartupFailed() Sample {
	a := intranet(2201, 1_260_000, "GET", "http://shop.contoso.local:80/default.aspx")
	a.Status = Status{500, 0}
	a.Error = &ModuleError{Module: "AspNetInitializationExceptionModule", Notification: BeginRequest, Code: CodeOK}
	a.HandlerEvents = nil
	a.ResponseHeaders = htmlResponse()
	a.ResponseBody = ysod("System.IO.DirectoryNotFoundException", `Could not find a part of the path 'C:\inetpub\shop\bin\roslyn\csc.exe'.`, "", 0,
		"System.IO.__Error.WinIOError(Int32 errorCode, String maybeFullPath) +305",
		"Microsoft.CodeDom.Providers.DotNetCompilerPlatform.Compiler.get_CompilerName() +90",
		"System.Web.Compilation.BuildManager.CompileGlobalAsax() +51",
		"System.Web.HttpRuntime.FirstRequestInit(HttpContext context) +177")
	b := intranet(2202, 1_261_000, "GET", "http://api.contoso.local:80/weatherforecast")
	b.Handler = &Handler{Name: "aspNetCore", Modules: "AspNetCoreModuleV2"}
	b.Status = Status{500, 30}
	b.Error = &ModuleError{Module: "AspNetCoreModuleV2", Code: 0x8007023E}
	b.ResponseHeaders = headers.List{{Name: "Content-Type", Value: "text/html"}, {Name: "Server", Value: "Microsoft-IIS/10.0"}}
	b.ResponseBody = "<!DOCTYPE html>\r\n<html lang=\"en\">\r\n<head><title>HTTP Error 500.30 - ASP.NET Core app failed to start</title></head>\r\n<body><h1> HTTP Error 500.30 - ASP.NET Core app failed to start </h1><h2> Common solutions to this issue: </h2><li> The app failed to start </li><li> The app started but then stopped </li></body></html>"
	return Sample{Rule: "app-startup-failed", Title: "ASP.NET app without bin\\roslyn (AspNetInitializationExceptionModule); ASP.NET Core app failing to start in-process (500.30)",
		Finding: "the application cannot start: deploy bin\\roslyn; read the ASP.NET Core stdout log", Traces: []Scenario{a, b}}
}

func compilationError() Sample {
	s := intranet(2301, 1_320_000, "GET", "http://shop.contoso.local:80/reports/monthly.aspx")
	s.Status = Status{500, 0}
	s.TimeTaken = 1200 * time.Millisecond
	s.Error = &ModuleError{Module: "ManagedPipelineHandler", Code: CodeOK}
	s.HandlerEvents = []Extra{{Name: "AspNetCompileEnter"}, {Name: "AspNetCompileLeave", Data: [][2]string{{"Data1", "/reports/monthly.aspx.cs,/reports/monthly.aspx"}, {"Data2", "failure"}}, Wait: 900 * time.Millisecond},
		webEvent(3007, "WebErrorEvent")}
	s.ResponseHeaders = htmlResponse()
	s.ResponseBody = "<!DOCTYPE html>\r\n<html>\r\n    <head>\r\n        <title>Compilation Error</title>\r\n    </head>\r\n    <body>\r\n            <span><H1>Server Error in '/' Application.<hr width=100% size=1 color=silver></H1>\r\n\r\n            <h2> <i>Compilation Error</i> </h2></span>\r\n\r\n" +
		"            <b> Description: </b>An error occurred during the compilation of a resource required to service this request. Please review the following specific error details and modify your source code appropriately.\r\n            <br><br>\r\n\r\n" +
		"            <b> Compiler Error Message: </b>CS0103: The name &#39;totals&#39; does not exist in the current context<br><br>\r\n\r\n" +
		"            <b>Source File:</b> C:\\inetpub\\shop\\reports\\monthly.aspx.cs\r\n            &nbsp;&nbsp; <b>Line:</b>  48\r\n            <br><br>\r\n    </body>\r\n</html>\r\n"
	return Sample{Rule: "compilation-error", Title: "a deployed code-behind file that does not compile (CS0103)",
		Finding: "ASP.NET compilation error CS0103 in monthly.aspx.cs line 48", Traces: []Scenario{s}}
}

func notFound() Sample {
	a := intranet(2401, 1_380_000, "GET", "http://shop.contoso.local:80/images/banner-2024.png")
	a.Status = Status{404, 0}
	a.Error = &ModuleError{Module: "IIS Web Core", Notification: MapRequestHandler, Code: CodeFileNotFound}
	a.ResponseHeaders = headers.List{{Name: "Content-Type", Value: "text/html"}, {Name: "Server", Value: "Microsoft-IIS/10.0"}}
	b := intranet(2402, 1_381_000, "GET", "http://shop.contoso.local:80/favicon.ico")
	b.Status = Status{404, 0}
	b.Error = &ModuleError{Module: "IIS Web Core", Notification: MapRequestHandler, Code: CodeFileNotFound}
	b.ResponseHeaders = a.ResponseHeaders
	return Sample{Rule: "not-found", Title: "a page links an image that was not deployed; the browser asks for favicon.ico",
		Finding: "static file not found (404.0, 0x80070002); favicon.ico as info", Traces: []Scenario{a, b}}
}

func noDefaultDocument() Sample {
	s := intranet(2501, 1_440_000, "GET", "http://shop.contoso.local:80/catalog/")
	// The static file handler's modules: the directory listing module
	// answers when no default document exists.
	s.Handler = &Handler{Name: "StaticFile", Modules: "DirectoryListingModule,StaticFileModule,DefaultDocumentModule"}
	s.Status = Status{403, 14}
	s.Error = &ModuleError{Module: "DirectoryListingModule", Code: CodeOK}
	s.ResponseHeaders = headers.List{{Name: "Content-Type", Value: "text/html"}, {Name: "Server", Value: "Microsoft-IIS/10.0"}}
	return Sample{Rule: "no-default-document", Title: "a folder URL without index page and with directory browsing off",
		Finding: "403.14: no default document; add one or fix routing", Traces: []Scenario{s}}
}

func verbNotAllowed() Sample {
	s := intranet(2601, 1_500_000, "DELETE", "http://shop.contoso.local:80/api/cart/17")
	s.Handler = &Handler{Name: "WebDAV", Modules: "WebDAVModule"}
	s.Status = Status{405, 0}
	s.Error = &ModuleError{Module: "WebDAVModule", Notification: MapRequestHandler, Code: CodeOK}
	s.BeginEvents = []Extra{{Name: "MODULE_WARNING", Data: [][2]string{{"ModuleName", "WebDAVModule"}, {"Data1", "WebDAV Disabled"}, {"Data2", ""}, {"ErrorCode", "0"}}}}
	s.ResponseHeaders = headers.List{{Name: "Allow", Value: "GET, HEAD, OPTIONS, TRACE"}, {Name: "Content-Type", Value: "text/html"}, {Name: "Server", Value: "Microsoft-IIS/10.0"}}
	return Sample{Rule: "verb-not-allowed", Title: "a Web API DELETE taken by the WebDAV module",
		Finding: "405: the WebDAV module refused DELETE; remove WebDAVModule and its handler", Traces: []Scenario{s}}
}

func handlerError() Sample {
	a := intranet(2701, 1_560_000, "GET", "http://shop.contoso.local:80/status.aspx")
	a.Status = Status{503, 0}
	a.Error = &ModuleError{Module: "ManagedPipelineHandler", Code: CodeOK}
	a.ResponseHeaders = htmlResponse()
	a.ResponseBody = "Service Unavailable"
	b := intranet(2702, 1_561_000, "GET", "http://shop.contoso.local:80/legacy/index.php")
	b.Handler = &Handler{Name: "PHP_via_FastCGI", Modules: "FastCgiModule", ScriptProcessor: `C:\PHP\php-cgi.exe`}
	b.Status = Status{500, 0}
	b.Error = &ModuleError{Module: "FastCgiModule", Code: 0x80070102}
	b.ResponseHeaders = headers.List{{Name: "Content-Type", Value: "text/html"}, {Name: "Server", Value: "Microsoft-IIS/10.0"}}
	return Sample{Rule: "handler-error", Title: "an ASP.NET page answering 503 by itself (maintenance switch); php-cgi over its FastCGI time-out",
		Finding: "the application set 503 itself; FastCGI request timed out (0x80070102)", Traces: []Scenario{a, b}}
}

func rewriteAbort() Sample {
	s := intranet(2801, 1_620_000, "GET", "http://shop.contoso.local:80/wp-login.php")
	s.Status = Status{200, 0}
	s.ResponseHeaders = nil
	s.BeginEvents = []Extra{
		{Name: "URL_REWRITE_START", Data: [][2]string{{"RequestURL", "/wp-login.php"}, {"Scope", "1"}, {"Type", "0"}}},
		{Name: "RULE_EVALUATION_START", Data: [][2]string{{"RuleName", "Block scanners"}, {"RequestURL", "wp-login.php"}, {"QueryString", ""}, {"PatternSyntax", "0"}, {"StopProcessing", "true"}, {"RelativePath", "/"}}},
		{Name: "PATTERN_MATCH", Data: [][2]string{{"Pattern", `^(wp-|xmlrpc)`}, {"Input", "wp-login.php"}, {"Negate", "false"}, {"Matched", "true"}}},
		{Name: "ABORT_REQUEST_ACTION"},
		{Name: "RULE_EVALUATION_END", Data: [][2]string{{"RuleName", "Block scanners"}, {"RequestURL", "wp-login.php"}, {"QueryString", ""}, {"StopProcessing", "true"}, {"Succeeded", "true"}}},
		{Name: "URL_REWRITE_END", Data: [][2]string{{"RequestURL", ""}}},
	}
	return Sample{Rule: "rewrite-abort", Title: "a URL Rewrite rule that aborts scanner requests",
		Finding: "rule \"Block scanners\" aborted the request: 200 with 0 bytes", Traces: []Scenario{s}}
}

func clientDisconnected() Sample {
	s := intranet(2901, 1_680_000, "GET", "http://shop.contoso.local:80/downloads/catalog-2024.pdf")
	s.Status = Status{200, 0}
	s.TimeTaken = 8 * time.Second
	s.FlushError = 0x800703E3
	s.BytesSent = 1_048_576
	s.ResponseHeaders = headers.List{{Name: "Content-Type", Value: "application/pdf"}, {Name: "Content-Length", Value: "52428800"},
		{Name: "Accept-Ranges", Value: "bytes"}, {Name: "Server", Value: "Microsoft-IIS/10.0"}}
	return Sample{Rule: "client-disconnected", Title: "a user cancels a 50 MB download after 1 MB",
		Finding: "the client closed the connection after 1048576 of 52428800 bytes", Traces: []Scenario{s}}
}

func appWarmup() Sample {
	s := intranet(3001, 1_740_000, "GET", "http://shop.contoso.local:80/default.aspx")
	s.Status = Status{200, 0}
	s.FailureReason = ReasonTimeTaken
	s.TimeTaken = 14 * time.Second
	s.HandlerEvents = []Extra{{Name: "AspNetCompileEnter"},
		{Name: "AspNetCompileLeave", Data: [][2]string{{"Data1", "/default.aspx"}, {"Data2", "success"}}, Wait: 12 * time.Second}}
	s.ResponseHeaders = htmlResponse()
	s.ResponseBody = "<!DOCTYPE html><html><head><title>Contoso Shop</title></head><body><h1>Welcome</h1></body></html>"
	return Sample{Rule: "app-warmup", Title: "the first request after a recycle compiles the site's pages: 14 s",
		Finding: "slow first request: 12 s compiling pages; use Application Initialization and precompilation", Traces: []Scenario{s}}
}
