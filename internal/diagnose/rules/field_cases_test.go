package rules

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/frebscan/frebscan/internal/diagnose"
	"github.com/frebscan/frebscan/internal/freb"
	"github.com/frebscan/frebscan/internal/gen"
	"github.com/frebscan/frebscan/internal/headers"
)

// leg is one request of a field case as IIS traced it: who sent it
// (the TCP peer and port IIS saw, the headers the proxy left), which
// server wrote the trace, what the authentication module made of it.
type leg struct {
	at       time.Duration
	server   string // <Computer>
	peer     string // RemoteAddress; default 10.20.0.250
	port     int    // RemotePort
	url      string // default EWS
	verb     string // default POST
	ua       string
	authz    string
	proxy    headers.List // headers the proxy added
	status   gen.Status
	module   string // module that set the error status; "-" for none (a status passed through)
	code     uint32 // its ErrorCode
	desc     string // SET_RESPONSE_ERROR_DESCRIPTION
	timeTake time.Duration
	response headers.List // extra response headers
	auth     gen.AuthOutcome
	// handler and notification place a handler's error (default: an
	// authentication module in AUTHENTICATE_REQUEST).
	handler      *gen.Handler
	arr          *gen.ARR
	notification string
	anonymous    bool
	user         string // DOMAIN\user IIS processed the request as (NTLM)
	host         string // Host header; default mail.contoso.com
	local        gen.Endpoint
}

var fieldStart = time.Date(2025, 6, 3, 9, 15, 0, 0, time.UTC)

