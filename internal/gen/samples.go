package gen

import (
	"time"

	"github.com/frebscan/frebscan/internal/headers"
)

// Sample is a set of traces that shows one diagnosis: what frebscan should
// find in samples/<Rule>/.
type Sample struct {
	Rule    string // the diagnostic rule ID, also the directory name
	Title   string // the situation, for samples/README.md
	Finding string // what frebscan is expected to report
	Traces  []Scenario
}

// Samples returns one sample per diagnostic rule, plus healthy traces
// (rule "healthy-*") that no rule should flag.
func Samples() []Sample {
	return []Sample{
		viaPersistentAuth(),
		expect100Continue(),
		authHandshakeBroken(),
		proxyConnectionShared(),
		kerberosSPN(),
		extendedProtection(),
		authDenied(),
		loopbackCheck(),
		http2WindowsAuth(),
		authHeaderTooLarge(),
		exchangeBackendUnreachable(),
		exchangeDownlevel(),
		sslOffload(),
		tlsOffloadRedirectLoop(),
		clientCertificate(),
		arrFailure("arr-backend-timeout", "ARR proxy timeout (30 s) shorter than the backend's work", "502.3 with 0x80072EE2 after ~30 s: raise the server farm proxy timeout or fix the slow backend", CodeWinHTTPTimeout, 30*time.Second),
		arrFailure("arr-backend-connect", "ARR cannot reach the backend (service down, firewall, wrong port)", "502.3 with 0x80072EFD: backend unreachable", CodeWinHTTPCannotConnect, 21*time.Second),
		arrFailure("arr-backend-aborted", "backend closed the connection mid-response", "502.3 with 0x80072EFE: backend aborted the connection", CodeWinHTTPConnReset, 4200*time.Millisecond),
		arrFailure("arr-invalid-response", "backend sent a malformed response", "502.3 with 0x80072F78: invalid response from backend", CodeWinHTTPInvalidServer, 850*time.Millisecond),
		arrFailure("arr-backend-tls", "TLS handshake from ARR to the backend failed", "502.3 with 0x80072F8F: backend certificate or TLS protocol problem", CodeWinHTTPSecureFailure, 120*time.Millisecond),
		arrNoBackend(),
		ancmRequestTimeout(),
		proxyLoop(),
		xffInvalid(),
		idleTimeoutReset(),
		hostHeaderRewritten(),
		appPoolUnavailable(),
		configError(),
		requestFiltering(),
		clientIPLost(),
		slowRequest(),
		applicationError(),
		appStartupFailed(),
		compilationError(),
		notFound(),
		noDefaultDocument(),
		verbNotAllowed(),
		handlerError(),
		rewriteAbort(),
		clientDisconnected(),
		appWarmup(),
		healthyOutlookMac(),
		healthyDirect(),
	}
}

func at(ms int) time.Time { return sampleStart.Add(time.Duration(ms) * time.Millisecond) }

// viaPersistentAuth is the motivating case: Exchange 2016 behind a KEMP
// that adds Via, so IIS answers Persistent-Auth: false and Mac Mail's next
// POST goes out without credentials.
//
// FREB rules usually capture failures only; the 200 is included as if the
// rule also traced 200 (statusCodes="200,400-999"), because the evidence
// that explains the 400 (Persistent-Auth: false after a successful NTLM
// handshake) is only in that response.
func viaPersistentAuth() Sample {
	client := Endpoint{"203.0.113.45", 49792}
	req := func(seed int64, ms int, authz string) Scenario {
		body := ewsSOAP
		return exchangeRequest{seed: seed, at: at(ms), lb: kemp, client: client, authz: authz, body: body}.scenario()
	}
	s1 := req(101, 0, "")
	challenge401(&s1)
	s1.ResponseHeaders = exchangeResponse(101, "EX16-01", 401, headers.Header{Name: "WWW-Authenticate", Value: "Negotiate"}, headers.Header{Name: "WWW-Authenticate", Value: "NTLM"})

	challenge := "NTLM " + NTLMChallenge(102, "CONTOSO", "EX16-01", "contoso.com")
	s2 := req(102, 312, "NTLM "+NTLMNegotiate())
	continue401(&s2, challenge)
	s2.ResponseHeaders = exchangeResponse(102, "EX16-01", 401, headers.Header{Name: "WWW-Authenticate", Value: challenge})

	s3 := req(103, 655, "NTLM "+NTLMAuthenticate(103, "CONTOSO", "jdoe", "JDOE-MBP"))
	succeed(&s3, `CONTOSO\jdoe`, "NTLM", true)
	s3.SetResponseHeaders = []SetHeader{{Name: "Persistent-Auth", Value: "false"}}
	s3.ResponseBody = `<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header><h:ServerVersionInfo MajorVersion="15" MinorVersion="1" MajorBuildNumber="2507" MinorBuildNumber="6" xmlns:h="http://schemas.microsoft.com/exchange/services/2006/types"/></s:Header><s:Body><m:GetFolderResponse xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages"><m:ResponseMessages><m:GetFolderResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode></m:GetFolderResponseMessage></m:ResponseMessages></m:GetFolderResponse></s:Body></s:Envelope>`
	s3.ResponseHeaders = exchangeResponse(103, "EX16-01", 200, headers.Header{Name: "Persistent-Auth", Value: "false"},
		headers.Header{Name: "X-CalculatedBETarget", Value: "ex16-02.contoso.com"}, headers.Header{Name: "X-BEServer", Value: "EX16-02"})
	s3.TimeTaken = 187 * time.Millisecond

	s4 := req(104, 1203, "")
	s4.Status = Status{400, 0}
	s4.Error = &ModuleError{Module: "IIS Web Core", Notification: AuthenticateRequest, Reason: "Bad Request", Code: CodeOK}
	s4.ResponseHeaders = exchangeResponse(104, "EX16-01", 400)
	return Sample{
		Rule:    "via-persistent-auth",
		Title:   "Exchange 2016 behind KEMP (Via added), Mac Mail EWS: 401, 401, 200 Persistent-Auth: false, then 400 without Authorization",
		Finding: "Via from the load balancer makes IIS answer Persistent-Auth: false; Mac Mail then posts without credentials: stop the LB adding Via",
		Traces:  []Scenario{s1, s2, s3, s4},
	}
}

