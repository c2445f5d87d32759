package gen

import (
	"fmt"
	"math/rand"
	"strconv"
	"time"

	"github.com/frebscan/frebscan/internal/fingerprint"
	"github.com/frebscan/frebscan/internal/headers"
)

// Building blocks shared by the sample scenarios: an Exchange front end
// behind a load balancer, as admins see it.

const (
	publicHost = "mail.contoso.com"
	ewsURL     = "https://mail.contoso.com:443/EWS/Exchange.asmx"
	macMailUA  = "Mac OS X/10.11.1 (15B42); ExchangeWebServices/6.0 (242); Mail/9.1 (3096.5)"
	outlookMac = "MacOutlook/16.16.0.180812 (Intelx64 Mac OS X Version 10.13.6 (Build 17G65))"
	outlookWin = "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.5095; Pro)"
	ewsSOAP    = `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types" xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages"><soap:Header><t:RequestServerVersion Version="Exchange2010_SP2"/></soap:Header><soap:Body><m:GetFolder><m:FolderShape><t:BaseShape>Default</t:BaseShape></m:FolderShape><m:FolderIds><t:DistinguishedFolderId Id="inbox"/></m:FolderIds></m:GetFolder></soap:Body></soap:Envelope>`
)

var sampleStart = time.Date(2024, 3, 12, 14, 2, 31, 118*int(time.Millisecond), time.UTC)

// lb describes the load balancer in front of IIS: the address IIS sees
// (SNAT) and the headers it adds.
type lb struct {
	name   string
	snat   Endpoint
	add    func(client Endpoint) headers.List
	cookie string
}

var (
	kemp = lb{name: fingerprint.VendorKEMP, snat: Endpoint{"192.0.2.5", 0}, add: func(c Endpoint) headers.List {
		return headers.List{
			{Name: "Via", Value: "HTTPS/1.1 kemp-lb.contoso.com:443"},
			{Name: "X-ClientSide", Value: fmt.Sprintf("%s:%d -> 192.0.2.10:443", c.Address, c.Port)},
		}
	}}
	f5 = lb{name: fingerprint.VendorF5, snat: Endpoint{"10.20.0.250", 0}, add: func(c Endpoint) headers.List {
		return headers.List{{Name: "X-Forwarded-For", Value: c.Address}}
	}, cookie: "BIGipServerpool_exchange_https=1174540298.47873.0000"}
	netscaler = lb{name: fingerprint.VendorNetScaler, snat: Endpoint{"10.30.0.12", 0}, add: func(c Endpoint) headers.List {
		return headers.List{{Name: "Client-IP", Value: c.Address}}
	}, cookie: "NSC_wt_nbjm.dpoutp.dpn_443=ffffffff0914150045525d5f4f58455e445a4a423660"}
	haproxy = lb{name: fingerprint.VendorHAProxy, snat: Endpoint{"10.40.0.3", 0}, add: func(c Endpoint) headers.List {
		return headers.List{{Name: "X-Forwarded-For", Value: c.Address}, {Name: "X-Forwarded-Proto", Value: "https"}}
	}}
	direct = lb{name: "none", add: func(Endpoint) headers.List { return nil }}
)

// exchangeRequest is an EWS (or other vdir) request as the load balancer
// forwards it.
type exchangeRequest struct {
	seed   int64
	at     time.Time
	lb     lb
	client Endpoint // the real client
	verb   string
	url    string
	ua     string
	authz  string // Authorization value, "" for none
	body   string
	extra  headers.List
	server string // IIS host name (also X-FEServer)
}

