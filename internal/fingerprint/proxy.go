// Package fingerprint recognises what sits around IIS from the headers
// of one request: the load balancer or proxy in front of it (with the
// real client address) and the client program (from User-Agent). Both
// matter for Exchange incidents, where the same symptom has different
// causes depending on the proxy vendor and the client.
package fingerprint

import (
	"strings"

	"github.com/frebscan/frebscan/internal/headers"
)

// Confidence grades a verdict: a proxy or client fingerprint here, a
// finding in package diagnose (which uses this type), so both rank the
// same way.
type Confidence string

// Confidence levels: high when a vendor-specific header or cookie was
// seen, medium for headers several products use, low for generic
// forwarding headers alone.
const (
	ConfidenceNone   Confidence = ""
	ConfidenceLow    Confidence = "low"
	ConfidenceMedium Confidence = "medium"
	ConfidenceHigh   Confidence = "high"
)

// Rank orders confidences: 3 for high down to 0 for none.
func (c Confidence) Rank() int {
	switch c {
	case ConfidenceHigh:
		return 3
	case ConfidenceMedium:
		return 2
	case ConfidenceLow:
		return 1
	}
	return 0
}

// Evidence is one header (or cookie) that led to a verdict.
type Evidence struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// UnknownProxy is the vendor reported when only generic forwarding
// headers (Via, X-Forwarded-For, Forwarded) are present.
const UnknownProxy = "unknown proxy"

// ProxyInfo is the verdict on what forwarded a request to IIS.
type ProxyInfo struct {
	// Detected is false when nothing in the request points to a proxy.
	Detected bool `json:"detected"`
	// Vendor is the product nearest to IIS, e.g. "KEMP LoadMaster", or
	// UnknownProxy.
	Vendor     string     `json:"vendor,omitempty"`
	Confidence Confidence `json:"confidence,omitempty"`
	// Others lists further products seen in the chain (a CDN in front of
	// the load balancer), nearest first after Vendor.
	Others []string `json:"others,omitempty"`
	// ProxyAddress is the proxy's address as it names itself (Via
	// received-by, the VIP in X-ClientSide) or the TCP peer.
	ProxyAddress string `json:"proxyAddress,omitempty"`
	// ClientAddress and ClientPort are the original client, from the
	// forwarding headers.
	ClientAddress string `json:"clientAddress,omitempty"`
	ClientPort    string `json:"clientPort,omitempty"`
	// Hops counts proxies: the larger of the Via, X-Forwarded-For and
	// Forwarded entry counts.
	Hops int `json:"hops,omitempty"`
	// LocalARR is true when a module on this server set ARR forwarding
	// headers: this IIS is itself a reverse proxy for the request.
	LocalARR bool       `json:"localARR,omitempty"`
	Evidence []Evidence `json:"evidence,omitempty"`
}

// Proxy inspects the request headers as the client (or upstream proxy)
// sent them, the header changes modules made during the request, and the
// TCP peer address (GENERAL_ENDPOINT_INFORMATION RemoteAddress).
func Proxy(req headers.List, changes []headers.Change, clientAddr string) ProxyInfo {
	var p ProxyInfo
	best := ConfidenceNone
	for _, v := range vendors {
		ev, conf := v.match(req)
		if len(ev) == 0 {
			continue
		}
		p.Evidence = append(p.Evidence, ev...)
		if p.Vendor == "" {
			p.Vendor = v.name
		} else if !contains(p.Others, v.name) && v.name != p.Vendor {
			p.Others = append(p.Others, v.name)
		}
		if conf.Rank() > best.Rank() {
			best = conf
		}
	}
	if generic := genericEvidence(req); len(generic) > 0 {
		p.Evidence = append(p.Evidence, generic...)
		if p.Vendor == "" {
			p.Vendor = UnknownProxy
			best = ConfidenceLow
			if len(req.Values("Via")) > 0 || len(req.Values("Forwarded")) > 0 {
				best = ConfidenceMedium
			}
		}
	}
	p.LocalARR = localARR(changes)
	if p.Vendor == "" {
		return p
	}
	p.Detected = true
	p.Confidence = best
	p.Evidence = dedupe(p.Evidence)
	p.addresses(req, clientAddr)
	if !validPort(p.ClientPort) {
		p.ClientPort = ""
	}
	return p
}

func dedupe(ev []Evidence) []Evidence {
	var out []Evidence
	for _, e := range ev {
		if !containsEvidence(out, e) {
			out = append(out, e)
		}
	}
	return out
}

func containsEvidence(list []Evidence, e Evidence) bool {
	for _, x := range list {
		if x == e {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// genericHeaders are forwarding headers many products add.
var genericHeaders = []string{"Via", "X-Forwarded-For", "Forwarded", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Forwarded-Port", "X-Real-IP"}

func genericEvidence(req headers.List) []Evidence {
	var out []Evidence
	for _, name := range genericHeaders {
		for _, v := range req.Values(name) {
			if strings.TrimSpace(v) != "" {
				out = append(out, Evidence{Name: name, Value: v})
			}
		}
	}
	return out
}

// localARR reports ARR's own forwarding headers among the changes.
func localARR(changes []headers.Change) bool {
	for _, c := range changes {
		switch strings.ToLower(headers.NormalizeName(c.Name)) {
		case "x-arr-log-id", "x-arr-ssl", "x-arr-clientcert":
			return true
		}
	}
	return false
}

// addresses fills the client and proxy addresses and the hop count.
func (p *ProxyInfo) addresses(req headers.List, peer string) {
	via := viaEntries(req.Values("Via"))
	xff := splitValues(req.Values("X-Forwarded-For"))
	fwd := forwardedFor(req.Values("Forwarded"))
	p.Hops = max(len(via), len(xff), len(fwd))

	if client, vip, ok := parseClientSide(req.Value("X-ClientSide")); ok {
		p.ClientAddress, p.ClientPort = splitAddr(client)
		p.ProxyAddress = vip
	}
	if p.ClientAddress == "" {
		for _, c := range clientCandidates(req, fwd, xff) {
			if host, port := splitAddr(c); validIP(host) {
				p.ClientAddress, p.ClientPort = host, port
				break
			}
		}
	}
	if p.ProxyAddress == "" && len(via) > 0 {
		p.ProxyAddress = via[len(via)-1] // the last Via entry is the proxy nearest IIS
	}
	if p.ProxyAddress == "" {
		p.ProxyAddress = strings.TrimSpace(peer)
	}
}

// clientCandidates lists original-client values, most trustworthy first:
// what a CDN saw on its own TCP connection beats the leftmost
// X-Forwarded-For entry, which the client itself may have written.
func clientCandidates(req headers.List, fwd, xff []string) []string {
	var out []string
	for _, name := range []string{"CF-Connecting-IP", "True-Client-IP"} {
		if v := strings.TrimSpace(req.Value(name)); v != "" {
			out = append(out, v)
		}
	}
	if len(fwd) > 0 {
		out = append(out, fwd[0])
	}
	if len(xff) > 0 {
		out = append(out, xff[0])
	}
	for _, name := range []string{"X-Real-IP", "Client-IP", "X-Client-IP"} {
		if v := strings.TrimSpace(req.Value(name)); v != "" {
			out = append(out, v)
		}
	}
	return out
}