func expect100Continue() Sample {
	r := exchangeRequest{seed: 201, at: at(60_000), lb: kemp, client: Endpoint{"198.51.100.77", 50111},
		url: "https://mail.contoso.com:443/EWS/mrsproxy.svc", ua: "MSRPC",
		authz: "Negotiate " + KerberosToken(201, 1900),
		extra: headers.List{{Name: "Expect", Value: "100-continue"}}}
	s := r.scenario()
	s.RequestBody = ""
	s.RequestHeaders = replaceHeader(s.RequestHeaders, "Content-Length", "1270")
	succeed(&s, `CONTOSO\svc-mrs`, "Kerberos", false)
	s.Status = Status{400, 0}
	s.ReadError = CodeConnectionInvalid
	s.TimeTaken = 120 * time.Second
	s.Error = &ModuleError{Module: "ManagedPipelineHandler", Code: CodeConnectionInvalid, Reason: "Bad Request"}
	s.ResponseHeaders = exchangeResponse(201, "EX16-01", 400)
	return Sample{Rule: "expect-100-continue",
		Title:   "MRS proxy POST with Expect: 100-continue through KEMP L7: body never arrives, 400 after a long wait",
		Finding: "Expect: 100-continue mishandled by the proxy (body missing): set the LB's 100-Continue handling to RFC-7231 compliant",
		Traces:  []Scenario{s}}
}

func authHandshakeBroken() Sample {
	client := Endpoint{"198.51.100.23", 61422}
	req := func(seed int64, ms int, authz, server string) Scenario {
		return exchangeRequest{seed: seed, at: at(120_000 + ms), lb: f5, client: client, ua: outlookWin, authz: authz, body: ewsSOAP, server: server}.scenario()
	}
	challenge := "NTLM " + NTLMChallenge(302, "CONTOSO", "EX16-01", "contoso.com")
	s1 := req(301, 0, "NTLM "+NTLMNegotiate(), "EX16-01")
	continue401(&s1, challenge)
	s1.ResponseHeaders = exchangeResponse(301, "EX16-01", 401, headers.Header{Name: "WWW-Authenticate", Value: challenge})
	// The type 3 lands on another server (no persistence): fresh 401.
	s2 := req(302, 240, "NTLM "+NTLMAuthenticate(302, "CONTOSO", "asmith", "WS-0142"), "EX16-02")
	s2.Status = Status{401, 1}
	s2.Auth.Outcome = AuthFailed
	s2.Error = &ModuleError{Module: "WindowsAuthenticationModule", Notification: AuthenticateRequest, Code: CodeInvalidToken}
	s2.SetResponseHeaders = []SetHeader{{Name: "WWW-Authenticate", Value: "Negotiate"}, {Name: "WWW-Authenticate", Value: "NTLM"}}
	s2.ResponseHeaders = exchangeResponse(302, "EX16-02", 401, headers.Header{Name: "WWW-Authenticate", Value: "Negotiate"}, headers.Header{Name: "WWW-Authenticate", Value: "NTLM"})
	s3 := req(303, 610, "NTLM "+NTLMNegotiate(), "EX16-02")
	continue401(&s3, "NTLM "+NTLMChallenge(303, "CONTOSO", "EX16-02", "contoso.com"))
	s3.ResponseHeaders = exchangeResponse(303, "EX16-02", 401, headers.Header{Name: "WWW-Authenticate", Value: s3.SetResponseHeaders[0].Value})
	return Sample{Rule: "auth-handshake-broken",
		Title:   "F5 without persistence/OneConnect: NTLM type 3 lands on another front end (X-FEServer changes) and gets a fresh 401",
		Finding: "NTLM handshake split across connections/servers (SEC_E_INVALID_TOKEN): make the LB keep the client on one backend connection",
		Traces:  []Scenario{s1, s2, s3}}
}

func kerberosSPN() Sample {
	r := exchangeRequest{seed: 401, at: at(180_000), lb: netscaler, client: Endpoint{"10.1.44.17", 52210},
		url: "https://mail.contoso.com:443/mapi/emsmdb/?MailboxId=3f1c2a55-77b0-4b6e-9a1c-5e2d8f0c1a77@contoso.com",
		ua:  outlookWin, authz: "Negotiate " + KerberosToken(401, 1650), body: "\x00"}
	s := r.scenario()
	s.RequestBody = ""
	s.RequestHeaders = replaceHeader(s.RequestHeaders, "Content-Length", "0")
	s.AppPool = "MSExchangeMapiFrontEndAppPool"
	s.Status = Status{401, 1}
	s.Auth.Outcome = AuthFailed
	s.Error = &ModuleError{Module: "WindowsAuthenticationModule", Notification: AuthenticateRequest, Code: CodeWrongPrincipal}
	s.SetResponseHeaders = []SetHeader{{Name: "WWW-Authenticate", Value: "Negotiate"}, {Name: "WWW-Authenticate", Value: "NTLM"}}
	s.ResponseHeaders = exchangeResponse(401, "EX16-01", 401, headers.Header{Name: "WWW-Authenticate", Value: "Negotiate"}, headers.Header{Name: "WWW-Authenticate", Value: "NTLM"})
	return Sample{Rule: "kerberos-spn",
		Title:   "Kerberos ticket for the load-balanced name rejected: SEC_E_WRONG_PRINCIPAL",
		Finding: "Kerberos SPN/ASA mismatch (0x80090322): register HTTP/mail.contoso.com on the alternate service account used by every front end",
		Traces:  []Scenario{s}}
}

func extendedProtection() Sample {
	r := exchangeRequest{seed: 501, at: at(240_000), lb: haproxy, client: Endpoint{"198.51.100.90", 55001},
		url: "http://mail.contoso.com:80/EWS/Exchange.asmx", ua: outlookWin,
		authz: "NTLM " + NTLMAuthenticate(501, "CONTOSO", "bwayne", "WS-0077"), body: ewsSOAP}
	s := r.scenario()
	s.Local = Endpoint{"192.0.2.21", 80}
	s.Status = Status{401, 1}
	s.Auth.Outcome = AuthFailed
	s.Error = &ModuleError{Module: "WindowsAuthenticationModule", Notification: AuthenticateRequest, Code: CodeBadBindings}
	s.SetResponseHeaders = []SetHeader{{Name: "WWW-Authenticate", Value: "Negotiate"}, {Name: "WWW-Authenticate", Value: "NTLM"}}
	s.ResponseHeaders = exchangeResponse(501, "EX19-01", 401, headers.Header{Name: "WWW-Authenticate", Value: "Negotiate"}, headers.Header{Name: "WWW-Authenticate", Value: "NTLM"})
	s.Computer = "EX19-01"
	return Sample{Rule: "extended-protection-offload",
		Title:   "Exchange 2019 CU14 (Extended Protection on) behind HAProxy doing SSL offload: channel binding fails",
		Finding: "Extended Protection with SSL offloading (SEC_E_BAD_BINDINGS 0x80090346): use SSL bridging with the same certificate",
		Traces:  []Scenario{s}}
}

