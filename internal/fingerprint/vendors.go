package fingerprint

import (
	"strings"

	"github.com/frebscan/frebscan/internal/headers"
)

// signal is one way a product shows itself in a request. A signal with
// ConfidenceNone is supporting evidence: it is listed when another signal
// identified the product, and identifies nothing alone (X-Original-URL is
// sent by ARR, Application Gateway and URL Rewrite alike).
type signal struct {
	kind  signalKind
	name  string // header name, header name prefix or cookie name prefix
	value string // for header values: a case-insensitive substring
	conf  Confidence
	// with are headers that must also be present, without headers that
	// must be absent: products that add the same header are told apart
	// by the headers they add beside it.
	with, without []string
}

type signalKind int

const (
	header       signalKind = iota // header present with a non-empty value
	headerPrefix                   // any header whose name starts with name
	cookiePrefix                   // a Cookie whose name starts with name
	headerValue                    // header present and its value contains value
)

// Vendor names as reports show them. Rules key their vendor-specific
// fixes by these constants, so a fix cannot name a product the
// fingerprinter never reports.
const (
	VendorKEMP       = "KEMP LoadMaster"
	VendorF5         = "F5 BIG-IP"
	VendorNetScaler  = "Citrix NetScaler"
	VendorHAProxy    = "HAProxy"
	VendorARR        = "IIS ARR"
	VendorAppGateway = "Azure Application Gateway"
	VendorALB        = "AWS Application Load Balancer"
	VendorFrontDoor  = "Azure Front Door"
	VendorCloudflare = "Cloudflare"
	VendorAkamai     = "Akamai"
	VendorNginx      = "nginx"
	VendorCaddy      = "Caddy"
	VendorTraefik    = "Traefik"
	VendorYARP       = "YARP"
	VendorApache     = "Apache httpd (mod_proxy)"
)

// vendor is a product and its signals. The list is ordered from the
// products usually nearest to IIS (on-premises load balancers, ARR) to
// CDNs and cloud fronts further out, so the first match is the proxy that
// talks to IIS.
type vendor struct {
	name    string
	signals []signal
}

var vendors = []vendor{
	{VendorKEMP, []signal{
		{kind: header, name: "X-ClientSide", conf: ConfidenceHigh},
	}},
	{VendorF5, []signal{
		{kind: cookiePrefix, name: "BIGipServer", conf: ConfidenceHigh},
		{kind: headerPrefix, name: "X-F5-", conf: ConfidenceHigh},
		{kind: header, name: "X-WA-Info", conf: ConfidenceMedium},
	}},
	{VendorNetScaler, []signal{
		{kind: cookiePrefix, name: "NSC_", conf: ConfidenceHigh},
		{kind: headerPrefix, name: "X-NS-", conf: ConfidenceMedium},
		{kind: header, name: "Client-IP", conf: ConfidenceLow},
	}},
	{VendorHAProxy, []signal{
		{kind: headerPrefix, name: "X-HAProxy", conf: ConfidenceMedium},
		{kind: headerValue, name: "Via", value: "haproxy", conf: ConfidenceMedium},
	}},
	// Self-hosted reverse proxies. Caddy always adds "Via: 1.1 Caddy"
	// (reverseproxy.go prepareRequest); Apache adds Via only with ProxyVia
	// On/Full, naming itself in the comment with Full.
	{VendorCaddy, []signal{
		{kind: headerValue, name: "Via", value: "caddy", conf: ConfidenceHigh},
	}},
	{VendorApache, []signal{
		{kind: headerValue, name: "Via", value: "apache", conf: ConfidenceHigh},
		// mod_proxy_http's ProxyAddHeaders (on by default) sends
		// X-Forwarded-For, -Host and -Server; Traefik adds the same pair
		// with X-Real-Ip, which Apache never sends.
		{kind: header, name: "X-Forwarded-Server", with: []string{"X-Forwarded-Host"}, without: []string{"X-Real-Ip"}, conf: ConfidenceMedium},
	}},
	{VendorTraefik, []signal{
		// Traefik's forwarded headers: X-Forwarded-Server and X-Real-Ip
		// together (GHSA-62c8-mh53-4cqv lists them).
		{kind: header, name: "X-Forwarded-Server", with: []string{"X-Real-Ip"}, conf: ConfidenceMedium},
	}},
	{VendorNginx, []signal{
		{kind: header, name: "X-Nginx-Proxy", conf: ConfidenceMedium},
		// X-Real-IP is the header nginx configurations conventionally set
		// (proxy_set_header X-Real-IP $remote_addr); Traefik sets it too,
		// with X-Forwarded-Server.
		{kind: header, name: "X-Real-IP", without: []string{"X-Forwarded-Server"}, conf: ConfidenceLow},
	}},
	{VendorYARP, []signal{
		// YARP's default transforms add X-Forwarded-Prefix beside
		// X-Forwarded-For/Proto/Host; Traefik's StripPrefix adds it too,
		// with X-Real-Ip.
		{kind: header, name: "X-Forwarded-Prefix", without: []string{"X-Real-Ip", "X-Forwarded-Server"}, conf: ConfidenceLow},
	}},
	{VendorARR, []signal{
		{kind: header, name: "X-ARR-LOG-ID", conf: ConfidenceHigh},
		{kind: header, name: "X-ARR-SSL", conf: ConfidenceHigh},
		{kind: header, name: "X-ARR-ClientCert", conf: ConfidenceHigh},
		{kind: header, name: "X-Original-URL"},
	}},
	// Application Gateway inserts x-forwarded-for (ip:port),
	// x-forwarded-port/-proto, x-original-host, x-original-url and
	// x-appgw-trace-id (learn.microsoft.com, "How an application gateway
	// works", modifications to the request).
	{VendorAppGateway, []signal{
		{kind: header, name: "X-AppGW-Trace-Id", conf: ConfidenceHigh},
		{kind: header, name: "X-Original-Host", conf: ConfidenceMedium},
		{kind: header, name: "X-Original-URL"},
	}},
	{VendorALB, []signal{
		{kind: header, name: "X-Amzn-Trace-Id", conf: ConfidenceHigh},
	}},
	{VendorFrontDoor, []signal{
		{kind: header, name: "X-Azure-FDID", conf: ConfidenceHigh},
		{kind: header, name: "X-Azure-Ref", conf: ConfidenceHigh},
	}},
	{VendorCloudflare, []signal{
		{kind: header, name: "CF-Connecting-IP", conf: ConfidenceHigh},
		{kind: header, name: "CF-RAY", conf: ConfidenceHigh},
	}},
	{VendorAkamai, []signal{
		{kind: header, name: "Akamai-Origin-Hop", conf: ConfidenceHigh},
		{kind: header, name: "True-Client-IP", conf: ConfidenceMedium},
	}},
}