// fieldTrace writes the leg as IIS would (internal/gen) and reads it back
// with the reader a scan uses.
func fieldTrace(t *testing.T, n int, l leg) *freb.Trace {
	t.Helper()
	url := firstNonEmpty(l.url, "https://mail.contoso.com:443/EWS/Exchange.asmx")
	verb := firstNonEmpty(l.verb, "POST")
	h := headers.List{{Name: "Connection", Value: "keep-alive"}, {Name: "Host", Value: firstNonEmpty(l.host, "mail.contoso.com")},
		{Name: "User-Agent", Value: firstNonEmpty(l.ua, "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17328; Pro)")}}
	if verb == "POST" {
		h = append(h, headers.Header{Name: "Content-Length", Value: "0"}, headers.Header{Name: "Content-Type", Value: "text/xml"})
	}
	if l.authz != "" {
		h = append(h, headers.Header{Name: "Authorization", Value: l.authz})
	}
	h = append(h, l.proxy...)
	s := gen.Scenario{
		Seed: int64(9000 + n), URL: url, Verb: verb, Status: l.status, Computer: firstNonEmpty(l.server, "WEB01"),
		Start: fieldStart.Add(l.at), Client: gen.Endpoint{Address: firstNonEmpty(l.peer, "10.20.0.250"), Port: l.port},
		Local: gen.Endpoint{Address: "10.20.0.21", Port: 443}, RequestHeaders: h, TimeTaken: l.timeTake,
		AppPool: "MSExchangeServicesAppPool", Auth: &gen.Auth{Windows: true, Outcome: l.auth},
		ResponseHeaders: append(headers.List{{Name: "Content-Type", Value: "text/html"}, {Name: "Server", Value: "Microsoft-IIS/10.0"}}, l.response...),
	}
	if l.status.Code >= 400 && l.module != "-" {
		s.Error = &gen.ModuleError{Module: firstNonEmpty(l.module, "WindowsAuthenticationModule"), Notification: firstNonEmpty(l.notification, gen.AuthenticateRequest),
			Code: l.code, Description: l.desc}
	}
	s.Handler, s.ARR = l.handler, l.arr
	if l.local.Address != "" {
		s.Local = l.local
	}
	if l.user != "" {
		s.Auth.Outcome, s.Auth.User, s.Auth.Package, s.Auth.NTLMUsed = gen.AuthSucceeded, l.user, "NTLM", true
		s.User = &gen.User{RemoteUserName: l.user, UserName: l.user, TokenUserName: l.user}
		s.AuthenticationType = "NTLM"
	}
	if l.anonymous {
		s.Auth = &gen.Auth{Anonymous: true}
	}
	if l.status.Code == 401 {
		s.SetResponseHeaders = []gen.SetHeader{{Name: "WWW-Authenticate", Value: "Negotiate"}, {Name: "WWW-Authenticate", Value: "NTLM"}}
	}
	var b bytes.Buffer
	if err := gen.Write(&b, s); err != nil {
		t.Fatal(err)
	}
	tr, err := freb.Read(&b, fmt.Sprintf("fr%06d.xml", n), freb.Options{SlowSteps: 5})
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// fieldCase is a failure rebuilt from a public report with a confirmed
// cause: the rule that must explain it, a phrase its fix must contain,
// the vendor the fix is for, and no other finding above info beside it.
type fieldCase struct {
	name    string
	legs    []leg
	rule    string
	fix     string // substring of the fix shown
	vendor  string
	conf    diagnose.Confidence // "" = any
	summary string              // substring of some finding's summary
	also    []string            // other rules allowed to fire above info
}

func runFieldCases(t *testing.T, cases []fieldCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var traces []*freb.Trace
			for i, l := range tc.legs {
				traces = append(traces, fieldTrace(t, i+1, l))
			}
			found := diagnoseAll(traces)
			fs := found[tc.rule]
			if len(fs) == 0 {
				t.Fatalf("%s did not fire; got %v", tc.rule, summaries(found))
			}
			confOK, summaryOK := tc.conf == "", tc.summary == ""
			for _, f := range fs {
				if tc.fix != "" && !strings.Contains(f.Fix, tc.fix) {
					t.Errorf("fix %q lacks %q", f.Fix, tc.fix)
				}
				if f.Vendor != tc.vendor {
					t.Errorf("vendor %q, want %q", f.Vendor, tc.vendor)
				}
				confOK = confOK || f.Confidence == tc.conf
				summaryOK = summaryOK || strings.Contains(f.Summary, tc.summary)
			}
			if !confOK {
				t.Errorf("no finding at confidence %s: %v", tc.conf, summaries(found))
			}
			if !summaryOK {
				t.Errorf("no summary contains %q: %v", tc.summary, summaries(found))
			}
			for rule, other := range found {
				if rule == tc.rule || contains(tc.also, rule) {
					continue
				}
				for _, f := range other {
					if f.Severity > diagnose.Info {
						t.Errorf("wrong finding beside it: %s (%s, %s): %s", rule, f.Severity, f.Confidence, f.Summary)
					}
				}
			}
		})
	}
}