func authDenied() Sample {
	r := exchangeRequest{seed: 601, at: at(300_000), lb: f5, client: Endpoint{"203.0.113.200", 40022},
		url: "https://mail.contoso.com:443/EWS/Exchange.asmx", ua: "ExchangeServicesClient/15.00.0913.015",
		authz: "Basic Y29udG9zb1xzdmMtc2Nhbjp3cm9uZy1wYXNzd29yZA==", body: ewsSOAP}
	s1 := r.scenario()
	s1.Status = Status{401, 1}
	s1.Error = &ModuleError{Module: "BasicAuthenticationModule", Notification: AuthenticateRequest, Code: CodeLogonFailure}
	s1.SetResponseHeaders = []SetHeader{{Name: "WWW-Authenticate", Value: `Basic realm="mail.contoso.com"`, Module: "BasicAuthenticationModule"}}
	s1.ResponseHeaders = exchangeResponse(601, "EX16-01", 401, headers.Header{Name: "WWW-Authenticate", Value: `Basic realm="mail.contoso.com"`})

	s2 := exchangeRequest{seed: 602, at: at(305_000), lb: f5, client: Endpoint{"203.0.113.201", 40110},
		verb: "GET", url: "https://intranet.contoso.com:443/reports/q3.pdf", ua: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36",
		authz: "Negotiate " + KerberosToken(602, 1700), server: "WEB01"}.scenario()
	s2.AppPool = "DefaultAppPool"
	succeed(&s2, `CONTOSO\mjones`, "Kerberos", false)
	s2.Status = Status{401, 3}
	s2.Error = &ModuleError{Module: "StaticFileModule", Code: CodeAccessDenied}
	s2.ResponseHeaders = headers.List{{Name: "Content-Type", Value: "text/html"}, {Name: "Server", Value: "Microsoft-IIS/10.0"}, {Name: "X-Powered-By", Value: "ASP.NET"}}
	return Sample{Rule: "auth-denied",
		Title:   "401.1 logon failed (wrong password) and 401.3 NTFS ACL denial",
		Finding: "credentials rejected (401.1, 0x8007052E) / authenticated user lacks NTFS rights (401.3, 0x80070005)",
		Traces:  []Scenario{s1, s2}}
}

func authHeaderTooLarge() Sample {
	r := exchangeRequest{seed: 701, at: at(360_000), lb: netscaler, client: Endpoint{"10.1.9.80", 58812},
		verb: "GET", url: "https://mail.contoso.com:443/owa/", ua: "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:123.0) Gecko/20100101 Firefox/123.0",
		authz: "Negotiate " + KerberosToken(701, 10600)}
	s := r.scenario()
	s.AppPool = "MSExchangeOWAAppPool"
	s.Status = Status{400, 0}
	s.Auth.Outcome = AuthFailed
	s.Error = &ModuleError{Module: "WindowsAuthenticationModule", Notification: AuthenticateRequest, Reason: "Bad Request", Code: CodeInvalidToken}
	s.ResponseHeaders = exchangeResponse(701, "EX16-01", 400)
	return Sample{Rule: "auth-header-too-large",
		Title:   "user in hundreds of groups: ~14 KB Negotiate token, rejected",
		Finding: "Kerberos token too large for the LB/HTTP.sys header limits: reduce group membership or raise MaxFieldLength/MaxRequestBytes and the LB buffer",
		Traces:  []Scenario{s}}
}

func sslOffload() Sample {
	r := exchangeRequest{seed: 801, at: at(420_000), lb: haproxy, client: Endpoint{"198.51.100.5", 61000},
		verb: "GET", url: "http://mail.contoso.com:80/owa/", ua: "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_3) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15"}
	s := r.scenario()
	s.AppPool = "MSExchangeOWAAppPool"
	s.Local = Endpoint{"192.0.2.21", 80}
	s.Status = Status{403, 4}
	s.Error = &ModuleError{Module: "IIS Web Core", Notification: AuthenticateRequest, Code: CodeAccessDenied}
	s.ResponseHeaders = headers.List{{Name: "Content-Type", Value: "text/html"}, {Name: "Server", Value: "Microsoft-IIS/10.0"}, {Name: "X-Powered-By", Value: "ASP.NET"}}
	return Sample{Rule: "ssl-offload",
		Title:   "HAProxy terminates TLS and forwards on port 80 (X-Forwarded-Proto: https) to a vdir that requires SSL",
		Finding: "403.4 SSL required while the LB offloads TLS: re-encrypt to the server or stop requiring SSL on offloaded vdirs",
		Traces:  []Scenario{s}}
}

func clientCertificate() Sample {
	mk := func(seed int64, ms int, sub int, code uint32) Scenario {
		s := exchangeRequest{seed: seed, at: at(480_000 + ms), lb: direct, client: Endpoint{"10.50.0.4", 50000 + int(seed%1000)},
			verb: "GET", url: "https://portal.contoso.com:443/secure/", ua: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X) AppleWebKit/605.1.15",
			server: "APP01"}.scenario()
		s.AppPool = "PortalAppPool"
		s.RequestHeaders = append(s.RequestHeaders, headers.Header{Name: "X-Forwarded-For", Value: "203.0.113.61:50432"},
			headers.Header{Name: "X-ARR-SSL", Value: "2048|256|CN=Contoso Issuing CA, DC=contoso, DC=com|CN=portal.contoso.com"},
			headers.Header{Name: "X-ARR-LOG-ID", Value: "7c1e5d0a-4a8f-4e61-9f0b-2d4c5e6f7a81"},
			headers.Header{Name: "X-Original-URL", Value: "/secure/"}, headers.Header{Name: "Max-Forwards", Value: "10"})
		s.Local = Endpoint{"10.50.0.20", 443}
		s.Status = Status{403, sub}
		s.Error = &ModuleError{Module: "IIS Web Core", Notification: AuthenticateRequest, Code: code}
		s.ResponseHeaders = headers.List{{Name: "Content-Type", Value: "text/html"}, {Name: "Server", Value: "Microsoft-IIS/10.0"}, {Name: "X-Powered-By", Value: "ASP.NET"}}
		return s
	}
	return Sample{Rule: "client-certificate",
		Title:   "backend behind ARR requires client certificates: ARR terminated TLS, so none arrives (403.7); untrusted chain (403.16)",
		Finding: "client certificate lost at the proxy (403.7) / not trusted (403.16): pass TLS through or forward and map X-ARR-ClientCert",
		Traces:  []Scenario{mk(901, 0, 7, CodeAccessDenied), mk(902, 700, 16, CodeAccessDenied)}}
}