// Vendors lists every vendor name the fingerprinter can report, in the
// order it tries them, then UnknownProxy.
func Vendors() []string {
	out := make([]string, 0, len(vendors)+1)
	for _, v := range vendors {
		out = append(out, v.name)
	}
	return append(out, UnknownProxy)
}

// match returns the evidence for v and the best confidence among it.
func (v vendor) match(req headers.List) ([]Evidence, Confidence) {
	var ev []Evidence
	best := ConfidenceNone
	for _, s := range v.signals {
		found := s.find(req)
		if len(found) == 0 {
			continue
		}
		ev = append(ev, found...)
		if s.conf.Rank() > best.Rank() {
			best = s.conf
		}
	}
	if best == ConfidenceNone {
		return nil, best
	}
	return ev, best
}

func (s signal) find(req headers.List) []Evidence {
	for _, name := range s.with {
		if strings.TrimSpace(req.Value(name)) == "" {
			return nil
		}
	}
	for _, name := range s.without {
		if strings.TrimSpace(req.Value(name)) != "" {
			return nil
		}
	}
	var out []Evidence
	for _, h := range req {
		v := strings.TrimSpace(h.Value)
		if v == "" {
			continue
		}
		switch s.kind {
		case header:
			if strings.EqualFold(h.Name, s.name) {
				out = append(out, Evidence{h.Name, h.Value})
			}
		case headerPrefix:
			if hasPrefixFold(h.Name, s.name) {
				out = append(out, Evidence{h.Name, h.Value})
			}
		case headerValue:
			if strings.EqualFold(h.Name, s.name) && strings.Contains(strings.ToLower(v), s.value) {
				out = append(out, Evidence{h.Name, h.Value})
			}
		case cookiePrefix:
			if strings.EqualFold(h.Name, "Cookie") {
				for _, name := range cookieNames(v) {
					if hasPrefixFold(name, s.name) {
						// The cookie name identifies the product; its value
						// is the client's session and stays out.
						out = append(out, Evidence{"Cookie", name})
					}
				}
			}
		}
	}
	return out
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

func cookieNames(v string) []string {
	var out []string
	for _, part := range strings.Split(v, ";") {
		name, _, _ := strings.Cut(part, "=")
		if name = strings.TrimSpace(name); name != "" {
			out = append(out, name)
		}
	}
	return out
}
