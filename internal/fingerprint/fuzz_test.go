package fingerprint

import (
	"strings"
	"testing"

	"github.com/frebscan/frebscan/internal/headers"
)

// proxyHeaderNames are the names whose presence may produce a verdict;
// everything else must never make Proxy report a proxy.
var proxyHeaderNames = []string{
	"via", "x-forwarded-", "forwarded", "x-real-ip", "x-clientside", "cookie", "x-f5-", "x-wa-info",
	"x-ns-", "client-ip", "x-haproxy", "x-arr-", "x-original-url", "x-appgw-trace-id", "x-original-host",
	"x-amzn-trace-id", "x-azure-", "cf-connecting-ip", "cf-ray", "akamai-origin-hop", "true-client-ip",
}

func FuzzProxy(f *testing.F) {
	f.Add("Host: mail.contoso.com\nVia: HTTPS/1.1 lb:443\nX-ClientSide: 203.0.113.7:51234 -> 10.0.0.5:443", "10.0.0.5")
	f.Add("Cookie: BIGipServerpool=1; NSC_x=2\nX-Forwarded-For: [2001:db8::1]:443, unknown", "")
	f.Add("Forwarded: for=\"[::1]:1\";by=x, for=_hidden\nCF-RAY: 1", "::1")
	f.Add("User-Agent: curl/8.4.0\nAccept: */*", "192.0.2.1")
	f.Fuzz(func(t *testing.T, block, peer string) {
		req := headers.ParseBlock(block)
		p := Proxy(req, []headers.Change{{Name: "X-ARR-LOG-ID", Value: block}}, peer)
		if p.Detected && (p.Vendor == "" || p.Confidence == ConfidenceNone || len(p.Evidence) == 0) {
			t.Fatalf("detected without vendor, confidence or evidence: %+v", p)
		}
		if !p.Detected && (p.Vendor != "" || p.ClientAddress != "" || p.Hops != 0) {
			t.Fatalf("not detected but filled: %+v", p)
		}
		// No proxy header (with a value) means no proxy.
		relevant := false
		for _, h := range req {
			name := strings.ToLower(h.Name)
			for _, p := range proxyHeaderNames {
				if strings.HasPrefix(name, p) && strings.TrimSpace(h.Value) != "" {
					relevant = true
				}
			}
		}
		if p.Detected && !relevant {
			t.Fatalf("false proxy from %q: %+v", block, p)
		}
		for _, e := range p.Evidence {
			if !req.Has(e.Name) {
				t.Fatalf("evidence %q is not a request header", e.Name)
			}
		}
		if p.ClientPort != "" && !validPort(p.ClientPort) {
			t.Fatalf("bad port %q", p.ClientPort)
		}
	})
}

func FuzzClient(f *testing.F) {
	for _, ua := range []string{
		"Mac OS X/10.11.1 (15B42); ExchangeWebServices/6.0 (242); Mail/9.1 (3096.5)",
		"Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17126; Pro)",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) Version/17.1.2 Mobile/15E148 Safari/604.1",
		"Android-SAMSUNG-SM-G991B/102.1.0", "", "MSRPC",
	} {
		f.Add(ua)
	}
	f.Fuzz(func(t *testing.T, ua string) {
		c := Client(ua)
		if c.Family == "" || c.Kind == "" {
			t.Fatalf("Client(%q) = %+v", ua, c)
		}
		if c.IgnoresPersistentAuthFalse && c.Family != "Apple Mail" {
			t.Fatalf("flag on %s", c.Family)
		}
		if len(c.Version) > len(ua) || len(c.OS) > len(ua)+16 {
			t.Fatalf("fields longer than input: %+v", c)
		}
	})
}