func arrScenario(seed int64, ms int) Scenario {
	s := exchangeRequest{seed: seed, at: at(ms), lb: direct, client: Endpoint{"203.0.113." + itoa(int(10+seed%200)), 50000 + int(seed%9000)},
		verb: "GET", url: "https://www.contoso.com:443/api/orders?since=2024-03-01", ua: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36 Edg/122.0.2365.80",
		server: "ARR01"}.scenario()
	s.AppPool = "DefaultAppPool"
	s.Auth = &Auth{Anonymous: true}
	s.User = &User{TokenUserName: `NT AUTHORITY\IUSR`}
	s.AuthenticationType = "anonymous"
	s.Local = Endpoint{"203.0.113.2", 443}
	s.ARR = &ARR{Farm: "api-farm", Server: "app02.contoso.local:8080", SSL: "2048|256|CN=Sectigo RSA Domain Validation Secure Server CA, O=Sectigo Limited, L=Salford, S=Greater Manchester, C=GB|CN=www.contoso.com"}
	return s
}

func arrFailure(rule, title, finding string, code uint32, wait time.Duration) Sample {
	s := arrScenario(1000+int64(code&0xfff), 540_000)
	s.Status = Status{502, 3}
	s.ARR.Code = code
	s.TimeTaken = wait
	s.Error = &ModuleError{Module: "ApplicationRequestRouting", Code: code, Description: winHTTPMessages[code] + "\r\n"}
	s.ResponseHeaders = headers.List{{Name: "Cache-Control", Value: "private"}, {Name: "Content-Type", Value: "text/html; charset=utf-8"}, {Name: "Server", Value: "Microsoft-IIS/10.0"}, {Name: "X-Powered-By", Value: "ASP.NET"}}
	return Sample{Rule: rule, Title: title, Finding: finding, Traces: []Scenario{s}}
}

func arrNoBackend() Sample {
	s := arrScenario(1100, 600_000)
	s.Status = Status{502, 4}
	s.ARR.NoServer = true
	s.Error = &ModuleError{Module: "ApplicationRequestRouting", Code: CodeOK, Description: "No appropriate server could be found to route the request\r\n"}
	s.ResponseHeaders = headers.List{{Name: "Cache-Control", Value: "private"}, {Name: "Content-Type", Value: "text/html; charset=utf-8"}, {Name: "Server", Value: "Microsoft-IIS/10.0"}, {Name: "X-Powered-By", Value: "ASP.NET"}}
	return Sample{Rule: "arr-no-backend", Title: "every server in the ARR farm is marked unhealthy",
		Finding: "502.4 no server available: bring farm members online or fix the health test", Traces: []Scenario{s}}
}

func proxyLoop() Sample {
	s := arrScenario(1200, 660_000)
	s.RequestHeaders = append(s.RequestHeaders,
		headers.Header{Name: "Max-Forwards", Value: "0"},
		headers.Header{Name: "Via", Value: "1.1 ARR01, 1.1 ARR01, 1.1 ARR01, 1.1 ARR01, 1.1 ARR01, 1.1 ARR01, 1.1 ARR01, 1.1 ARR01, 1.1 ARR01, 1.1 ARR01"},
		headers.Header{Name: "X-Forwarded-For", Value: "203.0.113.10:50200, 203.0.113.2:50211, 203.0.113.2:50219, 203.0.113.2:50227, 203.0.113.2:50233, 203.0.113.2:50240, 203.0.113.2:50248, 203.0.113.2:50251, 203.0.113.2:50260, 203.0.113.2:50266"},
		headers.Header{Name: "X-ARR-LOG-ID", Value: "5b0a9a1e-0c3d-4a0e-8d57-3b9f4a6e2c10"})
	s.Client = Endpoint{"203.0.113.2", 50266}
	s.ARR = &ARR{Server: "www.contoso.com", NoServer: true}
	s.Status = Status{400, 605}
	s.Error = &ModuleError{Module: "ApplicationRequestRouting", Reason: "Bad Request", Code: CodeOK, Description: "The request has exceeded the maximum number of forwards\r\n"}
	s.ResponseHeaders = headers.List{{Name: "Content-Type", Value: "text/html; charset=us-ascii"}, {Name: "Server", Value: "Microsoft-IIS/10.0"}, {Name: "X-Powered-By", Value: "ARR/3.0"}, {Name: "X-Powered-By", Value: "ASP.NET"}}
	return Sample{Rule: "proxy-loop", Title: "ARR rule forwards to its own public name: the request loops until Max-Forwards runs out",
		Finding: "400.605 maximum number of forwards (repeated Via/X-Forwarded-For hops): the rule routes back to this server", Traces: []Scenario{s}}
}

func xffInvalid() Sample {
	s := exchangeRequest{seed: 1300, at: at(720_000), lb: direct, client: Endpoint{"10.40.0.3", 40500}, verb: "GET",
		url: "https://shop.contoso.com:443/cart", ua: "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Mobile Safari/537.36",
		server: "WEB02", extra: headers.List{{Name: "X-Forwarded-For", Value: "198.51.100.14:50123:443, unknown"}}}.scenario()
	s.AppPool = "ShopAppPool"
	s.Auth = &Auth{Anonymous: true}
	s.Status = Status{400, 10}
	s.Error = &ModuleError{Module: "IIS Web Core", Notification: BeginRequest, Reason: "Bad Request", Code: CodeInvalidData}
	s.ResponseHeaders = headers.List{{Name: "Content-Type", Value: "text/html"}, {Name: "Server", Value: "Microsoft-IIS/10.0"}}
	return Sample{Rule: "xff-invalid", Title: "HAProxy appends ip:port to X-Forwarded-For and a second proxy adds \"unknown\"",
		Finding: "400.10 invalid X-Forwarded-For: fix the proxy's XFF format", Traces: []Scenario{s}}
}