func summaries(found map[string][]diagnose.Finding) []string {
	var out []string
	for rule, fs := range found {
		for _, f := range fs {
			out = append(out, fmt.Sprintf("%s/%s/%s: %s", rule, f.Severity, f.Confidence, f.Summary))
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

var (
	ntlm1 = "NTLM " + gen.NTLMNegotiate()
	ntlm3 = "NTLM " + gen.NTLMAuthenticate(77, "CONTOSO", "asmith", "WS-0142")
	neg3  = "Negotiate " + gen.NTLMAuthenticate(78, "CONTOSO", "asmith", "WS-0142")
	krb   = "Negotiate " + gen.KerberosToken(79, 1700)
)

// challengeLeg is the type 1 answered with a challenge, as IIS traces it.
func challengeLeg(at time.Duration, server string, port int, proxy headers.List) leg {
	return leg{at: at, server: server, port: port, authz: ntlm1, proxy: proxy, status: gen.Status{Code: 401, Sub: 1},
		code: gen.CodeContinueNeeded, auth: gen.AuthContinue}
}

func failedLeg(at time.Duration, server string, port int, authz string, code uint32, proxy headers.List) leg {
	return leg{at: at, server: server, port: port, authz: authz, proxy: proxy, status: gen.Status{Code: 401, Sub: 1},
		code: code, auth: gen.AuthFailed}
}

// TestFieldCasesAuthentication rebuilds public reports of Windows
// authentication failing behind load balancers. The SSPI status, not the
// 401.1, chooses the explanation, and one explanation is given per trace.
func TestFieldCasesAuthentication(t *testing.T) {
	xff := headers.List{{Name: "X-Forwarded-For", Value: "198.51.100.23"}}
	runFieldCases(t, []fieldCase{
		{
			// https://techcommunity.microsoft.com/t5/iis-support-blog/401-1-2148074248-in-iis-logs-behind-a-load-balancer-with/ba-p/2428459
			// 401.1 0x80090308 behind a layer-4 balancer: the type 3 reaches
			// the other server; no proxy header at all.
			name: "L4 balancer sends the type 3 to another server",
			legs: []leg{challengeLeg(0, "WEB01", 50211, nil), failedLeg(180*time.Millisecond, "WEB02", 50211, ntlm3, gen.CodeInvalidToken, nil)},
			rule: "auth-handshake-broken", fix: "pinned", conf: diagnose.ConfidenceHigh, summary: "WEB01 answered the type 1, WEB02 got the type 3",
		},
		{
			// Same report, a proxy that strips headers and pools its
			// back-end connections: one server, the type 3 on a new
			// connection (another source port).
			name: "header-stripping proxy puts the type 3 on another connection",
			legs: []leg{challengeLeg(0, "WEB01", 50211, nil), failedLeg(150*time.Millisecond, "WEB01", 50388, ntlm3, gen.CodeInvalidToken, nil)},
			rule: "auth-handshake-broken", fix: "pinned", conf: diagnose.ConfidenceHigh, summary: "a connection that saw no challenge",
		},
		{
			// The same case captured with a FREB rule on the failure only:
			// the status alone points at the split, at medium confidence.
			name: "only the failed leg traced, no proxy header",
			legs: []leg{failedLeg(0, "WEB02", 50388, ntlm3, gen.CodeInvalidToken, nil)},
			rule: "auth-handshake-broken", conf: diagnose.ConfidenceMedium, summary: "inferred",
		},
		{
			// https://github.com/ThreeMammals/Ocelot/issues/2121: a pooling
			// .NET gateway, "The token supplied to the function is invalid"
			// on the Negotiate (NTLM) leg, X-Forwarded-For present.
			name: "pooling gateway, Negotiate wrapping NTLM, SEC_E_INVALID_TOKEN",
			legs: []leg{failedLeg(0, "APP01", 51000, neg3, gen.CodeInvalidToken, xff)},
			rule: "auth-handshake-broken", vendor: "unknown proxy", conf: diagnose.ConfidenceHigh,
		},
		{
			// https://microsoft.github.io/CSS-Exchange/Security/Extended-Protection/
			// Exchange 2019 CU14 behind an SSL-offloading balancer: only the
			// Extended Protection finding, not "wrong password" and "broken
			// handshake" beside it.
			name: "Extended Protection behind SSL offload",
			legs: []leg{failedLeg(0, "EX19-01", 50500, ntlm3, gen.CodeBadBindings, headers.List{{Name: "X-Forwarded-For", Value: "198.51.100.90"}, {Name: "X-Forwarded-Proto", Value: "https"}})},
			rule: "extended-protection-offload", fix: "SSL bridging", vendor: "unknown proxy", conf: diagnose.ConfidenceHigh,
		},
		{
			// https://learn.microsoft.com/archive/blogs/david.wang/howto-diagnose-401-x-http-errors-on-iis
			// a real wrong password: 401.1 with SEC_E_LOGON_DENIED on one
			// connection to one server.
			name: "wrong password (SEC_E_LOGON_DENIED)",
			legs: []leg{challengeLeg(0, "WEB01", 50600, nil), failedLeg(90*time.Millisecond, "WEB01", 50600, ntlm3, gen.CodeLogonDenied, nil)},
			rule: "auth-denied", fix: "event 4625", conf: diagnose.ConfidenceHigh, summary: "password is wrong",
		},
		{
			// Basic authentication with a wrong password logs 401.1 with
			// ERROR_LOGON_FAILURE (1326) (KB 943891 substatus table).
			name: "Basic with a wrong password (ERROR_LOGON_FAILURE)",
			legs: []leg{{authz: "Basic Y29udG9zb1xqZG9lOndyb25n", port: 50700, status: gen.Status{Code: 401, Sub: 1}, module: "BasicAuthenticationModule", code: gen.CodeLogonFailure}},
			rule: "auth-denied", summary: "password is wrong",
		},
		{
			// https://learn.microsoft.com/en-us/windows/win32/secauthn/sspi-status-codes
			// SEC_I_CONTINUE_NEEDED on the challenge leg is the handshake
			// continuing: information, never an error.
			name: "continue needed is not an error",
			legs: []leg{challengeLeg(0, "WEB01", 50800, nil)},
			rule: "auth-denied", summary: "continue needed",
		},
		{
			// https://joshroark.com/kerberos-krb_ap_err_modified-is-not-always-an-spn-problem/
			// Kerberos ticket for the load-balanced name, SPN on another
			// account: kerberos-spn only.
			name: "Kerberos ticket rejected (SEC_E_WRONG_PRINCIPAL) behind NetScaler",
			legs: []leg{failedLeg(0, "EX16-01", 50900, krb, gen.CodeWrongPrincipal, headers.List{{Name: "Client-IP", Value: "10.1.44.17"}, {Name: "Cookie", Value: "NSC_wt_nbjm=ffffffff09"}})},
			rule: "kerberos-spn", fix: "setspn", vendor: "Citrix NetScaler", conf: diagnose.ConfidenceHigh,
		},
	})
}

// TestContinueNeededIsInfo: the challenge leg never counts as a failure.
func TestContinueNeededIsInfo(t *testing.T) {
	found := diagnoseAll([]*freb.Trace{fieldTrace(t, 1, challengeLeg(0, "WEB01", 50800, nil))})
	for rule, fs := range found {
		for _, f := range fs {
			if f.Severity > diagnose.Info {
				t.Errorf("%s: %s finding on a continue-needed leg: %s", rule, f.Severity, f.Summary)
			}
		}
	}
}

// TestFieldCasesProxyVendors: the proxy is named from its headers and the
// fix is that product's setting.
func TestFieldCasesProxyVendors(t *testing.T) {
	const macMail = "macOS/14.2.1 (23C71); ExchangeWebServices/14.0 (318); Mail/16.0 (3774.300.61.1.2)"
	split := func(proxy headers.List) []leg {
		return []leg{challengeLeg(0, "EX16-01", 40100, proxy), failedLeg(120*time.Millisecond, "EX16-01", 40177, ntlm3, gen.CodeInvalidToken, proxy)}
	}
	runFieldCases(t, []fieldCase{
		{
			// https://mailman.nginx.org/pipermail/nginx/2022-November/KWOMUMMDUJERP5QRAMJYLYE2QAF2URWO.html
			// nginx with the usual X-Real-IP/X-Forwarded-For snippet and
			// its default Connection: close upstream.
			name: "nginx OSS in front of Exchange",
			legs: split(headers.List{{Name: "X-Real-IP", Value: "198.51.100.23"}, {Name: "X-Forwarded-For", Value: "198.51.100.23"}}),
			rule: "auth-handshake-broken", vendor: "nginx", fix: "stream {}", conf: diagnose.ConfidenceHigh,
		},
		{
			// https://github.com/opnsense/plugins/issues/4160: Caddy in front
			// of Exchange, Outlook fails to log in without http_ntlm.
			name: "Caddy without the NTLM transport",
			legs: split(headers.List{{Name: "Via", Value: "1.1 Caddy"}, {Name: "X-Forwarded-For", Value: "198.51.100.23"}, {Name: "X-Forwarded-Proto", Value: "https"}}),
			rule: "auth-handshake-broken", vendor: "Caddy", fix: "http_ntlm", conf: diagnose.ConfidenceHigh,
		},
		{
			// https://github.com/traefik/traefik/issues/11037
			name: "Traefik HTTP router",
			legs: split(headers.List{{Name: "X-Forwarded-For", Value: "198.51.100.23"}, {Name: "X-Forwarded-Host", Value: "mail.contoso.com"},
				{Name: "X-Forwarded-Proto", Value: "https"}, {Name: "X-Forwarded-Server", Value: "traefik-5c9"}, {Name: "X-Real-Ip", Value: "198.51.100.23"}}),
			rule: "auth-handshake-broken", vendor: "Traefik", fix: "passthrough", conf: diagnose.ConfidenceHigh,
		},
		{
			// https://github.com/dotnet/yarp/issues/1097
			name: "YARP gateway",
			legs: split(headers.List{{Name: "X-Forwarded-For", Value: "198.51.100.23"}, {Name: "X-Forwarded-Proto", Value: "https"},
				{Name: "X-Forwarded-Host", Value: "mail.contoso.com"}, {Name: "X-Forwarded-Prefix", Value: "/mail"}}),
			rule: "auth-handshake-broken", vendor: "YARP", fix: "cannot be proxied", conf: diagnose.ConfidenceHigh,
		},
		{
			// https://learn.microsoft.com/en-us/azure/application-gateway/configuration-http-settings
			// Application Gateway v2 reusing idle back-end connections
			// (X-Original-URL present: it is not ARR).
			name: "Azure Application Gateway without dedicated back-end connections",
			legs: split(headers.List{{Name: "X-Forwarded-For", Value: "198.51.100.23:50412"}, {Name: "X-Forwarded-Proto", Value: "https"},
				{Name: "X-Original-URL", Value: "/EWS/Exchange.asmx"}, {Name: "X-Original-Host", Value: "mail.contoso.com"}, {Name: "X-AppGW-Trace-Id", Value: "5d6f0c1e0f7a4f7e9b6b1d2f3c4b5a69"}}),
			rule: "auth-handshake-broken", vendor: "Azure Application Gateway", fix: "Dedicated backend connection", conf: diagnose.ConfidenceHigh,
		},
		{
			// https://docs.aws.amazon.com/whitepapers/latest/replatform-dotnet-apps-with-windows-containers/using-a-load-balancer-with-windows-authentication.html
			name: "AWS ALB",
			legs: split(headers.List{{Name: "X-Forwarded-For", Value: "198.51.100.23"}, {Name: "X-Forwarded-Proto", Value: "https"},
				{Name: "X-Forwarded-Port", Value: "443"}, {Name: "X-Amzn-Trace-Id", Value: "Root=1-67891233-abcdef012345678912345678"}}),
			rule: "auth-handshake-broken", vendor: "AWS Application Load Balancer", fix: "Network Load Balancer", conf: diagnose.ConfidenceHigh,
		},
		{
			// Caddy's Via (reverseproxy.go) makes IIS answer
			// Persistent-Auth: false; Apple Mail then posts EWS without
			// credentials (bhargavs.com, Part 2).
			name: "Apple Mail behind Caddy",
			legs: []leg{{ua: macMail, port: 40300, proxy: headers.List{{Name: "Via", Value: "1.1 Caddy"}, {Name: "X-Forwarded-For", Value: "198.51.100.45"}},
				status: gen.Status{Code: 400}, module: "IIS Web Core", code: 0}},
			rule: "via-persistent-auth", vendor: "Caddy", fix: "header_up -Via",
		},
	})
}

// TestFieldCasesANCM: the ASP.NET Core Module's own 502.3 time-out gets
// its requestTimeout fix, not ARR's server-farm time-out; ARR's keeps
// ARR's.
func TestFieldCasesANCM(t *testing.T) {
	ancm := func(module string, took time.Duration) leg {
		return leg{verb: "GET", url: "https://app.contoso.com:443/api/export", port: 51000, anonymous: true,
			handler: &gen.Handler{Name: "aspNetCore", Modules: module, Type: "*"}, notification: gen.ExecuteRequestHandler,
			status: gen.Status{Code: 502, Sub: 3}, module: module, code: gen.CodeWinHTTPTimeout, timeTake: took}
	}
	runFieldCases(t, []fieldCase{
		{
			// https://github.com/aspnet/AspNetCoreModule/issues/287: 502.3,
			// ErrorCode 2147954402 from AspNetCoreModule after ~120 s.
			name: "AspNetCoreModule after the default 2 minutes",
			legs: []leg{ancm("AspNetCoreModule", 120_015*time.Millisecond)},
			rule: "ancm-request-timeout", fix: "requestTimeout", conf: diagnose.ConfidenceHigh, summary: "default requestTimeout",
		},
		{
			// https://learn.microsoft.com/en-us/aspnet/core/host-and-deploy/iis/web-config#attributes-of-the-aspnetcore-element
			// requestTimeout raised to 5 minutes, still exceeded.
			name: "AspNetCoreModuleV2 with a raised requestTimeout",
			legs: []leg{ancm("AspNetCoreModuleV2", 300_020*time.Millisecond)},
			rule: "ancm-request-timeout", fix: "requestTimeout", conf: diagnose.ConfidenceHigh,
		},
		{
			// ARR's own 502.3 time-out stays ARR's (server farm proxy
			// time-out, 30 s by default).
			name: "ARR proxy time-out",
			legs: []leg{{verb: "GET", url: "https://www.contoso.com:443/api/orders", port: 51100, anonymous: true,
				arr: &gen.ARR{Farm: "api-farm", Server: "app02.contoso.local:8080", Code: gen.CodeWinHTTPTimeout}, notification: gen.ExecuteRequestHandler,
				status: gen.Status{Code: 502, Sub: 3}, module: "ApplicationRequestRouting", code: gen.CodeWinHTTPTimeout, timeTake: 30 * time.Second}},
			rule: "arr-backend-timeout", fix: "proxy time-out", conf: diagnose.ConfidenceHigh,
		},
	})
}

// TestFieldCasesExchangeProxying: Exchange's own front end → back end
// proxying, told apart by X-FEServer, X-CalculatedBETarget and X-BEServer.
func TestFieldCasesExchangeProxying(t *testing.T) {
	fe := func(status gen.Status, authz string, response headers.List, module, desc string) leg {
		l := leg{url: "https://mail.contoso.com:443/EWS/Exchange.asmx", port: 52000, authz: authz, status: status,
			response: append(headers.List{{Name: "X-FEServer", Value: "EX16-01"}}, response...)}
		l.module, l.notification, l.desc = firstNonEmpty(module, "-"), gen.ExecuteRequestHandler, desc
		return l
	}
	target := headers.List{{Name: "X-CalculatedBETarget", Value: "ex16-02.contoso.com"}}
	runFieldCases(t, []fieldCase{
		{
			// https://learn.microsoft.com/en-us/archive/blogs/miguelo/exchange-2013-clients-not-able-to-connect-using-outlook-anywhere
			// certificate removed from the Exchange Back End 444 binding:
			// the front end answers 500 with no back end behind it.
			name: "444 certificate gone",
			legs: []leg{fe(gen.Status{Code: 500}, krb, target, "ManagedPipelineHandler", "The remote certificate is invalid according to the validation procedure.")},
			rule: "exchange-backend-unreachable", fix: "444", conf: diagnose.ConfidenceHigh, summary: "certificate problem",
		},
		{
			// Same report, the error text not traced: inferred from the
			// headers, medium.
			name: "back end silent, headers only",
			legs: []leg{fe(gen.Status{Code: 500}, krb, target, "", "")},
			rule: "exchange-backend-unreachable", fix: "444", conf: diagnose.ConfidenceMedium, summary: "inferred",
		},
		{
			// https://learn.microsoft.com/en-us/troubleshoot/exchange/http-proxy/400-bad-request (KB 2988444)
			name: "Exchange 2016 front end, 2010 back end, large ticket",
			legs: []leg{fe(gen.Status{Code: 400}, "Negotiate "+gen.KerberosToken(81, 9800), headers.List{{Name: "X-CalculatedBETarget", Value: "ex2010-cas01.contoso.com"}}, "", "")},
			rule: "exchange-downlevel-header-limit", fix: "65536", conf: diagnose.ConfidenceMedium, summary: "ex2010-cas01",
		},
	})
	// The back end answered (X-BEServer): its own 500 is not a proxying
	// failure.
	tr := fieldTrace(t, 1, fe(gen.Status{Code: 500}, krb, append(target, headers.Header{Name: "X-BEServer", Value: "EX16-02"}), "ManagedPipelineHandler", ""))
	if fs := diagnoseAll([]*freb.Trace{tr})["exchange-backend-unreachable"]; len(fs) > 0 {
		t.Errorf("fired although the back end answered: %s", fs[0].Summary)
	}
}

// TestFieldCasesSharedConnection: a pooling proxy hands one user's
// authenticated back-end connection to another user.
func TestFieldCasesSharedConnection(t *testing.T) {
	f5 := func(client string) headers.List {
		return headers.List{{Name: "X-Forwarded-For", Value: client}, {Name: "Cookie", Value: "BIGipServerpool_intranet=1677787402.47873.0000"}}
	}
	ok := gen.Status{Code: 200}
	runFieldCases(t, []fieldCase{
		{
			// https://github.com/haproxy/haproxy/issues/581 ("User substitution
			// during authentication using NTLM protocol", IIS behind a
			// pooling proxy); the F5 form is OneConnect without the NTLM
			// Conn Pool profile.
			name: "second user served on the first user's connection",
			legs: []leg{
				{verb: "GET", url: "https://intranet.contoso.com:443/hr/", port: 41522, authz: ntlm3, proxy: f5("198.51.100.23"), status: ok, user: `CONTOSO\alice`},
				{at: 3 * time.Second, verb: "GET", url: "https://intranet.contoso.com:443/hr/", port: 41522, proxy: f5("198.51.100.77"), status: ok, user: `CONTOSO\alice`},
			},
			rule: "proxy-connection-shared", vendor: "F5 BIG-IP", fix: "NTLM Conn Pool", conf: diagnose.ConfidenceHigh, summary: "198.51.100.77",
		},
	})
	// The same client reusing its own authenticated connection is NTLM
	// working as designed.
	traces := []*freb.Trace{
		fieldTrace(t, 1, leg{verb: "GET", url: "https://intranet.contoso.com:443/hr/", port: 41522, authz: ntlm3, proxy: f5("198.51.100.23"), status: ok, user: `CONTOSO\alice`}),
		fieldTrace(t, 2, leg{at: time.Second, verb: "GET", url: "https://intranet.contoso.com:443/hr/", port: 41522, proxy: f5("198.51.100.23"), status: ok, user: `CONTOSO\alice`}),
	}
	for rule, fs := range diagnoseAll(traces) {
		for _, f := range fs {
			if f.Severity > diagnose.Info {
				t.Errorf("one client reusing its connection: %s fired: %s", rule, f.Summary)
			}
		}
	}
}

// TestFieldCasesOffloadAndLoopback: TLS offload seen as a redirect loop,
// and the loopback check when a balancer hairpins a server's own request.
func TestFieldCasesOffloadAndLoopback(t *testing.T) {
	self := gen.Endpoint{Address: "10.20.0.21", Port: 443}
	redirect := func(proxy headers.List) leg {
		return leg{verb: "GET", url: "http://portal.contoso.com:80/apps/", host: "portal.contoso.com", port: 40500, anonymous: true,
			local: gen.Endpoint{Address: "10.20.0.21", Port: 80}, proxy: proxy, status: gen.Status{Code: 302}, module: "-",
			response: headers.List{{Name: "Location", Value: "https://portal.contoso.com/apps/"}}}
	}
	runFieldCases(t, []fieldCase{
		{
			// https://mskb.pkisolutions.com/kb/896861: browsing the site on the
			// server itself by an alias name, 401.1.
			name: "server browses itself by its alias",
			legs: []leg{{peer: "10.20.0.21", port: 50123, local: self, host: "intranet.contoso.com", authz: ntlm3, status: gen.Status{Code: 401, Sub: 1}, code: gen.CodeLogonDenied, auth: gen.AuthFailed}},
			rule: "loopback-check", fix: "BackConnectionHostNames", conf: diagnose.ConfidenceHigh,
		},
		{
			// Same KB, the load balancer hairpins the server's own request
			// (F5 SNAT, X-Forwarded-For = the server).
			name: "F5 hairpins the server's own EWS call",
			legs: []leg{{port: 50124, local: self, authz: ntlm3, status: gen.Status{Code: 401, Sub: 1}, code: gen.CodeLogonDenied, auth: gen.AuthFailed,
				proxy: headers.List{{Name: "X-Forwarded-For", Value: "10.20.0.21"}, {Name: "Cookie", Value: "BIGipServerpool_exchange=1677787402.47873.0000"}}}},
			rule: "loopback-check", fix: "DisableLoopbackCheck", vendor: "F5 BIG-IP", conf: diagnose.ConfidenceHigh, summary: "loopback check",
		},
		{
			// https://devblog.cyotek.com/post/redirecting-to-https-when-using-iis-behind-a-load-balancer
			name: "AWS ALB offloads TLS, {HTTPS} off rule redirects",
			legs: []leg{redirect(headers.List{{Name: "X-Forwarded-For", Value: "198.51.100.60"}, {Name: "X-Forwarded-Proto", Value: "https"},
				{Name: "X-Forwarded-Port", Value: "443"}, {Name: "X-Amzn-Trace-Id", Value: "Root=1-67891233-abcdef012345678912345678"}})},
			rule: "tls-offload-redirect-loop", fix: "X_FORWARDED_PROTO", vendor: "AWS Application Load Balancer", conf: diagnose.ConfidenceHigh, summary: "redirect loop",
		},
	})
	// A plain-HTTP client redirected to HTTPS, no proxy: the redirect
	// working as intended.
	found := diagnoseAll([]*freb.Trace{fieldTrace(t, 1, redirect(nil))})
	if fs := found["tls-offload-redirect-loop"]; len(fs) > 0 {
		t.Errorf("fired on a direct plain-HTTP client: %s", fs[0].Summary)
	}
	// Another user's wrong password from a workstation is not the
	// loopback check.
	found = diagnoseAll([]*freb.Trace{fieldTrace(t, 2, leg{peer: "10.20.5.77", port: 50125, local: self, host: "intranet.contoso.com", authz: ntlm3,
		status: gen.Status{Code: 401, Sub: 1}, code: gen.CodeLogonDenied, auth: gen.AuthFailed})})
	if len(found["loopback-check"]) > 0 || len(found["auth-denied"]) == 0 {
		t.Errorf("workstation wrong password: %v", summaries(found))
	}
}