func (r exchangeRequest) scenario() Scenario {
	rng := rand.New(rand.NewSource(r.seed))
	verb := firstNonEmpty(r.verb, "POST")
	url := firstNonEmpty(r.url, ewsURL)
	server := firstNonEmpty(r.server, "EX16-01")
	h := headers.List{{Name: "Cache-Control", Value: "no-cache"}, {Name: "Connection", Value: "keep-alive"}}
	if verb == "POST" {
		h = append(h, headers.Header{Name: "Content-Length", Value: fmt.Sprint(len(r.body))}, headers.Header{Name: "Content-Type", Value: "text/xml"})
	}
	h = append(h, headers.Header{Name: "Accept", Value: "*/*"}, headers.Header{Name: "Accept-Encoding", Value: "gzip, deflate"},
		headers.Header{Name: "Accept-Language", Value: "en-us"})
	if r.authz != "" {
		h = append(h, headers.Header{Name: "Authorization", Value: r.authz})
	}
	cookie := fmt.Sprintf("ClientId=%X; X-BackEndCookie=S-1-5-21-%d-%d-%d-1104=u56Lnp2ejJqBnMeay5nOmZzSx8/NnNLLy8rL0p2anMbSm8nLysyZmsybycvHgYHNz83O0s/K0s3Kq8/Ix8XPycXNzw==; exchangecookie=%x",
		rng.Uint64()&0xFFFFFFFFFFFF, 1000000000+rng.Intn(999999999), 1000000000+rng.Intn(999999999), 100000000+rng.Intn(99999999), rng.Uint64())
	if r.lb.cookie != "" {
		cookie += "; " + r.lb.cookie
	}
	h = append(h, headers.Header{Name: "Cookie", Value: cookie}, headers.Header{Name: "Host", Value: publicHost})
	h = append(h, headers.Header{Name: "User-Agent", Value: firstNonEmpty(r.ua, macMailUA)})
	h = append(h, r.lb.add(r.client)...)
	h = append(h, r.extra...)
	clientSeen := r.lb.snat
	if r.lb.name == "none" {
		clientSeen = r.client
	} else {
		clientSeen.Port = 1024 + rng.Intn(60000)
	}
	return Scenario{
		Seed: r.seed, URL: url, Verb: verb, Start: r.at, Computer: server,
		SiteID: 1, AppPool: "MSExchangeServicesAppPool", ProcessID: 7424,
		Client: clientSeen, Local: Endpoint{"192.0.2.21", 443},
		RequestHeaders: h, RequestBody: r.body,
		Auth: &Auth{Windows: true, Basic: true},
	}
}

// exchangeResponse is the header block Exchange 2016 answers with.
func exchangeResponse(seed int64, server string, status int, extra ...headers.Header) headers.List {
	rng := rand.New(rand.NewSource(seed + 7))
	h := headers.List{{Name: "Cache-Control", Value: "private"}}
	if status == 200 {
		h = append(h, headers.Header{Name: "Content-Type", Value: "text/xml; charset=utf-8"})
	} else {
		h = append(h, headers.Header{Name: "Content-Type", Value: "text/html; charset=utf-8"})
	}
	h = append(h, headers.Header{Name: "Server", Value: "Microsoft-IIS/10.0"},
		headers.Header{Name: "request-id", Value: uuid(rng)})
	h = append(h, extra...)
	h = append(h, headers.Header{Name: "X-FEServer", Value: server}, headers.Header{Name: "X-Powered-By", Value: "ASP.NET"})
	return h
}

func uuid(rng *rand.Rand) string {
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", rng.Uint32(), rng.Intn(1<<16), 0x4000|rng.Intn(1<<12), 0x8000|rng.Intn(1<<14), rng.Int63n(1<<48))
}

// challenge401 is the 401 Windows authentication writes when a request
// carries no credentials and anonymous access is off.
func challenge401(s *Scenario) {
	s.Status = Status{401, 2}
	s.Error = &ModuleError{Module: "IIS Web Core", Notification: AuthenticateRequest, Code: CodeAccessDenied}
	s.SetResponseHeaders = append(s.SetResponseHeaders,
		SetHeader{Name: "WWW-Authenticate", Value: "Negotiate"}, SetHeader{Name: "WWW-Authenticate", Value: "NTLM"})
}

// continue401 is the 401.1 answering an NTLM type 1 with a challenge.
func continue401(s *Scenario, challenge string) {
	s.Status = Status{401, 1}
	s.Auth.Outcome = AuthContinue
	s.Error = &ModuleError{Module: "WindowsAuthenticationModule", Notification: AuthenticateRequest, Code: CodeContinueNeeded}
	s.SetResponseHeaders = append(s.SetResponseHeaders, SetHeader{Name: "WWW-Authenticate", Value: challenge})
}

func succeed(s *Scenario, user, pkg string, ntlm bool) {
	s.Auth.Outcome = AuthSucceeded
	s.Auth.User, s.Auth.Package, s.Auth.NTLMUsed = user, pkg, ntlm
	s.User = &User{RemoteUserName: user, UserName: user, TokenUserName: user}
	s.AuthenticationType = pkg
}

func itoa(n int) string { return strconv.Itoa(n) }