func idleTimeoutReset() Sample {
	r := exchangeRequest{seed: 1400, at: at(780_000), lb: f5, client: Endpoint{"198.51.100.41", 53001}, ua: macMailUA,
		authz: "NTLM " + NTLMAuthenticate(1400, "CONTOSO", "jdoe", "JDOE-MBP"), body: `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><m:GetStreamingEvents xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages"><m:SubscriptionIds><t:SubscriptionId xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types">JgBleDE2LTAyLmNvbnRvc28uY29tEAAAAP8y</t:SubscriptionId></m:SubscriptionIds><m:ConnectionTimeout>30</m:ConnectionTimeout></m:GetStreamingEvents></soap:Body></soap:Envelope>`}
	s := r.scenario()
	succeed(&s, `CONTOSO\jdoe`, "NTLM", true)
	s.TimeTaken = 300 * time.Second
	s.FlushError = CodeConnectionInvalid
	s.ResponseHeaders = exchangeResponse(1400, "EX16-01", 200, headers.Header{Name: "Transfer-Encoding", Value: "chunked"})
	s.ResponseBody = `<?xml version="1.0" encoding="utf-8"?><Envelope xmlns="http://schemas.xmlsoap.org/soap/envelope/"><soap11:Header xmlns:soap11="http://schemas.xmlsoap.org/soap/envelope/"><ServerVersionInfo xmlns="http://schemas.microsoft.com/exchange/services/2006/types" MajorVersion="15" MinorVersion="1"/></soap11:Header><soap11:Body xmlns:soap11="http://schemas.xmlsoap.org/soap/envelope/"><m:GetStreamingEventsResponse xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages"><m:ResponseMessages><m:GetStreamingEventsResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode><m:ConnectionStatus>OK</m:ConnectionStatus></m:GetStreamingEventsResponseMessage></m:ResponseMessages></m:GetStreamingEventsResponse></soap11:Body></Envelope>`
	return Sample{Rule: "idle-timeout-reset", Title: "EWS streaming notification cut by the F5's 300 s idle timeout",
		Finding: "connection reset at a round 300000 ms (0x800704CD): raise the LB idle timeout above the application's keep-alive", Traces: []Scenario{s}}
}

func hostHeaderRewritten() Sample {
	s := exchangeRequest{seed: 1500, at: at(840_000), lb: kemp, client: Endpoint{"203.0.113.99", 51515}, verb: "GET",
		url:   "https://ex16-01.contoso.local:443/owa/auth/logon.aspx?url=https%3a%2f%2fex16-01.contoso.local%2fowa%2f&reason=0",
		ua:    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36",
		extra: headers.List{{Name: "X-Forwarded-Host", Value: publicHost}, {Name: "X-Original-URL", Value: "/owa/"}}}.scenario()
	s.RequestHeaders = replaceHeader(s.RequestHeaders, "Host", "ex16-01.contoso.local")
	s.AppPool = "MSExchangeOWAAppPool"
	s.Auth = &Auth{Anonymous: true}
	s.User = &User{TokenUserName: `NT AUTHORITY\IUSR`}
	s.AuthenticationType = "anonymous"
	s.Status = Status{200, 0}
	s.ResponseHeaders = exchangeResponse(1500, "EX16-01", 200, headers.Header{Name: "Set-Cookie", Value: "ClientId=1A2B3C4D5E6F; expires=Wed, 12-Mar-2025 14:16:31 GMT; path=/; HttpOnly"})
	s.ResponseBody = "<!DOCTYPE html><html><head><title>Outlook</title></head><body><form action=\"https://ex16-01.contoso.local/owa/auth.owa\" method=\"POST\"></form></body></html>"
	return Sample{Rule: "host-header-rewritten", Title: "KEMP real-server Host option sends the backend name; public name only in X-Forwarded-Host",
		Finding: "Host rewritten to the server name (redirects and forms point at ex16-01.contoso.local): preserve the client's Host on the LB", Traces: []Scenario{s}}
}

func appPoolUnavailable() Sample {
	mk := func(seed int64, ms int, sub int, module, notification string) Scenario {
		s := exchangeRequest{seed: seed, at: at(900_000 + ms), lb: f5, client: Endpoint{"198.51.100." + itoa(int(seed%200)), 50000 + int(seed%1000)},
			ua: outlookWin, authz: "Negotiate " + KerberosToken(seed, 1700), body: ewsSOAP}.scenario()
		succeed(&s, `CONTOSO\user`+itoa(int(seed%100)), "Kerberos", false)
		s.Status = Status{503, sub}
		s.Error = &ModuleError{Module: module, Notification: notification, Code: CodeOK}
		s.ResponseHeaders = headers.List{{Name: "Content-Type", Value: "text/html"}, {Name: "Server", Value: "Microsoft-IIS/10.0"}, {Name: "X-Powered-By", Value: "ASP.NET"}}
		return s
	}
	a := mk(1601, 0, 2, "IIS Web Core", ExecuteRequestHandler)
	b := mk(1602, 350, 0, "ManagedPipelineHandler", ExecuteRequestHandler)
	b.Error.Description = "The service is unavailable because the application domain is shutting down."
	return Sample{Rule: "app-pool-unavailable",
		Title:   "EWS app pool overloaded (503.2 appConcurrentRequestLimit) and recycling (503.0); a stopped pool is answered by HTTP.sys and leaves no FREB",
		Finding: "application pool unavailable or over its request limit: find the crash/recycle cause, raise appConcurrentRequestLimit",
		Traces:  []Scenario{a, b}}
}

func configError() Sample {
	s := exchangeRequest{seed: 1700, at: at(960_000), lb: direct, client: Endpoint{"10.0.5.33", 52000}, verb: "GET",
		url: "https://mail.contoso.com:443/ecp/", ua: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36"}.scenario()
	s.AppPool = "MSExchangeECPAppPool"
	s.Status = Status{500, 19}
	s.Error = &ModuleError{Module: "IIS Web Core", Notification: BeginRequest, Code: CodeInvalidData,
		ConfigInfo: `\\?\C:\Program Files\Microsoft\Exchange Server\V15\FrontEnd\HttpProxy\ecp\web.config ( 0) :Configuration file is not well-formed XML` + "\r\n"}
	s.ResponseHeaders = headers.List{{Name: "Cache-Control", Value: "private"}, {Name: "Content-Type", Value: "text/html; charset=utf-8"}, {Name: "Server", Value: "Microsoft-IIS/10.0"}, {Name: "X-Powered-By", Value: "ASP.NET"}}
	return Sample{Rule: "config-error", Title: "a hand-edited web.config under the ECP vdir is not well-formed",
		Finding: "500.19 configuration invalid (0x8007000D) with the file and line: fix the XML", Traces: []Scenario{s}}
}

func requestFiltering() Sample {
	a := exchangeRequest{seed: 1801, at: at(1_020_000), lb: netscaler, client: Endpoint{"198.51.100.120", 60001},
		url: "https://mail.contoso.com:443/EWS/Exchange.asmx", ua: outlookMac, body: ""}.scenario()
	a.RequestHeaders = replaceHeader(a.RequestHeaders, "Content-Length", "157286400")
	a.Status = Status{404, 13}
	a.Error = &ModuleError{Module: "RequestFilteringModule", Notification: BeginRequest, Code: CodeFileNotFound}
	a.ResponseHeaders = headers.List{{Name: "Content-Type", Value: "text/html"}, {Name: "Server", Value: "Microsoft-IIS/10.0"}, {Name: "X-Powered-By", Value: "ASP.NET"}}
	b := exchangeRequest{seed: 1802, at: at(1_021_000), lb: netscaler, client: Endpoint{"198.51.100.121", 60002}, verb: "GET",
		url: "https://mail.contoso.com:443/owa/attachments/Q1%2520report%252Bdraft.docx", ua: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36"}.scenario()
	b.Status = Status{404, 11}
	b.Error = &ModuleError{Module: "RequestFilteringModule", Notification: BeginRequest, Code: CodeFileNotFound}
	b.ResponseHeaders = a.ResponseHeaders
	return Sample{Rule: "request-filtering", Title: "150 MB upload over maxAllowedContentLength (404.13); URL encoded twice by the LB (404.11)",
		Finding: "request filtering rejected the request: raise maxAllowedContentLength / stop the LB re-encoding URLs (allowDoubleEscaping)", Traces: []Scenario{a, b}}
}

func clientIPLost() Sample {
	lbNoXFF := lb{name: "KEMP LoadMaster (no X-ClientSide)", snat: Endpoint{"192.0.2.5", 0}, add: func(Endpoint) headers.List {
		return headers.List{{Name: "Via", Value: "HTTPS/1.1 kemp-lb.contoso.com:443"}}
	}}
	s := exchangeRequest{seed: 1900, at: at(1_080_000), lb: lbNoXFF, client: Endpoint{"203.0.113.150", 45000}, verb: "GET",
		url: "https://mail.contoso.com:443/Microsoft-Server-ActiveSync?Cmd=Sync&User=jdoe&DeviceId=ApplF17XK1ABCDEF&DeviceType=iPhone",
		ua:  "Apple-iPhone15C2/2104.17", authz: "Basic Y29udG9zb1xqZG9lOlN1bW1lcjIwMjQh"}.scenario()
	s.AppPool = "MSExchangeSyncAppPool"
	s.Status = Status{403, 502}
	s.Error = &ModuleError{Module: "DynamicIpRestrictionModule", Notification: BeginRequest, Reason: "Forbidden", Code: CodeOK}
	s.ResponseHeaders = headers.List{{Name: "Content-Type", Value: "text/html"}, {Name: "Server", Value: "Microsoft-IIS/10.0"}}
	return Sample{Rule: "client-ip-lost", Title: "KEMP SNAT without X-ClientSide/X-Forwarded-For: every client is the LB's address, Dynamic IP Restriction blocks it",
		Finding: "real client address lost behind the proxy (Via present, no XFF): enable X-Forwarded-For/X-ClientSide and proxy mode", Traces: []Scenario{s}}
}

func slowRequest() Sample {
	s := exchangeRequest{seed: 2000, at: at(1_140_000), lb: f5, client: Endpoint{"198.51.100.66", 50666}, ua: outlookWin,
		url: "https://mail.contoso.com:443/EWS/Exchange.asmx", authz: "Negotiate " + KerberosToken(2000, 1750), body: ewsSOAP}.scenario()
	succeed(&s, `CONTOSO\ceo`, "Kerberos", false)
	s.FailureReason = ReasonTimeTaken
	s.TimeTaken = 47310 * time.Millisecond
	s.Slow = []Slow{{Module: "ManagedPipelineHandler", Notification: ExecuteRequestHandler, Duration: 46 * time.Second}}
	s.ResponseHeaders = exchangeResponse(2000, "EX16-01", 200)
	s.ResponseBody = `<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><m:FindItemResponse xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages"><m:ResponseMessages><m:FindItemResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode></m:FindItemResponseMessage></m:ResponseMessages></m:FindItemResponse></s:Body></s:Envelope>`
	return Sample{Rule: "slow-request", Title: "EWS FindItem on a huge mailbox: 47 s, nearly all in ManagedPipelineHandler",
		Finding: "slow request (TIME_TAKEN rule, trigger 0): the handler took 46 of 47 s", Traces: []Scenario{s}}
}

func healthyOutlookMac() Sample {
	var traces []Scenario
	for i := 0; i < 2; i++ {
		seed := int64(2100 + i)
		s := exchangeRequest{seed: seed, at: at(1_200_000 + 400*i), lb: kemp, client: Endpoint{"203.0.113.46", 50800}, ua: outlookMac,
			authz: "NTLM " + NTLMAuthenticate(seed, "CONTOSO", "jdoe", "JDOE-MBP"), body: ewsSOAP}.scenario()
		succeed(&s, `CONTOSO\jdoe`, "NTLM", true)
		s.SetResponseHeaders = []SetHeader{{Name: "Persistent-Auth", Value: "false"}}
		s.ResponseHeaders = exchangeResponse(seed, "EX16-01", 200, headers.Header{Name: "Persistent-Auth", Value: "false"})
		s.ResponseBody = `<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><m:GetFolderResponse xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages"/></s:Body></s:Envelope>`
		traces = append(traces, s)
	}
	return Sample{Rule: "healthy-outlook-mac", Title: "Outlook for Mac via KEMP: Authorization on every request, 200",
		Finding: "nothing (Persistent-Auth: false is harmless when the client re-authenticates)", Traces: traces}
}

func healthyDirect() Sample {
	s := exchangeRequest{seed: 2200, at: at(1_260_000), lb: direct, client: Endpoint{"10.0.8.15", 51234}, verb: "GET",
		url: "https://intranet.contoso.com:443/styles/site.css", ua: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36", server: "WEB01"}.scenario()
	s.AppPool = "DefaultAppPool"
	s.Auth = &Auth{Anonymous: true}
	s.User = &User{TokenUserName: `NT AUTHORITY\IUSR`}
	s.AuthenticationType = "anonymous"
	s.ResponseHeaders = headers.List{{Name: "Content-Type", Value: "text/css"}, {Name: "Last-Modified", Value: "Tue, 09 Jan 2024 08:12:44 GMT"},
		{Name: "Accept-Ranges", Value: "bytes"}, {Name: "ETag", Value: `"80d4f5a1e742da1:0"`}, {Name: "Server", Value: "Microsoft-IIS/10.0"}, {Name: "X-Powered-By", Value: "ASP.NET"}}
	s.ResponseBody = "body{font-family:\"Segoe UI\",sans-serif;margin:0}\r\n.header{background:#0078d4;color:#fff}\r\n"
	return Sample{Rule: "healthy-direct", Title: "static file served directly, no proxy, 200",
		Finding: "nothing", Traces: []Scenario{s}}
}

func replaceHeader(l headers.List, name, value string) headers.List {
	out := append(headers.List(nil), l...)
	for i := range out {
		if out[i].Name == name {
			out[i].Value = value
			return out
		}
	}
	return append(out, headers.Header{Name: name, Value: value})
}

// ancmRequestTimeout is an ASP.NET Core app hosted out of process whose
// report takes longer than ANCM's requestTimeout (2 minutes by default):
// the module answers 502.3 with ERROR_WINHTTP_TIMEOUT, as in
// aspnet/AspNetCoreModule#287.
func ancmRequestTimeout() Sample {
	s := exchangeRequest{seed: 1150, at: at(630_000), lb: direct, client: Endpoint{"10.0.7.41", 52811}, verb: "GET",
		url: "https://reports.contoso.com:443/api/reports/quarterly?year=2024", ua: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36",
		server: "APP02"}.scenario()
	s.AppPool = "ReportsAppPool"
	s.Auth = &Auth{Anonymous: true}
	s.User = &User{TokenUserName: `NT AUTHORITY\IUSR`}
	s.AuthenticationType = "anonymous"
	s.Handler = &Handler{Name: "aspNetCore", Modules: "AspNetCoreModuleV2", Type: "*"}
	s.Status = Status{502, 3}
	s.TimeTaken = 120_031 * time.Millisecond
	s.Error = &ModuleError{Module: "AspNetCoreModuleV2", Notification: ExecuteRequestHandler, Code: CodeWinHTTPTimeout}
	s.ResponseHeaders = headers.List{{Name: "Content-Type", Value: "text/html"}, {Name: "Server", Value: "Microsoft-IIS/10.0"}}
	return Sample{Rule: "ancm-request-timeout", Title: "ASP.NET Core app (out of process) takes longer than ANCM's 2-minute requestTimeout",
		Finding: "502.3 from AspNetCoreModuleV2 with 0x80072EE2 after 120 s: raise requestTimeout on <aspNetCore>, not ARR's proxy time-out",
		Traces:  []Scenario{s}}
}

// exchangeBackendUnreachable is an Exchange 2016 front end whose HttpProxy
// cannot reach the mailbox server's Exchange Back End site on 444 (a
// certificate deleted from the binding): the front end answers 500 itself,
// with X-FEServer and X-CalculatedBETarget but no X-BEServer.
func exchangeBackendUnreachable() Sample {
	mk := func(seed int64, ms int, desc string) Scenario {
		s := exchangeRequest{seed: seed, at: at(390_000 + ms), lb: f5, client: Endpoint{"198.51.100." + itoa(int(seed%200)), 50000 + int(seed%1000)},
			url: "https://mail.contoso.com:443/mapi/emsmdb/?MailboxId=7a1e2c3d-4b5f-4e6a-8c9d-0e1f2a3b4c5d@contoso.com",
			ua:  outlookWin, authz: "Negotiate " + KerberosToken(seed, 1700), body: "\x00"}.scenario()
		s.RequestBody = ""
		s.RequestHeaders = replaceHeader(s.RequestHeaders, "Content-Length", "0")
		s.AppPool = "MSExchangeMapiFrontEndAppPool"
		succeed(&s, `CONTOSO\user`+itoa(int(seed%100)), "Kerberos", false)
		s.Status = Status{500, 0}
		s.Error = &ModuleError{Module: "ManagedPipelineHandler", Notification: ExecuteRequestHandler, Code: CodeOK, Description: desc}
		s.ResponseHeaders = exchangeResponse(seed, "EX16-01", 500, headers.Header{Name: "X-CalculatedBETarget", Value: "ex16-02.contoso.com"})
		return s
	}
	return Sample{Rule: "exchange-backend-unreachable",
		Title:   "Exchange 2016 front end cannot reach the Exchange Back End site on 444 (certificate removed from the binding)",
		Finding: "front end answers 500 without X-BEServer: bind a valid certificate to Exchange Back End https *:444",
		Traces: []Scenario{mk(751, 0, ""),
			mk(752, 400, "The underlying connection was closed: Could not establish trust relationship for the SSL/TLS secure channel.")}}
}

// exchangeDownlevel is an Exchange 2016 front end proxying an EWS request
// for a mailbox on Exchange 2010 (KB 2988444): the user's Kerberos ticket
// passes the front end, the 2010 server's Http.sys answers 400, and the
// front end passes it on; Exchange 2010 sends no X-BEServer.
func exchangeDownlevel() Sample {
	s := exchangeRequest{seed: 761, at: at(395_000), lb: kemp, client: Endpoint{"203.0.113.88", 51999}, ua: outlookWin,
		authz: "Negotiate " + KerberosToken(761, 9400), body: ewsSOAP}.scenario()
	succeed(&s, `CONTOSO\hr-admin`, "Kerberos", false)
	s.Status = Status{400, 0}
	s.ResponseHeaders = exchangeResponse(761, "EX16-01", 400, headers.Header{Name: "X-CalculatedBETarget", Value: "ex2010-cas01.contoso.com"})
	return Sample{Rule: "exchange-downlevel-header-limit",
		Title:   "Exchange 2016 front end, mailbox on Exchange 2010: 400 for a user in many groups",
		Finding: "400 passed through from the 2010 back end (no X-BEServer): set MaxFieldLength/MaxRequestBytes 65536 on the 2010 CAS (KB 2988444)",
		Traces:  []Scenario{s}}
}

// proxyConnectionShared is a load balancer pooling its back-end
// connections in front of an intranet site with Windows authentication:
// alice authenticates on a pooled connection, then bob's request, sent
// without credentials on the same connection, is served as alice.
func proxyConnectionShared() Sample {
	pooled := Endpoint{"10.40.0.3", 41522}
	mk := func(seed int64, ms int, client Endpoint, authz string) Scenario {
		s := exchangeRequest{seed: seed, at: at(150_000 + ms), lb: haproxy, client: client, verb: "GET",
			url: "https://intranet.contoso.com:443/hr/payslips/", ua: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36",
			authz: authz, server: "WEB01"}.scenario()
		s.RequestHeaders = replaceHeader(s.RequestHeaders, "Host", "intranet.contoso.com")
		s.AppPool = "HRAppPool"
		s.Client = pooled
		succeed(&s, `CONTOSO\alice`, "NTLM", true)
		s.ResponseHeaders = headers.List{{Name: "Content-Type", Value: "text/html; charset=utf-8"}, {Name: "Server", Value: "Microsoft-IIS/10.0"}, {Name: "X-Powered-By", Value: "ASP.NET"}}
		s.ResponseBody = "<!DOCTYPE html><html><head><title>Payslips</title></head><body><h1>Payslips</h1></body></html>"
		return s
	}
	a := mk(351, 0, Endpoint{"198.51.100.23", 61422}, "NTLM "+NTLMAuthenticate(351, "CONTOSO", "alice", "WS-0142"))
	b := mk(352, 2_400, Endpoint{"198.51.100.77", 50310}, "")
	return Sample{Rule: "proxy-connection-shared",
		Title:   "HAProxy with back-end connection reuse: bob's request rides the connection alice authenticated and is served as alice",
		Finding: "security: one authenticated proxy connection served two clients; make the proxy bind back-end connections per client (http-reuse never)",
		Traces:  []Scenario{a, b}}
}

// loopbackCheck is an Exchange server calling its own EWS through the
// load-balanced name: KEMP sends the request back to the same server and
// the NTLM type 3 fails the loopback check (KB 896861).
func loopbackCheck() Sample {
	self := Endpoint{"192.0.2.21", 52114}
	s := exchangeRequest{seed: 611, at: at(310_000), lb: kemp, client: self, ua: "ExchangeServicesClient/15.01.2507.006",
		authz: "NTLM " + NTLMAuthenticate(611, "CONTOSO", "HealthMailbox0f1e2d3c", "EX16LOCAL"), body: ewsSOAP}.scenario()
	s.Status = Status{401, 1}
	s.Auth.Outcome = AuthFailed
	s.Error = &ModuleError{Module: "WindowsAuthenticationModule", Notification: AuthenticateRequest, Code: CodeLogonDenied}
	s.SetResponseHeaders = []SetHeader{{Name: "WWW-Authenticate", Value: "Negotiate"}, {Name: "WWW-Authenticate", Value: "NTLM"}}
	s.ResponseHeaders = exchangeResponse(611, "EX16-01", 401, headers.Header{Name: "WWW-Authenticate", Value: "Negotiate"}, headers.Header{Name: "WWW-Authenticate", Value: "NTLM"})
	return Sample{Rule: "loopback-check",
		Title:   "Exchange calls its own EWS through the load-balanced name; KEMP hairpins it back to the same server",
		Finding: "NTLM loopback check (401.1 from this server's own address, Host mail.contoso.com): add the name to BackConnectionHostNames",
		Traces:  []Scenario{s}}
}

// tlsOffloadRedirectLoop is HAProxy terminating TLS and forwarding HTTP to
// a site whose URL Rewrite rule redirects {HTTPS} off to https://: the
// client, already on HTTPS, is sent back to the URL it asked for.
func tlsOffloadRedirectLoop() Sample {
	s := exchangeRequest{seed: 811, at: at(425_000), lb: haproxy, client: Endpoint{"198.51.100.6", 61100}, verb: "GET",
		url: "http://portal.contoso.com:80/portal/", ua: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36",
		server: "WEB03"}.scenario()
	s.RequestHeaders = replaceHeader(s.RequestHeaders, "Host", "portal.contoso.com")
	s.AppPool = "PortalAppPool"
	s.Auth = &Auth{Anonymous: true}
	s.User = &User{TokenUserName: `NT AUTHORITY\IUSR`}
	s.AuthenticationType = "anonymous"
	s.Local = Endpoint{"192.0.2.31", 80}
	s.Status = Status{301, 0}
	s.ResponseHeaders = headers.List{{Name: "Content-Type", Value: "text/html; charset=UTF-8"}, {Name: "Location", Value: "https://portal.contoso.com/portal/"},
		{Name: "Server", Value: "Microsoft-IIS/10.0"}, {Name: "X-Powered-By", Value: "ASP.NET"}}
	s.ResponseBody = `<head><title>Document Moved</title></head><body><h1>Object Moved</h1>This document may be found <a HREF="https://portal.contoso.com/portal/">here</a></body>`
	return Sample{Rule: "tls-offload-redirect-loop",
		Title:   "HAProxy offloads TLS; a URL Rewrite rule on {HTTPS} off redirects the already-HTTPS client to the same URL",
		Finding: "redirect loop behind TLS offload: test X-Forwarded-Proto in the redirect rule, or re-encrypt to IIS",
		Traces:  []Scenario{s}}
}

// http2WindowsAuth is Traefik talking HTTP/2 to an intranet site with
// Windows authentication; a SiteMinder-style agent module records the
// protocol as SERVER_PROTOCOL, so the trace shows it.
func http2WindowsAuth() Sample {
	s := exchangeRequest{seed: 621, at: at(320_000), lb: direct, client: Endpoint{"10.60.0.8", 0}, verb: "GET",
		url: "https://intranet.contoso.com:443/hr/", ua: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36",
		server: "WEB01", extra: headers.List{{Name: "X-Forwarded-For", Value: "198.51.100.31"}, {Name: "X-Forwarded-Host", Value: "intranet.contoso.com"},
			{Name: "X-Forwarded-Proto", Value: "https"}, {Name: "X-Forwarded-Server", Value: "traefik-6b7f9"}, {Name: "X-Real-Ip", Value: "198.51.100.31"}}}.scenario()
	s.Client = Endpoint{"10.60.0.8", 40622}
	s.RequestHeaders = replaceHeader(s.RequestHeaders, "Host", "intranet.contoso.com")
	s.AppPool = "HRAppPool"
	s.SetRequestHeaders = []SetHeader{{Name: "SERVER_PROTOCOL", Value: "HTTP/2", Replace: true, Module: "SiteMinderAgent"}}
	challenge401(&s)
	s.ResponseHeaders = headers.List{{Name: "Content-Type", Value: "text/html"}, {Name: "Server", Value: "Microsoft-IIS/10.0"},
		{Name: "WWW-Authenticate", Value: "Negotiate"}, {Name: "WWW-Authenticate", Value: "NTLM"}}
	return Sample{Rule: "http2-windows-auth",
		Title:   "Traefik speaks HTTP/2 to IIS for a Windows-authenticated site; the trace records SERVER_PROTOCOL HTTP/2",
		Finding: "Windows authentication over HTTP/2 (HTTP_1_1_REQUIRED): make the proxy use HTTP/1.1 (Traefik disableHTTP2)",
		Traces:  []Scenario{s}}
}
